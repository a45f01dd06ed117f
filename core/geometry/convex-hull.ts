/**
 * Convex hull of plan points ([E, N] metres).
 *
 * @example
 * const hull = convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2]]); // [[0, 0], [2, 0], [2, 2], [0, 2]]
 */
import type { Point2 } from './point3.ts';

/**
 * Convex hull of plan points by monotone chain, counter-clockwise, without collinear points; the hull's vertices
 * are the input points themselves (unchanged float64).
 */
export function convexHull(points: readonly Point2[]): Point2[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  // Note: cross products on coordinates shifted to the first point, so precision survives UTM magnitudes.
  const ox = p[0]![0];
  const oy = p[0]![1];
  const cross = (o: Point2, a: Point2, b: Point2): number =>
    (a[0] - ox - (o[0] - ox)) * (b[1] - oy - (o[1] - oy)) - (a[1] - oy - (o[1] - oy)) * (b[0] - ox - (o[0] - ox));
  const lower: Point2[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point2[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}
