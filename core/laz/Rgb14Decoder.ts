/**
 * RGB14 (LASzip item type 11, version 3) decoder, also the first layer of RGBNIR14 (LAZ-FORMAT.md §7.1-7.2): the
 * mirror of Rgb14Encoder. One layer; per hand-over context a "used bytes" model and six byte-difference models.
 */
import type { ArithmeticDecoder } from './ArithmeticDecoder.ts';
import { type DecoderSymbolModel, takeSymbolModel } from './DecoderSymbolModel.ts';
import { startHandOverContext } from './hand-over.ts';

/** The models of one hand-over context. */
class RgbContext {
  readonly used = takeSymbolModel(128);
  readonly diff: (DecoderSymbolModel | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
}

function diffModel(c: RgbContext, i: number): DecoderSymbolModel {
  return c.diff[i] ?? (c.diff[i] = takeSymbolModel(256));
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Decoder of the RGB of PDRF 7/8 records; after each call the colour is `red`, `green`, `blue` (u16). */
export class Rgb14Decoder {
  red = 0;
  green = 0;
  blue = 0;
  private dec: ArithmeticDecoder | undefined;
  private readonly contexts: (RgbContext | undefined)[] = [undefined, undefined, undefined, undefined];
  /** Last colour per context: R, G, B at 3·ctx. */
  private readonly last = new Int32Array(12);
  private cur = 0;

  /**
   * Starts a chunk with the first point's raw 6 bytes at `o` and hand-over context h; `dec` is the layer's
   * decoder, or undefined when the layer is empty (every colour equals the first).
   */
  start(bytes: Uint8Array, o: number, h: number, dec: ArithmeticDecoder | undefined): void {
    this.dec = dec;
    this.contexts.fill(undefined);
    this.contexts[h] = new RgbContext();
    this.cur = h;
    this.red = bytes[o]! | (bytes[o + 1]! << 8);
    this.green = bytes[o + 2]! | (bytes[o + 3]! << 8);
    this.blue = bytes[o + 4]! | (bytes[o + 5]! << 8);
    this.last[h * 3] = this.red;
    this.last[h * 3 + 1] = this.green;
    this.last[h * 3 + 2] = this.blue;
  }

  /** Decodes the next point's colour with hand-over context h. */
  next(h: number): void {
    const dec = this.dec;
    if (!dec) return;
    const last = this.last;
    let pf = this.cur;
    let c = this.contexts[h];
    if (!c) {
      c = new RgbContext();
      this.contexts[h] = c;
      pf = startHandOverContext(last, 3, pf, h);
    }
    this.cur = h;
    const ctx = c;
    const p = pf * 3;
    const lR = last[p]!;
    const lG = last[p + 1]!;
    const lB = last[p + 2]!;
    const sym = dec.decodeSymbol(ctx.used);
    let r0 = lR & 255;
    let r1 = lR >> 8;
    if (sym & 1) r0 = (r0 + dec.decodeSymbol(diffModel(ctx, 0))) & 255;
    if (sym & 2) r1 = (r1 + dec.decodeSymbol(diffModel(ctx, 1))) & 255;
    let g0: number;
    let g1: number;
    let b0: number;
    let b1: number;
    if (sym & 64) {
      const lg0 = lG & 255;
      const lg1 = lG >> 8;
      const lb0 = lB & 255;
      const lb1 = lB >> 8;
      let dLo = r0 - (lR & 255);
      let dHi = r1 - (lR >> 8);
      g0 = sym & 4 ? (dec.decodeSymbol(diffModel(ctx, 2)) + clamp255(dLo + lg0)) & 255 : lg0;
      if (sym & 16) {
        // Note: C integer division truncates toward zero; `>> 1` would floor negative values.
        dLo = ((dLo + g0 - lg0) / 2) | 0;
        b0 = (dec.decodeSymbol(diffModel(ctx, 4)) + clamp255(dLo + lb0)) & 255;
      } else {
        b0 = lb0;
      }
      g1 = sym & 8 ? (dec.decodeSymbol(diffModel(ctx, 3)) + clamp255(dHi + lg1)) & 255 : lg1;
      if (sym & 32) {
        dHi = ((dHi + g1 - lg1) / 2) | 0;
        b1 = (dec.decodeSymbol(diffModel(ctx, 5)) + clamp255(dHi + lb1)) & 255;
      } else {
        b1 = lb1;
      }
    } else {
      g0 = b0 = r0;
      g1 = b1 = r1;
    }
    const R = r0 | (r1 << 8);
    const G = g0 | (g1 << 8);
    const B = b0 | (b1 << 8);
    last[p] = R;
    last[p + 1] = G;
    last[p + 2] = B;
    this.red = R;
    this.green = G;
    this.blue = B;
  }
}
