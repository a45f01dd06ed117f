/**
 * Variable length records (LAS 1.4 R15 §2.5) and extended variable length records (§2.7).
 */
import { dataViewOf, readCString } from './binary.ts';

/** Size of a VLR header (LAS 1.4 R15 §2.5 table 19), bytes. */
export const VLR_HEADER_SIZE = 54;
/** Size of an EVLR header (LAS 1.4 R15 §2.7 table 30), bytes. */
export const EVLR_HEADER_SIZE = 60;

/** One VLR or EVLR. */
export interface Vlr {
  readonly userId: string;
  readonly recordId: number;
  readonly description: string;
  /** True for an EVLR (after the point data, 64-bit length). */
  readonly extended: boolean;
  /** File offset of the payload (the bytes after the record header). */
  readonly payloadOffset: number;
  /** Payload length in bytes. */
  readonly payloadLength: number;
  /**
   * The payload. Always present for VLRs; for EVLRs present only once loaded (LasFile loads CRS and extra-bytes
   * EVLRs; others, e.g. a COPC hierarchy or waveform data, stay on disk until `readVlrPayload`).
   */
  readonly payload?: Uint8Array;
}

/** The first VLR/EVLR with this user id and record id, or undefined. */
export function findVlr(vlrs: readonly Vlr[], userId: string, recordId: number): Vlr | undefined {
  return vlrs.find((v) => v.userId === userId && v.recordId === recordId);
}

/**
 * Parses `count` VLRs from the bytes between the header and the point data; `begin` is the file offset of
 * `bytes[0]`. Throws `Invalid VLR …` when a record runs past the end of `bytes` (a lying count or length).
 */
export function parseVlrs(bytes: Uint8Array, count: number, begin: number, name: string): Vlr[] {
  const view = dataViewOf(bytes);
  const out: Vlr[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + VLR_HEADER_SIZE > bytes.byteLength) {
      throw new Error(`Invalid VLR count: ${count}, VLR ${i} would start at ${begin + at}, past the offset to point data in ${name}`);
    }
    // LAS 1.4 R15 §2.5 table 19: reserved uint16 at 0, user id char[16] at 2, record id uint16 at 18, record
    // length after header uint16 at 20, description char[32] at 22.
    const userId = readCString(bytes, at + 2, 16);
    const recordId = view.getUint16(at + 18, true);
    const payloadLength = view.getUint16(at + 20, true);
    const description = readCString(bytes, at + 22, 32);
    const payloadAt = at + VLR_HEADER_SIZE;
    if (payloadAt + payloadLength > bytes.byteLength) {
      throw new Error(`Invalid VLR length: ${userId}/${recordId} has ${payloadLength} bytes, past the offset to point data in ${name}`);
    }
    out.push({
      userId,
      recordId,
      description,
      extended: false,
      payloadOffset: begin + payloadAt,
      payloadLength,
      payload: bytes.subarray(payloadAt, payloadAt + payloadLength),
    });
    at = payloadAt + payloadLength;
  }
  return out;
}

/**
 * Parses one 60-byte EVLR header at file offset `begin`; the payload is not read.
 */
export function parseEvlrHeader(bytes: Uint8Array, begin: number, name: string): Vlr {
  if (bytes.byteLength < EVLR_HEADER_SIZE) throw new Error(`Invalid EVLR at ${begin}: truncated in ${name}`);
  const view = dataViewOf(bytes);
  // LAS 1.4 R15 §2.7 table 30: reserved uint16 at 0, user id char[16] at 2, record id uint16 at 18, record
  // length after header uint64 at 20, description char[32] at 28.
  const length = view.getBigUint64(20, true);
  if (length > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`Invalid EVLR length: ${length} at ${begin} in ${name}`);
  return {
    userId: readCString(bytes, 2, 16),
    recordId: view.getUint16(18, true),
    description: readCString(bytes, 28, 32),
    extended: true,
    payloadOffset: begin + EVLR_HEADER_SIZE,
    payloadLength: Number(length),
  };
}
