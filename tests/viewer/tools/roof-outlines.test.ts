/**
 * Roof face outlines: a gable's two planes split the footprint at the ridge, a hip's four planes give two
 * trapezoids and two triangles, one plane covers the whole footprint, walls give none; heights on the planes.
 */
import { describe, expect, it } from 'vitest';
import type { Plane } from '../../../core/geometry/plane.ts';
import type { Point2, Point3 } from '../../../core/geometry/point3.ts';
import { polygonArea } from '../../../core/geometry/polygon.ts';
import { roofFaceOutlines } from '../../../viewer/tools/roof-outlines.ts';

const E0 = 337300;
const N0 = 5682400;
const S = Math.SQRT1_2;
/** A 45-degree plane through height 10 m at local (x, y), falling towards (dx, dy). */
const plane45 = (x: number, y: number, dx: number, dy: number): Plane => ({ normal: [dx * S, dy * S, S], point: [E0 + x, N0 + y, 10] });
const FOOTPRINT: Point2[] = [[E0, N0], [E0 + 10, N0], [E0 + 10, N0 + 8], [E0, N0 + 8]];

const area = (outline: Point3[]): number => polygonArea(outline.map((p): Point2 => [p[0], p[1]]));

describe('roof face outlines', () => {
  it('gable: each plane over its half of the footprint, eaves at 6 m and the ridge at 10 m', () => {
    // Ridge along E at N0 + 4: the south face falls to the south, the north face to the north.
    const faces = roofFaceOutlines(FOOTPRINT, [plane45(0, 4, 0, -1), plane45(0, 4, 0, 1)]);
    expect(faces).toHaveLength(2);
    for (const face of faces) {
      expect(area(face)).toBeCloseTo(40, 6);
      const zs = face.map((p) => p[2]);
      expect(Math.min(...zs)).toBeCloseTo(6, 6);
      expect(Math.max(...zs)).toBeCloseTo(10, 6);
      // Every vertex at the ridge lies on N0 + 4.
      for (const p of face) if (Math.abs(p[2] - 10) < 1e-6) expect(p[1] - N0).toBeCloseTo(4, 6);
    }
  });

  it('hip: two trapezoids and two triangles that tile the footprint', () => {
    // Eaves at 6 m all round, ridge from local x = 4 to 6 at y = 4 (10 m).
    const faces = roofFaceOutlines(FOOTPRINT, [plane45(5, 4, 0, -1), plane45(5, 4, 0, 1), plane45(4, 4, -1, 0), plane45(6, 4, 1, 0)]);
    expect(faces).toHaveLength(4);
    const areas = faces.map(area).sort((a, b) => a - b);
    // Triangles at the short (8 m) ends: base 8, height 4 -> 16 m²; trapezoids: (10 + 2) / 2 * 4 = 24 m².
    for (const face of faces) expect(Math.min(...face.map((p) => p[2]))).toBeCloseTo(6, 6);
    expect(areas[0]).toBeCloseTo(16, 6);
    expect(areas[1]).toBeCloseTo(16, 6);
    expect(areas[2]).toBeCloseTo(24, 6);
    expect(areas[3]).toBeCloseTo(24, 6);
  });

  it('one plane covers the footprint; a wall plane draws nothing', () => {
    const flat: Plane = { normal: [0, 0, 1], point: [E0, N0, 42.5] };
    const wall: Plane = { normal: [1, 0, 0], point: [E0, N0, 40] };
    const faces = roofFaceOutlines(FOOTPRINT, [flat, wall]);
    expect(faces).toHaveLength(1);
    expect(area(faces[0]!)).toBeCloseTo(80, 6);
    expect(faces[0]!.every((p) => Math.abs(p[2] - 42.5) < 1e-9)).toBe(true);
  });
});
