/**
 * The NIR layer of RGBNIR14 (LASzip item type 12, version 3; LAZ-FORMAT.md §7.3): the mirror of Nir14Encoder.
 * One layer; per hand-over context a 4-symbol "changed bytes" model and two byte-difference models.
 */
import type { ArithmeticDecoder } from './ArithmeticDecoder.ts';
import { type DecoderSymbolModel, takeSymbolModel } from './DecoderSymbolModel.ts';
import { startHandOverContext } from './hand-over.ts';

/** The models of one hand-over context. */
class NirContext {
  readonly used = takeSymbolModel(4);
  diffLo: DecoderSymbolModel | undefined;
  diffHi: DecoderSymbolModel | undefined;
}

/** Decoder of the NIR channel of PDRF 8 records; after each call the value is `nir` (u16). */
export class Nir14Decoder {
  nir = 0;
  private dec: ArithmeticDecoder | undefined;
  private readonly contexts: (NirContext | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly last = new Int32Array(4);
  private cur = 0;

  /** Starts a chunk with the first point's raw 2 bytes at `o`; `dec` undefined when the layer is empty. */
  start(bytes: Uint8Array, o: number, h: number, dec: ArithmeticDecoder | undefined): void {
    this.dec = dec;
    this.contexts.fill(undefined);
    this.contexts[h] = new NirContext();
    this.cur = h;
    this.nir = bytes[o]! | (bytes[o + 1]! << 8);
    this.last[h] = this.nir;
  }

  /** Decodes the next point's NIR with hand-over context h. */
  next(h: number): void {
    const dec = this.dec;
    if (!dec) return;
    const last = this.last;
    let pf = this.cur;
    let c = this.contexts[h];
    if (!c) {
      c = new NirContext();
      this.contexts[h] = c;
      pf = startHandOverContext(last, 1, pf, h);
    }
    this.cur = h;
    const ctx = c;
    const l = last[pf]!;
    const sym = dec.decodeSymbol(ctx.used);
    let lo = l & 255;
    let hi = l >> 8;
    if (sym & 1) lo = (lo + dec.decodeSymbol(ctx.diffLo ?? (ctx.diffLo = takeSymbolModel(256)))) & 255;
    if (sym & 2) hi = (hi + dec.decodeSymbol(ctx.diffHi ?? (ctx.diffHi = takeSymbolModel(256)))) & 255;
    const v = lo | (hi << 8);
    last[pf] = v;
    this.nir = v;
  }
}
