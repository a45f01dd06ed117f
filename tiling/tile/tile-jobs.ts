/**
 * The work the tiler hands to worker threads, as plain functions that also run on the main thread: decode a
 * run of LAZ chunks and convert them to PDRF 6/7/8, or encode one octree node into a LAZ chunk.
 */
import type { LazPerfChunkModule } from '../../core/copc/copc-file.ts';
import { encodeChunk, type LazLayout } from '../../core/laz/chunk-encoder.ts';
import { convertRecords, findMaxRgb, EXTENDED_RECORD_LENGTH, getExtraByteCount, getTargetPointFormat } from '../../core/las/record-convert.ts';

/** Encode one node. */
export interface EncodeJob {
  readonly kind: 'encode';
  readonly records: Uint8Array;
  readonly count: number;
  readonly layout: LazLayout;
}

/** Decode consecutive LAZ chunks (their bytes back to back) and convert the records. */
export interface DecodeJob {
  readonly kind: 'decode';
  readonly bytes: Uint8Array;
  readonly chunks: ReadonlyArray<{ readonly byteCount: number; readonly pointCount: number }>;
  /** Source point format and record length. */
  readonly format: number;
  readonly recordLength: number;
}

/** Converted records and the largest colour value of the source records (-1: no colour). */
export interface DecodeResult {
  readonly records: Uint8Array;
  readonly count: number;
  readonly maxRgb: number;
}

/** Runs an encode job. */
export function runEncodeJob(job: EncodeJob): Uint8Array {
  return encodeChunk(job.records, job.count, job.layout);
}

/** Runs a decode job with a laz-perf instance; throws `Invalid LAZ data: …` when laz-perf fails. */
export function runDecodeJob(job: DecodeJob, lazPerf: LazPerfChunkModule): DecodeResult {
  const { recordLength, format } = job;
  const count = job.chunks.reduce((s, c) => s + c.pointCount, 0);
  const raw = new Uint8Array(count * recordLength);
  const batch = 4096;
  const dataPointer = lazPerf._malloc(job.bytes.byteLength);
  const pointPointer = lazPerf._malloc(batch * recordLength);
  const decoder = new lazPerf.ChunkDecoder();
  try {
    lazPerf.HEAPU8.set(job.bytes, dataPointer);
    let at = 0;
    let done = 0;
    for (const chunk of job.chunks) {
      // LAZ-FORMAT §2.3: a layered chunk (PDRF 6-10) stores its point count after the raw first point; with
      // fixed-size chunks the table cannot tell a header count that lies about the last chunk, this can.
      if (format >= 6 && at + recordLength + 4 <= job.bytes.byteLength) {
        const stored = new DataView(job.bytes.buffer, job.bytes.byteOffset + at + recordLength, 4).getUint32(0, true);
        if (stored !== chunk.pointCount) throw new Error(`Invalid point count: a LAZ chunk holds ${stored} points where the header implies ${chunk.pointCount}`);
      }
      decoder.open(format, recordLength, dataPointer + at);
      for (let p = 0; p < chunk.pointCount; ) {
        const n = Math.min(batch, chunk.pointCount - p);
        for (let k = 0; k < n; k++) decoder.getPoint(pointPointer + k * recordLength);
        // Note: HEAPU8 is a new view after WebAssembly memory grows; read it after decoding.
        raw.set(lazPerf.HEAPU8.subarray(pointPointer, pointPointer + n * recordLength), (done + p) * recordLength);
        p += n;
      }
      done += chunk.pointCount;
      at += chunk.byteCount;
    }
  } finally {
    decoder.delete();
    lazPerf._free(pointPointer);
    lazPerf._free(dataPointer);
  }
  const from = { format, recordLength };
  const target = getTargetPointFormat(format);
  const out = new Uint8Array(count * (EXTENDED_RECORD_LENGTH[target] + getExtraByteCount(from)));
  convertRecords(raw, count, from, { out });
  return { records: out, count, maxRgb: findMaxRgb(raw, count, from) };
}
