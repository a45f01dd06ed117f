import { describe, expect, it } from 'vitest';
import { createPrng, gaussian } from '../../../core/geometry/prng.ts';
import { spotHeight } from '../../../core/measure/spot-height.ts';
import { makeStreet, STREET, streetHeight } from './synthetic-street.ts';

describe('spotHeight', () => {
  const { points } = makeStreet({ seed: 21, withObjects: true });
  const at = (d: number): [number, number] => [STREET.e0 + d, STREET.n0];
  it('returns the surface height within 1 cm on footpath, carriageway and kerb top', () => {
    for (const d of [0.5, 2.7, 5.0, 7.5, 12.5]) {
      const s = spotHeight(points, at(d), 0.1);
      expect(Math.abs(s.nhn - streetHeight(d)), `at ${d}`).toBeLessThan(0.01);
      expect(s.pointsUsed).toBeGreaterThan(20);
      // The fit alone; the synthetic street has no passes, so the a-priori 5 mm pass term completes sigmaM.
      expect(s.sigmaFitM).toBeLessThan(0.005);
      expect(s.relativeAccuracy.source).toBe('a-priori');
      expect(s.sigmaM).toBeCloseTo(Math.hypot(s.sigmaFitM, 0.005), 12);
      expect(s.pointSpacingM).toBeGreaterThan(0.005);
      expect(s.pointSpacingM).toBeLessThan(0.05);
    }
  });
  it('ignores a pedestrian standing on the spot and low noise below it', () => {
    // The synthetic pedestrian stands at d = 1.0 .. 1.3 on the from-side footpath.
    const s = spotHeight(points, at(1.15), 0.1);
    expect(Math.abs(s.nhn - streetHeight(1.15))).toBeLessThan(0.01);
    const rnd = createPrng(4);
    const n = 400;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = 291000 + (rnd() - 0.5) * 0.3;
      y[i] = 5744000 + (rnd() - 0.5) * 0.3;
      z[i] = 41.234 + 0.02 * (x[i]! - 291000) + gaussian(rnd) * 0.009;
    }
    z[0] = 40.5;
    z[1] = 40.7;
    z[2] = 40.9;
    const t = spotHeight({ x, y, z }, [291000, 5744000], 0.1);
    expect(Math.abs(t.nhn - 41.234)).toBeLessThan(0.005);
  });
  it('warns when sparse or at an occlusion edge, throws with no points', () => {
    const x = Float64Array.from([291000.05, 291000.06, 291000.07]);
    const y = Float64Array.from([5744000.01, 5744000.0, 5744000.02]);
    const z = Float64Array.from([41.0, 41.01, 41.0]);
    const s = spotHeight({ x, y, z }, [291000, 5744000], 0.1);
    expect(s.warnings.some((w) => w.startsWith('sparse'))).toBe(true);
    expect(s.warnings.some((w) => w.startsWith('occlusion edge'))).toBe(true);
    expect(Math.abs(s.nhn - 41.0)).toBeLessThan(0.011);
    expect(() => spotHeight({ x, y, z }, [291010, 5744000], 0.1)).toThrow(/Invalid spot/);
  });
  it('finds a light-well rim under a roof overhang (the overhang is sampled at the spot, the rim only beside it)', () => {
    const rnd = createPrng(9);
    const xs: number[] = [];
    const ys: number[] = [];
    const zs: number[] = [];
    const e0 = 291000;
    const n0 = 5744000;
    const rimZ = 35.312;
    // Rim: a level concrete top 1.0 x 0.6 m around the spot, sampled every ~9 cm, but the overhang's shadow
    // leaves nothing within 0.1 m of the spot.
    for (let u = -0.5; u <= 0.5; u += 0.09) {
      for (let v = -0.3; v <= 0.3; v += 0.09) {
        const x = u + (rnd() - 0.5) * 0.02;
        const y = v + (rnd() - 0.5) * 0.02;
        if (Math.hypot(x, y) < 0.105) continue;
        xs.push(e0 + x);
        ys.push(n0 + y);
        zs.push(rimZ + gaussian(rnd) * 0.003);
      }
    }
    // Soffit of a 40 degree roof slab 3.4 m above, dense (seen from the street at short range), with scan
    // lines stacked 10 cm apart where the fascia is hit.
    const t = Math.tan((40 * Math.PI) / 180);
    for (let k = 0; k < 400; k++) {
      const x = (rnd() - 0.5) * 0.8;
      const y = (rnd() - 0.5) * 0.8;
      xs.push(e0 + x);
      ys.push(n0 + y);
      zs.push(rimZ + 3.4 + y * t + Math.floor(rnd() * 3) * 0.1 + gaussian(rnd) * 0.003);
    }
    const pts = { x: Float64Array.from(xs), y: Float64Array.from(ys), z: Float64Array.from(zs) };
    const s = spotHeight(pts, [e0, n0], 0.1);
    expect(Math.abs(s.nhn - rimZ), `${s.nhn} ${s.warnings.join(' | ')}`).toBeLessThan(0.01);
    expect(s.radiusM).toBeGreaterThan(0.1);
    expect(s.warnings.some((w) => /overhang/.test(w))).toBe(true);
    expect(s.warnings.some((w) => w.startsWith('sparse: radius widened'))).toBe(true);
    // The same spot with the rim sampled right at the spot needs no wider radius and gives the rim too.
    const near = { x: Float64Array.from([...xs, e0 + 0.02, e0 - 0.03, e0 + 0.01]), y: Float64Array.from([...ys, n0 + 0.01, n0 - 0.02, n0 - 0.04]), z: Float64Array.from([...zs, rimZ, rimZ + 0.002, rimZ - 0.002]) };
    expect(Math.abs(spotHeight(near, [e0, n0], 0.1).nhn - rimZ)).toBeLessThan(0.01);
  });
  it('unclassified: a sparse rim beside a wall, with mixed pixels scattered below it, gives the rim (not the pixels)', () => {
    // As seed 7's light wells under an overhang at half density, with every point class 1: a few rim points
    // beside the spot, the building wall 0.3 m away sampled in stacked scan lines, and three mixed pixels
    // (between the rim edge and the terrain) 3.5-6 cm below the rim, within one 5 cm band but far apart.
    const rnd = createPrng(12);
    const e0 = 291000;
    const n0 = 5744000;
    const rimZ = 34.871;
    const xs: number[] = [];
    const ys: number[] = [];
    const zs: number[] = [];
    const add = (x: number, y: number, z: number): void => {
      xs.push(e0 + x);
      ys.push(n0 + y);
      zs.push(z);
    };
    for (const [x, y] of [[0.125, 0.099], [0.165, 0.123], [0.047, 0.197], [0.033, 0.236], [0.234, -0.063], [0.219, -0.033]] as const) {
      add(x, y, rimZ + gaussian(rnd) * 0.003);
    }
    for (let k = 0; k < 6; k++) {
      const y = -0.3 + k * 0.05;
      for (let z = rimZ + 0.01; z < rimZ + 0.6; z += 0.04) add(-0.25 + (rnd() - 0.5) * 0.01, y, z + gaussian(rnd) * 0.003);
    }
    add(-0.091, -0.156, rimZ - 0.063);
    add(-0.147, 0.0, rimZ - 0.054);
    add(-0.113, 0.09, rimZ - 0.037);
    const pts = { x: Float64Array.from(xs), y: Float64Array.from(ys), z: Float64Array.from(zs), classification: new Uint8Array(xs.length).fill(1) };
    const s = spotHeight(pts, [e0, n0], 0.1);
    expect(Math.abs(s.nhn - rimZ), `${s.nhn} ${s.warnings.join(' | ')}`).toBeLessThan(0.01);
    expect(s.pointsUsed).toBeLessThanOrEqual(6);
    expect(s.warnings.some((w) => w.startsWith('sparse'))).toBe(true);
  });
  it('keeps a level surface above a lower one beside it (a wall top next to the footpath)', () => {
    const rnd = createPrng(10);
    const xs: number[] = [];
    const ys: number[] = [];
    const zs: number[] = [];
    for (let k = 0; k < 600; k++) {
      const x = (rnd() - 0.5) * 0.8;
      const y = (rnd() - 0.5) * 0.8;
      xs.push(291000 + x);
      ys.push(5744000 + y);
      // Wall top 0.12 m wide at 35.80 on x in [-0.06, 0.06]; the footpath at 35.20 on both sides.
      zs.push((Math.abs(x) <= 0.06 ? 35.8 : 35.2) + gaussian(rnd) * 0.003);
    }
    const s = spotHeight({ x: Float64Array.from(xs), y: Float64Array.from(ys), z: Float64Array.from(zs) }, [291000, 5744000], 0.05);
    expect(Math.abs(s.nhn - 35.8)).toBeLessThan(0.01);
    expect(s.radiusM).toBe(0.05);
  });
  it('widens the radius before it gives up, then throws Invalid spot naming the searched radius', () => {
    const x = Float64Array.from([291000.25]);
    const y = Float64Array.from([5744000]);
    const z = Float64Array.from([41.0]);
    const s = spotHeight({ x, y, z }, [291000, 5744000], 0.1);
    expect(s.nhn).toBeCloseTo(41.0, 6);
    expect(s.radiusM).toBeCloseTo(0.3, 6);
    expect(s.warnings.some((w) => /not resolved/.test(w))).toBe(true);
    expect(() => spotHeight({ x, y, z }, [291000, 5743999], 0.1)).toThrow(/Invalid spot .*0\.300 m/);
  });
});
