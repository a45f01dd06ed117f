/**
 * core/las/vlr-writer.ts against real files: every VLR of every shared-data file is rebuilt from the independent
 * header parse (_ground_truth/header_parse.json: user id, record id, length, description) and its payload bytes,
 * and must equal the bytes PDAL, LAStools, laspy and others wrote; the same for the COPC hierarchy EVLR headers.
 * Plus the limits: a payload over 65535 bytes, and text too long or not ASCII.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVLR_HEADER_SIZE, VLR_HEADER_SIZE } from '../../../core/las/vlr.ts';
import { encodeEvlrHeader, encodeVlr } from '../../../core/las/vlr-writer.ts';
import { listPointCloudFiles, rawHeaderTruth, sharedPath } from '../../helpers/shared-data.ts';

// Note: this Leica file leaves bytes after the NUL of its user ids and descriptions (the spec asks for NUL
// padding, which is what the writer does), so its VLRs cannot be matched byte for byte.
const GARBAGE_AFTER_NUL = new Set(['laspy/tests/data/simple1_3.las']);

interface TruthVlr {
  readonly userId: string;
  readonly recordId: number;
  readonly len: number;
  readonly desc?: string;
}

/** The shared-data files with raw header truth, their bytes and truth entry. */
function filesWithTruth(): { path: string; bytes: Uint8Array; truth: { headerSize: number; vlrs?: TruthVlr[]; evlrs?: TruthVlr[]; evlrStart?: number } }[] {
  return listPointCloudFiles()
    .map((path) => ({ path, truth: rawHeaderTruth(path) }))
    .filter((f) => f.truth !== undefined)
    .map((f) => ({ ...f, bytes: new Uint8Array(readFileSync(sharedPath(f.path))) }));
}

/** A NUL-terminated ASCII string of at most `length` bytes. */
function cString(bytes: Uint8Array, begin: number, length: number): string {
  let text = '';
  for (let i = 0; i < length && bytes[begin + i] !== 0; i++) text += String.fromCharCode(bytes[begin + i]!);
  return text;
}

describe('encodeVlr', () => {
  const files = filesWithTruth();

  it('rebuilds every VLR of the real files byte for byte (the reserved field aside)', () => {
    let compared = 0;
    for (const { path, bytes, truth } of files) {
      if (GARBAGE_AFTER_NUL.has(path)) continue;
      // LAS 1.4 R15 §2.5: the VLRs follow the header back to back.
      let at = truth.headerSize;
      for (const vlr of truth.vlrs ?? []) {
        const stored = bytes.subarray(at, at + VLR_HEADER_SIZE + vlr.len);
        const ours = encodeVlr({ userId: vlr.userId, recordId: vlr.recordId, description: vlr.desc ?? '', data: stored.subarray(VLR_HEADER_SIZE) });
        // Note: LAS 1.0-1.2 writers put 0xAABB in the reserved field; LAS 1.4 R15 §2.5 says 0, as written here.
        expect([ours[0], ours[1]], `${path} ${vlr.userId}/${vlr.recordId}`).toEqual([0, 0]);
        expect(ours.byteLength, `${path} ${vlr.userId}/${vlr.recordId}`).toBe(stored.byteLength);
        expect(Buffer.from(ours.subarray(2)).equals(Buffer.from(stored.subarray(2))), `${path} ${vlr.userId}/${vlr.recordId}`).toBe(true);
        at += VLR_HEADER_SIZE + vlr.len;
        compared++;
      }
    }
    // WKT, GeoTIFF keys, extra bytes, LASzip, COPC info and vendor records from about 60 files.
    expect(compared).toBeGreaterThan(150);
  });

  it('takes a payload of 65535 bytes and refuses one byte more', () => {
    const ok = encodeVlr({ userId: 'twinview', recordId: 1, description: 'max', data: new Uint8Array(0xffff).fill(7) });
    expect(ok.byteLength).toBe(VLR_HEADER_SIZE + 0xffff);
    expect(new DataView(ok.buffer).getUint16(20, true)).toBe(0xffff);
    expect(() => encodeVlr({ userId: 'twinview', recordId: 2, description: '', data: new Uint8Array(0x10000) })).toThrow(
      /^Invalid VLR length: 65536 for twinview\/2$/,
    );
  });

  it('refuses a user id over 16 or a description over 32 characters, and text that is not ASCII', () => {
    const data = new Uint8Array(1);
    expect(encodeVlr({ userId: 'x'.repeat(16), recordId: 1, description: 'd'.repeat(32), data }).byteLength).toBe(VLR_HEADER_SIZE + 1);
    expect(() => encodeVlr({ userId: 'x'.repeat(17), recordId: 1, description: '', data })).toThrow(/^Invalid VLR user id: /);
    expect(() => encodeVlr({ userId: 'x', recordId: 1, description: 'd'.repeat(33), data })).toThrow(/^Invalid VLR description: /);
    expect(() => encodeVlr({ userId: 'Höhe', recordId: 1, description: '', data })).toThrow(/^Invalid VLR user id: "Höhe" is not ASCII/);
  });
});

describe('encodeEvlrHeader', () => {
  it('rebuilds the EVLR headers of the real COPC and LAS 1.4 files byte for byte', () => {
    let compared = 0;
    for (const { path, bytes, truth } of filesWithTruth()) {
      if (truth.evlrStart === undefined || !truth.evlrs?.length) continue;
      // LAS 1.4 R15 §2.7: EVLRs follow each other from the header's start of first EVLR.
      let at = truth.evlrStart;
      for (const evlr of truth.evlrs) {
        const stored = bytes.subarray(at, at + EVLR_HEADER_SIZE);
        // The truth has no EVLR descriptions: the writer's own is taken from the file (char[32] at 28).
        const ours = encodeEvlrHeader(evlr.userId, evlr.recordId, cString(stored, 28, 32), evlr.len);
        expect(Buffer.from(ours.subarray(2)).equals(Buffer.from(stored.subarray(2))), `${path} ${evlr.userId}/${evlr.recordId}`).toBe(true);
        expect([ours[0], ours[1]]).toEqual([0, 0]);
        at += EVLR_HEADER_SIZE + evlr.len;
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });

  it('writes a length above 2^32 as uint64', () => {
    const header = encodeEvlrHeader('copc', 1000, 'EPT hierarchy', 2 ** 33 + 5);
    expect(header.byteLength).toBe(EVLR_HEADER_SIZE);
    expect(new DataView(header.buffer).getBigUint64(20, true)).toBe(2n ** 33n + 5n);
    expect(cString(header, 2, 16)).toBe('copc');
    expect(new DataView(header.buffer).getUint16(18, true)).toBe(1000);
    expect(cString(header, 28, 32)).toBe('EPT hierarchy');
  });
});
