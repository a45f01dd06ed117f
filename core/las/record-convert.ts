/**
 * Converts raw LAS point records of formats 0-10 to the LAS 1.4 formats 6, 7 or 8 that COPC allows
 * (LAS 1.4 R15 §2.6 tables 7-17), keeping extra bytes and dropping wave packet descriptors.
 *
 * @example
 * const target = getTargetPointFormat(3);             // 7
 * const out = convertRecords(records, count, { format: 3, recordLength: 34 });
 */
import { getPointFormatLayout } from './point-format.ts';

/** A source record layout: point format and record length in bytes (extra bytes included). */
export interface RecordSource {
  readonly format: number;
  readonly recordLength: number;
}

/** Options of {@link convertRecords}. */
export interface ConvertOptions {
  /** Multiply red, green and blue by 257 (8-bit colour stretched to 16 bits, 255 -> 65535). Default false. */
  readonly scaleRgb?: boolean;
  /** Output buffer; a new one is allocated when absent. Must hold `count` target records from `outOffset`. */
  readonly out?: Uint8Array;
  /** Byte offset in `out` of the first output record. Default 0. */
  readonly outOffset?: number;
}

/** Record length of formats 6, 7 and 8 without extra bytes (LAS 1.4 R15 §2.6 tables 13-15). */
export const EXTENDED_RECORD_LENGTH: Readonly<Record<6 | 7 | 8, number>> = { 6: 30, 7: 36, 8: 38 };

/** One scan-angle unit of formats 6-10 in degrees (LAS 1.4 R15 §2.6 table 13). */
export const SCAN_ANGLE_UNIT_DEG = 0.006;

/**
 * The COPC point format for a source format: 0, 1, 4 -> 6; 2, 3, 5 -> 7; 6, 9 -> 6; 7 -> 7; 8, 10 -> 8.
 * Formats 0 and 2 have no GPS time; their output GPS time is 0.
 */
export function getTargetPointFormat(format: number): 6 | 7 | 8 {
  const layout = getPointFormatLayout(format, 'record conversion');
  if (layout.nir !== undefined) return 8;
  return layout.rgb !== undefined ? 7 : 6;
}

/** Number of extra bytes per record: record length minus the format's own length; throws when negative. */
export function getExtraByteCount(source: RecordSource): number {
  const layout = getPointFormatLayout(source.format, 'record conversion');
  const extra = source.recordLength - layout.length;
  if (extra < 0 || !Number.isInteger(extra)) {
    throw new Error(`Invalid record length: ${source.recordLength} for point format ${source.format}`);
  }
  return extra;
}

/**
 * Converts `count` records. Formats 0-5 follow the LAS 1.4 R15 mapping: 3-bit return number and number of
 * returns move to 4-bit fields, the synthetic/key-point/withheld bits of the legacy classification byte become
 * classification flags 1/2/4 and the class value (0-31) is kept, scan direction and edge of flight line move to
 * bits 6/7 of byte 15, the int8 scan angle rank in degrees becomes round(rank / 0.006) in int16. Formats 6-8
 * are copied; formats 9/10 lose their wave packet. Extra bytes follow the base record unchanged.
 */
export function convertRecords(source: Uint8Array, count: number, from: RecordSource, options: ConvertOptions = {}): Uint8Array {
  const layout = getPointFormatLayout(from.format, 'record conversion');
  const extraBytes = getExtraByteCount(from);
  const target = getTargetPointFormat(from.format);
  const outLength = EXTENDED_RECORD_LENGTH[target] + extraBytes;
  const inLength = from.recordLength;
  if (source.byteLength < count * inLength) {
    throw new Error(`Invalid record buffer: ${source.byteLength} bytes for ${count} records of ${inLength} bytes`);
  }
  const outOffset = options.outOffset ?? 0;
  const out = options.out ?? new Uint8Array(count * outLength);
  if (out.byteLength < outOffset + count * outLength) {
    throw new Error(`Invalid output buffer: ${out.byteLength} bytes for ${count} records of ${outLength} bytes`);
  }
  const inView = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const outView = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const scale = options.scaleRgb ? 257 : 1;
  const rgbIn = layout.rgb;
  const extraIn = layout.length;

  // Fast path: formats 6-8 are already what COPC stores.
  if (layout.extended && layout.wavePacket === undefined && scale === 1) {
    out.set(source.subarray(0, count * inLength), outOffset);
    return out;
  }
  const baseOut = EXTENDED_RECORD_LENGTH[target];
  for (let i = 0; i < count; i++) {
    const s = i * inLength;
    const d = outOffset + i * outLength;
    if (layout.extended) {
      // Formats 6-10: the 30-byte core is the same; RGB (and NIR) follow at 30 (and 36).
      for (let b = 0; b < 30; b++) out[d + b] = source[s + b]!;
    } else {
      // X, Y, Z, intensity: bytes 0-13 unchanged.
      for (let b = 0; b < 14; b++) out[d + b] = source[s + b]!;
      const returns = source[s + 14]!;
      const classByte = source[s + 15]!;
      const returnNumber = returns & 7;
      const numberOfReturns = (returns >> 3) & 7;
      const scanDirection = (returns >> 6) & 1;
      const edge = (returns >> 7) & 1;
      out[d + 14] = returnNumber | (numberOfReturns << 4);
      // LAS 1.4 R15 §2.6 table 14: flags in bits 0-3 (synthetic 1, key-point 2, withheld 4, overlap 8),
      // scanner channel bits 4-5 (0), scan direction bit 6, edge of flight line bit 7.
      out[d + 15] = ((classByte >> 5) & 7) | (scanDirection << 6) | (edge << 7);
      out[d + 16] = classByte & 31;
      out[d + 17] = source[s + 17]!;
      const rank = inView.getInt8(s + 16);
      outView.setInt16(d + 18, Math.round(rank / SCAN_ANGLE_UNIT_DEG), true);
      out[d + 20] = source[s + 18]!;
      out[d + 21] = source[s + 19]!;
      if (layout.gpsTime !== undefined) {
        for (let b = 0; b < 8; b++) out[d + 22 + b] = source[s + 20 + b]!;
      } else {
        for (let b = 0; b < 8; b++) out[d + 22 + b] = 0;
      }
    }
    if (rgbIn !== undefined) {
      for (let c = 0; c < 3; c++) {
        outView.setUint16(d + 30 + 2 * c, inView.getUint16(s + rgbIn + 2 * c, true) * scale, true);
      }
    }
    if (layout.nir !== undefined) {
      out[d + 36] = source[s + layout.nir]!;
      out[d + 37] = source[s + layout.nir + 1]!;
    }
    for (let b = 0; b < extraBytes; b++) out[d + baseOut + b] = source[s + extraIn + b]!;
  }
  return out;
}

/**
 * Largest red, green or blue value of `count` records, or -1 when the format has no colour. A colour
 * maximum of at most 255 with some non-zero value means 8-bit colour stored in 16-bit fields.
 */
export function findMaxRgb(source: Uint8Array, count: number, from: RecordSource): number {
  const layout = getPointFormatLayout(from.format, 'record conversion');
  if (layout.rgb === undefined) return -1;
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  let max = 0;
  for (let i = 0; i < count; i++) {
    const s = i * from.recordLength + layout.rgb;
    const r = view.getUint16(s, true);
    const g = view.getUint16(s + 2, true);
    const b = view.getUint16(s + 4, true);
    if (r > max) max = r;
    if (g > max) max = g;
    if (b > max) max = b;
  }
  return max;
}

/**
 * True when colour with this maximum (from {@link findMaxRgb}, over a whole file) is 8-bit: 1..255.
 * All-zero colour is not scaled: there is nothing to stretch.
 */
export function isEightBitRgb(maxRgb: number): boolean {
  return maxRgb >= 1 && maxRgb <= 255;
}
