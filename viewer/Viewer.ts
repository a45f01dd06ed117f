/**
 * The renderer: one WebGL2 canvas, a Z-up perspective camera with orbit controls, and render-on-demand (a frame is
 * drawn only when the camera moves, the size changes or content is added). It only draws; loading and state live
 * elsewhere.
 */
import { Box3, Color, PerspectiveCamera, Scene, Sphere, Vector3, WebGLRenderer, type Object3D } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

const _centre = new Vector3();
const _direction = new Vector3();
const _right = new Vector3();
const _up = new Vector3();
const _corner = new Vector3();
const _sphere = new Sphere();

/** Background colour of the scene (dark blue-grey, so both RGB and elevation colours stand out). */
export const BACKGROUND_COLOUR = 0x1b1f27;

/** Owns the WebGL renderer, the camera and the controls. */
export class Viewer {
  readonly isViewer = true;
  readonly renderer: WebGLRenderer;
  readonly scene = new Scene();
  readonly camera: PerspectiveCamera;
  readonly controls: OrbitControls;
  private frameRequested = false;
  private readonly resizeObserver: ResizeObserver;

  /** Throws when WebGL2 is unavailable (three.js r163+ needs it). */
  constructor(readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext('webgl2', { antialias: false, preserveDrawingBuffer: true });
    if (!context) throw new Error('Invalid browser: WebGL 2 is not available');
    this.renderer = new WebGLRenderer({ canvas, context });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.scene.background = new Color(BACKGROUND_COLOUR);

    this.camera = new PerspectiveCamera(60, 1, 0.1, 10_000);
    // Note: world Z is height (EPSG:25832 + NHN); keep it up on screen instead of three's default Y-up.
    this.camera.up.set(0, 0, 1);
    this.camera.position.set(0, -100, 60);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', () => this.requestFrame());

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.resize();
  }

  /** Adds an object (already placed relative to the scene origin) and redraws. */
  add(object: Object3D): void {
    this.scene.add(object);
    this.requestFrame();
  }

  /**
   * Points the camera at a box (scene coordinates, metres) from the south-west and above, at the smallest distance
   * at which all eight corners are inside the view (both view angles), plus a small margin.
   */
  frame(box: Box3): void {
    box.getCenter(_centre);
    const direction = _direction.set(-0.4, -1, 1).normalize(); // from the target towards the camera
    const right = _right.crossVectors(this.camera.up, direction).normalize();
    const up = _up.crossVectors(direction, right);
    const tanV = Math.tan((this.camera.fov * Math.PI) / 360);
    const tanH = tanV * this.camera.aspect;
    let distance = 1;
    for (let i = 0; i < 8; i++) {
      _corner.set(i & 1 ? box.max.x : box.min.x, i & 2 ? box.max.y : box.min.y, i & 4 ? box.max.z : box.min.z);
      _corner.sub(_centre);
      const along = _corner.dot(direction);
      distance = Math.max(distance, along + Math.abs(_corner.dot(right)) / tanH, along + Math.abs(_corner.dot(up)) / tanV);
    }
    distance *= 1.05;
    const radius = box.getBoundingSphere(_sphere).radius;
    this.camera.position.copy(_centre).addScaledVector(direction, distance);
    this.camera.near = Math.max(distance / 1000, 0.01);
    this.camera.far = distance + radius * 4;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(_centre);
    this.controls.update();
    this.requestFrame();
  }

  /** Schedules one frame on the next animation frame. */
  requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.renderer.render(this.scene, this.camera);
    });
  }

  /** Renders now, synchronously; used before reporting "ready" so that the canvas holds the points. */
  renderNow(): void {
    this.renderer.render(this.scene, this.camera);
  }

  private resize(): void {
    const width = Math.max(1, this.canvas.clientWidth);
    const height = Math.max(1, this.canvas.clientHeight);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestFrame();
  }

  /** Releases GPU resources and listeners. */
  dispose(): void {
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.renderer.dispose();
  }
}
