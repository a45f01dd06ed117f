/**
 * Synthetic chunks encoded by encodeChunk and decoded by laz-perf 0.0.7's ChunkDecoder (the reference decoder):
 * PDRF 6/7/8 with 0/1/5 extra bytes, 1…5000 points, every return combination, scanner channel changes, GPS
 * jumps and NaN payloads, extreme coordinates. Plus the exact chunk vectors I-L of LAZ-FORMAT.md Appendix A
 * (made by laz-perf's C++ encoder) and the layer-isolation table of §10.4.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPrng } from '../../../core/geometry/prng.ts';
import { encodeChunk } from '../../../core/laz/chunk-encoder.ts';
import type { LazLayout } from '../../../core/laz/laz-layout.ts';
import { decodeChunkWithLazPerf, loadLazPerf } from './laz-test-support.ts';

type LazPerf = Awaited<ReturnType<typeof loadLazPerf>>;

const BASE = { 6: 30, 7: 36, 8: 38 } as const;
const LAYER_NAMES = ['xy', 'z', 'class', 'flags', 'intensity', 'scanAngle', 'userData', 'pointSource', 'gps'];

/** Seeded PRNG returning u32: core/geometry's mulberry32 scaled back to its 32-bit output (exact in float64). */
function prng(seed: number): () => number {
  const next = createPrng(seed);
  return () => next() * 4294967296;
}

/** Fields of one synthetic point; gps is given as its 64-bit pattern (hi, lo) so NaN payloads survive. */
interface Fields {
  x: number; y: number; z: number; intensity: number; r: number; n: number; classFlags: number; channel: number;
  scanDir: number; eof: number; cls: number; ud: number; sa: number; psid: number; gpsHi: number; gpsLo: number;
  rgb: [number, number, number]; nir: number; extra: number[];
}

function gpsPattern(value: number): { gpsHi: number; gpsLo: number } {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, value, true);
  return { gpsHi: v.getInt32(4, true), gpsLo: v.getUint32(0, true) };
}

function basePoint(extraBytes: number): Fields {
  return {
    x: 1000, y: 2000, z: 300, intensity: 100, r: 1, n: 1, classFlags: 0, channel: 0, scanDir: 0, eof: 0, cls: 2, ud: 0,
    sa: 0, psid: 1, ...gpsPattern(1000.5), rgb: [100, 100, 100], nir: 7, extra: Array.from({ length: extraBytes }, (_, i) => 9 - i),
  };
}

function writeRecords(points: Fields[], layout: LazLayout): Uint8Array {
  const length = BASE[layout.pointFormat] + layout.extraBytes;
  const out = new Uint8Array(points.length * length);
  const v = new DataView(out.buffer);
  points.forEach((p, i) => {
    const o = i * length;
    v.setInt32(o, p.x, true);
    v.setInt32(o + 4, p.y, true);
    v.setInt32(o + 8, p.z, true);
    v.setUint16(o + 12, p.intensity, true);
    out[o + 14] = p.r | (p.n << 4);
    out[o + 15] = p.classFlags | (p.channel << 4) | (p.scanDir << 6) | (p.eof << 7);
    out[o + 16] = p.cls;
    out[o + 17] = p.ud;
    v.setInt16(o + 18, p.sa, true);
    v.setUint16(o + 20, p.psid, true);
    v.setUint32(o + 22, p.gpsLo, true);
    v.setInt32(o + 26, p.gpsHi, true);
    if (layout.pointFormat >= 7) p.rgb.forEach((c, k) => v.setUint16(o + 30 + 2 * k, c, true));
    if (layout.pointFormat === 8) v.setUint16(o + 36, p.nir, true);
    out.set(p.extra.slice(0, layout.extraBytes), o + BASE[layout.pointFormat]);
  });
  return out;
}

/** Layer sizes of a chunk, checking the structure: raw point + count + sizes + Σ sizes = chunk length (§10.1). */
function layerSizes(chunk: Uint8Array, layout: LazLayout, count: number): number[] {
  const recordLength = BASE[layout.pointFormat] + layout.extraBytes;
  const layers = 9 + (layout.pointFormat === 7 ? 1 : layout.pointFormat === 8 ? 2 : 0) + layout.extraBytes;
  const v = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  expect(v.getUint32(recordLength, true)).toBe(count);
  const sizes = Array.from({ length: layers }, (_, i) => v.getUint32(recordLength + 4 + 4 * i, true));
  expect(recordLength + 4 + 4 * layers + sizes.reduce((a, b) => a + b, 0)).toBe(chunk.byteLength);
  expect(sizes[0]).toBeGreaterThanOrEqual(4);
  expect(sizes[1]).toBeGreaterThanOrEqual(4);
  return sizes;
}

/** Random but scene-like points: small steps with occasional jumps, every field exercised. */
function randomPoints(count: number, extraBytes: number, seed: number, opts: { channels: 'none' | 'rare' | 'often' | 'cycle' | number }): Fields[] {
  const rand = prng(seed);
  const unit = (): number => rand() / 4294967296;
  const points: Fields[] = [];
  let p = basePoint(extraBytes);
  let gps = 300000 + unit() * 1000;
  let gpsStep = 1e-5;
  const chooseChannel = (i: number, ch: number): number => {
    const mode = opts.channels;
    if (typeof mode === 'number') return mode;
    if (mode === 'none') return 0;
    if (mode === 'cycle') return i & 3;
    if (mode === 'rare') return unit() < 0.02 ? rand() & 3 : ch;
    return unit() < 0.4 ? rand() & 3 : ch;
  };
  for (let i = 0; i < count; i++) {
    const q: Fields = { ...p, rgb: [...p.rgb], extra: [...p.extra] };
    const jump = unit() < 0.01;
    q.x = jump ? rand() | 0 : (p.x + ((rand() % 201) - 100)) | 0;
    q.y = jump ? rand() | 0 : (p.y + ((rand() % 201) - 100)) | 0;
    q.z = unit() < 0.01 ? rand() | 0 : (p.z + ((rand() % 41) - 20)) | 0;
    q.intensity = unit() < 0.5 ? rand() & 0xffff : p.intensity;
    if (unit() < 0.3) {
      q.n = rand() & 15;
      q.r = rand() & 15;
    } else if (unit() < 0.5) {
      q.r = (p.r + 1) & 15;
    }
    q.classFlags = unit() < 0.1 ? rand() & 15 : p.classFlags;
    q.channel = chooseChannel(i, p.channel);
    q.scanDir = unit() < 0.1 ? rand() & 1 : p.scanDir;
    q.eof = unit() < 0.05 ? rand() & 1 : p.eof;
    q.cls = unit() < 0.2 ? rand() & 255 : p.cls;
    q.ud = unit() < 0.1 ? rand() & 255 : p.ud;
    q.sa = unit() < 0.2 ? ((rand() & 0xffff) << 16) >> 16 : p.sa;
    q.psid = unit() < 0.05 ? rand() & 0xffff : p.psid;
    const g = unit();
    if (g < 0.02) gps += (unit() - 0.5) * 1e7; // jump: a new GPS sequence
    else if (g < 0.05) gpsStep = unit() * 1e-3;
    if (g < 0.8) gps += gpsStep * (unit() < 0.1 ? Math.floor(unit() * 600) - 20 : 1);
    Object.assign(q, gpsPattern(gps));
    if (unit() < 0.5) {
      const grey = unit() < 0.3;
      const c = rand() & 0xffff;
      q.rgb = grey ? [c, c, c] : [rand() & 0xffff, unit() < 0.5 ? rand() & 0xffff : (c & 0xff00) | (rand() & 255), c];
    }
    if (unit() < 0.3) q.nir = unit() < 0.5 ? rand() & 0xffff : (p.nir + 1) & 0xffff;
    q.extra = q.extra.map((b, k) => (unit() < 0.3 + 0.1 * k ? rand() & 255 : b));
    points.push(q);
    p = q;
  }
  return points;
}

function hexBytes(text: string): Uint8Array {
  return Uint8Array.from(text.trim().split(/\s+/), (h) => parseInt(h, 16));
}

describe('encodeChunk output decodes with laz-perf ChunkDecoder to the same records', () => {
  let lp: LazPerf;
  beforeAll(async () => {
    lp = await loadLazPerf();
  });

  const roundTrip = (points: Fields[], layout: LazLayout): { chunk: Uint8Array; sizes: number[] } => {
    const records = writeRecords(points, layout);
    const chunk = encodeChunk(records, points.length, layout);
    const sizes = layerSizes(chunk, layout, points.length);
    const recordLength = BASE[layout.pointFormat] + layout.extraBytes;
    const decoded = decodeChunkWithLazPerf(lp, chunk, layout.pointFormat, recordLength, points.length);
    for (let i = 0; i < points.length; i++) {
      const a = decoded.subarray(i * recordLength, (i + 1) * recordLength);
      const b = records.subarray(i * recordLength, (i + 1) * recordLength);
      if (!a.every((x, k) => x === b[k])) throw new Error(`record ${i} of ${points.length} differs after decoding`);
    }
    return { chunk, sizes };
  };

  const formats = [6, 7, 8] as const;
  const extras = [0, 1, 5];
  const counts = [1, 2, 3, 50, 1000, 5000];
  const channelModes = ['none', 'rare', 'often', 'cycle', 3] as const;
  let seed = 1;
  for (const pointFormat of formats) {
    for (const extraBytes of extras) {
      for (const count of counts) {
        const mode = channelModes[(seed + count) % channelModes.length]!;
        const s = seed++;
        it(`PDRF ${pointFormat} + ${extraBytes} EB, ${count} points, channels ${mode}`, () => {
          roundTrip(randomPoints(count, extraBytes, s, { channels: mode }), { pointFormat, extraBytes });
        });
      }
    }
  }

  it('all 256 (return number, number of returns) combinations, with and without GPS change', () => {
    const points: Fields[] = [];
    let gps = 5000;
    for (let k = 0; k < 3; k++) {
      for (let n = 0; n < 16; n++) {
        for (let r = 0; r < 16; r++) {
          if ((r + n + k) % 2 === 0) gps += 0.25;
          points.push({ ...basePoint(1), r, n, x: r * 7 + k, y: n * 3, ...gpsPattern(gps), channel: (r * n + k) % 4 === 0 ? 1 : 0 });
        }
      }
    }
    roundTrip(points, { pointFormat: 8, extraBytes: 1 });
  });

  it('constant scanner channels 1, 2 and 3 (first point in that context, the rest in context 0)', () => {
    for (const channel of [1, 2, 3]) {
      roundTrip(randomPoints(300, 2, 100 + channel, { channels: channel }), { pointFormat: 7, extraBytes: 2 });
    }
  });

  it('GPS bit patterns: NaN payloads, ±Infinity, denormals, patterns near 0 and 2^31, huge jumps', () => {
    const patterns: [number, number][] = [
      [0x7ff80000, 0], [-1, 0xffffffe3], [0x7ff00000, 1], [0xfff00000 | 0, 0], [0x7ff00000, 0],
      [0, 1], [0, 0x7fffffff], [0, 0x80000000], [1, 0], [-2147483648, 0], [-2147483648, 5], [0x7fffffff, 0xffffffff],
      [0, 0], [0, 0], [0x41000000, 0], [0x41000000, 100], [0x41000000, 300], [0x41000000, 500], [0x41000000, 400],
      [0x41000000, 0x80000000], [0x41000001, 0], [-1, 0xffffffe3], [-1, 0xffffffe3], [0x7ff12345, 0x6789abcd],
      [-65536, 7], [0, 3], [0x41000000, 700],
    ];
    const points: Fields[] = [];
    for (let rep = 0; rep < 4; rep++) {
      patterns.forEach(([hi, lo], i) => {
        points.push({ ...basePoint(0), x: i + rep, gpsHi: hi | 0, gpsLo: lo >>> 0, channel: (i * rep) % 7 === 3 ? 2 : 0 });
      });
    }
    const values = [-1e300, 1e300, 5e-324, -5e-324, 2 ** 31, -(2 ** 31), 1, -1, 0.5];
    for (const v of values) points.push({ ...basePoint(0), ...gpsPattern(v) });
    roundTrip(points, { pointFormat: 6, extraBytes: 0 });
  });

  it('GPS multipliers: 0, 1, 2…9, 10…499, ≥ 500, −1…−9, ≤ −10, interleaved sequences', () => {
    const points: Fields[] = [];
    const multipliers = [1, 1, 1, 0, 2, 3, 9, 10, 77, 499, 500, 5000, -1, -5, -9, -10, -300, 1, 0, 0, 0, 0, 1, 1];
    const seqs = [1e5, 3e8, -2e9, 7e3];
    let t = 1e5;
    const step = 1e-6;
    for (let rep = 0; rep < 5; rep++) {
      for (const m of multipliers) {
        t += m * step;
        points.push({ ...basePoint(0), ...gpsPattern(t) });
      }
      for (let k = 0; k < 12; k++) points.push({ ...basePoint(0), ...gpsPattern(seqs[k % 4]! + k * 1e-4) });
    }
    roundTrip(points, { pointFormat: 6, extraBytes: 0 });
  });

  it('coordinates and 16-bit fields at their extremes', () => {
    const points: Fields[] = [];
    const ints = [-2147483648, 2147483647, 0, -1, 1, -2147483648, -2147483648, 2147483647];
    for (let i = 0; i < 64; i++) {
      points.push({
        ...basePoint(5), x: ints[i % 8]!, y: ints[(i * 3) % 8]!, z: ints[(i * 5) % 8]!, intensity: i % 2 ? 65535 : 0,
        sa: i % 3 ? 32767 : -32768, psid: i % 4 ? 65535 : 0, cls: (i * 37) & 255, ud: (i * 91) & 255,
        rgb: [i % 2 ? 65535 : 0, i % 3 ? 0 : 65535, 256], nir: i % 2 ? 65535 : 0, extra: [0, 255, i, 255 - i, 128],
      });
    }
    roundTrip(points, { pointFormat: 8, extraBytes: 5 });
  });

  it('switching back to already used channels with RGB, NIR and extra bytes (§7.1 prediction rule)', () => {
    const points: Fields[] = [];
    const channels = [0, 1, 1, 0, 2, 2, 1, 3, 3, 3, 0, 0, 2, 1, 0];
    for (let rep = 0; rep < 10; rep++) {
      channels.forEach((channel, i) => {
        const v = (rep * 131 + i * 17) & 0xffff;
        points.push({ ...basePoint(3), x: i, channel, rgb: [v, v ^ 0x1234, v + 7], nir: v ^ 0xff, extra: [v & 255, i, rep] });
      });
    }
    roundTrip(points, { pointFormat: 8, extraBytes: 3 });
  });

  it('a chunk of 50 000 points (model count halving, long runs)', () => {
    roundTrip(randomPoints(50000, 1, 777, { channels: 'rare' }), { pointFormat: 7, extraBytes: 1 });
  });

  it('GPS −0.0 after +0.0 is not a change (float comparison, as the references): the decoder repeats +0.0', () => {
    const layout: LazLayout = { pointFormat: 6, extraBytes: 0 };
    const points = [{ ...basePoint(0), ...gpsPattern(0) }, { ...basePoint(0), ...gpsPattern(-0) }];
    const records = writeRecords(points, layout);
    const decoded = decodeChunkWithLazPerf(lp, encodeChunk(records, 2, layout), 6, 30, 2);
    expect(Object.is(new DataView(decoded.buffer).getFloat64(30 + 22, true), 0)).toBe(true);
  });

  describe('exact bytes of LAZ-FORMAT.md Appendix A (laz-perf C++ encoder)', () => {
    const P0 = basePoint(2);
    P0.extra = [9, 8];
    it('I: one PDRF 6 point', () => {
      const records = writeRecords([P0], { pointFormat: 6, extraBytes: 0 });
      expect(encodeChunk(records, 1, { pointFormat: 6, extraBytes: 0 })).toEqual(hexBytes(`
        e8 03 00 00 d0 07 00 00 2c 01 00 00 64 00 11 00 02 00 00 00 01 00 00 00 00 00 00 44 8f 40 01 00 00 00 04 00 00
        00 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00
        01 00 00 00`));
    });
    it('J: three PDRF 6 points, a channel switch', () => {
      const P1 = { ...P0, x: 1010, y: 1995, z: 301, intensity: 120, ...gpsPattern(1000.50001) };
      const P2 = { ...P0, x: 1020, y: 1990, z: 302, intensity: 90, r: 2, n: 2, cls: 5, ...gpsPattern(1000.50002), channel: 1 };
      const layout: LazLayout = { pointFormat: 6, extraBytes: 0 };
      expect(encodeChunk(writeRecords([P0, P1, P2], layout), 3, layout)).toEqual(hexBytes(`
        e8 03 00 00 d0 07 00 00 2c 01 00 00 64 00 11 00 02 00 00 00 01 00 00 00 00 00 00 44 8f 40 03 00 00 00 0a 00 00
        00 05 00 00 00 06 00 00 00 00 00 00 00 06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0c 00 00 00 20 46 bd 87
        7f c7 b2 00 00 00 03 ef 00 00 00 02 04 ff 00 00 00 54 5e b7 00 00 00 2a e6 c5 9d 99 36 36 75 1a 00 00 00`));
    });
    it('K: PDRF 7 + 2 extra bytes', () => {
      const K1 = { ...P0, x: 1010, rgb: [300, 301, 299] as [number, number, number], extra: [9, 10] };
      const K2 = { ...P0, x: 1020, rgb: [65535, 0, 256] as [number, number, number], extra: [200, 8], channel: 2 };
      const layout: LazLayout = { pointFormat: 7, extraBytes: 2 };
      expect(encodeChunk(writeRecords([P0, K1, K2], layout), 3, layout)).toEqual(hexBytes(`
        e8 03 00 00 d0 07 00 00 2c 01 00 00 64 00 11 00 02 00 00 00 01 00 00 00 00 00 00 44 8f 40 64 00 64 00 64 00 09
        08 03 00 00 00 09 00 00 00 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        00 00 00 00 10 00 00 00 06 00 00 00 06 00 00 00 00 46 b6 60 59 2a 00 00 00 00 01 00 00 00 ff 8f 83 03 fc 00 01
        7f 4f f8 06 08 05 00 00 00 00 bf 00 00 00 00 02 fd ff 00 00 00`));
    });
    it('L: PDRF 8, NIR and flags', () => {
      const L1 = { ...P0, nir: 0x1234, rgb: [7, 7, 7] as [number, number, number], sa: -5, psid: 9, ud: 77, classFlags: 3, scanDir: 1, eof: 1 };
      const layout: LazLayout = { pointFormat: 8, extraBytes: 0 };
      expect(encodeChunk(writeRecords([P0, L1], layout), 2, layout)).toEqual(hexBytes(`
        e8 03 00 00 d0 07 00 00 2c 01 00 00 64 00 11 00 02 00 00 00 01 00 00 00 00 00 00 44 8f 40 64 00 64 00 64 00 07
        00 02 00 00 00 06 00 00 00 04 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 04 00 00 00 05 00 00 00 04 00 00 00
        00 00 00 00 05 00 00 00 06 00 00 00 4f ff d9 00 00 00 01 00 00 00 cc 00 00 00 31 6f 00 00 4d 00 00 00 00 3a d9
        00 00 2b 46 19 00 00 cb 44 21 00 00 00`));
    });
  });

  describe('layer isolation (LAZ-FORMAT.md §10.4): only the varying field’s layer is emitted', () => {
    const vary = (name: string, layout: LazLayout, change: (p: Fields, i: number) => void, expected: string[]): void => {
      it(name, () => {
        const points = Array.from({ length: 50 }, (_, i) => {
          const p = basePoint(layout.extraBytes);
          change(p, i);
          return p;
        });
        const { sizes } = roundTrip(points, layout);
        const names = [...LAYER_NAMES];
        if (layout.pointFormat >= 7) names.push('rgb');
        if (layout.pointFormat === 8) names.push('nir');
        for (let k = 0; k < layout.extraBytes; k++) names.push(`byte${k}`);
        expect(names.filter((_, k) => sizes[k]! > 0)).toEqual(['xy', 'z', ...expected]);
      });
    };
    vary('nothing varies', { pointFormat: 6, extraBytes: 0 }, () => {}, []);
    vary('classification', { pointFormat: 6, extraBytes: 0 }, (p, i) => { p.cls = i % 7; }, ['class']);
    vary('flags', { pointFormat: 6, extraBytes: 0 }, (p, i) => { p.classFlags = i % 16; p.eof = i % 2; }, ['flags']);
    vary('intensity', { pointFormat: 6, extraBytes: 0 }, (p, i) => { p.intensity = i * 100; }, ['intensity']);
    vary('scan angle', { pointFormat: 6, extraBytes: 0 }, (p, i) => { p.sa = -i * 3; }, ['scanAngle']);
    vary('user data', { pointFormat: 6, extraBytes: 0 }, (p, i) => { p.ud = i; }, ['userData']);
    vary('point source', { pointFormat: 6, extraBytes: 0 }, (p, i) => { p.psid = i % 5; }, ['pointSource']);
    vary('GPS time', { pointFormat: 6, extraBytes: 0 }, (p, i) => Object.assign(p, gpsPattern(1000 + i * 1e-5)), ['gps']);
    vary('grey RGB', { pointFormat: 7, extraBytes: 0 }, (p, i) => { p.rgb = [i * 300, i * 300, i * 300]; }, ['rgb']);
    vary('identical non-grey RGB', { pointFormat: 7, extraBytes: 0 }, (p) => { p.rgb = [1, 2, 3]; }, ['rgb']);
    vary('NIR', { pointFormat: 8, extraBytes: 0 }, (p, i) => { p.nir = i * 1000; }, ['nir']);
    vary('one extra byte', { pointFormat: 6, extraBytes: 5 }, (p, i) => { p.extra[3] = i; }, ['byte3']);
  });

  describe('layers are independent streams (what LASzip selective decompression relies on, §9 item 15)', () => {
    // Layer i of chunk B spliced into chunk A: B differs from A only in the field(s) of layer i, by a bijection
    // that keeps the first point and every "changed" pattern, so every other layer of A and B is identical.
    const layout: LazLayout = { pointFormat: 8, extraBytes: 2 };
    const recordLength = 40;
    // [layer index, byte offset, width, bit mask of the field within those bytes]
    const fields: [string, number, number, number, bigint][] = [
      ['z', 1, 8, 4, 0xffffffffn],
      ['class', 2, 16, 1, 0xffn],
      ['flags', 3, 15, 1, 0xcfn],
      ['intensity', 4, 12, 2, 0xffffn],
      ['scanAngle', 5, 18, 2, 0xffffn],
      ['userData', 6, 17, 1, 0xffn],
      ['pointSource', 7, 20, 2, 0xffffn],
      ['gps', 8, 22, 8, 0xffffffffffffffffn],
      ['rgb', 9, 30, 6, 0xffffffffffffn],
      ['nir', 10, 36, 2, 0xffffn],
      ['byte0', 11, 38, 1, 0xffn],
      ['byte1', 12, 39, 1, 0xffn],
    ].map(([name, layer, offset, width, mask]) => [name as string, layer as number, offset as number, width as number, mask as bigint]);

    const readField = (rec: Uint8Array, o: number, width: number, mask: bigint): bigint => {
      let v = 0n;
      for (let k = width - 1; k >= 0; k--) v = (v << 8n) | BigInt(rec[o + k]!);
      return v & mask;
    };
    const writeField = (rec: Uint8Array, o: number, width: number, mask: bigint, value: bigint): void => {
      let keep = 0n;
      for (let k = width - 1; k >= 0; k--) keep = (keep << 8n) | BigInt(rec[o + k]!);
      let v = (keep & ~mask) | (value & mask);
      for (let k = 0; k < width; k++) {
        rec[o + k] = Number(v & 0xffn);
        v >>= 8n;
      }
    };
    const spliceLayer = (a: Uint8Array, b: Uint8Array, layer: number, layers: number): Uint8Array => {
      const sizesOf = (c: Uint8Array): number[] => Array.from({ length: layers }, (_, i) => new DataView(c.buffer, c.byteOffset).getUint32(recordLength + 4 + 4 * i, true));
      const sa = sizesOf(a);
      const sb = sizesOf(b);
      const start = (sizes: number[], i: number): number => recordLength + 4 + 4 * layers + sizes.slice(0, i).reduce((x, y) => x + y, 0);
      const sizes = sa.map((n, i) => (i === layer ? sb[i]! : n));
      const out = new Uint8Array(recordLength + 4 + 4 * layers + sizes.reduce((x, y) => x + y, 0));
      const v = new DataView(out.buffer);
      out.set(a.subarray(0, recordLength + 4));
      sizes.forEach((n, i) => v.setUint32(recordLength + 4 + 4 * i, n, true));
      let pos = recordLength + 4 + 4 * layers;
      for (let i = 0; i < layers; i++) {
        const src = i === layer ? b : a;
        const from = start(i === layer ? sb : sa, i);
        out.set(src.subarray(from, from + sizes[i]!), pos);
        pos += sizes[i]!;
      }
      return out;
    };

    for (const [name, layer, offset, width, mask] of fields) {
      it(`${name}: A's chunk with B's ${name} layer decodes to A with B's ${name}`, () => {
        const count = 800;
        const a = writeRecords(randomPoints(count, 2, 4000 + layer, { channels: 'rare' }), layout);
        const b = a.slice();
        const v0 = readField(a, offset, width, mask);
        const key = 0x5a5a5a5a5a5a5a5an & mask;
        for (let i = 1; i < count; i++) {
          const v = readField(a, i * recordLength + offset, width, mask);
          // A bijection fixing v0 and v0 ^ key: keeps the first point and the pattern of changes.
          const w = v === v0 || v === (v0 ^ key) ? v : v ^ key;
          writeField(b, i * recordLength + offset, width, mask, w);
        }
        const chunkA = encodeChunk(a, count, layout);
        const chunkB = encodeChunk(b, count, layout);
        const layers = 9 + 2 + 2;
        const sizesA = layerSizes(chunkA, layout, count);
        const sizesB = layerSizes(chunkB, layout, count);
        expect(sizesB.map((n, i) => (i === layer ? 0 : n))).toEqual(sizesA.map((n, i) => (i === layer ? 0 : n)));
        expect(b).not.toEqual(a);
        const spliced = spliceLayer(chunkA, chunkB, layer, layers);
        const decoded = decodeChunkWithLazPerf(lp, spliced, 8, recordLength, count);
        expect(decoded).toEqual(b);
      });
    }
  });

  it('sizes of identical-point chunks match laz-perf’s encoder (N = 1, 2, 1000: XY 4/6/195, Z 4/4/40)', () => {
    const layout: LazLayout = { pointFormat: 6, extraBytes: 0 };
    const expected = [[1, 4, 4], [2, 6, 4], [1000, 195, 40]] as const;
    for (const [n, xy, z] of expected) {
      const sizes = layerSizes(encodeChunk(writeRecords(Array.from({ length: n }, () => basePoint(0)), layout), n, layout), layout, n);
      expect(sizes.slice(0, 2)).toEqual([xy, z]);
    }
  });

  it('rejects a count that does not fit the buffer, and unsupported layouts', () => {
    expect(() => encodeChunk(new Uint8Array(59), 2, { pointFormat: 6, extraBytes: 0 })).toThrow(/Invalid LAZ chunk records/);
    expect(() => encodeChunk(new Uint8Array(30), 0, { pointFormat: 6, extraBytes: 0 })).toThrow(/Invalid LAZ chunk point count/);
    expect(() => encodeChunk(new Uint8Array(30), 1, { pointFormat: 3 as 6, extraBytes: 0 })).toThrow(/Invalid LAZ layout/);
  });
});
