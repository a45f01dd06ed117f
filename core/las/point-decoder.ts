/**
 * Decodes raw point data records (LAS 1.4 R15 §2.6) into PointColumns.
 */
import type { PointColumns } from './point-columns.ts';
import type { ExtraBytesDescriptor } from './extra-bytes.ts';
import { readExtraValue } from './extra-bytes.ts';
import { getPointFormatLayout } from './point-format.ts';

/** Raw point records exactly as stored in (or decompressed from) a file. */
export interface LasRecords {
  /** Point data record format 0-10. */
  readonly pointFormat: number;
  /** Bytes per record, including extra bytes. */
  readonly recordLength: number;
  /** Number of records. */
  readonly count: number;
  /** count * recordLength bytes. */
  readonly bytes: Uint8Array;
}

/** Options of {@link decodePointRecords}. */
export interface DecodeRecordsOptions {
  /** Header scale and offset: world = raw * scale + offset. */
  readonly scale: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
  /** Extra-bytes dimensions; those with a type become float64 columns in `extra` (after their scale/offset). */
  readonly extraBytes?: readonly ExtraBytesDescriptor[];
  /** Name for messages. */
  readonly name?: string;
}

/**
 * Decodes raw records into columns: float64 world X/Y/Z, raw integer attributes, extra bytes as scaled
 * float64. Wave packet descriptors of formats 4, 5, 9, 10 are skipped.
 */
export function decodePointRecords(records: LasRecords, options: DecodeRecordsOptions): PointColumns {
  const name = options.name ?? 'buffer';
  const layout = getPointFormatLayout(records.pointFormat, name);
  const { count, recordLength, bytes } = records;
  if (recordLength < layout.length) {
    throw new Error(`Invalid point record length: ${recordLength} < ${layout.length} for point format ${layout.format} in ${name}`);
  }
  if (bytes.byteLength < count * recordLength) {
    throw new Error(`Invalid point records: ${bytes.byteLength} bytes for ${count} records of ${recordLength} in ${name}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [sx, sy, sz] = options.scale;
  const [ox, oy, oz] = options.offset;

  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  const intensity = new Uint16Array(count);
  const returnNumber = new Uint8Array(count);
  const numberOfReturns = new Uint8Array(count);
  const classification = new Uint8Array(count);
  const classificationFlags = new Uint8Array(count);
  const scanDirectionFlag = new Uint8Array(count);
  const edgeOfFlightLine = new Uint8Array(count);
  const userData = new Uint8Array(count);
  const scanAngle = new Int16Array(count);
  const pointSourceId = new Uint16Array(count);
  const scannerChannel = layout.extended ? new Uint8Array(count) : undefined;
  const gpsTime = layout.gpsTime !== undefined ? new Float64Array(count) : undefined;
  const hasRgb = layout.rgb !== undefined;
  const red = hasRgb ? new Uint16Array(count) : undefined;
  const green = hasRgb ? new Uint16Array(count) : undefined;
  const blue = hasRgb ? new Uint16Array(count) : undefined;
  const nir = layout.nir !== undefined ? new Uint16Array(count) : undefined;

  for (let i = 0, at = 0; i < count; i++, at += recordLength) {
    // LAS 1.4 R15 §2.6: X, Y, Z int32 at 0, 4, 8 (world = raw * scale + offset); intensity uint16 at 12.
    x[i] = view.getInt32(at, true) * sx + ox;
    y[i] = view.getInt32(at + 4, true) * sy + oy;
    z[i] = view.getInt32(at + 8, true) * sz + oz;
    intensity[i] = view.getUint16(at + 12, true);
    const b14 = bytes[at + 14]!;
    const b15 = bytes[at + 15]!;
    if (scannerChannel) {
      // LAS 1.4 R15 §2.6 table 14: return number bits 0-3, number of returns 4-7 (byte 14); classification
      // flags bits 0-3, scanner channel 4-5, scan direction 6, edge of flight line 7 (byte 15); classification
      // uint8 at 16; user data at 17; int16 scan angle at 18; point source id at 20.
      returnNumber[i] = b14 & 15;
      numberOfReturns[i] = b14 >> 4;
      classificationFlags[i] = b15 & 15;
      scannerChannel[i] = (b15 >> 4) & 3;
      scanDirectionFlag[i] = (b15 >> 6) & 1;
      edgeOfFlightLine[i] = b15 >> 7;
      classification[i] = bytes[at + 16]!;
      userData[i] = bytes[at + 17]!;
      scanAngle[i] = view.getInt16(at + 18, true);
      pointSourceId[i] = view.getUint16(at + 20, true);
    } else {
      // LAS 1.4 R15 §2.6 table 7: return number bits 0-2, number of returns 3-5, scan direction 6, edge 7
      // (byte 14); classification bits 0-4, synthetic 5, key-point 6, withheld 7 (byte 15); int8 scan angle
      // rank at 16; user data at 17; point source id at 18.
      returnNumber[i] = b14 & 7;
      numberOfReturns[i] = (b14 >> 3) & 7;
      scanDirectionFlag[i] = (b14 >> 6) & 1;
      edgeOfFlightLine[i] = b14 >> 7;
      classification[i] = b15 & 31;
      classificationFlags[i] = b15 >> 5;
      scanAngle[i] = view.getInt8(at + 16);
      userData[i] = bytes[at + 17]!;
      pointSourceId[i] = view.getUint16(at + 18, true);
    }
    if (gpsTime) gpsTime[i] = view.getFloat64(at + layout.gpsTime!, true);
    if (red) {
      const c = at + layout.rgb!;
      red[i] = view.getUint16(c, true);
      green![i] = view.getUint16(c + 2, true);
      blue![i] = view.getUint16(c + 4, true);
    }
    if (nir) nir[i] = view.getUint16(at + layout.nir!, true);
  }

  const extra: Record<string, Float64Array> = {};
  for (const d of options.extraBytes ?? []) {
    if (!d.type) continue;
    const start = layout.length + d.byteOffset;
    if (start + d.size > recordLength) {
      throw new Error(`Invalid extra bytes: "${d.name}" ends at byte ${start + d.size} of a ${recordLength}-byte record in ${name}`);
    }
    const column = new Float64Array(count);
    const scale = d.scale ?? 1;
    const offset = d.offset ?? 0;
    for (let i = 0, at = start; i < count; i++, at += recordLength) {
      column[i] = readExtraValue(view, at, d.type) * scale + offset;
    }
    extra[d.name] = column;
  }

  return {
    count,
    x,
    y,
    z,
    intensity,
    returnNumber,
    numberOfReturns,
    classification,
    classificationFlags,
    ...(scannerChannel ? { scannerChannel } : {}),
    scanDirectionFlag,
    edgeOfFlightLine,
    userData,
    scanAngle,
    pointSourceId,
    ...(gpsTime ? { gpsTime } : {}),
    ...(red ? { red, green: green!, blue: blue! } : {}),
    ...(nir ? { nir } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}
