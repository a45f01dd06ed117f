/**
 * BYTE14 (LASzip item type 14, version 3) decoder for the extra bytes of a record (LAZ-FORMAT.md §7.4): the
 * mirror of Byte14Encoder. One layer per byte position; per hand-over context one difference model per position.
 * A position whose layer is empty or not selected keeps the first point's byte.
 */
import type { ArithmeticDecoder } from './ArithmeticDecoder.ts';
import { type DecoderSymbolModel, takeSymbolModel } from './DecoderSymbolModel.ts';
import { startHandOverContext } from './hand-over.ts';

/** Decoder of N extra bytes per record; after each call the bytes are `bytes` (N). */
export class Byte14Decoder {
  readonly count: number;
  /** The current point's extra bytes. */
  readonly bytes: Uint8Array;
  private decs: (ArithmeticDecoder | undefined)[] = [];
  private readonly models: ((DecoderSymbolModel | undefined)[] | undefined)[] = [undefined, undefined, undefined, undefined];
  /** Last bytes per context at N·ctx. */
  private readonly last: Uint8Array;
  private cur = 0;

  constructor(count: number) {
    this.count = count;
    this.bytes = new Uint8Array(count);
    this.last = new Uint8Array(4 * count);
  }

  /** Starts a chunk with the first point's raw bytes at `o`; `decs[i]` undefined when layer i is skipped. */
  start(bytes: Uint8Array, o: number, h: number, decs: (ArithmeticDecoder | undefined)[]): void {
    const count = this.count;
    this.decs = decs;
    this.models.fill(undefined);
    this.models[h] = new Array<DecoderSymbolModel | undefined>(count).fill(undefined);
    this.cur = h;
    this.bytes.set(bytes.subarray(o, o + count));
    this.last.set(this.bytes, h * count);
  }

  /** Decodes the next point's extra bytes with hand-over context h. */
  next(h: number): void {
    const count = this.count;
    const last = this.last;
    let pf = this.cur;
    let models = this.models[h];
    if (!models) {
      models = new Array<DecoderSymbolModel | undefined>(count).fill(undefined);
      this.models[h] = models;
      pf = startHandOverContext(last, count, pf, h);
    }
    this.cur = h;
    const ms = models;
    const p = pf * count;
    const out = this.bytes;
    const decs = this.decs;
    for (let i = 0; i < count; i++) {
      const dec = decs[i];
      if (!dec) {
        out[i] = last[p + i]!;
        continue;
      }
      const b = (last[p + i]! + dec.decodeSymbol(ms[i] ?? (ms[i] = takeSymbolModel(256)))) & 255;
      last[p + i] = b;
      out[i] = b;
    }
  }
}
