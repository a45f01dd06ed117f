/**
 * Writes uncompressed LAS 1.2 or 1.4 files from PointColumns (LAS 1.4 R15 §2.4 header, §2.5 VLRs, §2.6 records).
 *
 * @example
 * const bytes = writeLas(points, { version: '1.4', pointFormat: 7, scale: [0.001, 0.001, 0.001], wkt });
 */
import type { PointColumns } from './point-columns.ts';
import { dataViewOf, encodeUtf8, writeCString } from './binary.ts';
import type { ExtraBytesSpec } from './extra-bytes.ts';
import { encodeExtraBytes } from './extra-bytes.ts';
import { encodePointRecords, recordLength } from './point-encoder.ts';
import { encodeVlr, type VlrRecord } from './vlr-writer.ts';

/** LAS versions the writer produces. */
export type LasWriteVersion = '1.2' | '1.4';

/** Options of {@link writeLas}. */
export interface WriteLasOptions {
  /** '1.2' (header 227 bytes, formats 0-3) or '1.4' (header 375 bytes, formats 0-3 and 6-8). */
  readonly version: LasWriteVersion;
  /** Point data record format: 0-3, or 6-8 for LAS 1.4. */
  readonly pointFormat: number;
  /** Scale per axis in metres per integer step; default 0.001 (coarsened by 10× until the extent fits int32). */
  readonly scale?: readonly [number, number, number];
  /** Offset per axis in metres; default the floor of the bounds' midpoint per axis. */
  readonly offset?: readonly [number, number, number];
  /** OGC WKT (e.g. a compound CRS) written as a LASF_Projection 2112 VLR; LAS 1.4 also sets global encoding bit 4. */
  readonly wkt?: string;
  /** Extra-bytes dimensions (LASF_Spec 4 VLR); values come from `points.extra[name]`. */
  readonly extraBytes?: readonly ExtraBytesSpec[];
  /** File source id (uint16), default 0. */
  readonly fileSourceId?: number;
  /**
   * Global encoding bits, default 0. Bit 0 = GPS time is adjusted standard GPS time (seconds - 1e9) rather than
   * GPS week seconds. The WKT bit (4) is added for LAS 1.4 when `wkt` is given or the format is 6-8.
   */
  readonly globalEncoding?: number;
  /** Creation date written as UTC day of year and year; default now. */
  readonly creationDate?: Date;
  /** System identifier and generating software, default "twinview". */
  readonly systemIdentifier?: string;
  readonly generatingSoftware?: string;
}

const HEADER_SIZE: Readonly<Record<LasWriteVersion, number>> = { '1.2': 227, '1.4': 375 };

/** Writes points as an uncompressed LAS file; throws `Invalid …` for options or values the format cannot hold. */
export function writeLas(points: PointColumns, options: WriteLasOptions): Uint8Array {
  const { version, pointFormat } = options;
  const headerSize = HEADER_SIZE[version];
  if (headerSize === undefined) throw new Error(`Invalid LAS version: ${version} (the writer supports 1.2 and 1.4)`);
  const allowed = version === '1.2' ? [0, 1, 2, 3] : [0, 1, 2, 3, 6, 7, 8];
  if (!allowed.includes(pointFormat)) throw new Error(`Invalid point format: ${pointFormat} for LAS ${version} writer`);
  const count = points.count;
  for (const key of ['x', 'y', 'z'] as const) {
    if (points[key].length < count) throw new Error(`Invalid ${key} column: ${points[key].length} values for ${count} points`);
  }

  const { scale, offset } = chooseQuantization(points, options);
  const extraBytes = options.extraBytes ?? [];
  const vlrs: VlrRecord[] = [];
  if (extraBytes.length > 0) {
    vlrs.push({ userId: 'LASF_Spec', recordId: 4, description: 'Extra bytes', data: encodeExtraBytes(extraBytes) });
  }
  if (options.wkt !== undefined) {
    // LAS 1.4 R15 §2.5 "OGC Coordinate System WKT Record": LASF_Projection 2112, a NUL-terminated string.
    const text = encodeUtf8(options.wkt);
    const data = new Uint8Array(text.byteLength + 1);
    data.set(text);
    vlrs.push({ userId: 'LASF_Projection', recordId: 2112, description: 'OGC WKT', data });
  }

  const length = recordLength(pointFormat, extraBytes);
  const records = encodePointRecords(points, { pointFormat, scale, offset, extraBytes });
  const encodedVlrs = vlrs.map(encodeVlr);
  const vlrBytes = encodedVlrs.reduce((sum, bytes) => sum + bytes.byteLength, 0);
  const pointOffset = headerSize + vlrBytes;
  const out = new Uint8Array(pointOffset + records.byteLength);
  const view = dataViewOf(out);

  // LAS 1.4 R15 §2.4 table 3 (LAS 1.2 §2.2 for the first 227 bytes).
  writeCString(out, 0, 4, 'LASF', 'signature');
  view.setUint16(4, options.fileSourceId ?? 0, true);
  let globalEncoding = options.globalEncoding ?? 0;
  // LAS 1.4 R15 §2.4: the WKT bit must be set for formats 6-10 (their CRS can only be WKT) and marks a WKT CRS.
  if (version === '1.4' && (options.wkt !== undefined || pointFormat >= 6)) globalEncoding |= 1 << 4;
  view.setUint16(6, globalEncoding, true);
  // Offsets 8-23: project GUID, left zero.
  out[24] = 1;
  out[25] = version === '1.2' ? 2 : 4;
  writeCString(out, 26, 32, options.systemIdentifier ?? 'twinview', 'system identifier');
  writeCString(out, 58, 32, options.generatingSoftware ?? 'twinview', 'generating software');
  const date = options.creationDate ?? new Date();
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  view.setUint16(90, Math.floor((date.getTime() - yearStart) / 86_400_000) + 1, true);
  view.setUint16(92, date.getUTCFullYear(), true);
  view.setUint16(94, headerSize, true);
  view.setUint32(96, pointOffset, true);
  view.setUint32(100, vlrs.length, true);
  out[104] = pointFormat;
  view.setUint16(105, length, true);

  const byReturn = countByReturn(points, version === '1.4' ? 15 : 5);
  // LAS 1.4 R15 §2.4: the legacy 32-bit counts at 107 and 111 must be 0 for formats 6-10 and for counts
  // above 2^32 - 1; otherwise they repeat the 64-bit counts.
  const legacy = pointFormat < 6 && count <= 0xffffffff;
  if (version === '1.2' && count > 0xffffffff) throw new Error(`Invalid point count: ${count} exceeds LAS 1.2 limits`);
  view.setUint32(107, legacy ? count : 0, true);
  for (let r = 0; r < 5; r++) view.setUint32(111 + 4 * r, legacy ? byReturn[r] ?? 0 : 0, true);
  for (let a = 0; a < 3; a++) {
    view.setFloat64(131 + 8 * a, scale[a]!, true);
    view.setFloat64(155 + 8 * a, offset[a]!, true);
  }
  const bounds = quantizedBounds(points, scale, offset);
  // LAS 1.4 R15 §2.4: max X at 179, min X 187, max Y 195, min Y 203, max Z 211, min Z 219.
  for (let a = 0; a < 3; a++) {
    view.setFloat64(179 + 16 * a, bounds.max[a]!, true);
    view.setFloat64(187 + 16 * a, bounds.min[a]!, true);
  }
  if (version === '1.4') {
    // LAS 1.4 R15 §2.4: start of waveform data 227 (uint64), start of first EVLR 235 (uint64), EVLR count 243
    // (uint32): all 0 as nothing follows the points; point count 247 (uint64); 15 counts by return at 255.
    view.setBigUint64(247, BigInt(count), true);
    for (let r = 0; r < 15; r++) view.setBigUint64(255 + 8 * r, BigInt(byReturn[r] ?? 0), true);
  }

  let at = headerSize;
  for (const bytes of encodedVlrs) {
    out.set(bytes, at);
    at += bytes.byteLength;
  }
  out.set(records, pointOffset);
  return out;
}

function chooseQuantization(
  points: PointColumns,
  options: WriteLasOptions,
): { scale: readonly [number, number, number]; offset: readonly [number, number, number] } {
  const columns = [points.x, points.y, points.z] as const;
  const scale: number[] = [];
  const offset: number[] = [];
  for (let a = 0; a < 3; a++) {
    let min = Infinity;
    let max = -Infinity;
    const column = columns[a]!;
    for (let i = 0; i < points.count; i++) {
      const v = column[i]!;
      if (!Number.isFinite(v)) throw new Error(`Invalid ${'XYZ'[a]}: ${v} at point ${i}`);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const o = options.offset?.[a] ?? (points.count > 0 ? Math.floor((min + max) / 2) : 0);
    let s = options.scale?.[a];
    if (s === undefined) {
      s = 0.001;
      const halfRange = points.count > 0 ? Math.max(Math.abs(max - o), Math.abs(min - o)) : 0;
      while (halfRange / s > 0x7fffffff) s *= 10;
    }
    scale.push(s);
    offset.push(o);
  }
  return { scale: scale as [number, number, number], offset: offset as [number, number, number] };
}

/** Bounds of the stored coordinates (after quantization), as a reader will see them; 0 when there are no points. */
function quantizedBounds(
  points: PointColumns,
  scale: readonly number[],
  offset: readonly number[],
): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const columns = [points.x, points.y, points.z];
  for (let a = 0; a < 3; a++) {
    const column = columns[a]!;
    const s = scale[a]!;
    const o = offset[a]!;
    for (let i = 0; i < points.count; i++) {
      const v = Math.round((column[i]! - o) / s) * s + o;
      if (v < min[a]!) min[a] = v;
      if (v > max[a]!) max[a] = v;
    }
  }
  if (points.count === 0) return { min: [0, 0, 0], max: [0, 0, 0] };
  return { min, max };
}

function countByReturn(points: PointColumns, slots: number): number[] {
  const counts = new Array<number>(slots).fill(0);
  for (let i = 0; i < points.count; i++) {
    const r = points.returnNumber?.[i] ?? 1;
    if (r >= 1 && r <= slots) counts[r - 1]!++;
  }
  return counts;
}
