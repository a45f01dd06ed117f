import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoxelKey } from '../../core/copc/key.ts';
import { getDefaultLazPerf } from '../../core/las/laz.ts';
import { createWorkerPool, type WorkerPool } from '../../workers/client.ts';
import type { DecodeNodeInput, LazPerfSource } from '../../workers/decode-api.ts';
import { computeChangeDistances } from '../../workers/change-distance.ts';
import { loadNrwNodeFixture, type NrwNodeFixture } from './nrw-node-fixture.ts';

let pool: WorkerPool;
let nrw: NrwNodeFixture;

beforeAll(async () => {
  pool = createWorkerPool({ lazPerf: getDefaultLazPerf as unknown as LazPerfSource });
  nrw = await loadNrwNodeFixture();
});

afterAll(() => pool.dispose());

/** The decode input of a node of the NRW file, times relative to 3e8 s. */
const inputOf = (key: string): Promise<DecodeNodeInput> => nrw.inputOf(key, { gpsTimeOrigin: 3e8 });

describe('worker pool without workers', () => {
  it('runs on the main thread in Node, with the same API', () => {
    expect(pool.mode).toBe('main');
    expect(pool.size).toBe(1);
  });

  it('decodes a COPC node like core/copc: centred float32 positions, LAS integers, 8-bit colour', async () => {
    const input = await inputOf('1-1-0-0');
    const points = await pool.decodeNode(input);
    const truth = await nrw.copc.loadNode('1-1-0-0');
    expect(points.count).toBe(truth.count);
    expect(points.centre).toEqual(input.centre);
    // Note: this tile stores 8-bit colour unscaled in the 16-bit fields (no value above 255), so no shift.
    let max = 0;
    for (let i = 0; i < truth.count; i++) max = Math.max(max, truth.red![i]!, truth.green![i]!, truth.blue![i]!);
    const shift = max > 255 ? 8 : 0;
    expect(points.rgbShift).toBe(shift);
    let worst = 0;
    for (let i = 0; i < truth.count; i += 7) {
      const xs = [truth.x[i]!, truth.y[i]!, truth.z[i]!];
      for (let a = 0; a < 3; a++) {
        expect(points.raw[i * 3 + a]! * points.scale[a]! + points.offset[a]!).toBe(xs[a]);
        worst = Math.max(worst, Math.abs(points.positions[i * 3 + a]! + input.centre[a]! - xs[a]!));
      }
      expect(points.color[i * 3]).toBe(truth.red![i]! >> shift);
      expect(points.color[i * 3 + 2]).toBe(truth.blue![i]! >> shift);
      expect(points.intensity[i]).toBe(truth.intensity![i]);
      expect(points.classification[i]).toBe(truth.classification![i]);
      expect(Math.abs(points.gpsTime![i]! - (truth.gpsTime![i]! - 3e8))).toBeLessThan(1e-3 * Math.max(1, Math.abs(truth.gpsTime![i]! - 3e8)) * 1e-3 + 1e-2);
    }
    // A 500 m node: float32 offsets below 256 m keep 15 µm steps.
    expect(worst).toBeLessThan(5e-5);
    expect(points.decodeMs).toBeGreaterThan(0);
  });

  it('rejects a damaged chunk with an Invalid error', async () => {
    const input = await inputOf('2-1-1-0');
    const compressed = input.compressed.slice();
    for (let i = 100; i < compressed.length - 100; i++) compressed[i] = (i * 31) & 255;
    await expect(pool.decodeNode({ ...input, compressed })).rejects.toThrow(/^Invalid (node|LAZ chunk): .* in 2-1-1-0/);
  });

  it('never starts a task whose signal fired, and drops the result of one aborted while running', async () => {
    const input = await inputOf('0-0-0-0');
    const controller = new AbortController();
    controller.abort();
    await expect(pool.decodeNode(input, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.pending).toBe(0);
    const late = new AbortController();
    const promise = pool.decodeNode(input, { signal: late.signal });
    late.abort();
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.pending).toBe(0);
    // Queued behind a running task, an aborted task leaves the queue at once.
    const first = pool.decodeNode(await inputOf('1-0-0-0'));
    const queued = new AbortController();
    const second = pool.decodeNode(input, { signal: queued.signal });
    const third = pool.decodeNode(input, { signal: queued.signal });
    const before = pool.pending;
    queued.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    await expect(third).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.pending).toBeLessThan(before);
    expect((await first).count).toBe((await nrw.copc.loadHierarchy()).get('1-0-0-0')!.pointCount);
  });
});

describe('change distances', () => {
  it('match a brute-force nearest neighbour on real points (capped at the radius)', async () => {
    const a = await pool.decodeNode(await inputOf('3-2-5-0'));
    const parent = VoxelKey.toString(VoxelKey.findParent('3-2-5-0')!);
    const refs = await Promise.all([parent, '1-0-1-0', '3-3-5-0'].map(async (k) => pool.decodeNode(await inputOf(k))));
    const reference = refs.map((r) => ({ centre: r.centre, positions: r.positions }));
    for (const cap of [0.5, 3]) {
      const distances = await pool.changeDistances({ points: { centre: a.centre, positions: a.positions }, reference, maxDistanceM: cap });
      expect(distances.length).toBe(a.count);
      let capped = 0;
      for (let i = 0; i < a.count; i += 211) {
        const p = [a.positions[i * 3]! + a.centre[0], a.positions[i * 3 + 1]! + a.centre[1], a.positions[i * 3 + 2]! + a.centre[2]];
        let best = Infinity;
        for (const r of refs) {
          for (let j = 0; j < r.count; j++) {
            const ex = r.positions[j * 3]! + r.centre[0] - p[0]!;
            const ey = r.positions[j * 3 + 1]! + r.centre[1] - p[1]!;
            const ez = r.positions[j * 3 + 2]! + r.centre[2] - p[2]!;
            const d2 = ex * ex + ey * ey + ez * ez;
            if (d2 < best) best = d2;
          }
        }
        const expected = Math.min(Math.sqrt(best), cap);
        if (expected === cap) capped++;
        expect(Math.abs(distances[i]! - expected), `point ${i}, cap ${cap}`).toBeLessThan(1e-4);
      }
      if (cap === 0.5) expect(capped).toBeGreaterThan(0);
    }
  });

  it('gives the radius when there is no reference and rejects a bad radius', () => {
    const points = { centre: [0, 0, 0] as const, positions: new Float32Array([1, 2, 3, 4, 5, 6]) };
    expect([...computeChangeDistances({ points, reference: [], maxDistanceM: 2 })]).toEqual([2, 2]);
    expect(() => computeChangeDistances({ points, reference: [], maxDistanceM: 0 })).toThrow(/^Invalid change search radius: 0/);
    const near = computeChangeDistances({ points, reference: [{ centre: [1, 0, 0], positions: new Float32Array([0, 2, 3.5]) }], maxDistanceM: 2 });
    expect(near[0]).toBeCloseTo(0.5, 6);
    expect(near[1]).toBe(2);
  });
});
