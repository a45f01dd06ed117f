/**
 * The uncertainty model (core/measure/uncertainty.ts, passes.ts) on synthetic surfaces scanned by two passes
 * whose height offset is known: the estimated systematic term, the pass shares of a value, plane hat weights
 * against an independent least-squares solve, and the absolute accuracy entering absolute values only.
 */
import { describe, expect, it } from 'vitest';
import { createPrng, gaussian } from '../../../core/geometry/prng.ts';
import { applyBuildingAccuracy, measureBuildingHeight } from '../../../core/measure/building-height.ts';
import type { MeasurePoints } from '../../../core/measure/measure-points.ts';
import { labelPasses, passesFromTime } from '../../../core/measure/passes.ts';
import { spotDifferenceSigma, spotHeight } from '../../../core/measure/spot-height.ts';
import {
  checkAccuracy,
  differenceSystematicSigma,
  estimateRelativeAccuracy,
  passMix,
  planeHatWeights,
  systematicSigma,
} from '../../../core/measure/uncertainty.ts';
import { makeBuilding } from './synthetic-building.ts';

const E0 = 337000;
const N0 = 5682000;
/** True surface: a footpath-like plane with a 2 % fall towards +x, m NHN. */
const surfaceZ = (x: number, y: number): number => 35.2 - 0.02 * (x - E0) + 0.005 * (y - N0);

interface PassSpec {
  /** Plan window [x0, x1] x [y0, y1] relative to (E0, N0) that the pass sees. */
  readonly window: readonly [number, number, number, number];
  /** Height offset of the pass, metres. */
  readonly dz: number;
  /** GPS time of its first point, seconds. */
  readonly t0: number;
}

/**
 * Points on the surface from several passes (random plan positions, 3 mm height noise), with GPS time (one
 * pass's points within a few seconds) and a pass id per point.
 */
function scanPasses(passes: readonly PassSpec[], perPass: number, seed: number): MeasurePoints & { passId: Uint8Array; gpsTime: Float64Array } {
  const rnd = createPrng(seed);
  const n = passes.length * perPass;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const t = new Float64Array(n);
  const id = new Uint8Array(n);
  let k = 0;
  passes.forEach((p, pi) => {
    const [x0, x1, y0, y1] = p.window;
    for (let j = 0; j < perPass; j++, k++) {
      x[k] = E0 + x0 + rnd() * (x1 - x0);
      y[k] = N0 + y0 + rnd() * (y1 - y0);
      z[k] = surfaceZ(x[k]!, y[k]!) + p.dz + 0.003 * gaussian(rnd);
      t[k] = p.t0 + (j / perPass) * 3;
      id[k] = pi + 1;
    }
  });
  return { x, y, z, gpsTime: t, passId: id };
}

const all = (p: MeasurePoints): number[] => Array.from({ length: p.x.length }, (_, i) => i);

describe('passes', () => {
  it('splits GPS times at gaps longer than 10 s, numbering passes in time order', () => {
    const times = [100.5, 1000, 101, 1003, 102, 2000];
    const pass: number[] = [];
    expect(passesFromTime(times, pass)).toBe(true);
    expect(pass).toEqual([0, 1, 0, 1, 0, 2]);
    expect(passesFromTime([5, 6, 14], [])).toBe(false);
  });
  it('labels passes from pass ids, else GPS time, else one pass; the time key is the mean time of the pass', () => {
    const p = scanPasses([
      { window: [0, 4, 0, 4], dz: 0, t0: 1000 },
      { window: [0, 4, 0, 4], dz: 0, t0: 1090 },
    ], 100, 1);
    const byTime = labelPasses({ x: p.x, y: p.y, z: p.z, gpsTime: p.gpsTime }, all(p));
    expect(byTime.from).toBe('gps-time');
    expect(byTime.count).toBe(2);
    expect(byTime.key[0]).toBeCloseTo(1000 + 1.485, 6);
    expect(byTime.key[1]).toBeCloseTo(1090 + 1.485, 6);
    const byId = labelPasses(p, all(p));
    expect(byId.from).toBe('pass-id');
    expect(Array.from(byId.key).sort()).toEqual([1, 2]);
    const none = labelPasses({ x: p.x, y: p.y, z: p.z }, all(p));
    expect(none.from).toBe('none');
    expect(none.count).toBe(1);
  });
});

describe('estimateRelativeAccuracy', () => {
  for (const dz of [0.008, -0.012, 0]) {
    it(`two passes offset by ${dz * 1000} mm over a 2 % surface: the offset and s_p = |d|/sqrt(2)`, () => {
      const p = scanPasses([
        { window: [0, 5, 0, 5], dz: dz / 2, t0: 1000 },
        { window: [0, 5, 0, 5], dz: -dz / 2, t0: 1075 },
      ], 8000, 2);
      const { accuracy } = estimateRelativeAccuracy({ x: p.x, y: p.y, z: p.z, gpsTime: p.gpsTime }, all(p));
      expect(accuracy.source).toBe('passes');
      expect(accuracy.passes).toBe(2);
      expect(accuracy.cells).toBeGreaterThanOrEqual(80);
      expect(accuracy.offsetM!).toBeCloseTo(Math.abs(dz), 3);
      // The estimation error of the median over ~100 cells adds well under a millimetre.
      expect(accuracy.sigmaPassM).toBeGreaterThanOrEqual(Math.abs(dz) / Math.SQRT2 - 0.0005);
      expect(accuracy.sigmaPassM).toBeLessThan(Math.abs(dz) / Math.SQRT2 + 0.001);
    });
  }
  it('three passes: the sample deviation of their offsets', () => {
    const p = scanPasses([
      { window: [0, 4, 0, 4], dz: 0, t0: 1000 },
      { window: [0, 4, 0, 4], dz: 0.006, t0: 1100 },
      { window: [0, 4, 0, 4], dz: -0.006, t0: 1200 },
    ], 6000, 3);
    const { accuracy } = estimateRelativeAccuracy(p, all(p));
    expect(accuracy.passes).toBe(3);
    expect(accuracy.offsetM!).toBeCloseTo(0.012, 3);
    // Offsets 0, +6, -6 mm: sample deviation 6 mm.
    expect(accuracy.sigmaPassM).toBeCloseTo(0.006, 3);
  });
  it('falls back to the a-priori value with one pass, or when the passes share no cells', () => {
    const one = scanPasses([{ window: [0, 4, 0, 4], dz: 0.01, t0: 1000 }], 4000, 4);
    const a = estimateRelativeAccuracy(one, all(one)).accuracy;
    expect(a).toEqual({ sigmaPassM: 0.005, source: 'a-priori', passes: 1, cells: 0, offsetM: null });
    expect(estimateRelativeAccuracy(one, all(one), { aprioriM: 0.003 }).accuracy.sigmaPassM).toBe(0.003);
    const apart = scanPasses([
      { window: [0, 2, 0, 4], dz: 0.01, t0: 1000 },
      { window: [2.5, 4.5, 0, 4], dz: -0.01, t0: 1100 },
    ], 4000, 5);
    const b = estimateRelativeAccuracy(apart, all(apart)).accuracy;
    expect(b.source).toBe('a-priori');
    expect(b.passes).toBe(2);
    expect(b.sigmaPassM).toBe(0.005);
  });
  it('ignores cells that are not one level surface (a kerb step, a wall foot)', () => {
    // Both passes see a 12 cm kerb step along x = 2.25 (inside a cell): those cells must not count, and the
    // offset still comes out from the level cells.
    const p = scanPasses([
      { window: [0, 5, 0, 5], dz: 0.005, t0: 1000 },
      { window: [0, 5, 0, 5], dz: -0.005, t0: 1100 },
    ], 8000, 6);
    for (let i = 0; i < p.z.length; i++) if (p.x[i]! - E0 > 2.25) p.z[i] = p.z[i]! + 0.12;
    const { accuracy } = estimateRelativeAccuracy(p, all(p));
    expect(accuracy.source).toBe('passes');
    expect(accuracy.offsetM!).toBeCloseTo(0.01, 3);
  });
});

describe('pass shares and systematic terms', () => {
  it('plane hat weights sum to 1 and give the least-squares plane value (independent normal-equation solve)', () => {
    const rnd = createPrng(7);
    const n = 12;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = E0 + 0.3 * rnd();
      y[i] = N0 + 0.2 * rnd();
      z[i] = 35 + 0.1 * rnd();
    }
    const at: [number, number] = [E0 + 0.45, N0 + 0.05];
    const idx = all({ x, y, z });
    const h = planeHatWeights({ x, y, z }, idx, at);
    expect(h.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // Normal equations for z = a + b u + c v with u, v relative to `at`: the value at `at` is a.
    const A = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const r = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const row = [1, x[i]! - at[0], y[i]! - at[1]];
      for (let a = 0; a < 3; a++) {
        r[a]! += row[a]! * z[i]!;
        for (let b = 0; b < 3; b++) A[a]![b]! += row[a]! * row[b]!;
      }
    }
    // Cramer's rule for a.
    const det3 = (m: number[][]): number =>
      m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
      m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
      m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
    const Aa = A.map((row, k) => [r[k]!, row[1]!, row[2]!]);
    const want = det3(Aa) / det3(A);
    const got = h.reduce((s, w, k) => s + w * z[idx[k]!]!, 0);
    expect(got).toBeCloseTo(want, 9);
    // Extrapolated (the spot outside the points): some weights are negative, a pass's sum may exceed 1.
    expect(Math.min(...h)).toBeLessThan(0);
  });
  it('systematic sigma of a value and of a difference', () => {
    const one = [{ key: 1, weight: 1 }];
    const half = [
      { key: 1, weight: 0.5 },
      { key: 2, weight: 0.5 },
    ];
    expect(systematicSigma(0.004, one)).toBeCloseTo(0.004, 12);
    expect(systematicSigma(0.004, half)).toBeCloseTo(0.004 / Math.SQRT2, 12);
    expect(systematicSigma(0.004, [])).toBe(0.004);
    expect(differenceSystematicSigma(0.004, half, half, 'pass-id')).toBe(0);
    expect(differenceSystematicSigma(0.004, one, [{ key: 2, weight: 1 }], 'pass-id')).toBeCloseTo(0.004 * Math.SQRT2, 12);
    // Keys of GPS-time passes match within 10 s.
    expect(differenceSystematicSigma(0.004, [{ key: 1000, weight: 1 }], [{ key: 1004, weight: 1 }], 'gps-time')).toBe(0);
    // An unknown mix: the conservative bound sqrt(sum w² + 1).
    expect(differenceSystematicSigma(0.004, half, [], 'pass-id')).toBeCloseTo(0.004 * Math.sqrt(1.5), 12);
  });
});

describe('spotHeight with two misaligned passes (known dz = 10 mm)', () => {
  // Pass 1 (+5 mm) covers x 0..5 m, pass 2 (-5 mm) covers x 2.5..5 m: x < 2.5 is seen by pass 1 only; the
  // truth (the passes' mean) lies between them, as the sample drive's.
  const dz = 0.01;
  const p = scanPasses([
    { window: [0, 5, 0, 5], dz: dz / 2, t0: 1000 },
    { window: [2.5, 5, 0, 5], dz: -dz / 2, t0: 1080 },
  ], 20000, 8);
  const pts: MeasurePoints = { x: p.x, y: p.y, z: p.z, gpsTime: p.gpsTime };

  it('a spot seen by one pass: systematic |d|/sqrt(2), covering its d/2 error', () => {
    const at: [number, number] = [E0 + 1.2, N0 + 2.5];
    const s = spotHeight(pts, at, 0.1);
    expect(s.relativeAccuracy.source).toBe('passes');
    expect(s.relativeAccuracy.offsetM!).toBeCloseTo(dz, 3);
    expect(s.passMix.length).toBe(1);
    const sys = Math.sqrt(s.sigmaDriveM ** 2 - s.sigmaFitM ** 2);
    expect(sys).toBeGreaterThan(dz / Math.SQRT2 - 0.001);
    expect(sys).toBeLessThan(dz / Math.SQRT2 + 0.001);
    const err = s.nhn - surfaceZ(at[0], at[1]);
    expect(err).toBeCloseTo(dz / 2, 2);
    expect(Math.abs(err)).toBeLessThan(2.5 * s.sigmaM);
    expect(s.sigmaM).toBe(s.sigmaDriveM);
  });
  it('a spot seen by both passes alike: systematic near |d|/2; the difference to a one-pass spot carries the mix difference', () => {
    const both = spotHeight(pts, [E0 + 3.7, N0 + 2.5], 0.1);
    expect(both.passMix.length).toBe(2);
    const sys = Math.sqrt(both.sigmaDriveM ** 2 - both.sigmaFitM ** 2);
    expect(sys).toBeGreaterThan(dz / 2 - 0.0015);
    expect(sys).toBeLessThan(dz / 2 + 0.002);
    expect(Math.abs(both.nhn - surfaceZ(E0 + 3.7, N0 + 2.5))).toBeLessThan(2.5 * both.sigmaM);
    const one = spotHeight(pts, [E0 + 1.2, N0 + 2.5], 0.1);
    const oneB = spotHeight(pts, [E0 + 1.0, N0 + 1.5], 0.1);
    // Both one-pass spots from the same pass: the pass offset cancels in their difference.
    expect(spotDifferenceSigma(one, oneB)).toBeCloseTo(Math.hypot(one.sigmaFitM, oneB.sigmaFitM), 12);
    // One-pass against a two-pass spot: weights (1, 0) - (w, 1 - w).
    const w = both.passMix.find((m) => Math.abs(m.key - one.passMix[0]!.key) <= 10)!.weight;
    const want = Math.hypot(one.sigmaFitM, both.sigmaFitM, Math.max(one.relativeAccuracy.sigmaPassM, both.relativeAccuracy.sigmaPassM) * Math.hypot(1 - w, 1 - w));
    expect(spotDifferenceSigma(one, both)).toBeCloseTo(want, 12);
  });
  it('the stated absolute accuracy raises sigmaM (absolute) and not the within-drive or the relative sigma', () => {
    const at: [number, number] = [E0 + 1.2, N0 + 2.5];
    const other: [number, number] = [E0 + 3.7, N0 + 2.5];
    const plain = spotHeight(pts, at, 0.1);
    const withAcc = spotHeight(pts, at, 0.1, { accuracyM: 0.03 });
    expect(withAcc.nhn).toBe(plain.nhn);
    expect(withAcc.accuracyM).toBe(0.03);
    expect(withAcc.sigmaDriveM).toBe(plain.sigmaDriveM);
    expect(withAcc.sigmaM).toBeCloseTo(Math.hypot(plain.sigmaDriveM, 0.03), 12);
    expect(withAcc.sigmaM).toBeGreaterThan(0.03);
    expect(spotDifferenceSigma(withAcc, spotHeight(pts, other, 0.1, { accuracyM: 0.03 }))).toBe(spotDifferenceSigma(plain, spotHeight(pts, other, 0.1)));
    expect(() => spotHeight(pts, at, 0.1, { accuracyM: -0.01 })).toThrow(/Invalid accuracy/);
    expect(() => checkAccuracy(Number.NaN)).toThrow(/Invalid accuracy \(core\/measure\/uncertainty\.ts\): NaN/);
  });
  it('without passes or GPS time: the a-priori relative accuracy, named as such', () => {
    const s = spotHeight({ x: p.x, y: p.y, z: p.z }, [E0 + 1.2, N0 + 2.5], 0.1, { relativeAccuracyM: 0.004 });
    expect(s.relativeAccuracy.source).toBe('a-priori');
    expect(s.sigmaDriveM).toBeCloseTo(Math.hypot(s.sigmaFitM, 0.004), 12);
    expect(passMix(estimateRelativeAccuracy({ x: p.x, y: p.y, z: p.z }, [0, 1, 2]), [0, 1, 2, 99999])).toEqual([{ key: 0, weight: 1 }]);
  });
});

describe('measureBuildingHeight uncertainty', () => {
  const b = makeBuilding({ roof: 'gable', seed: 11, chimney: false, classified: false });
  it('the stated accuracy raises sigmaNhnM and not sigmaM (mean-terrain); with an nhn reference sigmaM is sigmaNhnM', () => {
    const plain = measureBuildingHeight(b.points, b.footprint, { bufferM: 1.0 });
    const acc = measureBuildingHeight(b.points, b.footprint, { bufferM: 1.0, accuracyM: 0.04 });
    expect(acc.ridgeNhn).toBe(plain.ridgeNhn);
    expect(plain.uncertainty.accuracyM).toBeUndefined();
    expect(plain.sigmaNhnM).toBe(plain.uncertainty.driveNhnM);
    expect(acc.sigmaM).toBe(plain.sigmaM);
    expect(acc.sigmaNhnM).toBeCloseTo(Math.hypot(plain.sigmaNhnM, 0.04), 12);
    expect(acc.eaves.map((e) => e.sigmaM)).toEqual(plain.eaves.map((e) => e.sigmaM));
    // The analytic building has no GPS time or pass ids: the a-priori relative accuracy.
    expect(plain.uncertainty.relativeAccuracy.source).toBe('a-priori');
    expect(plain.uncertainty.systematicNhnM).toBeGreaterThan(0);
    // Applying the accuracy afterwards (the CLI's way) gives the same result.
    expect(applyBuildingAccuracy(plain, 0.04).sigmaNhnM).toBe(acc.sigmaNhnM);
    expect(applyBuildingAccuracy(plain, 0.04).sigmaM).toBe(acc.sigmaM);
    const nhn = measureBuildingHeight(b.points, b.footprint, { bufferM: 1.0, reference: { kind: 'nhn', nhn: 30 }, accuracyM: 0.04 });
    expect(nhn.sigmaM).toBe(nhn.sigmaNhnM);
    expect(nhn.sigmaM).toBeGreaterThan(0.04);
    expect(() => applyBuildingAccuracy(plain, -1)).toThrow(/Invalid accuracy/);
  });
});
