/**
 * Payload of the LASzip VLR (user id "laszip encoded", record id 22204) for LAZ 1.4 layered chunked compression
 * of PDRF 6/7/8 (LAZ-FORMAT.md §1.2-1.3).
 */
import { type LazLayout, lazRecordLength } from './laz-layout.ts';

/** User id of the LASzip VLR. */
export const LASZIP_VLR_USER_ID = 'laszip encoded';
/** Record id of the LASzip VLR. */
export const LASZIP_VLR_RECORD_ID = 22204;
/** Chunk size that marks variable-size chunks (COPC: one chunk per octree node). */
export const VARIABLE_CHUNK_SIZE = 0xffffffff;

// LASzip item type codes (LAZ-FORMAT.md §1.3).
const ITEM_POINT14 = 10;
const ITEM_RGB14 = 11;
const ITEM_RGBNIR14 = 12;
const ITEM_BYTE14 = 14;
/** Item version 3: the only version laz-perf decodes (version 4 would be mis-decoded, §1.3). */
const ITEM_VERSION = 3;

/**
 * The LASzip VLR payload for a layout: compressor 3 (layered chunked), arithmetic coder, items POINT14
 * [+ RGB14 | RGBNIR14] [+ BYTE14], chunk size in points or 'variable'.
 *
 * @example
 * const payload = buildLaszipVlrData({ pointFormat: 7, extraBytes: 0 }, { chunkSize: 'variable' });
 */
export function buildLaszipVlrData(layout: LazLayout, options: { chunkSize: number | 'variable' }): Uint8Array {
  lazRecordLength(layout);
  const chunkSize = options.chunkSize === 'variable' ? VARIABLE_CHUNK_SIZE : options.chunkSize;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > VARIABLE_CHUNK_SIZE) {
    throw new Error(`Invalid LASzip chunk size: ${options.chunkSize}`);
  }
  const items: [number, number][] = [[ITEM_POINT14, 30]];
  if (layout.pointFormat === 7) items.push([ITEM_RGB14, 6]);
  if (layout.pointFormat === 8) items.push([ITEM_RGBNIR14, 8]);
  if (layout.extraBytes > 0) items.push([ITEM_BYTE14, layout.extraBytes]);

  const out = new Uint8Array(34 + 6 * items.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 3, true); // compressor: layered chunked
  view.setUint16(2, 0, true); // coder: arithmetic
  out[4] = 3; // version major (informational, as laz-perf writes)
  out[5] = 4; // version minor
  view.setUint16(6, 3, true); // version revision
  view.setUint32(8, 0, true); // options: never LAS 1.4 compatibility mode
  view.setUint32(12, chunkSize, true);
  view.setBigInt64(16, -1n, true); // number of special EVLRs: none
  view.setBigInt64(24, -1n, true); // offset of special EVLRs: none
  view.setUint16(32, items.length, true);
  items.forEach(([type, size], i) => {
    view.setUint16(34 + 6 * i, type, true);
    view.setUint16(36 + 6 * i, size, true);
    view.setUint16(38 + 6 * i, ITEM_VERSION, true);
  });
  return out;
}
