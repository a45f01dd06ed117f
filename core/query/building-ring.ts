/**
 * The plan region a building measurement reads: the footprint grown by its buffer, plus the places its
 * Bezugspunkt (reference) is taken, as one convex polygon. The CLI (tiling/measure/building-query.ts) and the
 * viewer's worker (workers/measure-api.ts) both query this region, so both measure the same points.
 *
 * @example
 * const ring = buildingQueryRing(footprint, 1.0, { kind: 'street-facade', street: [291450, 5744310] });
 * const { points } = await source.query(Region.polygon(ring, 0));
 */
import { convexHull } from '../geometry/convex-hull.ts';
import type { Point2 } from '../geometry/point3.ts';
import { normalizeRing, offsetRing } from '../geometry/polygon.ts';
import type { BuildingReference } from '../measure/building-height.ts';

// Note: the reference spot lies in front of a fitted wall (which may sit centimetres off the footprint edge) and
// spotHeight reads up to 0.25 m around it; 1 m of margin covers both.
const REFERENCE_MARGIN_M = 1.0;

/**
 * The query polygon of a building, counter-clockwise (metres, the footprint's CRS): the footprint grown by
 * bufferM, plus (for street and point references) the reference point and, for a street reference, the spot in
 * front of each facade that faces the street point, each with 1 m of margin, joined into their convex hull.
 */
export function buildingQueryRing(footprint: readonly Point2[], bufferM: number, reference?: BuildingReference): readonly Point2[] {
  const outer = bufferM > 0 ? offsetRing(footprint, bufferM) : normalizeRing(footprint);
  const spots: Point2[] = [];
  if (reference?.kind === 'point') spots.push(reference.at);
  if (reference?.kind === 'street-facade' || reference?.kind === 'facade-terrain') {
    const s = reference.street;
    spots.push(s);
    const ring = normalizeRing(footprint);
    for (let j = 0; j < ring.length; j++) {
      const a = ring[j]!;
      const b = ring[(j + 1) % ring.length]!;
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      // Outward normal of a counter-clockwise ring.
      const nx = (b[1] - a[1]) / len;
      const ny = -(b[0] - a[0]) / len;
      const m: Point2 = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const t = (s[0] - m[0]) * nx + (s[1] - m[1]) * ny;
      if (t > 0) spots.push([m[0] + nx * t, m[1] + ny * t]);
    }
  }
  if (spots.length === 0) return outer;
  const all: Point2[] = [...outer];
  for (const [x, y] of spots) {
    const d = REFERENCE_MARGIN_M;
    all.push([x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d]);
  }
  return convexHull(all);
}
