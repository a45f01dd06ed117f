/**
 * Camera navigation in three modes over scene coordinates (metres relative to the LocalFrame origin, Z up):
 * - `orbit`: perspective; drag orbits around the point under the cursor (picked at pointer-down), right-drag or
 *   Shift-drag pans, the wheel zooms towards the cursor; double-click re-centres on the picked point. Keys: arrows
 *   pan, Shift+arrows orbit, +/- zoom. Touch: one finger orbits, two fingers pinch-zoom and pan.
 * - `walk`: first person at street level (eye 1.7 m above the ground under the target); drag looks around,
 *   W/A/S/D or arrows walk, Q/E or PageUp/PageDown rise and sink, Shift runs, the wheel steps forward. Touch: one
 *   finger looks, two fingers walk forward/back.
 * - `top`: orthographic view straight down, north up; drag pans, the wheel zooms towards the cursor.
 * `flyTo(e, n)` moves the view centre to a point (scene coordinates) keeping the viewing direction.
 */
import { Box3, MathUtils, OrthographicCamera, PerspectiveCamera, Sphere, Vector3, type Camera } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { NavigationMode } from '../state/view-state.ts';

/** Picks the scene point under a canvas position (CSS pixels from the canvas' top left), or undefined. */
export type ScenePicker = (xPx: number, yPx: number) => Vector3 | undefined;

/** Eye height above the ground in walk mode, metres. */
export const EYE_HEIGHT_M = 1.7;

/** Walking speed, m/s (Shift: 4x). */
export const WALK_SPEED_M_S = 3;

const _centre = new Vector3();
const _direction = new Vector3();
const _right = new Vector3();
const _up = new Vector3();
const _corner = new Vector3();
const _sphere = new Sphere();
const _offset = new Vector3();
const _forward = new Vector3();
const Z_UP = new Vector3(0, 0, 1);

/** Options for {@link Navigation}. */
export interface NavigationOptions {
  /** Picks scene points for orbit centres and double-click re-centring. */
  readonly pick?: ScenePicker;
  /** Called whenever the view changed and a frame should be drawn. */
  readonly onChange: () => void;
}

/** The cameras and their controls; see the module comment. */
export class Navigation {
  readonly isNavigation = true;
  readonly perspective = new PerspectiveCamera(60, 1, 0.1, 10_000);
  readonly orthographic = new OrthographicCamera(-50, 50, 50, -50, 0.1, 10_000);
  readonly orbit: OrbitControls;
  readonly top: OrbitControls;
  private currentMode: NavigationMode = 'orbit';
  private readonly keys = new Set<string>();
  private yaw = 0;
  private pitch = 0;
  private lookDrag: { x: number; y: number } | undefined;
  private touchWalk: { distance: number } | undefined;
  private lastTick: number | undefined;
  private animation: { from: Vector3; to: Vector3; start: number; durationMs: number } | undefined;
  private readonly removers: Array<() => void> = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly options: NavigationOptions,
  ) {
    // Note: world Z is height (EPSG:25832 + NHN); keep it up on screen instead of three's default Y-up.
    this.perspective.up.set(0, 0, 1);
    this.perspective.position.set(0, -100, 60);
    this.orbit = new OrbitControls(this.perspective, canvas);
    this.orbit.zoomToCursor = true;
    this.orbit.screenSpacePanning = true;
    this.orbit.keyRotateSpeed = 1;
    this.orbit.listenToKeyEvents(canvas as unknown as HTMLElement);
    this.orbit.addEventListener('change', () => this.options.onChange());

    // Top view: looking down -Z with north (+Y) up on screen.
    this.orthographic.up.set(0, 1, 0);
    this.orthographic.position.set(0, 0, 1000);
    this.top = new OrbitControls(this.orthographic, canvas);
    this.top.enableRotate = false;
    this.top.zoomToCursor = true;
    this.top.screenSpacePanning = true;
    this.top.listenToKeyEvents(canvas as unknown as HTMLElement);
    this.top.mouseButtons = { LEFT: 2, MIDDLE: 1, RIGHT: 2 }; // MOUSE.PAN, MOUSE.DOLLY
    this.top.touches = { ONE: 1, TWO: 2 }; // TOUCH.PAN, TOUCH.DOLLY_PAN
    this.top.enabled = false;
    this.top.addEventListener('change', () => this.options.onChange());

    this.listen(canvas, 'pointerdown', (e) => this.onPointerDown(e as PointerEvent));
    this.listen(canvas, 'pointermove', (e) => this.onPointerMove(e as PointerEvent));
    this.listen(canvas, 'pointerup', () => (this.lookDrag = undefined));
    this.listen(canvas, 'dblclick', (e) => this.onDoubleClick(e as MouseEvent));
    this.listen(canvas, 'keydown', (e) => this.onKeyDown(e as KeyboardEvent));
    this.listen(canvas, 'keyup', (e) => this.keys.delete((e as KeyboardEvent).code));
    this.listen(canvas, 'blur', () => this.keys.clear());
    this.listen(canvas, 'wheel', (e) => this.onWheel(e as WheelEvent), { passive: false });
    this.listen(canvas, 'touchstart', (e) => this.onTouch(e as TouchEvent), { passive: true });
    this.listen(canvas, 'touchmove', (e) => this.onTouch(e as TouchEvent), { passive: true });
    this.listen(canvas, 'touchend', () => (this.touchWalk = undefined), { passive: true });
  }

  private listen(target: EventTarget, type: string, handler: (event: Event) => void, options?: AddEventListenerOptions): void {
    target.addEventListener(type, handler, options);
    this.removers.push(() => target.removeEventListener(type, handler, options));
  }

  /** The navigation mode. */
  get mode(): NavigationMode {
    return this.currentMode;
  }

  /** The camera of the current mode. */
  get camera(): PerspectiveCamera | OrthographicCamera {
    return this.currentMode === 'top' ? this.orthographic : this.perspective;
  }

  /** The point the view looks at (orbit centre, top-view centre or the walker's gaze point), scene metres. */
  get target(): Vector3 {
    return this.currentMode === 'top' ? this.top.target : this.orbit.target;
  }

  /** True while something moves by itself (walk keys held, a fly animation) and frames must keep coming. */
  get animating(): boolean {
    return this.animation !== undefined || (this.currentMode === 'walk' && this.keys.size > 0);
  }

  /** Updates the aspect of both cameras (keeps the top view's visible height). */
  setAspect(aspect: number): void {
    this.perspective.aspect = aspect;
    this.perspective.updateProjectionMatrix();
    const halfHeight = (this.orthographic.top - this.orthographic.bottom) / 2;
    this.orthographic.left = -halfHeight * aspect;
    this.orthographic.right = halfHeight * aspect;
    this.orthographic.updateProjectionMatrix();
  }

  /** Switches the mode; the new mode starts from what the old one looked at. */
  setMode(mode: NavigationMode): void {
    if (mode === this.currentMode) return;
    const target = this.target.clone();
    const previous = this.currentMode;
    this.currentMode = mode;
    this.orbit.enabled = mode === 'orbit';
    this.top.enabled = mode === 'top';
    this.keys.clear();
    if (mode === 'top') {
      // Visible height of the top view: what the perspective camera saw at the target's distance.
      const distance = Math.max(1, this.perspective.position.distanceTo(target));
      const halfHeight = distance * Math.tan(MathUtils.degToRad(this.perspective.fov / 2));
      this.setTopView(target, halfHeight);
    } else if (mode === 'walk') {
      const ground = target.z;
      _forward.subVectors(target, this.perspective.position).setZ(0);
      if (_forward.lengthSq() < 1e-9) _forward.set(0, 1, 0);
      this.yaw = Math.atan2(_forward.y, _forward.x);
      this.pitch = 0;
      this.perspective.position.set(target.x, target.y, ground + EYE_HEIGHT_M).addScaledVector(_forward.normalize(), -8);
      this.perspective.near = 0.05;
      this.perspective.updateProjectionMatrix();
      this.applyLook();
    } else if (previous === 'top') {
      const halfHeight = (this.orthographic.top - this.orthographic.bottom) / 2 / this.orthographic.zoom;
      const distance = halfHeight / Math.tan(MathUtils.degToRad(this.perspective.fov / 2));
      this.perspective.position.copy(target).add(_offset.set(0, -0.6, 0.8).multiplyScalar(distance));
      this.orbit.target.copy(target);
      this.orbit.update();
    } else {
      // From walk: orbit around the point ahead of the walker.
      this.orbit.target.copy(target);
      this.orbit.update();
    }
    this.options.onChange();
  }

  /** Points the top view at `centre` with `halfHeightM` metres above and below it on screen. */
  private setTopView(centre: Vector3, halfHeightM: number): void {
    const aspect = this.perspective.aspect;
    this.orthographic.top = halfHeightM;
    this.orthographic.bottom = -halfHeightM;
    this.orthographic.left = -halfHeightM * aspect;
    this.orthographic.right = halfHeightM * aspect;
    this.orthographic.zoom = 1;
    this.orthographic.position.set(centre.x, centre.y, centre.z + 2000);
    this.orthographic.near = 1;
    this.orthographic.far = 5000;
    this.orthographic.updateProjectionMatrix();
    this.top.target.copy(centre);
    this.top.update();
  }

  /**
   * Frames a box (scene metres): in orbit mode from the south-west and above at the smallest distance that keeps
   * all eight corners in view (both view angles) plus 5 %; in top view the box's plan; in walk mode from its
   * middle at street level.
   */
  frame(box: Box3): void {
    box.getCenter(_centre);
    if (this.currentMode === 'top') {
      const size = box.getSize(_offset);
      const halfHeight = Math.max(size.y / 2, size.x / 2 / this.perspective.aspect) * 1.05;
      this.setTopView(_centre, Math.max(halfHeight, 1));
      this.options.onChange();
      return;
    }
    const camera = this.perspective;
    const direction = _direction.set(-0.4, -1, 1).normalize(); // from the target towards the camera
    const right = _right.crossVectors(Z_UP, direction).normalize();
    const up = _up.crossVectors(direction, right);
    const tanV = Math.tan((camera.fov * Math.PI) / 360);
    const tanH = tanV * camera.aspect;
    let distance = 1;
    for (let i = 0; i < 8; i++) {
      _corner.set(i & 1 ? box.max.x : box.min.x, i & 2 ? box.max.y : box.min.y, i & 4 ? box.max.z : box.min.z);
      _corner.sub(_centre);
      const along = _corner.dot(direction);
      distance = Math.max(distance, along + Math.abs(_corner.dot(right)) / tanH, along + Math.abs(_corner.dot(up)) / tanV);
    }
    distance *= 1.05;
    const radius = box.getBoundingSphere(_sphere).radius;
    camera.position.copy(_centre).addScaledVector(direction, distance);
    camera.near = Math.max(distance / 1000, 0.01);
    camera.far = distance + radius * 4;
    camera.updateProjectionMatrix();
    this.orbit.target.copy(_centre);
    this.orbit.update();
    if (this.currentMode === 'walk') {
      this.currentMode = 'orbit';
      this.setMode('walk');
    }
    this.options.onChange();
  }

  /** Places the perspective/top camera: eye and target in scene metres. */
  setView(position: Vector3, target: Vector3): void {
    if (this.currentMode === 'top') {
      const halfHeight = Math.max(1, position.distanceTo(target) * Math.tan(MathUtils.degToRad(this.perspective.fov / 2)));
      this.perspective.position.copy(position);
      this.orbit.target.copy(target);
      this.setTopView(target, halfHeight);
    } else {
      this.perspective.position.copy(position);
      this.orbit.target.copy(target);
      this.perspective.far = Math.max(this.perspective.far, position.distanceTo(target) * 8);
      this.perspective.near = Math.max(0.05, position.distanceTo(target) / 2000);
      this.perspective.updateProjectionMatrix();
      this.orbit.update();
      if (this.currentMode === 'walk') {
        _forward.subVectors(target, position);
        this.yaw = Math.atan2(_forward.y, _forward.x);
        this.pitch = Math.atan2(_forward.z, Math.hypot(_forward.x, _forward.y));
        this.applyLook();
      }
    }
    this.options.onChange();
  }

  /** Eye and target for the URL: in top view the eye is straight above the target at the equivalent distance. */
  getView(): { position: Vector3; target: Vector3 } {
    if (this.currentMode === 'top') {
      const halfHeight = (this.orthographic.top - this.orthographic.bottom) / 2 / this.orthographic.zoom;
      const distance = halfHeight / Math.tan(MathUtils.degToRad(this.perspective.fov / 2));
      const target = this.top.target.clone();
      return { position: target.clone().add(_offset.set(0, -0.001, distance)), target };
    }
    if (this.currentMode === 'walk') {
      const target = this.perspective.position.clone().add(this.lookDirection(_forward).multiplyScalar(10));
      return { position: this.perspective.position.clone(), target };
    }
    return { position: this.perspective.position.clone(), target: this.orbit.target.clone() };
  }

  /** Moves the view centre to (x, y) scene metres, optionally to height z, keeping the viewing direction (animated). */
  flyTo(x: number, y: number, z?: number, durationMs = 600): void {
    const from = this.target.clone();
    const to = new Vector3(x, y, z ?? from.z);
    this.animation = { from, to, start: performance.now(), durationMs };
    this.options.onChange();
  }

  /** Per frame: advances a fly animation and walking; returns true when the view moved. */
  tick(nowMs = performance.now()): boolean {
    // Note: capped at half a second, so slow frames (software rendering) still walk at about the set speed while a
    // long pause does not turn into a jump.
    const dt = this.lastTick === undefined ? 0 : Math.min(0.5, (nowMs - this.lastTick) / 1000);
    this.lastTick = nowMs;
    let moved = false;
    if (this.animation) {
      const { from, to, start, durationMs } = this.animation;
      const t = Math.min(1, (nowMs - start) / durationMs);
      const eased = t * t * (3 - 2 * t);
      const next = _centre.lerpVectors(from, to, eased);
      this.shiftView(_offset.subVectors(next, this.target));
      if (t >= 1) this.animation = undefined;
      moved = true;
    }
    if (this.currentMode === 'walk' && this.keys.size > 0 && dt > 0) {
      const speed = WALK_SPEED_M_S * (this.keys.has('ShiftLeft') || this.keys.has('ShiftRight') ? 4 : 1) * dt;
      _forward.set(Math.cos(this.yaw), Math.sin(this.yaw), 0);
      _right.set(Math.sin(this.yaw), -Math.cos(this.yaw), 0);
      const step = _offset.set(0, 0, 0);
      if (this.keys.has('KeyW') || this.keys.has('ArrowUp')) step.add(_forward);
      if (this.keys.has('KeyS') || this.keys.has('ArrowDown')) step.sub(_forward);
      if (this.keys.has('KeyD') || this.keys.has('ArrowRight')) step.add(_right);
      if (this.keys.has('KeyA') || this.keys.has('ArrowLeft')) step.sub(_right);
      if (this.keys.has('KeyE') || this.keys.has('PageUp')) step.z += 1;
      if (this.keys.has('KeyQ') || this.keys.has('PageDown')) step.z -= 1;
      if (step.lengthSq() > 0) {
        this.perspective.position.addScaledVector(step.normalize(), speed);
        this.applyLook();
        moved = true;
      }
    }
    return moved;
  }

  /** Moves eye and target by `delta` (scene metres). */
  private shiftView(delta: Vector3): void {
    if (this.currentMode === 'top') {
      this.orthographic.position.add(delta);
      this.top.target.add(delta);
      this.top.update();
    } else if (this.currentMode === 'walk') {
      this.perspective.position.add(delta);
      this.orbit.target.add(delta);
      this.applyLook();
    } else {
      this.perspective.position.add(delta);
      this.orbit.target.add(delta);
      this.orbit.update();
    }
  }

  private lookDirection(out: Vector3): Vector3 {
    return out.set(Math.cos(this.yaw) * Math.cos(this.pitch), Math.sin(this.yaw) * Math.cos(this.pitch), Math.sin(this.pitch));
  }

  private applyLook(): void {
    const gaze = this.lookDirection(_direction);
    this.orbit.target.copy(this.perspective.position).addScaledVector(gaze, 10);
    this.perspective.lookAt(this.orbit.target);
    this.perspective.updateMatrixWorld();
  }

  private localPosition(event: MouseEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private onPointerDown(event: PointerEvent): void {
    this.canvas.focus({ preventScroll: true });
    if (this.currentMode === 'walk') {
      this.lookDrag = { x: event.clientX, y: event.clientY };
      return;
    }
    if (this.currentMode !== 'orbit' || event.button !== 0 || event.shiftKey || event.ctrlKey || event.metaKey) return;
    const at = this.localPosition(event);
    const hit = this.options.pick?.(at.x, at.y);
    if (!hit) return;
    // Orbit around the picked depth: the new centre lies on the view axis at the hit's distance, so the view does
    // not jump; a double-click brings the hit itself to the centre.
    this.perspective.getWorldDirection(_forward);
    const depth = _offset.subVectors(hit, this.perspective.position).dot(_forward);
    if (depth > this.perspective.near) {
      this.orbit.target.copy(this.perspective.position).addScaledVector(_forward, depth);
      this.orbit.update();
    }
  }

  private onPointerMove(event: PointerEvent): void {
    if (this.currentMode !== 'walk' || !this.lookDrag || event.pointerType === 'touch') return;
    const dx = event.clientX - this.lookDrag.x;
    const dy = event.clientY - this.lookDrag.y;
    this.lookDrag = { x: event.clientX, y: event.clientY };
    this.look(dx, dy);
  }

  private look(dxPx: number, dyPx: number): void {
    const radPerPx = MathUtils.degToRad(this.perspective.fov) / Math.max(1, this.canvas.clientHeight);
    this.yaw -= dxPx * radPerPx;
    this.pitch = MathUtils.clamp(this.pitch + dyPx * radPerPx, -1.5, 1.5);
    this.applyLook();
    this.options.onChange();
  }

  private onDoubleClick(event: MouseEvent): void {
    if (this.currentMode === 'walk') return;
    const at = this.localPosition(event);
    const hit = this.options.pick?.(at.x, at.y);
    if (hit) this.flyTo(hit.x, hit.y, this.currentMode === 'top' ? this.target.z : hit.z, 400);
  }

  private onWheel(event: WheelEvent): void {
    if (this.currentMode !== 'walk') return;
    event.preventDefault();
    this.perspective.position.addScaledVector(this.lookDirection(_forward), -Math.sign(event.deltaY) * 2);
    this.applyLook();
    this.options.onChange();
  }

  private onTouch(event: TouchEvent): void {
    if (this.currentMode !== 'walk') return;
    if (event.touches.length === 1) {
      const t = event.touches[0]!;
      if (event.type === 'touchstart' || !this.lookDrag) this.lookDrag = { x: t.clientX, y: t.clientY };
      else {
        this.look(t.clientX - this.lookDrag.x, t.clientY - this.lookDrag.y);
        this.lookDrag = { x: t.clientX, y: t.clientY };
      }
    } else if (event.touches.length === 2) {
      const [a, b] = [event.touches[0]!, event.touches[1]!];
      const distance = Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY);
      if (this.touchWalk) {
        // Spreading two fingers walks forward, pinching walks back (0.05 m per pixel).
        this.perspective.position.addScaledVector(this.lookDirection(_forward).setZ(0).normalize(), (distance - this.touchWalk.distance) * 0.05);
        this.applyLook();
        this.options.onChange();
      }
      this.touchWalk = { distance };
    }
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.currentMode === 'walk') {
      const walkKeys = ['KeyW', 'KeyA', 'KeyS', 'KeyD', 'KeyQ', 'KeyE', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'ShiftLeft', 'ShiftRight'];
      if (walkKeys.includes(event.code)) {
        event.preventDefault();
        this.keys.add(event.code);
        this.lastTick = undefined;
        this.options.onChange();
      }
      return;
    }
    if (event.key === '+' || event.key === '=' || event.key === '-') {
      event.preventDefault();
      this.zoomBy(event.key === '-' ? 1.25 : 0.8);
    }
  }

  /** Zooms by a factor of the distance to the target (< 1 closer). */
  zoomBy(factor: number): void {
    if (this.currentMode === 'top') {
      this.orthographic.zoom /= factor;
      this.orthographic.updateProjectionMatrix();
      this.top.update();
    } else {
      _offset.subVectors(this.perspective.position, this.orbit.target).multiplyScalar(factor);
      this.perspective.position.copy(this.orbit.target).add(_offset);
      this.orbit.update();
    }
    this.options.onChange();
  }

  /** The camera for rendering, with matrices up to date. */
  activeCamera(): Camera {
    const camera = this.camera;
    camera.updateMatrixWorld();
    return camera;
  }

  /** Removes listeners and controls. */
  dispose(): void {
    for (const remove of this.removers) remove();
    this.orbit.dispose();
    this.top.dispose();
  }
}
