/**
 * Reads the chunk table of a LAZ file (LAZ-FORMAT §2.1-2.2) so that its chunks can be decoded independently,
 * in parallel: the chunk decoder's ArithmeticDecoder and a 32-bit IntegerDecompressor with two contexts. The
 * writer is chunk-table.ts.
 */
import { ArithmeticDecoder } from './ArithmeticDecoder.ts';
import { releaseSymbolModels } from './DecoderSymbolModel.ts';
import { IntegerDecompressor } from './IntegerDecompressor.ts';

/** One chunk of a LAZ file: absolute byte offset, length and point count. */
export interface LazChunk {
  readonly offset: number;
  readonly byteCount: number;
  readonly pointCount: number;
}

/**
 * The chunks of a LAZ file from its chunk table. `chunkSize` is the LASzip VLR's (0xFFFFFFFF = variable);
 * with fixed chunks the last chunk holds the rest of `pointCount`. Throws `Invalid LAZ chunk table: …` when the
 * table is missing or does not add up (byte counts must fill the point data area exactly).
 */
export function readLazChunks(file: Uint8Array, pointDataOffset: number, pointCount: number, chunkSize: number): LazChunk[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const tableAt = Number(view.getBigInt64(pointDataOffset, true));
  if (!(tableAt >= pointDataOffset + 8 && tableAt + 8 <= file.byteLength)) throw new Error(`Invalid LAZ chunk table: offset ${tableAt}`);
  return decodeLazChunkTable(file.subarray(tableAt), tableAt, pointDataOffset, pointCount, chunkSize);
}

/**
 * Like {@link readLazChunks} from the table's bytes alone (`table` = the file from `tableAt` to its end), so
 * that a large file need not be read whole.
 */
export function decodeLazChunkTable(table: Uint8Array, tableAt: number, pointDataOffset: number, pointCount: number, chunkSize: number): LazChunk[] {
  if (table.byteLength < 8) throw new Error(`Invalid LAZ chunk table: offset ${tableAt}`);
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const version = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  if (version !== 0 || count === 0) throw new Error(`Invalid LAZ chunk table: version ${version}, ${count} chunks`);
  const variable = chunkSize === 0xffffffff;
  const dec = new ArithmeticDecoder('entries', 'LAZ chunk table');
  dec.init(table, 8, table.byteLength);
  // The models of an earlier chunk decode are dead (decoding is synchronous): reuse them, as the chunk decoder does.
  releaseSymbolModels();
  const ic = new IntegerDecompressor(32, 2);
  const chunks: LazChunk[] = [];
  let predCount = 0;
  let predBytes = 0;
  let offset = pointDataOffset + 8;
  let points = 0;
  for (let i = 0; i < count; i++) {
    let n: number;
    if (variable) {
      n = ic.decompress(dec, predCount, 0) >>> 0;
      predCount = n;
    } else {
      n = Math.min(chunkSize, pointCount - points);
    }
    const bytes = ic.decompress(dec, predBytes, 1) >>> 0;
    predBytes = bytes;
    chunks.push({ offset, byteCount: bytes, pointCount: n });
    offset += bytes;
    points += n;
  }
  if (offset !== tableAt || points !== pointCount) {
    throw new Error(`Invalid LAZ chunk table: chunks end at ${offset} (table at ${tableAt}) and hold ${points} of ${pointCount} points`);
  }
  return chunks;
}
