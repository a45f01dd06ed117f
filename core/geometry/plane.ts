/**
 * Planes in 3D: least-squares fit, RANSAC detection, distances and plane-plane intersection.
 *
 * Planes are stored as a unit normal and a point on the plane (the centroid of the fitted points), never as
 * n·p + d = 0 with a large d: distances are computed on coordinates shifted to that point, so precision
 * survives UTM magnitudes.
 */
import { eigenSym3 } from './eigen-sym3.ts';
import { cross3, dot3, length3, type Point3 } from './point3.ts';

/** Columns with 3D coordinates (PointColumns qualifies). */
export interface XyzColumns {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
}

/** A plane: unit normal (z >= 0 unless vertical) and a point on it, metres. */
export interface Plane {
  readonly normal: Point3;
  readonly point: Point3;
}

/** Result of a least-squares plane fit. */
export interface PlaneFit {
  readonly plane: Plane;
  /** Root mean square of orthogonal residuals, metres. */
  readonly rmsM: number;
  readonly count: number;
  /** Eigenvalues of the scatter matrix divided by count (ascending), m². */
  readonly spread: readonly [number, number, number];
}

/** Signed orthogonal distance of (x, y, z) from the plane, metres (positive on the normal side). */
export function planeDistance(plane: Plane, x: number, y: number, z: number): number {
  const n = plane.normal;
  const p = plane.point;
  return n[0] * (x - p[0]) + n[1] * (y - p[1]) + n[2] * (z - p[2]);
}

/** Height of a non-vertical plane above plan position (x, y), metres. */
export function planeHeightAt(plane: Plane, x: number, y: number): number {
  const n = plane.normal;
  const p = plane.point;
  return p[2] - (n[0] * (x - p[0]) + n[1] * (y - p[1])) / n[2];
}

/** Slope angle from horizontal, degrees (0 = flat, 90 = vertical). */
export function planePitchDeg(plane: Plane): number {
  return (Math.acos(Math.min(1, Math.abs(plane.normal[2]))) * 180) / Math.PI;
}

/**
 * Downslope azimuth (the direction the plane faces, clockwise from grid north), degrees in [0, 360); NaN for a
 * horizontal plane.
 */
export function planeAzimuthDeg(plane: Plane): number {
  const n = plane.normal;
  const s = n[2] < 0 ? -1 : 1;
  const e = n[0] * s;
  const nn = n[1] * s;
  if (Math.hypot(e, nn) < 1e-9) return NaN;
  const a = (Math.atan2(e, nn) * 180) / Math.PI;
  return a < 0 ? a + 360 : a;
}

/**
 * Fits a plane by least squares (smallest eigenvector of the covariance of the points shifted to their
 * centroid); indices select points (all when omitted). Needs at least 3 points.
 */
export function fitPlane(points: XyzColumns, indices?: ArrayLike<number>): PlaneFit {
  const n = indices ? indices.length : points.x.length;
  if (n < 3) throw new Error(`Invalid plane fit (core/geometry/plane.ts): ${n} points`);
  const at = (k: number): number => (indices ? indices[k]! : k);
  // Note: two passes (centroid first, then the scatter of shifted points) avoid the catastrophic cancellation
  // of a one-pass sum of squares at UTM magnitudes.
  let cx = 0;
  let cy = 0;
  let cz = 0;
  const i0 = at(0);
  const ox = points.x[i0]!;
  const oy = points.y[i0]!;
  const oz = points.z[i0]!;
  for (let k = 0; k < n; k++) {
    const i = at(k);
    cx += points.x[i]! - ox;
    cy += points.y[i]! - oy;
    cz += points.z[i]! - oz;
  }
  cx = cx / n + ox;
  cy = cy / n + oy;
  cz = cz / n + oz;
  let xx = 0;
  let xy = 0;
  let xz = 0;
  let yy = 0;
  let yz = 0;
  let zz = 0;
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const dx = points.x[i]! - cx;
    const dy = points.y[i]! - cy;
    const dz = points.z[i]! - cz;
    xx += dx * dx;
    xy += dx * dy;
    xz += dx * dz;
    yy += dy * dy;
    yz += dy * dz;
    zz += dz * dz;
  }
  const e = eigenSym3([xx, xy, xz, yy, yz, zz]);
  let normal = e.vectors[0];
  if (normal[2] < 0 || (normal[2] === 0 && (normal[0] < 0 || (normal[0] === 0 && normal[1] < 0)))) {
    normal = [-normal[0], -normal[1], -normal[2]];
  }
  return {
    plane: { normal, point: [cx, cy, cz] },
    rmsM: Math.sqrt(Math.max(0, e.values[0]) / n),
    count: n,
    spread: [e.values[0] / n, e.values[1] / n, e.values[2] / n],
  };
}

/** Options for {@link detectPlaneRansac}. */
export interface RansacOptions {
  /** Inlier distance, metres. */
  readonly thresholdM: number;
  /** Uniform [0, 1) generator; use createPrng(seed) for reproducible results. */
  readonly random: () => number;
  readonly iterations?: number;
  /** Optional filter on candidate normals (e.g. near-vertical only). */
  readonly acceptNormal?: (normal: Point3) => boolean;
  /** Pick the 2nd and 3rd sample point among the first's neighbours within this plan radius (faster on roofs). */
  readonly sampleRadiusM?: number;
  /** Score candidates on at most this many points (the winner is re-scored on all). */
  readonly scoreSampleSize?: number;
  /**
   * Stop early once this probability of having drawn one all-inlier sample is reached for the best inlier
   * ratio so far (default 0.999; iterations stay at least 30 and at most `iterations`).
   */
  readonly confidence?: number;
}

/** Result of {@link detectPlaneRansac}: the least-squares refit and its inliers. */
export interface RansacResult {
  readonly fit: PlaneFit;
  readonly inliers: Uint32Array;
}

function planeFrom3(points: XyzColumns, a: number, b: number, c: number): Plane | undefined {
  const pa: Point3 = [points.x[a]!, points.y[a]!, points.z[a]!];
  const u: Point3 = [points.x[b]! - pa[0], points.y[b]! - pa[1], points.z[b]! - pa[2]];
  const v: Point3 = [points.x[c]! - pa[0], points.y[c]! - pa[1], points.z[c]! - pa[2]];
  const n = cross3(u, v);
  const l = length3(n);
  if (!(l > 1e-9 * (length3(u) * length3(v) + 1e-30))) return undefined;
  const s = n[2] < 0 ? -1 / l : 1 / l;
  return { normal: [n[0] * s, n[1] * s, n[2] * s], point: pa };
}

/** Indices (from `indices`) within thresholdM of the plane. */
export function planeInliers(points: XyzColumns, indices: ArrayLike<number>, plane: Plane, thresholdM: number): Uint32Array {
  const out: number[] = [];
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (Math.abs(planeDistance(plane, points.x[i]!, points.y[i]!, points.z[i]!)) <= thresholdM) out.push(i);
  }
  return Uint32Array.from(out);
}

/**
 * Detects the best-supported plane among the indexed points by RANSAC (deterministic for a seeded generator),
 * then refits it by least squares on its inliers twice. Returns undefined with fewer than 3 points.
 */
export function detectPlaneRansac(
  points: XyzColumns,
  indices: ArrayLike<number>,
  options: RansacOptions,
): RansacResult | undefined {
  const n = indices.length;
  if (n < 3) return undefined;
  const { thresholdM, random } = options;
  const iterations = options.iterations ?? 200;
  const scoreN = Math.min(n, options.scoreSampleSize ?? 3000);
  const scoreSet = new Uint32Array(scoreN);
  for (let k = 0; k < scoreN; k++) scoreSet[k] = indices[scoreN === n ? k : Math.floor(random() * n)]!;
  const radius = options.sampleRadiusM;
  let best: Plane | undefined;
  let bestScore = -1;
  const logFail = Math.log(1 - (options.confidence ?? 0.999));
  let needed = iterations;
  for (let it = 0; it < Math.min(iterations, needed); it++) {
    const a = indices[Math.floor(random() * n)]!;
    let b = indices[Math.floor(random() * n)]!;
    let c = indices[Math.floor(random() * n)]!;
    if (radius !== undefined) {
      // Note: local sampling: retry the partners a few times until they fall near the first point.
      const r2 = radius * radius;
      for (let t = 0; t < 20; t++) {
        const dx = points.x[b]! - points.x[a]!;
        const dy = points.y[b]! - points.y[a]!;
        if (dx * dx + dy * dy <= r2 && b !== a) break;
        b = scoreSet[Math.floor(random() * scoreN)]!;
      }
      for (let t = 0; t < 20; t++) {
        const dx = points.x[c]! - points.x[a]!;
        const dy = points.y[c]! - points.y[a]!;
        if (dx * dx + dy * dy <= r2 && c !== a && c !== b) break;
        c = scoreSet[Math.floor(random() * scoreN)]!;
      }
    }
    if (a === b || b === c || a === c) continue;
    const plane = planeFrom3(points, a, b, c);
    if (!plane) continue;
    if (options.acceptNormal && !options.acceptNormal(plane.normal)) continue;
    let score = 0;
    for (let k = 0; k < scoreN; k++) {
      const i = scoreSet[k]!;
      if (Math.abs(planeDistance(plane, points.x[i]!, points.y[i]!, points.z[i]!)) <= thresholdM) score++;
    }
    if (score > bestScore) {
      bestScore = score;
      best = plane;
      const w = score / scoreN;
      const pAll = w * w * w;
      needed = pAll >= 1 ? 30 : Math.max(30, Math.ceil(logFail / Math.log(1 - Math.max(1e-9, pAll))));
    }
  }
  if (!best) return undefined;
  let inliers = planeInliers(points, indices, best, thresholdM);
  if (inliers.length < 3) return undefined;
  let fit = fitPlane(points, inliers);
  for (let r = 0; r < 2; r++) {
    const next = planeInliers(points, indices, fit.plane, thresholdM);
    if (next.length < 3) break;
    inliers = next;
    fit = fitPlane(points, inliers);
  }
  return { fit, inliers };
}

/** A 3D line: a point and a unit direction. */
export interface Line3 {
  readonly point: Point3;
  readonly direction: Point3;
}

/**
 * Intersection line of two planes; the returned point is the one nearest to the midpoint of the planes'
 * reference points. Undefined for (nearly) parallel planes.
 */
export function intersectPlanes(a: Plane, b: Plane): Line3 | undefined {
  const d = cross3(a.normal, b.normal);
  const l = length3(d);
  if (l < 1e-6) return undefined;
  const dir: Point3 = [d[0] / l, d[1] / l, d[2] / l];
  const ref: Point3 = [
    (a.point[0] + b.point[0]) / 2,
    (a.point[1] + b.point[1]) / 2,
    (a.point[2] + b.point[2]) / 2,
  ];
  // Solve for p = ref + s·na + t·nb on both planes, in coordinates relative to ref.
  const ha = dot3(a.normal, [a.point[0] - ref[0], a.point[1] - ref[1], a.point[2] - ref[2]]);
  const hb = dot3(b.normal, [b.point[0] - ref[0], b.point[1] - ref[1], b.point[2] - ref[2]]);
  const c = dot3(a.normal, b.normal);
  const det = 1 - c * c;
  const s = (ha - c * hb) / det;
  const t = (hb - c * ha) / det;
  return {
    point: [
      ref[0] + s * a.normal[0] + t * b.normal[0],
      ref[1] + s * a.normal[1] + t * b.normal[1],
      ref[2] + s * a.normal[2] + t * b.normal[2],
    ],
    direction: dir,
  };
}
