import { describe, expect, it } from 'vitest';
import { eigenSym3 } from '../../../core/geometry/eigen-sym3.ts';
import { buildGridIndex2, forEachInRadius } from '../../../core/geometry/grid-index.ts';
import { fitLine1, fitLine2 } from '../../../core/geometry/line.ts';
import {
  detectPlaneRansac,
  fitPlane,
  intersectPlanes,
  planeAzimuthDeg,
  planeDistance,
  planeHeightAt,
  planePitchDeg,
} from '../../../core/geometry/plane.ts';
import { normalizeRing, offsetRing, pointInRing, polygonArea, signedArea } from '../../../core/geometry/polygon.ts';
import { simplifyDouglasPeucker } from '../../../core/geometry/polyline.ts';
import { createPrng, gaussian } from '../../../core/geometry/prng.ts';

const E0 = 291234.5;
const N0 = 5744321.25;

describe('eigenSym3', () => {
  it('reproduces A v = λ v for a random symmetric matrix, ascending', () => {
    const m = [4, 1, -2, 3, 0.5, 1] as const;
    const e = eigenSym3(m);
    const A = [[m[0], m[1], m[2]], [m[1], m[3], m[4]], [m[2], m[4], m[5]]];
    expect(e.values[0]).toBeLessThanOrEqual(e.values[1]);
    expect(e.values[1]).toBeLessThanOrEqual(e.values[2]);
    for (let k = 0; k < 3; k++) {
      const v = e.vectors[k];
      for (let r = 0; r < 3; r++) {
        const av = A[r]![0]! * v[0] + A[r]![1]! * v[1] + A[r]![2]! * v[2];
        expect(av).toBeCloseTo(e.values[k] * v[r], 10);
      }
    }
    // Trace is preserved.
    expect(e.values[0] + e.values[1] + e.values[2]).toBeCloseTo(4 + 3 + 1, 10);
  });
  it('handles a diagonal and a degenerate matrix', () => {
    expect(eigenSym3([2, 0, 0, 2, 0, 1]).values).toEqual([1, 2, 2]);
  });
});

function tiltedPlanePoints(seed: number, n: number, noise: number) {
  const rnd = createPrng(seed);
  // z = 40 + 0.7 (x - E0) - 0.2 (y - N0): pitch atan(hypot(0.7, 0.2)).
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = E0 + rnd() * 5;
    y[i] = N0 + rnd() * 4;
    z[i] = 40 + 0.7 * (x[i]! - E0) - 0.2 * (y[i]! - N0) + gaussian(rnd) * noise;
  }
  return { x, y, z };
}

describe('planes', () => {
  it('fits a plane at UTM magnitudes to sub-millimetre accuracy', () => {
    const p = tiltedPlanePoints(1, 2000, 0.005);
    const f = fitPlane(p);
    expect(planeHeightAt(f.plane, E0 + 2, N0 + 1)).toBeCloseTo(40 + 1.4 - 0.2, 3);
    expect(planePitchDeg(f.plane)).toBeCloseTo((Math.atan(Math.hypot(0.7, 0.2)) * 180) / Math.PI, 1);
    // Downslope faces -x (west) and +y (north): azimuth = atan2(-0.7, 0.2).
    expect(planeAzimuthDeg(f.plane)).toBeCloseTo(((Math.atan2(-0.7, 0.2) * 180) / Math.PI + 360) % 360, 1);
    expect(f.rmsM).toBeGreaterThan(0.003);
    expect(f.rmsM).toBeLessThan(0.006);
  });
  it('finds the dominant plane by RANSAC deterministically despite 40 % outliers', () => {
    const p = tiltedPlanePoints(2, 3000, 0.008);
    const rnd = createPrng(9);
    for (let i = 0; i < 1200; i++) p.z[i] = p.z[i]! + 0.5 + rnd() * 3;
    const all = Uint32Array.from({ length: 3000 }, (_, i) => i);
    const a = detectPlaneRansac(p, all, { thresholdM: 0.03, random: createPrng(5) })!;
    const b = detectPlaneRansac(p, all, { thresholdM: 0.03, random: createPrng(5) })!;
    expect(a.inliers.length).toBe(b.inliers.length);
    expect(a.inliers.length).toBeGreaterThan(1750);
    expect(a.inliers.length).toBeLessThan(1820);
    expect(planeHeightAt(a.fit.plane, E0 + 2, N0 + 1)).toBeCloseTo(41.2, 2);
  });
  it('intersects two roof planes in their ridge line', () => {
    // Gable: z = 50 - 0.8 |x - E0|, ridge along N at x = E0, height 50.
    const a = { normal: normalized([0.8, 0, 1]), point: [E0 + 1, N0, 49.2] as const };
    const b = { normal: normalized([-0.8, 0, 1]), point: [E0 - 2, N0 + 3, 48.4] as const };
    const l = intersectPlanes(a, b)!;
    expect(Math.abs(l.direction[1])).toBeCloseTo(1, 9);
    expect(l.point[0]).toBeCloseTo(E0, 6);
    expect(l.point[2]).toBeCloseTo(50, 6);
    expect(planeDistance(a, l.point[0], l.point[1], l.point[2])).toBeCloseTo(0, 9);
  });
});

function normalized(v: [number, number, number]): [number, number, number] {
  const l = Math.hypot(...v);
  return [v[0] / l, v[1] / l, v[2] / l];
}

describe('lines', () => {
  it('fits y = a + b x and an orthogonal 2D line', () => {
    const xs = [0, 1, 2, 3, 4];
    const ys = xs.map((x) => 2 + 0.5 * x);
    const f = fitLine1(xs, ys)!;
    expect(f.slope).toBeCloseTo(0.5, 12);
    expect(f.y0 - f.slope * f.x0).toBeCloseTo(2, 12);
    const g = fitLine2(xs.map((x) => E0 + x), ys.map((y) => N0 + y))!;
    expect(Math.abs(g.dy / g.dx)).toBeCloseTo(0.5, 9);
    expect(g.rms).toBeLessThan(1e-6);
  });
});

describe('polygons', () => {
  const square = [[E0, N0], [E0, N0 + 10], [E0 + 10, N0 + 10], [E0 + 10, N0], [E0, N0]] as const;
  it('normalises orientation and closing vertex; area is exact at UTM magnitudes', () => {
    const r = normalizeRing(square);
    expect(r.length).toBe(4);
    expect(signedArea(r)).toBe(100);
    expect(polygonArea(square)).toBe(100);
    expect(() => normalizeRing([[E0, N0], [E0 + 1, N0], [E0, N0]])).toThrow(/Invalid ring/);
  });
  it('contains points inside only', () => {
    const r = normalizeRing(square);
    expect(pointInRing(r, E0 + 5, N0 + 5)).toBe(true);
    expect(pointInRing(r, E0 + 10.01, N0 + 5)).toBe(false);
  });
  it('offsets outward and inward whatever the orientation', () => {
    for (const ring of [square, [...square].reverse()]) {
      expect(polygonArea(offsetRing(ring, 1))).toBeCloseTo(144, 9);
      expect(polygonArea(offsetRing(ring, -1))).toBeCloseTo(64, 9);
    }
    const L = [[0, 0], [6, 0], [6, 3], [3, 3], [3, 6], [0, 6]].map(([x, y]) => [E0 + x!, N0 + y!] as const);
    // L-shape: area 27; mitred outward by 0.5: 27 + perimeter 24 * 0.5 + (5 convex - 1 reflex corners) * 0.25.
    expect(polygonArea(offsetRing(L, 0.5))).toBeCloseTo(27 + 12 + 1, 9);
  });
});

describe('simplifyDouglasPeucker', () => {
  it('keeps corners and forced vertices, drops collinear ones', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6];
    const ys = [0, 0, 0, 1, 1, 1, 1];
    expect(simplifyDouglasPeucker(xs, ys, 0.01)).toEqual([0, 2, 3, 6]);
    expect(simplifyDouglasPeucker(xs, ys, 0.01, [false, false, false, false, false, true, false])).toEqual([0, 2, 3, 5, 6]);
  });
});

describe('grid index', () => {
  it('returns exactly the points within a radius', () => {
    const rnd = createPrng(3);
    const x = Float64Array.from({ length: 5000 }, () => E0 + rnd() * 20);
    const y = Float64Array.from({ length: 5000 }, () => N0 + rnd() * 20);
    const g = buildGridIndex2({ x, y }, 0.5);
    const found: number[] = [];
    forEachInRadius(g, E0 + 10, N0 + 10, 1.3, (i) => found.push(i));
    const brute = [...x.keys()].filter((i) => Math.hypot(x[i]! - E0 - 10, y[i]! - N0 - 10) <= 1.3);
    expect(found.sort((a, b) => a - b)).toEqual(brute);
    expect(found.length).toBeGreaterThan(50);
  });
});
