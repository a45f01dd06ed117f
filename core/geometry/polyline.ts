/**
 * Polylines: length and Douglas-Peucker simplification that can be told to keep given vertices (breaklines).
 */
import type { Point2, Point3 } from './point3.ts';

/** Length of a 3D polyline, metres. */
export function polylineLength3(points: readonly Point3[]): number {
  let s = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    s += Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
  }
  return s;
}

/** Plan length of a polyline, metres. */
export function polylineLength2(points: readonly (Point2 | Point3)[]): number {
  let s = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    s += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return s;
}

/**
 * Douglas-Peucker simplification of the 2D polyline (xs, ys), tolerance in the units of ys measured
 * perpendicular to each chord. Vertices flagged in keep are always kept (they split the line). Returns the
 * kept vertex indices in order. Iterative (no recursion depth limit).
 */
export function simplifyDouglasPeucker(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  toleranceM: number,
  keep?: ArrayLike<boolean>,
): number[] {
  const n = xs.length;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const kept = new Uint8Array(n);
  kept[0] = 1;
  kept[n - 1] = 1;
  if (keep) for (let i = 0; i < n; i++) if (keep[i]) kept[i] = 1;
  const anchors: number[] = [];
  for (let i = 0; i < n; i++) if (kept[i]) anchors.push(i);
  const stack: [number, number][] = [];
  for (let k = 1; k < anchors.length; k++) stack.push([anchors[k - 1]!, anchors[k]!]);
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    if (b - a < 2) continue;
    const ax = xs[a]!;
    const ay = ys[a]!;
    const dx = xs[b]! - ax;
    const dy = ys[b]! - ay;
    const l = Math.hypot(dx, dy);
    let worst = -1;
    let worstD = toleranceM;
    for (let i = a + 1; i < b; i++) {
      const px = xs[i]! - ax;
      const py = ys[i]! - ay;
      const d = l > 0 ? Math.abs(px * dy - py * dx) / l : Math.hypot(px, py);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      kept[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (kept[i]) out.push(i);
  return out;
}
