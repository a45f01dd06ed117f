/**
 * Streams the converted records (PDRF 6/7/8) of every input in pieces, in file order: LAZ chunks decoded on
 * the worker pool, LAS read in ranges. Colour is not stretched here (that needs a whole file's maximum): the
 * per-input colour maxima come back at the end.
 */
import { convertRecords, EXTENDED_RECORD_LENGTH, findMaxRgb } from '../../core/las/record-convert.ts';
import { findVlr } from '../../core/las/vlr.ts';
import { decodeLazChunkTable, type LazChunk } from '../../core/laz/chunk-table-reader.ts';
import type { Point3 } from '../../core/copc/writer/cube.ts';
import { CliError } from '../cli-error.ts';
import type { InputSet, TileInput } from './inputs.ts';
import type { WorkerPool } from './WorkerPool.ts';

/** Receives a piece: `count` converted records of input `input`. */
export type PieceHandler = (records: Uint8Array, count: number, input: number) => void | Promise<void>;

// Points per decode job / per LAS range read.
const PIECE_POINTS = 200_000;

/** Streams all inputs; returns the largest colour value of each input (-1: no colour). */
export async function streamInputs(set: InputSet, pool: WorkerPool, onPiece: PieceHandler): Promise<number[]> {
  const maxRgb: number[] = [];
  for (let i = 0; i < set.inputs.length; i++) {
    const input = set.inputs[i]!;
    try {
      maxRgb.push(await streamInput(set, input, i, pool, onPiece));
    } catch (error) {
      if (error instanceof CliError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new CliError(message.includes(input.path) ? message : `${message} in ${input.path}`);
    }
  }
  return maxRgb;
}

async function streamInput(set: InputSet, input: TileInput, index: number, pool: WorkerPool, onPiece: PieceHandler): Promise<number> {
  const { las, path } = input;
  const h = las.header;
  const from = { format: h.pointFormat, recordLength: h.pointRecordLength };
  const outLength = EXTENDED_RECORD_LENGTH[set.pointFormat] + set.extraBytes;
  const deliver = async (records: Uint8Array, count: number): Promise<void> => {
    if (!set.sameQuantization) requantize(records, count, outLength, h, set.scale, set.offset, path);
    await onPiece(records, count, index);
  };

  const chunks = las.compressed ? await findChunks(input) : undefined;
  if (chunks) {
    const jobs: Array<{ first: number; last: number }> = [];
    for (let i = 0; i < chunks.length; ) {
      let j = i;
      let points = 0;
      while (j < chunks.length && (points < PIECE_POINTS || j === i)) points += chunks[j++]!.pointCount;
      jobs.push({ first: i, last: j });
      i = j;
    }
    let max = -1;
    const window = Math.max(1, 2 * pool.size + 1);
    const pending: Array<Promise<{ records: Uint8Array; count: number; maxRgb: number }>> = [];
    let next = 0;
    for (let k = 0; k < jobs.length; k++) {
      while (next < jobs.length && next < k + window) {
        const job = jobs[next++]!;
        const begin = chunks[job.first]!.offset;
        const end = chunks[job.last - 1]!.offset + chunks[job.last - 1]!.byteCount;
        const promise = pool.decode({ bytes: await input.getter.get(begin, end), chunks: chunks.slice(job.first, job.last), format: h.pointFormat, recordLength: h.pointRecordLength });
        promise.catch(() => undefined);
        pending.push(promise);
      }
      const result = await pending[k]!;
      max = Math.max(max, result.maxRgb);
      await deliver(result.records, result.count);
    }
    return max;
  }
  if (las.compressed) {
    // Note: no usable chunk table: core/las decodes the whole file at once.
    const raw = await las.readRecords();
    await deliver(convertRecords(raw.bytes, raw.count, from), raw.count);
    return findMaxRgb(raw.bytes, raw.count, from);
  }
  let max = -1;
  for (let start = 0; start < h.pointCount; start += PIECE_POINTS) {
    const raw = await las.readRecords({ start, count: Math.min(PIECE_POINTS, h.pointCount - start) });
    max = Math.max(max, findMaxRgb(raw.bytes, raw.count, from));
    await deliver(convertRecords(raw.bytes, raw.count, from), raw.count);
  }
  return max;
}

/** The chunks of a LAZ input from its chunk table, or undefined when it has none usable. */
async function findChunks({ las, getter }: TileInput): Promise<LazChunk[] | undefined> {
  const vlr = findVlr(las.vlrs, 'laszip encoded', 22204)?.payload;
  if (!vlr || vlr.byteLength < 16) return undefined;
  const view = new DataView(vlr.buffer, vlr.byteOffset, vlr.byteLength);
  const compressor = view.getUint16(0, true);
  if (compressor !== 2 && compressor !== 3) return undefined;
  const { pointDataOffset, pointCount } = las.header;
  if (pointDataOffset + 8 > getter.size) return undefined;
  // Only the 8-byte offset and the table itself are needed to split the file.
  const head = new DataView((await getter.get(pointDataOffset, pointDataOffset + 8)).buffer);
  const tableAt = Number(head.getBigInt64(0, true));
  if (!(tableAt > pointDataOffset && tableAt < getter.size)) return undefined;
  try {
    return decodeLazChunkTable(await getter.get(tableAt, getter.size), tableAt, pointDataOffset, pointCount, view.getUint32(12, true));
  } catch {
    return undefined;
  }
}

/** Rewrites X/Y/Z of converted records from their file's scale/offset to the output's. */
function requantize(
  records: Uint8Array,
  count: number,
  recordLength: number,
  header: { readonly scale: readonly number[]; readonly offset: readonly number[] },
  scale: Point3,
  offset: Point3,
  path: string,
): void {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  for (let k = 0; k < 3; k++) {
    const s = header.scale[k]!;
    const o = header.offset[k]!;
    if (s === scale[k] && o === offset[k]) continue;
    for (let i = 0; i < count; i++) {
      const at = i * recordLength + 4 * k;
      const world = view.getInt32(at, true) * s + o;
      const value = Math.round((world - offset[k]!) / scale[k]!);
      if (value < -0x80000000 || value > 0x7fffffff) throw new CliError(`Invalid coordinate: ${world} in ${path} does not fit the output scale and offset`);
      view.setInt32(at, value, true);
    }
  }
}

/** Stretches 8-bit colour (at byte 30 of PDRF 7/8 records) to 16 bits in place. */
export function stretchRgb(records: Uint8Array, start: number, count: number, recordLength: number): void {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  for (let i = 0; i < count; i++) {
    const at = (start + i) * recordLength + 30;
    for (let c = 0; c < 3; c++) view.setUint16(at + 2 * c, view.getUint16(at + 2 * c, true) * 257, true);
  }
}
