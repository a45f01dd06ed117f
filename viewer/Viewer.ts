/**
 * The renderer: one WebGL2 canvas, the navigation cameras, the shared point material, eye-dome lighting and the
 * swipe split screen. It draws on demand (camera moved, data arrived, settings changed) and keeps drawing while
 * the camera animates. Loading and UI state live elsewhere.
 *
 * Scene coordinates are metres relative to one LocalFrame origin (float64 world minus origin), Z up.
 */
import { BufferAttribute, BufferGeometry, Color, Points, Scene, Vector2, WebGLRenderer, type Camera, type Object3D } from 'three';
import { Navigation, type ScenePicker } from './navigation/Navigation.ts';
import { EyeDomeLighting } from './render/EyeDomeLighting.ts';
import { FrameTimer } from './render/frame-timer.ts';
import { PointMaterial } from './render/PointMaterial.ts';

/** Background colour of the scene (dark blue-grey, so both RGB and elevation colours stand out). */
export const BACKGROUND_COLOUR = 0x1b1f27;

/** What the viewer needs of a point-cloud entity (viewer/pointcloud/PointCloudEntity.ts fulfils it). */
export interface DrawableEntity extends Object3D {
  /** Per frame: traversal, loading and budget for this camera. */
  update?(camera: Camera, viewportHeightPx: number): void;
  /** Shares the point material with the entity's node meshes. */
  setMaterial?(material: PointMaterial): void;
  readonly stats?: { readonly nodesInFlight: number; readonly pointsVisible: number };
}

/** One drawn source: its entity and its index (drive/epoch). */
interface Layer {
  readonly entity: DrawableEntity;
  readonly sourceIndex: number;
}

/** Swipe: source `left` is drawn left of the divider, source `right` right of it. */
export interface SwipeSetting {
  /** Divider position as a share of the canvas width, 0..1. */
  readonly position: number;
  readonly left: number;
  readonly right: number;
}

/** Per-frame report for the UI. */
export interface FrameInfo {
  readonly frameMs: number | undefined;
  readonly edlActive: boolean;
}

/** Options for {@link Viewer}. */
export interface ViewerOptions {
  readonly pick?: ScenePicker;
  /** Called after every drawn frame. */
  readonly onFrame?: (info: FrameInfo) => void;
  /** Called when eye-dome lighting was switched off because frames were too slow. */
  readonly onEdlAutoOff?: (medianFrameMs: number) => void;
}

const _size = new Vector2();

/**
 * A mesh of no points with the attributes of a node mesh (viewer/pointcloud/create-node-mesh.ts), drawn with the
 * point material in the frames before any data arrives: its shader program is then compiled and linked while the
 * first requests are on the wire, not in the frame that shows the first points. Note: drawn, not only compiled
 * (renderer.compile): with SwiftShader the link waited for the first draw anyway (bench: 7-139 ms in the frame of
 * the first points after a compile, 1-5 ms after a draw).
 */
function createWarmUpMesh(material: PointMaterial): Points {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(new Float32Array(3), 3));
  geometry.setAttribute('color', new BufferAttribute(new Uint8Array(3), 3, true));
  geometry.setAttribute('intensity', new BufferAttribute(new Uint16Array(1), 1, false));
  geometry.setAttribute('classification', new BufferAttribute(new Uint8Array(1), 1, false));
  geometry.setAttribute('gpsTime', new BufferAttribute(new Float32Array(1), 1));
  geometry.setAttribute('change', new BufferAttribute(new Float32Array(1), 1));
  geometry.setDrawRange(0, 0);
  const mesh = new Points(geometry, material);
  mesh.frustumCulled = false;
  mesh.name = 'shader warm-up';
  return mesh;
}

/** Owns the WebGL renderer, the navigation, the material and the post pass. */
export class Viewer {
  readonly isViewer = true;
  readonly renderer: WebGLRenderer;
  readonly scene = new Scene();
  readonly navigation: Navigation;
  readonly material = new PointMaterial();
  readonly frameTimer = new FrameTimer();
  private readonly edl = new EyeDomeLighting();
  private edlOn = true;
  private edlUserForced = false;
  private swipe: SwipeSetting | undefined;
  private readonly layers: Layer[] = [];
  private frameRequested = false;
  private busyFrames = 0;
  private lastFrameContinuous = false;
  private readonly resizeObserver: ResizeObserver;
  private picker: ScenePicker | undefined;
  private warmUp: Points | undefined;

  /** Throws when WebGL2 is unavailable (three.js r163+ needs it). */
  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly options: ViewerOptions = {},
  ) {
    const context = canvas.getContext('webgl2', { antialias: false, preserveDrawingBuffer: true });
    if (!context) throw new Error('Invalid browser: WebGL 2 is not available');
    this.renderer = new WebGLRenderer({ canvas, context });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.scene.background = new Color(BACKGROUND_COLOUR);
    this.picker = options.pick;
    this.navigation = new Navigation(canvas, {
      pick: (x, y) => this.picker?.(x, y),
      onChange: () => this.requestFrame(),
    });
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.warmUp = createWarmUpMesh(this.material);
    this.scene.add(this.warmUp);
    this.resize();
  }

  /** The camera of the current navigation mode. */
  get camera(): Camera {
    return this.navigation.camera;
  }

  /** Replaces the scene picker (e.g. when the picking module arrives). */
  setPicker(pick: ScenePicker | undefined): void {
    this.picker = pick;
  }

  /** Adds a point-cloud entity of source `sourceIndex`, sharing the viewer's material. */
  addEntity(entity: DrawableEntity, sourceIndex: number): void {
    entity.setMaterial?.(this.material);
    this.layers.push({ entity, sourceIndex });
    this.scene.add(entity);
    this.requestFrame();
  }

  /** Removes an entity. */
  removeEntity(entity: DrawableEntity): void {
    const i = this.layers.findIndex((l) => l.entity === entity);
    if (i >= 0) this.layers.splice(i, 1);
    this.scene.remove(entity);
    this.requestFrame();
  }

  /** Adds any other object (already placed relative to the scene origin) and redraws. */
  add(object: Object3D): void {
    this.scene.add(object);
    this.requestFrame();
  }

  /** Eye-dome lighting on or off; `byUser` keeps it from being switched off automatically. */
  setEdl(on: boolean, byUser = true): void {
    this.edlOn = on;
    if (byUser) this.edlUserForced = on;
    this.frameTimer.reset();
    this.requestFrame();
  }

  /** Whether eye-dome lighting is on. */
  get edlEnabled(): boolean {
    return this.edlOn;
  }

  /** Swipe compare, or undefined to draw every visible source over the whole canvas. */
  setSwipe(swipe: SwipeSetting | undefined): void {
    this.swipe = swipe;
    this.requestFrame();
  }

  /** The swipe setting. */
  get swipeSetting(): SwipeSetting | undefined {
    return this.swipe;
  }

  /** Schedules one frame on the next animation frame. */
  requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame((now) => {
      this.frameRequested = false;
      this.draw(now);
    });
  }

  /** Updates entities and draws one frame now, synchronously. */
  renderNow(): void {
    this.draw(performance.now());
  }

  private draw(now: number): void {
    const moved = this.navigation.tick(now);
    const camera = this.navigation.activeCamera();
    const heightPx = this.renderer.getDrawingBufferSize(_size).y;
    this.material.updateViewport(camera, heightPx);
    for (const { entity } of this.layers) {
      // The entity wants CSS pixels (its refinement threshold is in those); the material wants device pixels.
      if (entity.visible) entity.update?.(camera, this.sizePx.height);
    }

    const renderer = this.renderer;
    const edl = this.edlOn;
    if (edl) this.edl.begin(renderer);
    else renderer.setRenderTarget(null);
    if (this.swipe) {
      const width = _size.x / renderer.getPixelRatio();
      const height = _size.y / renderer.getPixelRatio();
      const split = Math.round(width * this.swipe.position);
      const shown = this.layers.map((l) => l.entity.visible);
      renderer.setScissorTest(true);
      for (const side of [0, 1] as const) {
        const index = side === 0 ? this.swipe.left : this.swipe.right;
        this.layers.forEach((l, i) => (l.entity.visible = shown[i]! && l.sourceIndex === index));
        if (side === 0) renderer.setScissor(0, 0, split, height);
        else renderer.setScissor(split, 0, width - split, height);
        renderer.render(this.scene, camera);
      }
      renderer.setScissorTest(false);
      this.layers.forEach((l, i) => (l.entity.visible = shown[i]!));
    } else {
      renderer.render(this.scene, camera);
    }
    if (edl) this.edl.finish(renderer, camera);
    if (this.warmUp) {
      // Compiled now (see createWarmUpMesh); the program stays with the material.
      performance.mark('twinview:shader-warm');
      this.scene.remove(this.warmUp);
      this.warmUp.geometry.dispose();
      this.warmUp = undefined;
    }

    this.frameTimer.frame(now, this.lastFrameContinuous);
    if (edl && !this.edlUserForced && this.frameTimer.tooSlow) {
      const median = this.frameTimer.medianMs!;
      this.edlOn = false;
      this.frameTimer.reset();
      this.options.onEdlAutoOff?.(median);
    }
    this.options.onFrame?.({ frameMs: this.frameTimer.medianMs, edlActive: this.edlOn });

    // Keep drawing while the camera moves by itself, and a few frames after. Note: not while data streams in: every
    // arrival (node, hierarchy page, change distances) asks for a frame itself, and redrawing an unchanged view
    // meanwhile only took CPU from decoding and the network (software rendering draws on the CPU).
    if (moved || this.navigation.animating) this.busyFrames = 10;
    const more = this.busyFrames > 0;
    if (this.busyFrames > 0) this.busyFrames--;
    this.lastFrameContinuous = more;
    if (more) this.requestFrame();
  }

  /** Canvas size in CSS pixels. */
  get sizePx(): { width: number; height: number } {
    return { width: Math.max(1, this.canvas.clientWidth), height: Math.max(1, this.canvas.clientHeight) };
  }

  private resize(): void {
    const { width, height } = this.sizePx;
    this.renderer.setSize(width, height, false);
    this.navigation.setAspect(width / height);
    this.requestFrame();
  }

  /** Releases GPU resources and listeners. */
  dispose(): void {
    this.resizeObserver.disconnect();
    this.navigation.dispose();
    this.edl.dispose();
    this.material.dispose();
    this.renderer.dispose();
  }
}
