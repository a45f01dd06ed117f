/**
 * core/query/building-ring.ts: the region a building measurement reads (footprint + buffer, and the reference
 * spots with their margin), checked by point-in-polygon against the geometry worked out by hand; the convex hull
 * it joins them with is tested in tests/core/geometry/convex-hull.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Point2 } from '../../../core/geometry/point3.ts';
import { pointInRing, polygonArea } from '../../../core/geometry/polygon.ts';
import { buildingQueryRing } from '../../../core/query/building-ring.ts';

describe('building query ring', () => {
  const fp: Point2[] = [[100, 100], [110, 100], [110, 108], [100, 108]];

  it('is the footprint grown by the buffer when the reference needs no far spot', () => {
    const ring = buildingQueryRing(fp, 1, { kind: 'mean-terrain' });
    expect(pointInRing(ring, 99.1, 99.1)).toBe(true);
    expect(pointInRing(ring, 98.9, 104)).toBe(false);
    // Mitred corners: the 10 m x 8 m footprint grown by 1 m on each side is a 12 m x 10 m rectangle.
    expect(ring).toHaveLength(4);
    expect(polygonArea(ring)).toBeCloseTo(120, 9);
  });

  it('is the footprint itself (counter-clockwise) without a buffer or reference', () => {
    const clockwise: Point2[] = [...fp].reverse();
    const ring = buildingQueryRing(clockwise, 0);
    expect(ring).toHaveLength(4);
    expect(polygonArea(ring)).toBeCloseTo(80, 9);
  });

  it('covers the street point and the spot in front of the facade, with margin', () => {
    const street: Point2 = [130, 90];
    const ring = buildingQueryRing(fp, 1, { kind: 'street-facade', street });
    // The street point (both faces see it: bottom edge at y=100 and right edge at x=110).
    expect(pointInRing(ring, 130.9, 90)).toBe(true);
    // In front of the bottom facade's middle at the street point's distance: (105, 90).
    expect(pointInRing(ring, 105, 89.1)).toBe(true);
    // In front of the right facade's middle at its distance: (130, 104).
    expect(pointInRing(ring, 130.9, 104)).toBe(true);
    expect(pointInRing(ring, 90, 120)).toBe(false);
  });

  it('covers a point reference with its 1 m margin and nothing beyond the hull', () => {
    const at: Point2 = [120, 104];
    const ring = buildingQueryRing(fp, 1, { kind: 'point', at });
    expect(pointInRing(ring, 120.9, 104.9)).toBe(true);
    expect(pointInRing(ring, 121.1, 104)).toBe(false);
    // Hull of the buffered footprint (x 99..111) and the 2 m square around the point (x 119..121).
    expect(pointInRing(ring, 115, 104)).toBe(true);
  });
});
