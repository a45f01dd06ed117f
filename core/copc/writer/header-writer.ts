/**
 * The 375-byte LAS 1.4 public header block of a COPC file (LAS 1.4 R15 §2.4, COPC 1.0 "LAS header").
 */
import { writeCString } from '../../las/binary.ts';
import type { Bounds3, Point3 } from './cube.ts';

/** Size of the LAS 1.4 header. */
export const LAS14_HEADER_LENGTH = 375;

/** Values of the header. */
export interface Las14HeaderValues {
  readonly fileSourceId?: number;
  /** Global encoding bits; bit 4 (WKT) is always set by {@link encodeLas14Header}. */
  readonly globalEncoding?: number;
  /** 16-byte project GUID, zero when absent. */
  readonly projectGuid?: Uint8Array;
  readonly systemIdentifier?: string;
  readonly generatingSoftware?: string;
  /** Creation date as UTC day of year (1-366) and year. */
  readonly creationDayOfYear: number;
  readonly creationYear: number;
  readonly offsetToPointData: number;
  readonly vlrCount: number;
  readonly pointFormat: 6 | 7 | 8;
  readonly recordLength: number;
  readonly scale: Point3;
  readonly offset: Point3;
  /** Bounds of the stored points, world units. */
  readonly bounds: Bounds3;
  readonly evlrOffset: number;
  readonly evlrCount: number;
  readonly pointCount: number;
  /** Points by return number 1-15 (index 0 = return 1). */
  readonly pointCountByReturn: ArrayLike<number>;
}

/** Encodes the header. The point format byte gets bit 7 (LAZ compressed, LAZ-FORMAT §1.1). */
export function encodeLas14Header(values: Las14HeaderValues): Uint8Array {
  const out = new Uint8Array(LAS14_HEADER_LENGTH);
  const view = new DataView(out.buffer);
  writeCString(out, 0, 4, 'LASF', 'file signature');
  view.setUint16(4, values.fileSourceId ?? 0, true);
  // LAS 1.4 R15 §2.4 global encoding bit 4: the CRS is WKT (required for formats 6-10).
  view.setUint16(6, (values.globalEncoding ?? 0) | 16, true);
  if (values.projectGuid) out.set(values.projectGuid.subarray(0, 16), 8);
  out[24] = 1;
  out[25] = 4;
  writeCString(out, 26, 32, (values.systemIdentifier ?? 'twinview').slice(0, 32), 'system identifier');
  writeCString(out, 58, 32, (values.generatingSoftware ?? 'twinview tile').slice(0, 32), 'generating software');
  view.setUint16(90, values.creationDayOfYear, true);
  view.setUint16(92, values.creationYear, true);
  view.setUint16(94, LAS14_HEADER_LENGTH, true);
  view.setUint32(96, values.offsetToPointData, true);
  view.setUint32(100, values.vlrCount, true);
  out[104] = values.pointFormat | 0x80;
  view.setUint16(105, values.recordLength, true);
  // Note: legacy point counts (107, 111) stay zero: LAS 1.4 R15 requires it for formats 6-10.
  view.setFloat64(131, values.scale[0], true);
  view.setFloat64(139, values.scale[1], true);
  view.setFloat64(147, values.scale[2], true);
  view.setFloat64(155, values.offset[0], true);
  view.setFloat64(163, values.offset[1], true);
  view.setFloat64(171, values.offset[2], true);
  // LAS 1.4 R15 §2.4: max X, min X, max Y, min Y, max Z, min Z at 179-226.
  const { min, max } = values.bounds;
  view.setFloat64(179, max[0], true);
  view.setFloat64(187, min[0], true);
  view.setFloat64(195, max[1], true);
  view.setFloat64(203, min[1], true);
  view.setFloat64(211, max[2], true);
  view.setFloat64(219, min[2], true);
  view.setBigUint64(227, 0n, true);
  view.setBigUint64(235, BigInt(values.evlrOffset), true);
  view.setUint32(243, values.evlrCount, true);
  view.setBigUint64(247, BigInt(values.pointCount), true);
  for (let r = 0; r < 15; r++) view.setBigUint64(255 + 8 * r, BigInt(values.pointCountByReturn[r] ?? 0), true);
  return out;
}

/** UTC day of year (1-366) and year of a date. */
export function getDayOfYear(date: Date): { dayOfYear: number; year: number } {
  const year = date.getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  return { dayOfYear: Math.floor((date.getTime() - start) / 86_400_000) + 1, year };
}
