/**
 * The NIR layer of RGBNIR14 (LASzip item type 12, version 3; LAZ-FORMAT.md §7.3): one stream; per hand-over
 * context a 4-symbol "changed bytes" model and two byte-difference models.
 */
import { ArithmeticEncoder } from './ArithmeticEncoder.ts';
import { EMPTY_LAYER, type LayeredItemEncoder } from './layered-item.ts';
import { SymbolModel } from './models.ts';
import { startHandOverContext } from './hand-over.ts';

/** The models of one hand-over context. */
class NirContext {
  readonly used = new SymbolModel(4);
  diffLo: SymbolModel | undefined;
  diffHi: SymbolModel | undefined;
}

/** Encoder of the NIR channel of PDRF 8 records (u16). */
export class Nir14Encoder implements LayeredItemEncoder {
  readonly layerCount = 1;
  private readonly enc = new ArithmeticEncoder(256);
  private readonly contexts: (NirContext | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly last = new Int32Array(4);
  private cur = 0;
  private changed = false;

  reset(): void {
    this.enc.reset();
    this.contexts.fill(undefined);
    this.cur = 0;
    this.changed = false;
  }

  encode(bytes: Uint8Array, _view: DataView, o: number, h: number, first: boolean): void {
    const v = bytes[o]! | (bytes[o + 1]! << 8);
    const last = this.last;
    if (first) {
      this.contexts[h] = new NirContext();
      this.cur = h;
      last[h] = v;
      return;
    }
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
    const lo = (v & 255) - (l & 255);
    const hi = (v >> 8) - (l >> 8);
    const sym = (lo !== 0 ? 1 : 0) | (hi !== 0 ? 2 : 0);
    const enc = this.enc;
    enc.encodeSymbol(ctx.used, sym);
    if (sym !== 0) {
      this.changed = true;
      if (sym & 1) enc.encodeSymbol(ctx.diffLo ?? (ctx.diffLo = new SymbolModel(256)), lo & 255);
      if (sym & 2) enc.encodeSymbol(ctx.diffHi ?? (ctx.diffHi = new SymbolModel(256)), hi & 255);
    }
    last[pf] = v;
  }

  finish(): void {
    this.enc.done();
  }

  layerBytes(): Uint8Array {
    return this.changed ? this.enc.bytes() : EMPTY_LAYER;
  }
}
