/**
 * Independent decoding for the COPC writer tests: laz-perf 0.0.7 (the decoder copc.js uses) reads a whole
 * LAZ file into raw point records (through tests/core/laz/laz-test-support.ts, the same wrapper the LAZ encoder
 * tests use), and a tiny LAS header parse reads uncompressed files.
 */
import { createLazPerf, type LazPerf } from 'laz-perf';
import { decodeFileWithLazPerf, loadLazPerf } from '../laz/laz-test-support.ts';

let lazPerf: Promise<LazPerf> | undefined;

/** The shared laz-perf module. */
export function getLazPerf(): Promise<LazPerf> {
  const created = lazPerf ?? createLazPerf();
  lazPerf = created;
  return created;
}

/** Raw records of a file and the header fields needed to read them. */
export interface RawRecords {
  readonly format: number;
  readonly recordLength: number;
  readonly count: number;
  readonly records: Uint8Array;
  readonly scale: [number, number, number];
  readonly offset: [number, number, number];
}

function headerFields(bytes: Uint8Array): Omit<RawRecords, 'records' | 'count'> & { legacyCount: number; count14: number; dataOffset: number; compressed: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minor = bytes[25]!;
  return {
    format: bytes[104]! & 0x3f,
    compressed: (bytes[104]! & 0x80) !== 0,
    recordLength: view.getUint16(105, true),
    dataOffset: view.getUint32(96, true),
    legacyCount: view.getUint32(107, true),
    count14: minor >= 4 ? Number(view.getBigUint64(247, true)) : 0,
    scale: [view.getFloat64(131, true), view.getFloat64(139, true), view.getFloat64(147, true)],
    offset: [view.getFloat64(155, true), view.getFloat64(163, true), view.getFloat64(171, true)],
  };
}

/** Decodes every point of a LAS or LAZ file (LAZ through laz-perf's `LASZip`) into raw records. */
export async function decodeFile(bytes: Uint8Array): Promise<RawRecords> {
  const h = headerFields(bytes);
  const count = h.count14 || h.legacyCount;
  if (!h.compressed) {
    return { ...h, count, records: bytes.slice(h.dataOffset, h.dataOffset + count * h.recordLength) };
  }
  const decoded = decodeFileWithLazPerf(await loadLazPerf(), bytes);
  if (decoded.recordLength !== h.recordLength) throw new Error(`Invalid record length: laz-perf reads ${decoded.recordLength}, the header says ${h.recordLength}`);
  return { ...h, count: decoded.count, records: decoded.records };
}

/** The records as hex strings, sorted: a multiset that two files can be compared by. */
export function recordMultiset(records: Uint8Array, count: number, recordLength: number): string[] {
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = Buffer.from(records.subarray(i * recordLength, (i + 1) * recordLength)).toString('hex');
  return out.sort();
}
