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
      expect(s.sigmaM).toBeLessThan(0.005);
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
});
