/**
 * Reads the chunk table of a LAZ file (LAZ-FORMAT §2.1-2.2) so that its chunks can be decoded independently,
 * in parallel: an arithmetic decoder and a 32-bit integer decompressor, the mirror images of core/laz's
 * encoder (same adaptive models). The writer is chunk-table.ts.
 */
import { BitModel, SymbolModel } from './models.ts';

/** One chunk of a LAZ file: absolute byte offset, length and point count. */
export interface LazChunk {
  readonly offset: number;
  readonly byteCount: number;
  readonly pointCount: number;
}

const MIN_LENGTH = 1 << 24;

/** The LASzip arithmetic decoder (LAZ-FORMAT §3.5): the encoder's interval updates, reading one byte per shift. */
class ArithmeticDecoder {
  private readonly bytes: Uint8Array;
  private at: number;
  private value: number;
  private length = 0xffffffff;

  constructor(bytes: Uint8Array) {
    if (bytes.byteLength < 4) throw new Error('Invalid LAZ chunk table: stream shorter than 4 bytes');
    this.bytes = bytes;
    this.value = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    this.at = 4;
  }

  private next(): number {
    if (this.at >= this.bytes.byteLength) throw new Error('Invalid LAZ chunk table: stream ends early');
    return this.bytes[this.at++]!;
  }

  private renormalize(): void {
    while (this.length < MIN_LENGTH) {
      this.value = ((this.value << 8) | this.next()) >>> 0;
      this.length = (this.length << 8) >>> 0;
    }
  }

  decodeBit(m: BitModel): number {
    const x = m.p0 * (this.length >>> 13);
    let bit: number;
    if (this.value < x) {
      bit = 0;
      this.length = x;
      m.count0++;
    } else {
      bit = 1;
      this.value -= x;
      this.length -= x;
    }
    if (this.length < MIN_LENGTH) this.renormalize();
    if (--m.untilUpdate === 0) m.update();
    return bit;
  }

  decodeSymbol(m: SymbolModel): number {
    const unit = this.length >>> 15;
    const dist = m.dist;
    // Largest s with dist[s] * unit <= value (dist is increasing, dist[0] = 0).
    let lo = 0;
    let hi = m.symbols;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (dist[mid]! * unit <= this.value) lo = mid;
      else hi = mid;
    }
    const x = dist[lo]! * unit;
    this.value -= x;
    this.length = lo === m.lastSymbol ? this.length - x : dist[lo + 1]! * unit - x;
    if (this.length < MIN_LENGTH) this.renormalize();
    m.counts[lo]!++;
    if (--m.untilUpdate === 0) m.update();
    return lo;
  }

  readBits(bits: number): number {
    if (bits > 19) {
      const low = this.readBits(16);
      return this.readBits(bits - 16) * 65536 + low;
    }
    this.length = this.length >>> bits;
    const v = Math.floor(this.value / this.length);
    this.value -= v * this.length;
    if (this.length < MIN_LENGTH) this.renormalize();
    return v;
  }
}

/** IC(32, contexts) decompression (LAZ-FORMAT §5.2 read backwards). */
class IntegerDecompressor {
  private readonly kModels: SymbolModel[];
  private readonly corrModels: (SymbolModel | undefined)[] = new Array(33).fill(undefined);
  private readonly bit0 = new BitModel();

  constructor(contexts: number) {
    this.kModels = Array.from({ length: contexts }, () => new SymbolModel(33));
  }

  decompress(dec: ArithmeticDecoder, pred: number, context: number): number {
    const k = dec.decodeSymbol(this.kModels[context]!);
    let c: number;
    if (k === 0) {
      c = dec.decodeBit(this.bit0);
    } else if (k === 32) {
      c = -2147483648;
    } else {
      const model = this.corrModels[k] ?? (this.corrModels[k] = new SymbolModel(1 << Math.min(k, 8)));
      let t: number;
      if (k <= 8) {
        t = dec.decodeSymbol(model);
      } else {
        const low = k - 8;
        t = dec.decodeSymbol(model) * 2 ** low + dec.readBits(low);
      }
      c = t >= 2 ** (k - 1) ? t + 1 : t - (2 ** k - 1);
    }
    return (pred + c) | 0;
  }
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
  const dec = new ArithmeticDecoder(table.subarray(8));
  const ic = new IntegerDecompressor(2);
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
