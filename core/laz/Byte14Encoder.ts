/**
 * BYTE14 (LASzip item type 14, version 3) encoder for the extra bytes of a record (LAZ-FORMAT.md §7.4): one
 * stream per byte position, per hand-over context one difference model per position.
 */
import { ArithmeticEncoder } from './ArithmeticEncoder.ts';
import { EMPTY_LAYER, type LayeredItemEncoder } from './layered-item.ts';
import { SymbolModel } from './models.ts';
import { startHandOverContext } from './hand-over.ts';

/** Encoder of N extra bytes per record. */
export class Byte14Encoder implements LayeredItemEncoder {
  readonly layerCount: number;
  private readonly encoders: ArithmeticEncoder[] = [];
  /** Per context, the models of every byte position (lazily created). */
  private readonly models: ((SymbolModel | undefined)[] | undefined)[] = [undefined, undefined, undefined, undefined];
  /** Last bytes per context at N·ctx. */
  private readonly last: Uint8Array;
  private readonly changed: Uint8Array;
  private cur = 0;

  constructor(count: number) {
    this.layerCount = count;
    for (let i = 0; i < count; i++) this.encoders.push(new ArithmeticEncoder(256));
    this.last = new Uint8Array(4 * count);
    this.changed = new Uint8Array(count);
  }

  reset(): void {
    for (const enc of this.encoders) enc.reset();
    this.models.fill(undefined);
    this.changed.fill(0);
    this.cur = 0;
  }

  encode(bytes: Uint8Array, _view: DataView, o: number, h: number, first: boolean): void {
    const count = this.layerCount;
    const last = this.last;
    if (first) {
      this.models[h] = new Array<SymbolModel | undefined>(count).fill(undefined);
      this.cur = h;
      last.set(bytes.subarray(o, o + count), h * count);
      return;
    }
    let pf = this.cur;
    let models = this.models[h];
    if (!models) {
      models = new Array<SymbolModel | undefined>(count).fill(undefined);
      this.models[h] = models;
      pf = startHandOverContext(last, count, pf, h);
    }
    this.cur = h;
    const ms = models;
    const p = pf * count;
    for (let i = 0; i < count; i++) {
      const b = bytes[o + i]!;
      const l = last[p + i]!;
      this.encoders[i]!.encodeSymbol(ms[i] ?? (ms[i] = new SymbolModel(256)), (b - l) & 255);
      if (b !== l) {
        this.changed[i] = 1;
        last[p + i] = b;
      }
    }
  }

  finish(): void {
    for (const enc of this.encoders) enc.done();
  }

  layerBytes(i: number): Uint8Array {
    return this.changed[i] ? this.encoders[i]!.bytes() : EMPTY_LAYER;
  }
}
