/**
 * Outlines of a building's roof faces for drawing: each fitted roof plane over the part of the footprint where it
 * is the roof skin. For the roofs core/measure tells apart (flat, shed, gable, hip) the skin is the lowest of the
 * planes at every plan position (each plane falls away from its ridge), so a face is the footprint clipped by the
 * half-planes "this plane lies below that one" (Sutherland-Hodgman against linear height differences). Plain
 * data in and out; sums run on coordinates shifted to the first footprint vertex (UTM magnitudes).
 */
import type { Plane } from '../../core/geometry/plane.ts';
import { planeHeightAt } from '../../core/geometry/plane.ts';
import type { Point2, Point3 } from '../../core/geometry/point3.ts';
import { normalizeRing } from '../../core/geometry/polygon.ts';

/** Planes steeper than this are walls, not roof faces (|normal z| below it). */
const MIN_NORMAL_Z = 0.2;

/** Height of a plane as a linear function of local plan coordinates: h = a + b·x + c·y. */
interface LinearHeight {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

function linear(plane: Plane, ox: number, oy: number): LinearHeight {
  const n = plane.normal;
  return { a: planeHeightAt(plane, ox, oy), b: -n[0] / n[2], c: -n[1] / n[2] };
}

/** Keeps the part of a polygon (local coordinates) where f(x, y) = k + u·x + v·y <= 0. */
function clipHalfPlane(poly: readonly Point2[], k: number, u: number, v: number): Point2[] {
  const out: Point2[] = [];
  const f = (p: Point2): number => k + u * p[0] + v * p[1];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const fa = f(a);
    const fb = f(b);
    if (fa <= 0) out.push(a);
    if ((fa < 0 && fb > 0) || (fa > 0 && fb < 0)) {
      const t = fa / (fa - fb);
      out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

/**
 * One closed outline per roof plane (world [E, N, H], counter-clockwise in plan), over the part of the footprint
 * where that plane is the roof skin; planes with no such part (or walls) give no outline.
 */
export function roofFaceOutlines(footprint: readonly Point2[], planes: readonly Plane[]): Point3[][] {
  const ring = normalizeRing(footprint);
  const [ox, oy] = ring[0]!;
  const local: Point2[] = ring.map((p) => [p[0] - ox, p[1] - oy]);
  const roofs = planes.filter((p) => Math.abs(p.normal[2]) >= MIN_NORMAL_Z);
  const heights = roofs.map((p) => linear(p, ox, oy));
  const out: Point3[][] = [];
  heights.forEach((hi, i) => {
    let poly: Point2[] = local;
    heights.forEach((hj, j) => {
      if (j === i || poly.length === 0) return;
      // Keep hi - hj <= 0: plane i lies below plane j.
      poly = clipHalfPlane(poly, hi.a - hj.a, hi.b - hj.b, hi.c - hj.c);
    });
    if (poly.length >= 3) out.push(poly.map((p): Point3 => [p[0] + ox, p[1] + oy, hi.a + hi.b * p[0] + hi.c * p[1]]));
  });
  return out;
}
