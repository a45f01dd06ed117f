/**
 * What the LAZ 1.4 layered encoder needs to know about a point record: the point data record format (6, 7 or 8)
 * and the number of extra bytes after the format's base record.
 */

/** Point format and extra bytes of the records a LAZ chunk holds. */
export interface LazLayout {
  readonly pointFormat: 6 | 7 | 8;
  /** Extra bytes per record after the base record (0…65535 − base). */
  readonly extraBytes: number;
}

/** Base record length in bytes of PDRF 6, 7, 8 (LAS 1.4 R15 §2.6 tables 12-14), without extra bytes. */
export const LAZ_BASE_RECORD_LENGTH: Readonly<Record<number, number | undefined>> = { 6: 30, 7: 36, 8: 38 };

/** Record length in bytes (base + extra bytes) of a layout; throws `Invalid LAZ layout: …` when unsupported. */
export function lazRecordLength(layout: LazLayout): number {
  const base = LAZ_BASE_RECORD_LENGTH[layout.pointFormat];
  if (base === undefined) throw new Error(`Invalid LAZ layout: point format ${layout.pointFormat} (only 6, 7 and 8)`);
  const extra = layout.extraBytes;
  if (!Number.isInteger(extra) || extra < 0 || base + extra > 0xffff) {
    throw new Error(`Invalid LAZ layout: ${extra} extra bytes`);
  }
  return base + extra;
}
