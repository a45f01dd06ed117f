import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../../core/crs/LocalFrame.ts';

describe('LocalFrame', () => {
  const origin = [291_500.123, 5_744_500.456, 52.789] as const;
  const frame = new LocalFrame(origin);

  it('keeps 1 mm anywhere within 10 km of an origin at N 5.7e6 through a Float32Array', () => {
    // Deterministic pseudo-random points on a 10 km disc plus the worst-case corners of the 10 km radius.
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const xs: number[] = [];
    const ys: number[] = [];
    const zs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const r = 10_000 * Math.sqrt(rand());
      const a = 2 * Math.PI * rand();
      xs.push(origin[0] + r * Math.cos(a) + rand() * 1e-3);
      ys.push(origin[1] + r * Math.sin(a) + rand() * 1e-3);
      zs.push(origin[2] + 300 * (rand() - 0.5));
    }
    for (const [dx, dy] of [[10_000, 0], [-10_000, 0], [0, 10_000], [0, -9_999.9996], [7071.0678, 7071.0678]]) {
      xs.push(origin[0] + dx!);
      ys.push(origin[1] + dy!);
      zs.push(origin[2]);
    }
    const local = frame.toLocalArray(Float64Array.from(xs), Float64Array.from(ys), Float64Array.from(zs));
    expect(local).toBeInstanceOf(Float32Array);
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const w = frame.toWorld(local.subarray(i * 3, i * 3 + 3));
      worst = Math.max(worst, Math.abs(w[0] - xs[i]!), Math.abs(w[1] - ys[i]!), Math.abs(w[2] - zs[i]!));
    }
    expect(worst).toBeLessThan(1e-3);
    expect(worst).toBeGreaterThan(0); // float32 does round: the test would notice a float64 buffer
  });

  it('without the frame, float32 world northings lose far more than 1 mm', () => {
    const y = 5_744_500.456;
    expect(Math.abs(Math.fround(y) - y)).toBeGreaterThan(0.01);
  });

  it('toLocal/toWorld round-trip in float64 exactly enough', () => {
    const p = [291_987.001, 5_744_001.002, 60.003] as const;
    const back = frame.toWorld(frame.toLocal(p));
    back.forEach((v, i) => expect(v).toBeCloseTo(p[i]!, 9));
  });

  it('rejects non-finite origins and mismatched columns', () => {
    expect(() => new LocalFrame([NaN, 0, 0])).toThrow(/Invalid frame origin/);
    expect(() => frame.toLocalArray([1], [1, 2], [1])).toThrow(/Invalid columns/);
  });
});
