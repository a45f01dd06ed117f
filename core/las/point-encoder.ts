/**
 * Encodes PointColumns into raw point data records (LAS 1.4 R15 §2.6): the inverse of point-decoder.ts.
 */
import type { PointColumns } from './point-columns.ts';
import { dataViewOf } from './binary.ts';
import type { ExtraBytesSpec } from './extra-bytes.ts';
import { extraBytesTypeSize, writeExtraValue } from './extra-bytes.ts';
import { getPointFormatLayout } from './point-format.ts';

/** How world coordinates become record integers: raw = round((world - offset) / scale). */
export interface Quantization {
  readonly scale: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
}

/** Options of {@link encodePointRecords}. */
export interface EncodeRecordsOptions extends Quantization {
  /** Point data record format 0-10 (wave packet bytes of 4, 5, 9, 10 are written as zeros). */
  readonly pointFormat: number;
  /** Extra-bytes dimensions appended to every record, values taken from `points.extra[name]`. */
  readonly extraBytes?: readonly ExtraBytesSpec[];
  /** Name for messages. */
  readonly name?: string;
}

/** Record length in bytes of a point format plus extra bytes. */
export function recordLength(pointFormat: number, extraBytes: readonly ExtraBytesSpec[] = [], name = 'output'): number {
  let length = getPointFormatLayout(pointFormat, name).length;
  for (const spec of extraBytes) length += extraBytesTypeSize(spec.type);
  return length;
}

/**
 * Encodes points as raw records; absent columns are written as 0 except return number and number of returns,
 * which default to 1 (a return number of 0 is invalid in LAS). Throws `Invalid …` for values that do not fit.
 */
export function encodePointRecords(points: PointColumns, options: EncodeRecordsOptions): Uint8Array {
  const name = options.name ?? 'output';
  const layout = getPointFormatLayout(options.pointFormat, name);
  const extraBytes = options.extraBytes ?? [];
  const length = recordLength(options.pointFormat, extraBytes, name);
  const count = points.count;
  const out = new Uint8Array(count * length);
  const view = dataViewOf(out);
  const [sx, sy, sz] = options.scale;
  const [ox, oy, oz] = options.offset;
  for (const [axis, s] of [['X', sx], ['Y', sy], ['Z', sz]] as const) {
    if (!(s > 0) || !Number.isFinite(s)) throw new Error(`Invalid ${axis} scale: ${s} for ${name}`);
  }
  const extraColumns = extraBytes.map((spec) => {
    const column = points.extra?.[spec.name];
    if (!column) throw new Error(`Invalid extra bytes: no column "${spec.name}" in the points for ${name}`);
    return column;
  });
  const maxReturn = layout.extended ? 15 : 7;
  const maxClass = layout.extended ? 255 : 31;
  for (let i = 0; i < count; i++) {
    const at = i * length;
    // LAS 1.4 R15 §2.6: X, Y, Z int32 at 0, 4, 8; intensity uint16 at 12 in every format.
    view.setInt32(at, quantize(points.x[i]!, sx, ox, 'X', i, name), true);
    view.setInt32(at + 4, quantize(points.y[i]!, sy, oy, 'Y', i, name), true);
    view.setInt32(at + 8, quantize(points.z[i]!, sz, oz, 'Z', i, name), true);
    view.setUint16(at + 12, points.intensity?.[i] ?? 0, true);
    const returnNumber = points.returnNumber?.[i] ?? 1;
    const numberOfReturns = points.numberOfReturns?.[i] ?? 1;
    if (returnNumber > maxReturn || numberOfReturns > maxReturn) {
      throw new Error(`Invalid return number: ${returnNumber}/${numberOfReturns} at point ${i} for point format ${layout.format} in ${name}`);
    }
    const classification = points.classification?.[i] ?? 0;
    if (classification > maxClass) {
      throw new Error(`Invalid classification: ${classification} at point ${i} for point format ${layout.format} in ${name}`);
    }
    const flags = points.classificationFlags?.[i] ?? 0;
    const direction = (points.scanDirectionFlag?.[i] ?? 0) & 1;
    const edge = (points.edgeOfFlightLine?.[i] ?? 0) & 1;
    const scanAngle = points.scanAngle?.[i] ?? 0;
    if (layout.extended) {
      // LAS 1.4 R15 §2.6 table 14: return number bits 0-3 and number of returns bits 4-7 at 14; classification
      // flags bits 0-3, scanner channel 4-5, scan direction 6, edge 7 at 15; classification at 16; user data at
      // 17; int16 scan angle (0.006°) at 18; point source id at 20; GPS time at 22.
      out[at + 14] = returnNumber | (numberOfReturns << 4);
      out[at + 15] = (flags & 15) | (((points.scannerChannel?.[i] ?? 0) & 3) << 4) | (direction << 6) | (edge << 7);
      out[at + 16] = classification;
      out[at + 17] = points.userData?.[i] ?? 0;
      view.setInt16(at + 18, scanAngle, true);
      view.setUint16(at + 20, points.pointSourceId?.[i] ?? 0, true);
    } else {
      // LAS 1.4 R15 §2.6 table 7: return number bits 0-2, number of returns 3-5, scan direction 6, edge 7 at 14;
      // classification bits 0-4 and synthetic/key-point/withheld bits 5-7 at 15; int8 scan angle rank at 16.
      // Note: formats 0-5 have no overlap bit; flag 8 is dropped (legacy files use class 12 instead).
      if (scanAngle < -128 || scanAngle > 127) {
        throw new Error(`Invalid scan angle rank: ${scanAngle} at point ${i} for point format ${layout.format} in ${name}`);
      }
      out[at + 14] = returnNumber | (numberOfReturns << 3) | (direction << 6) | (edge << 7);
      out[at + 15] = classification | ((flags & 7) << 5);
      view.setInt8(at + 16, scanAngle);
      out[at + 17] = points.userData?.[i] ?? 0;
      view.setUint16(at + 18, points.pointSourceId?.[i] ?? 0, true);
    }
    if (layout.gpsTime !== undefined) view.setFloat64(at + layout.gpsTime, points.gpsTime?.[i] ?? 0, true);
    if (layout.rgb !== undefined) {
      view.setUint16(at + layout.rgb, points.red?.[i] ?? 0, true);
      view.setUint16(at + layout.rgb + 2, points.green?.[i] ?? 0, true);
      view.setUint16(at + layout.rgb + 4, points.blue?.[i] ?? 0, true);
    }
    if (layout.nir !== undefined) view.setUint16(at + layout.nir, points.nir?.[i] ?? 0, true);
    let extraAt = at + layout.length;
    for (let e = 0; e < extraBytes.length; e++) {
      const spec = extraBytes[e]!;
      const value = extraColumns[e]![i]!;
      const raw = (value - (spec.offset ?? 0)) / (spec.scale ?? 1);
      writeExtraValue(view, extraAt, spec.type, raw, `"${spec.name}" at point ${i} in ${name}`);
      extraAt += extraBytesTypeSize(spec.type);
    }
  }
  return out;
}

function quantize(world: number, scale: number, offset: number, axis: string, i: number, name: string): number {
  const raw = Math.round((world - offset) / scale);
  if (!(raw >= -0x80000000 && raw <= 0x7fffffff)) {
    throw new Error(`Invalid ${axis}: ${world} at point ${i} does not fit int32 with scale ${scale} and offset ${offset} in ${name}`);
  }
  return raw;
}
