/**
 * Writes variable length records (LAS 1.4 R15 §2.5) and extended variable length record headers (§2.7): a VLR
 * has a 54-byte header with a uint16 payload length, an EVLR a 60-byte header with a uint64 payload length.
 * The LAS writer, the LAZ compressor and the COPC assembler all write their VLRs here.
 *
 * @example
 * const bytes = encodeVlr({ userId: 'LASF_Projection', recordId: 2112, description: 'OGC WKT', data: wktBytes });
 */
import { writeCString } from './binary.ts';
import { EVLR_HEADER_SIZE, VLR_HEADER_SIZE } from './vlr.ts';

/** A record to write: user id (≤ 16 ASCII chars), record id, description (≤ 32 ASCII chars), payload. */
export interface VlrRecord {
  readonly userId: string;
  readonly recordId: number;
  readonly description: string;
  readonly data: Uint8Array;
}

/**
 * Header + payload of a VLR, bytes. Throws `Invalid VLR length: …` when the payload exceeds 65535 bytes and
 * `Invalid VLR user id: …` / `Invalid VLR description: …` for text that is too long or not ASCII.
 */
export function encodeVlr(record: VlrRecord): Uint8Array {
  if (record.data.byteLength > 0xffff) throw new Error(`Invalid VLR length: ${record.data.byteLength} for ${record.userId}/${record.recordId}`);
  const out = new Uint8Array(VLR_HEADER_SIZE + record.data.byteLength);
  const view = new DataView(out.buffer);
  // LAS 1.4 R15 §2.5 table 19: reserved u16 at 0 (left 0), user id char[16] at 2, record id u16 at 18, record
  // length after header u16 at 20, description char[32] at 22.
  writeCString(out, 2, 16, record.userId, 'VLR user id');
  view.setUint16(18, record.recordId, true);
  view.setUint16(20, record.data.byteLength, true);
  writeCString(out, 22, 32, record.description, 'VLR description');
  out.set(record.data, VLR_HEADER_SIZE);
  return out;
}

/** The 60-byte EVLR header for a payload of `length` bytes (the payload is written separately). */
export function encodeEvlrHeader(userId: string, recordId: number, description: string, length: number): Uint8Array {
  const out = new Uint8Array(EVLR_HEADER_SIZE);
  const view = new DataView(out.buffer);
  // LAS 1.4 R15 §2.7 table 30: reserved u16 at 0 (left 0), user id char[16] at 2, record id u16 at 18, record
  // length after header u64 at 20, description char[32] at 28.
  writeCString(out, 2, 16, userId, 'EVLR user id');
  view.setUint16(18, recordId, true);
  view.setBigUint64(20, BigInt(length), true);
  writeCString(out, 28, 32, description, 'EVLR description');
  return out;
}
