/**
 * Spot height: the surface height at a plan position, for light-well rims, thresholds and kerb tops.
 *
 * Method: points within the radius; the lowest dense height level (so isolated low-noise points are ignored
 * and anything standing on the surface - people, vehicles, vegetation - lies above it) seeds a local plane,
 * fitted by least squares on points shifted to their centroid and re-fitted twice on the points within
 * 2.5 sigma; the plane is evaluated at the spot. Not the lowest point, not a mean over everything.
 *
 * @example
 * const s = spotHeight(points, [291450.2, 5744310.8], 0.1);
 * // s.nhn (m NHN), s.sigmaM, s.pointsUsed, s.pointSpacingM, s.warnings
 */
import { fitPlane, planeDistance, planeHeightAt } from '../geometry/plane.ts';
import type { Point2 } from '../geometry/point3.ts';
import { isMeasurable, NOISE_CLASSES, type MeasurePoints } from './measure-points.ts';
import { lowestDenseWindow, median } from './stats.ts';

/** Options for {@link spotHeight}. */
export interface SpotHeightOptions {
  /** Fewer surface points than this yields a sparse warning (default 6). */
  readonly minPoints?: number;
  /** Classes never used (default 7 and 18, noise). */
  readonly excludeClasses?: readonly number[];
  /** Only these point indices are considered (default all). */
  readonly indices?: ArrayLike<number>;
  /**
   * Approximate height of the surface, m NHN (e.g. the picked 3D point, or the footpath level for a light
   * well): only points within searchM of it are used, so an overhang, balcony or canopy above is ignored.
   */
  readonly nearNhn?: number;
  /** Half height of the search window around nearNhn, metres (default 1.0). */
  readonly searchM?: number;
}

/** Result of {@link spotHeight}. */
export interface SpotHeight {
  /** Surface height at the spot, m NHN. */
  readonly nhn: number;
  /** Standard error of nhn from the fit residuals and the number of points, metres. */
  readonly sigmaM: number;
  /** Surface points used in the final fit. */
  readonly pointsUsed: number;
  /** Mean spacing of the surface points, metres. */
  readonly pointSpacingM: number;
  readonly warnings: string[];
}

/** Surface height at `at` = [E, N] from the points within radiusM (plan distance), see module comment. */
export function spotHeight(points: MeasurePoints, at: Point2, radiusM = 0.1, options: SpotHeightOptions = {}): SpotHeight {
  if (!(radiusM > 0)) throw new Error(`Invalid spot radius (core/measure/spot-height.ts): ${radiusM}`);
  // Note: on sparse data (far from the track, thinned drives) the surface may hold a single point within the
  // radius while an overhang above holds several; the radius then grows (x1.5, up to x3) until the surface
  // shows at least 3 points, and a warning says so.
  let r = radiusM;
  for (;;) {
    const last = r >= radiusM * 3 - 1e-9;
    let s: SpotHeight;
    try {
      s = spotHeightAt(points, at, r, options);
    } catch (e) {
      if (last) throw e;
      r = Math.min(radiusM * 3, r * 1.5);
      continue;
    }
    if (s.pointsUsed < 3 && !last) {
      r = Math.min(radiusM * 3, r * 1.5);
      continue;
    }
    if (r > radiusM) s.warnings.push(`sparse: radius widened from ${radiusM} m to ${r.toFixed(3)} m`);
    return s;
  }
}

function spotHeightAt(points: MeasurePoints, at: Point2, radiusM: number, options: SpotHeightOptions): SpotHeight {
  const exclude = options.excludeClasses ?? NOISE_CLASSES;
  const minPoints = options.minPoints ?? 6;
  const nearZ = options.nearNhn ?? 0;
  const searchM = options.nearNhn === undefined ? Infinity : (options.searchM ?? 1.0);
  const r2 = radiusM * radiusM;
  const near: number[] = [];
  let sx = 0;
  let sy = 0;
  const scan = (i: number): void => {
    const dx = points.x[i]! - at[0];
    const dy = points.y[i]! - at[1];
    if (dx * dx + dy * dy <= r2 && isMeasurable(points, i, exclude) && Math.abs(points.z[i]! - nearZ) <= searchM) {
      near.push(i);
      sx += dx;
      sy += dy;
    }
  };
  if (options.indices) for (let k = 0; k < options.indices.length; k++) scan(options.indices[k]!);
  else for (let i = 0; i < points.x.length; i++) scan(i);
  if (near.length === 0) {
    throw new Error(`Invalid spot (core/measure/spot-height.ts): no points within ${radiusM} m of ${at[0]},${at[1]}`);
  }
  const warnings: string[] = [];
  const zs = Float64Array.from(near, (i) => points.z[i]!);
  const sorted = Float64Array.from(zs).sort();
  const band = 0.05;
  const win = lowestDenseWindow(sorted, band, near.length >= 20 ? Math.max(2, Math.min(5, Math.ceil(near.length * 0.15))) : 2);
  const lo = win ? sorted[win[0]]! - 0.01 : sorted[0]!;
  const hi = win ? sorted[win[0]]! + band : sorted[0]! + band;
  let used = near.filter((_, k) => zs[k]! >= lo && zs[k]! <= hi);
  let nhn: number;
  let rms: number;
  const spreadOk = (idx: number[]): boolean => {
    if (idx.length < 5) return false;
    const f = fitPlane(points, idx);
    // A plane needs horizontal extent in two directions; otherwise fall back to a median.
    return f.spread[1] > (radiusM * 0.1) ** 2 && Math.abs(f.plane.normal[2]) > 0.5;
  };
  if (spreadOk(used)) {
    let fit = fitPlane(points, used);
    for (let it = 0; it < 3; it++) {
      const tol = Math.max(0.015, 2.5 * fit.rmsM);
      const next = near.filter(
        (i) => Math.abs(planeDistance(fit.plane, points.x[i]!, points.y[i]!, points.z[i]!)) <= tol,
      );
      if (next.length < 5) break;
      used = next;
      fit = fitPlane(points, used);
    }
    nhn = planeHeightAt(fit.plane, at[0], at[1]);
    rms = fit.rmsM / Math.abs(fit.plane.normal[2]);
  } else {
    const z = used.map((i) => points.z[i]!);
    nhn = median(z);
    rms = Math.sqrt(z.reduce((s, v) => s + (v - nhn) ** 2, 0) / Math.max(1, z.length));
  }
  const n = used.length;
  const sigmaM = Math.max(0.001, n > 3 ? rms / Math.sqrt(n - 3) : Math.max(rms, 0.01));
  const pointSpacingM = Math.sqrt((Math.PI * r2) / n);
  if (n < minPoints) {
    warnings.push(`sparse: ${n} surface points within ${radiusM} m (spacing ${pointSpacingM.toFixed(3)} m)`);
  }
  const off = Math.hypot(sx, sy) / near.length;
  if (off > radiusM * 0.5) {
    warnings.push(`occlusion edge: the points lie on one side of the spot (centroid ${off.toFixed(3)} m off)`);
  }
  if (rms > 0.02) warnings.push(`rough or mixed surface: residual rms ${rms.toFixed(3)} m`);
  return { nhn, sigmaM, pointsUsed: n, pointSpacingM, warnings };
}
