/**
 * Point data record formats 0-10 as plain data: the byte offset of every field in a record
 * (LAS 1.4 R15 §2.6 "Point Data Records", tables 7-17).
 */

/** Byte layout of one point data record format; an absent offset means the format has no such field. */
export interface PointFormatLayout {
  readonly format: number;
  /** Record length in bytes without extra bytes. */
  readonly length: number;
  /**
   * True for formats 6-10: 4-bit return numbers, 8-bit classification, 16-bit scan angle in 0.006° units,
   * classification flags and scanner channel in their own byte.
   */
  readonly extended: boolean;
  readonly gpsTime?: number;
  readonly rgb?: number;
  readonly nir?: number;
  /** Offset of the 29-byte wave packet descriptor (formats 4, 5, 9, 10). */
  readonly wavePacket?: number;
}

// LAS 1.4 R15 §2.6 tables 7-17. Formats 0-5 share a 20-byte core (X, Y, Z int32 at 0/4/8, intensity uint16 at
// 12, return bits at 14, classification byte at 15, int8 scan angle rank at 16, user data at 17, point source
// id uint16 at 18). Formats 6-10 share a 30-byte core (return byte at 14, flags byte at 15, classification at 16,
// user data at 17, int16 scan angle at 18, point source id at 20, GPS time float64 at 22).
const LAYOUTS: readonly PointFormatLayout[] = [
  { format: 0, length: 20, extended: false },
  { format: 1, length: 28, extended: false, gpsTime: 20 },
  { format: 2, length: 26, extended: false, rgb: 20 },
  { format: 3, length: 34, extended: false, gpsTime: 20, rgb: 28 },
  { format: 4, length: 57, extended: false, gpsTime: 20, wavePacket: 28 },
  { format: 5, length: 63, extended: false, gpsTime: 20, rgb: 28, wavePacket: 34 },
  { format: 6, length: 30, extended: true, gpsTime: 22 },
  { format: 7, length: 36, extended: true, gpsTime: 22, rgb: 30 },
  { format: 8, length: 38, extended: true, gpsTime: 22, rgb: 30, nir: 36 },
  { format: 9, length: 59, extended: true, gpsTime: 22, wavePacket: 30 },
  { format: 10, length: 67, extended: true, gpsTime: 22, rgb: 30, nir: 36, wavePacket: 38 },
];

/** Size of a wave packet descriptor inside a record (LAS 1.4 R15 §2.6 table 13). */
export const WAVE_PACKET_LENGTH = 29;

/** The layout of a point format, or undefined when the format is not 0-10. */
export function findPointFormatLayout(format: number): PointFormatLayout | undefined {
  return Number.isInteger(format) ? LAYOUTS[format] : undefined;
}

/** The layout of a point format; throws `Invalid point format: …` (naming `name`) when it is not 0-10. */
export function getPointFormatLayout(format: number, name: string): PointFormatLayout {
  const layout = findPointFormatLayout(format);
  if (!layout) throw new Error(`Invalid point format: ${format} in ${name}`);
  return layout;
}

/** True for the waveform formats 4, 5, 9 and 10. */
export function isWaveformFormat(format: number): boolean {
  return findPointFormatLayout(format)?.wavePacket !== undefined;
}
