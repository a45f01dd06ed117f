/**
 * core/geometry/convex-hull.ts: hulls whose vertices are known by construction (squares, a regular polygon with
 * points strictly inside it, at small and at UTM magnitudes), and the degenerate inputs (too few, collinear,
 * repeated points).
 */
import { describe, expect, it } from 'vitest';
import { convexHull } from '../../../core/geometry/convex-hull.ts';
import type { Point2 } from '../../../core/geometry/point3.ts';
import { polygonArea, signedArea } from '../../../core/geometry/polygon.ts';
import { createPrng } from '../../../core/geometry/prng.ts';

/** The vertices of a regular n-gon of circumradius r around (cx, cy), counter-clockwise from angle 0. */
function regularPolygon(cx: number, cy: number, r: number, n: number): Point2[] {
  return Array.from({ length: n }, (_, k) => [cx + r * Math.cos((2 * Math.PI * k) / n), cy + r * Math.sin((2 * Math.PI * k) / n)] as const);
}

/** The ring rotated so that it starts at its smallest (x, then y) vertex, as the monotone chain emits it. */
function startAtLowest(ring: readonly Point2[]): Point2[] {
  let best = 0;
  for (let i = 1; i < ring.length; i++) {
    const [x, y] = ring[i]!;
    const [bx, by] = ring[best]!;
    if (x < bx || (x === bx && y < by)) best = i;
  }
  return [...ring.slice(best), ...ring.slice(0, best)];
}

describe('convex hull', () => {
  it('keeps the extreme points only, counter-clockwise', () => {
    const hull = convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 0.5]]);
    expect(hull).toEqual([[0, 0], [2, 0], [2, 2], [0, 2]]);
  });

  it('keeps UTM-magnitude corners exactly (no shift round trip) and drops collinear points', () => {
    const hull = convexHull([[337000, 5682000], [337010, 5682000], [337005, 5682004], [337010, 5682010], [337000, 5682010], [337003, 5682001], [337005, 5682000]]);
    expect(hull).toEqual([[337000, 5682000], [337010, 5682000], [337010, 5682010], [337000, 5682010]]);
    expect(polygonArea(hull)).toBeCloseTo(100, 9);
  });

  for (const [label, cx, cy] of [['near the origin', 0, 0], ['at UTM magnitudes', 291234.5, 5744321.25]] as const) {
    it(`finds the vertices of a 37-gon among 2000 points strictly inside it, ${label}`, () => {
      const n = 37;
      const r = 12;
      const polygon = regularPolygon(cx, cy, r, n);
      const random = createPrng(7);
      // Inside the inscribed circle (radius r cos(π/n)), minus a centimetre: never on or outside an edge.
      const inner = r * Math.cos(Math.PI / n) - 0.01;
      const points: Point2[] = [];
      for (let i = 0; i < 2000; i++) {
        const a = 2 * Math.PI * random();
        const d = inner * Math.sqrt(random());
        points.push([cx + d * Math.cos(a), cy + d * Math.sin(a)]);
      }
      // The polygon's vertices mixed in among the inner points, in shuffled order.
      for (const v of polygon) points.splice(Math.floor(random() * (points.length + 1)), 0, v);
      const hull = convexHull(points);
      expect(hull).toEqual(startAtLowest(polygon));
      expect(signedArea(hull)).toBeGreaterThan(0);
      // Area of a regular n-gon: n r² sin(2π/n) / 2.
      expect(polygonArea(hull)).toBeCloseTo((n * r * r * Math.sin((2 * Math.PI) / n)) / 2, 6);
    });
  }

  it('returns fewer than three points sorted by x then y, and collinear points as their two ends', () => {
    expect(convexHull([])).toEqual([]);
    expect(convexHull([[3, 1]])).toEqual([[3, 1]]);
    expect(convexHull([[3, 1], [1, 2]])).toEqual([[1, 2], [3, 1]]);
    expect(convexHull([[2, 2], [0, 0], [3, 3], [1, 1]])).toEqual([[0, 0], [3, 3]]);
    expect(convexHull([[5, 0], [5, 2], [5, 1]])).toEqual([[5, 0], [5, 2]]);
  });

  it('lists a repeated corner once', () => {
    const hull = convexHull([[0, 0], [4, 0], [4, 0], [4, 3], [0, 0], [0, 3], [4, 3], [2, 1]]);
    expect(hull).toEqual([[0, 0], [4, 0], [4, 3], [0, 3]]);
  });
});
