/**
 * Picking a point under the cursor, in float64 world coordinates: the ray starts at the camera's world position
 * (LocalFrame origin + camera position, float64), every candidate point is rebuilt from its LAS integers
 * (integer * scale + offset, float64) and compared with the ray relative to the ray origin, so the result
 * matches the LAS grid exactly (1 mm at N 5.7e6 is far inside float64's reach; float32 would keep 0.5 m).
 *
 * @example
 * const hit = pickAtPixel(entities, camera, frame, { xPx: e.offsetX, yPx: e.offsetY, widthPx, heightPx });
 * if (hit) console.log(hit.world, hit.spacingM); // [E, N, H] metres, local point spacing
 */
import { Vector3, type Camera, type OrthographicCamera, type PerspectiveCamera } from 'three';
import type { LocalFrame } from '../../core/crs/LocalFrame.ts';
import type { PointCloudMetadata, PointCloudNode, NodeData } from '../sources/PointCloudSource.ts';

/** A float64 world point [E, N, H], metres. */
export type WorldPoint = readonly [number, number, number];

/** A pick ray in world coordinates (float64). */
export interface PickRay {
  readonly origin: WorldPoint;
  /** Unit direction. */
  readonly direction: WorldPoint;
  /**
   * Tolerance around the ray: a point at distance t along it counts when its distance to the ray is at most
   * `toleranceM + toleranceSlope * t` (perspective: a cone of `radiusPx` pixels; orthographic: a cylinder).
   */
  readonly toleranceM: number;
  readonly toleranceSlope: number;
}

/** What picking needs of an entity (PointCloudEntity fulfils it). */
export interface PickableEntity {
  readonly visible: boolean;
  readonly sourceIndex: number;
  readonly metadata: PointCloudMetadata | undefined;
  drawnNodes(): Iterable<{ readonly node: PointCloudNode; readonly data: NodeData }>;
}

/** The picked point. */
export interface PickResult {
  /** [E, N, H] from the LAS integers, metres (float64). */
  readonly world: WorldPoint;
  /** The LAS integers X, Y, Z. */
  readonly raw: readonly [number, number, number];
  readonly sourceIndex: number;
  readonly nodeKey: string;
  /** Index of the point in its node. */
  readonly index: number;
  /** Distance from the ray origin along the ray, metres. */
  readonly distanceM: number;
  /** Distance of the point from the ray, metres. */
  readonly offRayM: number;
  /** Point spacing where the point lies: root spacing / 2^(deepest drawn level containing it), metres. */
  readonly spacingM: number;
  readonly classification: number;
  readonly intensity: number;
  /** Absolute GPS time, seconds, when the source has it. */
  readonly gpsTime?: number;
}

/** Options of {@link pickAtPixel}. */
export interface PixelPickOptions {
  /** Cursor position in CSS pixels from the canvas's top left. */
  readonly xPx: number;
  readonly yPx: number;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Search radius around the cursor, pixels (default 4). */
  readonly radiusPx?: number;
}

const _ndc = new Vector3();
const _near = new Vector3();

/** Distance of a ray to a box (world metres) is below `slack`: a conservative slab test on the grown box. */
function rayMeetsBox(ray: PickRay, bounds: readonly number[], farM: number): boolean {
  const slack = ray.toleranceM + ray.toleranceSlope * farM;
  let t0 = 0;
  let t1 = Infinity;
  for (let axis = 0; axis < 3; axis++) {
    const o = ray.origin[axis]!;
    const d = ray.direction[axis]!;
    const lo = bounds[axis]! - slack;
    const hi = bounds[axis + 3]! + slack;
    if (Math.abs(d) < 1e-15) {
      if (o < lo || o > hi) return false;
      continue;
    }
    let a = (lo - o) / d;
    let b = (hi - o) / d;
    if (a > b) [a, b] = [b, a];
    t0 = Math.max(t0, a);
    t1 = Math.min(t1, b);
    if (t0 > t1) return false;
  }
  return true;
}

/**
 * The ray through a pixel, in world coordinates: camera position and direction from three.js (scene coordinates
 * relative to the frame origin), the origin moved to the world in float64.
 */
export function rayFromPixel(camera: Camera, frame: LocalFrame, options: PixelPickOptions): PickRay {
  camera.updateMatrixWorld();
  const ndcX = (options.xPx / options.widthPx) * 2 - 1;
  const ndcY = 1 - (options.yPx / options.heightPx) * 2;
  const radiusPx = options.radiusPx ?? 4;
  if ((camera as OrthographicCamera).isOrthographicCamera) {
    const ortho = camera as OrthographicCamera;
    _near.set(ndcX, ndcY, -1).unproject(camera);
    const direction = _ndc.set(0, 0, -1).transformDirection(camera.matrixWorld);
    const metresPerPx = (ortho.top - ortho.bottom) / ortho.zoom / options.heightPx;
    return {
      origin: frame.toWorld([_near.x, _near.y, _near.z]),
      direction: [direction.x, direction.y, direction.z],
      toleranceM: radiusPx * metresPerPx,
      toleranceSlope: 0,
    };
  }
  const perspective = camera as PerspectiveCamera;
  const position = camera.getWorldPosition(_near);
  const origin = frame.toWorld([position.x, position.y, position.z]);
  const direction = _ndc.set(ndcX, ndcY, 0.5).unproject(camera).sub(position).normalize();
  const tanHalf = Math.tan((perspective.fov * Math.PI) / 360) / perspective.zoom;
  return {
    origin,
    direction: [direction.x, direction.y, direction.z],
    toleranceM: 0,
    toleranceSlope: (radiusPx * 2 * tanHalf) / options.heightPx,
  };
}

/**
 * The front-most drawn point within the ray's tolerance (what the eye sees at the cursor), or undefined.
 * Points behind the origin are ignored.
 */
export function pickPoint(entities: Iterable<PickableEntity>, ray: PickRay): PickResult | undefined {
  const [ox, oy, oz] = ray.origin;
  const [dx, dy, dz] = ray.direction;
  let best: { entity: PickableEntity; node: PointCloudNode; data: NodeData; index: number; t: number; off: number } | undefined;
  for (const entity of entities) {
    if (!entity.visible || !entity.metadata) continue;
    for (const { node, data } of entity.drawnNodes()) {
      const b = node.bounds;
      const far = Math.hypot(Math.max(Math.abs(b[0] - ox), Math.abs(b[3] - ox)), Math.max(Math.abs(b[1] - oy), Math.abs(b[4] - oy)), Math.max(Math.abs(b[2] - oz), Math.abs(b[5] - oz)));
      if (!rayMeetsBox(ray, b, far)) continue;
      const raw = data.raw;
      const [sx, sy, sz] = data.scale;
      const [qx, qy, qz] = data.offset;
      // Note: the offset minus the ray origin first (both large), then the small integer part: no cancellation.
      const bx = qx - ox;
      const by = qy - oy;
      const bz = qz - oz;
      for (let i = 0; i < data.count; i++) {
        const vx = raw[i * 3]! * sx + bx;
        const vy = raw[i * 3 + 1]! * sy + by;
        const vz = raw[i * 3 + 2]! * sz + bz;
        const t = vx * dx + vy * dy + vz * dz;
        if (t <= 0 || (best && t >= best.t)) continue;
        // Distance to the ray from the cross product, not |v|² - t² (which cancels for far points).
        const cx = vy * dz - vz * dy;
        const cy = vz * dx - vx * dz;
        const cz = vx * dy - vy * dx;
        const off = Math.sqrt(cx * cx + cy * cy + cz * cz);
        if (off > ray.toleranceM + ray.toleranceSlope * t) continue;
        best = { entity, node, data, index: i, t, off };
      }
    }
  }
  if (!best) return undefined;
  const { entity, node, data, index } = best;
  const raw: [number, number, number] = [data.raw[index * 3]!, data.raw[index * 3 + 1]!, data.raw[index * 3 + 2]!];
  const world: WorldPoint = [raw[0] * data.scale[0] + data.offset[0], raw[1] * data.scale[1] + data.offset[1], raw[2] * data.scale[2] + data.offset[2]];
  let deepest = node.depth;
  for (const other of entity.drawnNodes()) {
    const b = other.node.bounds;
    if (other.node.depth > deepest && world[0] >= b[0] && world[0] <= b[3] && world[1] >= b[1] && world[1] <= b[4] && world[2] >= b[2] && world[2] <= b[5]) {
      deepest = other.node.depth;
    }
  }
  const metadata = entity.metadata!;
  const gpsTime = data.gpsTime && metadata.hasGpsTime ? data.gpsTime[index]! + (metadata.gpsTimeRange?.[0] ?? 0) : undefined;
  return {
    world,
    raw,
    sourceIndex: entity.sourceIndex,
    nodeKey: node.key,
    index,
    distanceM: best.t,
    offRayM: best.off,
    spacingM: metadata.spacing / 2 ** deepest,
    classification: data.classification[index]!,
    intensity: data.intensity[index]!,
    ...(gpsTime !== undefined ? { gpsTime } : {}),
  };
}

/** Picks at a pixel: {@link rayFromPixel} then {@link pickPoint}. */
export function pickAtPixel(entities: Iterable<PickableEntity>, camera: Camera, frame: LocalFrame, options: PixelPickOptions): PickResult | undefined {
  return pickPoint(entities, rayFromPixel(camera, frame, options));
}
