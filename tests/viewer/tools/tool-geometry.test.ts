/**
 * Values of the pick-only tools at UTM magnitudes (E ~ 3.4e5, N ~ 5.7e6), against hand-computed answers.
 */
import { describe, expect, it } from 'vitest';
import type { Point3 } from '../../../core/geometry/point3.ts';
import { areaValues, distanceValues, polylineValues } from '../../../viewer/tools/tool-geometry.ts';

const O: Point3 = [337366.891, 5682472.433, 35.361];
const at = (de: number, dn: number, dh: number): Point3 => [O[0] + de, O[1] + dn, O[2] + dh];

describe('tool geometry', () => {
  it('distance: 3D, horizontal, vertical and slope of a 3-4-12 offset', () => {
    const d = distanceValues(O, at(3, 4, 12));
    expect(d.distance3dM).toBeCloseTo(13, 9);
    expect(d.horizontalM).toBeCloseTo(5, 9);
    expect(d.verticalM).toBeCloseTo(12, 9);
    expect(d.slopePercent).toBeCloseTo(240, 6);
    const down = distanceValues(at(3, 4, 12), O);
    expect(down.verticalM).toBeCloseTo(-12, 9);
    expect(distanceValues(O, at(0, 0, 1)).slopePercent).toBe(Infinity);
  });

  it('polyline: lengths along an L with a climb', () => {
    const v = polylineValues([O, at(3, 4, 0), at(3, 14, 0)]);
    expect(v.length2dM).toBeCloseTo(15, 9);
    expect(v.length3dM).toBeCloseTo(15, 9);
    expect(v.segments3dM.map((s) => Number(s.toFixed(9)))).toEqual([5, 10]);
    expect(polylineValues([O, at(0, 3, 4)]).length3dM).toBeCloseTo(5, 9);
  });

  it('area: a 12.5 m x 20.25 m rectangle and a triangle in plan, centimetre-exact far from the origin', () => {
    const rect = areaValues([O, at(12.5, 0, 1), at(12.5, 20.25, 2), at(0, 20.25, 0)]);
    expect(rect.areaM2).toBeCloseTo(253.125, 6);
    expect(rect.perimeterM).toBeCloseTo(65.5, 9);
    // Clockwise, same area.
    expect(areaValues([O, at(0, 20.25, 0), at(12.5, 20.25, 2), at(12.5, 0, 1)]).areaM2).toBeCloseTo(253.125, 6);
    expect(areaValues([O, at(4, 0, 0), at(0, 3, 0)]).areaM2).toBeCloseTo(6, 9);
    expect(areaValues([O, at(4, 0, 0)]).areaM2).toBe(0);
  });
});
