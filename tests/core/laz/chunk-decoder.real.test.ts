/**
 * decodeLazChunk against laz-perf 0.0.7's ChunkDecoder on every chunk of every real PDRF 6/7/8 LAZ/COPC file in
 * shared data (written by PDAL/laz-perf, LAStools/LASzip and others): every field of every record equal, GPS
 * times bit for bit; and the selective modes (a few fields, a region) equal the same fields and rows of the full
 * decode.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeLazChunk, LAZ_FIELD_COLUMNS, LAZ_FIELDS, type LazChunkColumns, type LazField } from '../../../core/laz/chunk-decoder.ts';
import { decodePointRecords } from '../../../core/las/point-decoder.ts';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { sharedPath } from '../../helpers/shared-data.ts';
import { decodeChunkWithLazPerf, loadLazPerf, parseLazFile, type LazPerfModule } from './laz-test-support.ts';
import { layeredLazFiles, NRW } from './real-laz-files.ts';

// The NRW COPC holds 3.5 M points in 85 chunks; every sixth chunk (plus the last) keeps the test to seconds.
const SAMPLE_EVERY = 6;
const UNIT = { scale: [1, 1, 1] as [number, number, number], offset: [0, 0, 0] as [number, number, number] };

/** Typed-array columns both PointColumns and LazChunkColumns have. */
type ColumnName = Exclude<keyof PointColumns & keyof LazChunkColumns, 'count'>;

/**
 * Column names of LazChunkColumns that PointColumns also has, per selectable field: core's map without the
 * `extra` column (a LazChunkColumns holds extra bytes raw and they are compared as such). A column the map
 * forgets is caught by the check that a full decode holds no other column.
 */
function fieldColumns(field: LazField): readonly ColumnName[] {
  return LAZ_FIELD_COLUMNS[field].filter((name): name is ColumnName => name !== 'extra');
}

const ALWAYS: readonly ColumnName[] = ['x', 'y', 'z', 'returnNumber', 'numberOfReturns', 'scannerChannel'];

/** A typed array as integers; float64 columns as their bit patterns (so NaN payloads compare). */
function bits(a: ArrayLike<number> | undefined): ArrayLike<number> | undefined {
  if (a instanceof Float64Array) return new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  return a;
}

function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Compares our columns with laz-perf's records, every field (extra bytes raw), and says where they differ. */
function expectSameRecords(ours: LazChunkColumns, want: PointColumns, records: Uint8Array, recordLength: number, base: number, where: string): void {
  expect(ours.count, where).toBe(want.count);
  for (const name of [...ALWAYS, ...LAZ_FIELDS.flatMap(fieldColumns)]) {
    const a = bits(ours[name]);
    const b = bits(want[name]);
    if (b === undefined) {
      expect(a, `${where}: ${name}`).toBeUndefined();
      continue;
    }
    expect(a, `${where}: ${name} missing`).toBeDefined();
    const at = firstMismatch(a!, b);
    expect(at, `${where}: ${name} differs at ${at}`).toBe(-1);
  }
  const n = ours.extraByteCount;
  if (n > 0) {
    const extra = new Uint8Array(want.count * n);
    for (let i = 0; i < want.count; i++) extra.set(records.subarray(i * recordLength + base, (i + 1) * recordLength), i * n);
    expect(firstMismatch(ours.extraBytes!, extra), `${where}: extra bytes`).toBe(-1);
  }
}

describe('decodeLazChunk decodes real LAZ 1.4 chunks exactly as laz-perf', () => {
  let lp: LazPerfModule;
  beforeAll(async () => {
    lp = await loadLazPerf();
  });

  const files = layeredLazFiles();

  it('covers PDRF 6, 7 and 8 files with extra bytes, COPC and the NRW drive', () => {
    for (const path of ['untwine/test/data/eb.laz', 'loaders.gl/modules/las/test/data/pdrf8-1.4.laz', 'copc.js/src/test/data/ellipsoid-1.4.laz', NRW]) {
      expect(files).toContain(path);
    }
  });

  for (const path of files) {
    it(path, () => {
      const file = new Uint8Array(readFileSync(sharedPath(path)));
      const info = parseLazFile(file);
      // Version-4 items (LASzip 3.5) are another format; laz-perf cannot decode them either.
      if (!info.itemVersions.every((v) => v === 3)) return;
      const pointFormat = info.pointFormat as 6 | 7 | 8;
      const layout = { pointFormat, extraBytes: info.extraBytes };
      const base = info.recordLength - info.extraBytes;
      let checked = 0;
      info.chunks.forEach((chunk, index) => {
        if (path === NRW && index % SAMPLE_EVERY !== 0 && index !== info.chunks.length - 1) return;
        const where = `chunk ${index} (${chunk.pointCount} points)`;
        const bytes = file.subarray(chunk.offset, chunk.offset + chunk.byteCount);
        const records = decodeChunkWithLazPerf(lp, bytes, pointFormat, info.recordLength, chunk.pointCount);
        const want = decodePointRecords({ pointFormat, recordLength: info.recordLength, count: chunk.pointCount, bytes: records }, UNIT);
        const all = decodeLazChunk(bytes, { ...layout, ...UNIT, count: chunk.pointCount });
        expectSameRecords(all, want, records, info.recordLength, base, where);
        // Every column of a full decode was compared: the field map forgets none.
        const compared = new Set<string>([...ALWAYS, ...LAZ_FIELDS.flatMap(fieldColumns), 'extraBytes']);
        for (const [name, column] of Object.entries(all)) {
          if (ArrayBuffer.isView(column)) expect(compared.has(name), `${where}: ${name} not compared`).toBe(true);
        }

        // Selected layers: XYZ + classification (what measurements read) and GPS time, nothing else decoded.
        const few = decodeLazChunk(bytes, { ...layout, ...UNIT, count: chunk.pointCount, fields: ['classification', 'gpsTime'] });
        expect(few.intensity, where).toBeUndefined();
        expect(few.red, where).toBeUndefined();
        for (const name of [...ALWAYS, 'classification', 'gpsTime'] as const) {
          expect(firstMismatch(bits(few[name])!, bits(all[name])!), `${where}: ${name}`).toBe(-1);
        }

        // Each field alone equals the full decode's (the layers are independent streams).
        if (index === 0) {
          for (const field of LAZ_FIELDS) {
            const one = decodeLazChunk(bytes, { ...layout, ...UNIT, count: chunk.pointCount, fields: [field] });
            for (const name of fieldColumns(field)) {
              if (all[name]) expect(firstMismatch(bits(one[name])!, bits(all[name])!), `${where}: ${field} alone`).toBe(-1);
            }
            if (field === 'extraBytes' && all.extraBytes) expect(firstMismatch(one.extraBytes!, all.extraBytes)).toBe(-1);
          }
        }

        // A region: the western half of the chunk's plan extent, below its mean height, keeps exactly those rows.
        let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, zSum = 0;
        for (let i = 0; i < all.count; i++) {
          x0 = Math.min(x0, all.x[i]!); x1 = Math.max(x1, all.x[i]!);
          y0 = Math.min(y0, all.y[i]!); y1 = Math.max(y1, all.y[i]!);
          zSum += all.z[i]!;
        }
        const xm = (x0 + x1) / 2;
        const zm = zSum / all.count;
        const inside = (x: number, z: number): boolean => x <= xm && z <= zm;
        const part = decodeLazChunk(bytes, {
          ...layout, ...UNIT, count: chunk.pointCount, fields: ['classification'],
          region: { bounds: [x0, y0, xm, y1], contains: (x, _y, z) => inside(x, z) },
        });
        const rows: number[] = [];
        for (let i = 0; i < all.count; i++) if (inside(all.x[i]!, all.z[i]!)) rows.push(i);
        expect(part.count, where).toBe(rows.length);
        expect(rows.length, where).toBeGreaterThan(0);
        for (const name of ['x', 'y', 'z', 'classification'] as const) {
          expect(firstMismatch(Array.from(part[name]!), rows.map((i) => all[name]![i]!)), `${where}: region ${name}`).toBe(-1);
        }
        checked++;
      });
      expect(checked).toBeGreaterThan(0);
    });
  }
});
