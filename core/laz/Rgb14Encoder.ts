/**
 * RGB14 (LASzip item type 11, version 3) encoder, also the first layer of RGBNIR14 (LAZ-FORMAT.md §7.1-7.2):
 * one stream; per hand-over context a "used bytes" model and six byte-difference models.
 */
import { ArithmeticEncoder } from './ArithmeticEncoder.ts';
import { EMPTY_LAYER, type LayeredItemEncoder } from './layered-item.ts';
import { SymbolModel } from './models.ts';
import { startHandOverContext } from './hand-over.ts';

/** The models of one hand-over context. */
class RgbContext {
  readonly used = new SymbolModel(128);
  readonly diff: (SymbolModel | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
}

function diffModel(c: RgbContext, i: number): SymbolModel {
  return c.diff[i] ?? (c.diff[i] = new SymbolModel(256));
}

function clamp255(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Encoder of the RGB of PDRF 7/8 records (6 bytes: R, G, B as u16). */
export class Rgb14Encoder implements LayeredItemEncoder {
  readonly layerCount = 1;
  private readonly enc = new ArithmeticEncoder(1024);
  private readonly contexts: (RgbContext | undefined)[] = [undefined, undefined, undefined, undefined];
  /** Last colour per context: R, G, B at 3·ctx. */
  private readonly last = new Int32Array(12);
  private cur = 0;
  private changed = false;

  reset(): void {
    this.enc.reset();
    this.contexts.fill(undefined);
    this.cur = 0;
    this.changed = false;
  }

  encode(bytes: Uint8Array, _view: DataView, o: number, h: number, first: boolean): void {
    const R = bytes[o]! | (bytes[o + 1]! << 8);
    const G = bytes[o + 2]! | (bytes[o + 3]! << 8);
    const B = bytes[o + 4]! | (bytes[o + 5]! << 8);
    const last = this.last;
    if (first) {
      this.contexts[h] = new RgbContext();
      this.cur = h;
      last[h * 3] = R;
      last[h * 3 + 1] = G;
      last[h * 3 + 2] = B;
      return;
    }
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
    const r0 = R & 255, r1 = R >> 8, g0 = G & 255, g1 = G >> 8, b0 = B & 255, b1 = B >> 8;
    const lr0 = lR & 255, lr1 = lR >> 8, lg0 = lG & 255, lg1 = lG >> 8, lb0 = lB & 255, lb1 = lB >> 8;
    const sym =
      (r0 !== lr0 ? 1 : 0) |
      (r1 !== lr1 ? 2 : 0) |
      (g0 !== lg0 ? 4 : 0) |
      (g1 !== lg1 ? 8 : 0) |
      (b0 !== lb0 ? 16 : 0) |
      (b1 !== lb1 ? 32 : 0) |
      (r0 !== g0 || r0 !== b0 || r1 !== g1 || r1 !== b1 ? 64 : 0);
    const enc = this.enc;
    enc.encodeSymbol(ctx.used, sym);
    if (sym !== 0) {
      this.changed = true;
      let dLo = 0;
      let dHi = 0;
      if (sym & 1) {
        dLo = r0 - lr0;
        enc.encodeSymbol(diffModel(ctx, 0), dLo & 255);
      }
      if (sym & 2) {
        dHi = r1 - lr1;
        enc.encodeSymbol(diffModel(ctx, 1), dHi & 255);
      }
      if (sym & 64) {
        if (sym & 4) enc.encodeSymbol(diffModel(ctx, 2), (g0 - clamp255(dLo + lg0)) & 255);
        if (sym & 16) {
          // Note: C integer division truncates toward zero; `>> 1` would floor negative values.
          dLo = ((dLo + g0 - lg0) / 2) | 0;
          enc.encodeSymbol(diffModel(ctx, 4), (b0 - clamp255(dLo + lb0)) & 255);
        }
        if (sym & 8) enc.encodeSymbol(diffModel(ctx, 3), (g1 - clamp255(dHi + lg1)) & 255);
        if (sym & 32) {
          dHi = ((dHi + g1 - lg1) / 2) | 0;
          enc.encodeSymbol(diffModel(ctx, 5), (b1 - clamp255(dHi + lb1)) & 255);
        }
      }
    }
    last[p] = R;
    last[p + 1] = G;
    last[p + 2] = B;
  }

  finish(): void {
    this.enc.done();
  }

  layerBytes(): Uint8Array {
    return this.changed ? this.enc.bytes() : EMPTY_LAYER;
  }
}
