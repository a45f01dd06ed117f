/**
 * decodeLazChunk on synthetic chunks from our encoder (encodeChunk): PDRF 6/7/8 with 0, 1 and 5 extra bytes,
 * 1…4000 points, every (return number, number of returns) pair, scanner-channel switches (also back to used
 * channels), GPS jumps and NaN payloads, full-range coordinates: the decoded records equal the input records
 * (the encoder is lossless except for GPS +0/−0, which the data avoids). Selected fields equal the full decode's;
 * truncated and corrupt chunks throw `Invalid LAZ chunk: …` instead of hanging or decoding garbage silently past
 * a layer.
 */
import { describe, expect, it } from 'vitest';
import { decodeLazChunk, LAZ_FIELDS, type LazChunkColumns } from '../../../core/laz/chunk-decoder.ts';
import { encodeChunk } from '../../../core/laz/chunk-encoder.ts';
import type { LazLayout } from '../../../core/laz/laz-layout.ts';
import { decodePointRecords } from '../../../core/las/point-decoder.ts';
import { decodeChunkWithLazPerf, loadLazPerf } from './laz-test-support.ts';

const BASE = { 6: 30, 7: 36, 8: 38 } as const;
const UNIT = { scale: [1, 1, 1] as [number, number, number], offset: [0, 0, 0] as [number, number, number] };

/** xorshift32, seeded: a u32 per call. */
function randomU32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

type ChannelMode = 'constant0' | 'constant3' | 'cycle' | 'rare';

/**
 * `count` raw records: a drive-like walk with jumps, every return pair in turn, channel per mode, GPS as a rising
 * time with jumps into other sequences, now and then a NaN with a payload, colours/NIR/extra bytes that change
 * sometimes.
 */
function makeRecords(layout: LazLayout, count: number, seed: number, channels: ChannelMode): Uint8Array {
  const rnd = randomU32(seed);
  const chance = (p: number): boolean => rnd() / 4294967296 < p;
  const length = BASE[layout.pointFormat] + layout.extraBytes;
  const out = new Uint8Array(count * length);
  const v = new DataView(out.buffer);
  let x = rnd() | 0, y = rnd() | 0, z = 1000;
  let t = 1e8 + (rnd() % 1000);
  let ch = channels === 'constant3' ? 3 : 0;
  for (let i = 0; i < count; i++) {
    const o = i * length;
    if (i > 0) out.copyWithin(o, o - length, o); // start from the previous record: most fields repeat
    x = chance(0.02) ? rnd() | 0 : (x + (rnd() % 301) - 150) | 0;
    y = chance(0.02) ? rnd() | 0 : (y + (rnd() % 301) - 150) | 0;
    z = chance(0.02) ? rnd() | 0 : (z + (rnd() % 61) - 30) | 0;
    v.setInt32(o, x, true);
    v.setInt32(o + 4, y, true);
    v.setInt32(o + 8, z, true);
    if (chance(0.6)) v.setUint16(o + 12, rnd() & 0xffff, true);
    out[o + 14] = i % 256; // every (r, n) pair, r in the low and n in the high nibble
    if (channels === 'cycle') ch = i & 3;
    else if (channels === 'rare' && chance(0.03)) ch = rnd() & 3;
    const flags = chance(0.1) ? rnd() & 0xcf : out[o + 15]! & 0xcf;
    out[o + 15] = flags | (ch << 4);
    if (chance(0.2)) out[o + 16] = rnd() & 255;
    if (chance(0.1)) out[o + 17] = rnd() & 255;
    if (chance(0.2)) v.setInt16(o + 18, rnd() & 0xffff, true);
    if (chance(0.05)) v.setUint16(o + 20, rnd() & 0xffff, true);
    if (chance(0.02)) {
      v.setUint32(o + 22, rnd(), true);
      v.setUint32(o + 26, 0xfff00000 | rnd(), true); // a NaN with a payload (sign bit set)
    } else {
      if (chance(0.03)) t += (rnd() % 2 ? 1 : -1) * 1e6 * (1 + (rnd() % 50)); // another sequence
      else if (chance(0.8)) t += 1e-5 * (chance(0.1) ? (rnd() % 700) - 50 : 1);
      v.setFloat64(o + 22, t, true);
    }
    if (layout.pointFormat >= 7 && chance(0.4)) {
      const c = rnd() & 0xffff;
      const grey = chance(0.3);
      v.setUint16(o + 30, c, true);
      v.setUint16(o + 32, grey ? c : rnd() & 0xffff, true);
      v.setUint16(o + 34, grey ? c : (c & 0xff00) | (rnd() & 255), true);
    }
    if (layout.pointFormat === 8 && chance(0.3)) v.setUint16(o + 36, rnd() & 0xffff, true);
    for (let k = 0; k < layout.extraBytes; k++) if (chance(0.2 + 0.15 * k)) out[o + BASE[layout.pointFormat] + k] = rnd() & 255;
  }
  return out;
}

function mismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const asBits = (a: ArrayLike<number>): ArrayLike<number> => (a instanceof Float64Array ? new Uint32Array(a.buffer, a.byteOffset, a.length * 2) : a);

/** Every field of the decoded columns equals the raw records (GPS bit for bit, extra bytes raw). */
function expectRecords(cols: LazChunkColumns, records: Uint8Array, layout: LazLayout, where: string): void {
  const length = BASE[layout.pointFormat] + layout.extraBytes;
  const count = records.byteLength / length;
  const want = decodePointRecords({ pointFormat: layout.pointFormat, recordLength: length, count, bytes: records }, UNIT);
  expect(cols.count, where).toBe(count);
  const names = ['x', 'y', 'z', 'returnNumber', 'numberOfReturns', 'scannerChannel', 'classification', 'classificationFlags', 'scanDirectionFlag',
    'edgeOfFlightLine', 'intensity', 'scanAngle', 'userData', 'pointSourceId', 'gpsTime', 'red', 'green', 'blue', 'nir'] as const;
  for (const name of names) {
    const w = want[name];
    if (!w) {
      expect(cols[name], `${where} ${name}`).toBeUndefined();
      continue;
    }
    expect(mismatch(asBits(cols[name]!), asBits(w)), `${where} ${name}`).toBe(-1);
  }
  if (layout.extraBytes > 0) {
    const raw = new Uint8Array(count * layout.extraBytes);
    for (let i = 0; i < count; i++) raw.set(records.subarray(i * length + BASE[layout.pointFormat], (i + 1) * length), i * layout.extraBytes);
    expect(mismatch(cols.extraBytes!, raw), `${where} extra bytes`).toBe(-1);
  }
}

const LAYOUTS: LazLayout[] = [6, 7, 8].flatMap((pointFormat) => [0, 1, 5].map((extraBytes) => ({ pointFormat: pointFormat as 6 | 7 | 8, extraBytes })));

describe('decodeLazChunk round-trips chunks of our encoder', () => {
  for (const layout of LAYOUTS) {
    it(`PDRF ${layout.pointFormat} + ${layout.extraBytes} extra bytes`, () => {
      let seed = 17 + layout.pointFormat * 10 + layout.extraBytes;
      for (const count of [1, 2, 3, 257, 4000]) {
        for (const channels of ['constant0', 'constant3', 'cycle', 'rare'] as const) {
          const records = makeRecords(layout, count, seed++, channels);
          const chunk = encodeChunk(records, count, layout);
          const where = `${count} points, channels ${channels}`;
          const all = decodeLazChunk(chunk, { ...layout, ...UNIT, count });
          expectRecords(all, records, layout, where);
          // Each field alone, and XYZ + classification: the same values as the full decode.
          for (const fields of [...LAZ_FIELDS.map((f) => [f]), ['classification'] as const]) {
            const part = decodeLazChunk(chunk, { ...layout, ...UNIT, count, fields });
            for (const [name, column] of Object.entries(part)) {
              if (typeof column === 'number') continue;
              expect(mismatch(asBits(column as ArrayLike<number>), asBits(all[name as keyof LazChunkColumns] as ArrayLike<number>)), `${where} ${fields} ${name}`).toBe(-1);
            }
          }
        }
      }
    });
  }

  it('agrees with laz-perf on the same synthetic chunks', async () => {
    const lp = await loadLazPerf();
    for (const layout of LAYOUTS) {
      const length = BASE[layout.pointFormat] + layout.extraBytes;
      const records = makeRecords(layout, 1500, 99 + layout.extraBytes, 'rare');
      const chunk = encodeChunk(records, 1500, layout);
      const fromLazPerf = decodeChunkWithLazPerf(lp, chunk, layout.pointFormat, length, 1500);
      expect(mismatch(fromLazPerf, records)).toBe(-1);
      expectRecords(decodeLazChunk(chunk, { ...layout, ...UNIT, count: 1500 }), fromLazPerf, layout, `PDRF ${layout.pointFormat}`);
    }
  });

  it('keeps only the records inside a region, in file order', () => {
    const layout: LazLayout = { pointFormat: 7, extraBytes: 1 };
    const records = makeRecords(layout, 3000, 5, 'rare');
    const chunk = encodeChunk(records, 3000, layout);
    const all = decodeLazChunk(chunk, { ...layout, ...UNIT, count: 3000 });
    const keep = (x: number, z: number): boolean => x % 3 === 0 && z > 0;
    const part = decodeLazChunk(chunk, {
      ...layout, ...UNIT, count: 3000, fields: ['rgb', 'extraBytes'],
      region: { bounds: [-Infinity, -Infinity, Infinity, Infinity], contains: (x, _y, z) => keep(x, z) },
    });
    const rows = [...Array(3000).keys()].filter((i) => keep(all.x[i]!, all.z[i]!));
    expect(rows.length).toBeGreaterThan(100);
    expect(Array.from(part.x)).toEqual(rows.map((i) => all.x[i]));
    expect(Array.from(part.green!)).toEqual(rows.map((i) => all.green![i]));
    expect(Array.from(part.extraBytes!)).toEqual(rows.map((i) => all.extraBytes![i]));
    expect(part.intensity).toBeUndefined();
  });
});

describe('decodeLazChunk on broken chunks', () => {
  const layout: LazLayout = { pointFormat: 8, extraBytes: 2 };
  const count = 800;
  const records = makeRecords(layout, count, 3, 'rare');
  const chunk = encodeChunk(records, count, layout);
  const decode = (bytes: Uint8Array, n = count, fields?: readonly ('classification' | 'gpsTime')[]): LazChunkColumns =>
    decodeLazChunk(bytes, { ...layout, ...UNIT, count: n, ...(fields ? { fields } : {}), name: 'test.laz node 1-0-0-0' });

  it('rejects a truncated chunk at any length', () => {
    for (const cut of [0, 10, 38, 45, 100, chunk.byteLength >> 1, chunk.byteLength - 5, chunk.byteLength - 1]) {
      expect(() => decode(chunk.subarray(0, cut)), `cut at ${cut}`).toThrow(/^Invalid LAZ chunk: .* in test\.laz node 1-0-0-0$/);
    }
  });

  it('rejects a wrong point count and layer sizes beyond the chunk', () => {
    expect(() => decode(chunk, count + 1)).toThrow(`Invalid LAZ chunk: holds ${count} points, expected ${count + 1} in test.laz node 1-0-0-0`);
    expect(() => decode(chunk, 0)).toThrow('Invalid LAZ chunk: point count 0');
    const big = chunk.slice();
    new DataView(big.buffer).setUint32(38 + 2 + 4, 0x7fffffff, true); // XY layer size
    expect(() => decode(big)).toThrow(/^Invalid LAZ chunk: layers need \d+ bytes, the chunk has/);
    const tiny = chunk.slice();
    new DataView(tiny.buffer).setUint32(38 + 2 + 8, 2, true); // Z layer of 2 bytes
    expect(() => decode(tiny)).toThrow('Invalid LAZ chunk: Z layer of 2 bytes (at least 4) in test.laz node 1-0-0-0');
  });

  it('rejects a chunk whose layers hold more points than it says', () => {
    // The first 500 records' chunk with the count field of 499: every layer keeps bytes for the last point.
    const head = encodeChunk(records.subarray(0, 500 * 40), 500, layout);
    new DataView(head.buffer).setUint32(40, 499, true);
    expect(() => decode(head, 499)).toThrow(/^Invalid LAZ chunk: XY layer has \d+ bytes left after 499 points in test\.laz node 1-0-0-0$/);
  });

  it('stops at the end of a layer whose bytes were cut short', () => {
    // Shrink the XY layer's size by 40 bytes (and the chunk with it): its decoder runs out of bytes.
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const xyAt = 40 + 4 * (9 + 2 + 2);
    const xySize = view.getUint32(44, true);
    const short = new Uint8Array(chunk.byteLength - 40);
    short.set(chunk.subarray(0, xyAt + xySize - 40));
    short.set(chunk.subarray(xyAt + xySize), xyAt + xySize - 40);
    new DataView(short.buffer).setUint32(44, xySize - 40, true);
    expect(() => decode(short)).toThrow('Invalid LAZ chunk: XY layer needs more than its');
  });

  it('never hangs on random corruption: it finishes or throws Invalid LAZ chunk', () => {
    const rnd = randomU32(7);
    let threw = 0;
    for (let k = 0; k < 200; k++) {
      const bad = chunk.slice();
      const from = 40 + 4 * 13; // past the header: layer bytes only
      for (let j = 0; j < 1 + (k % 8); j++) bad[from + (rnd() % (bad.byteLength - from))] = rnd() & 255;
      try {
        decode(bad, count, k % 2 ? ['gpsTime'] : undefined);
      } catch (error) {
        expect(String(error)).toMatch(/^Error: Invalid LAZ chunk: .* in test\.laz node 1-0-0-0$/);
        threw++;
      }
    }
    expect(threw).toBeGreaterThan(0);
  });
});
