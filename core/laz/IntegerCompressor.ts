/**
 * The LASzip integer compressor (LAZ-FORMAT.md §5): codes `real − pred` as a bucket k (symbol model per context)
 * plus a corrector inside the bucket (symbol models per k, low bits raw above 8 bits). Always bitsHigh = 8,
 * range = 0 in the formats written here.
 */
import type { ArithmeticEncoder } from './ArithmeticEncoder.ts';
import { BITS_HIGH, IntegerCorrector, LOW_MASKS } from './integer-corrector.ts';
import { BitModel, SymbolModel } from './models.ts';

/** Integer compressor IC(bits, contexts); its models are created lazily on first use, which is unobservable. */
export class IntegerCompressor extends IntegerCorrector {
  private readonly kModels: (SymbolModel | undefined)[];
  private readonly corrModels: (SymbolModel | undefined)[];
  private bit0Model: BitModel | undefined;

  constructor(bits: number, contexts: number) {
    super(bits);
    this.kModels = new Array<SymbolModel | undefined>(contexts).fill(undefined);
    this.corrModels = new Array<SymbolModel | undefined>(this.corrBits + 1).fill(undefined);
  }

  /** Codes `real` predicted by `pred` (both i32, or u16/i16 for 16-bit compressors) in the given context. */
  compress(enc: ArithmeticEncoder, pred: number, real: number, context: number): void {
    let c = (real - pred) | 0;
    if (c < this.corrMin) c += this.corrRange;
    else if (c > this.corrMax) c -= this.corrRange;
    // k = smallest k with c in [−(2^k − 1), 2^k]
    const m = c <= 0 ? -c : c - 1;
    const k = m === 0 ? 0 : 32 - Math.clz32(m);
    this.lastK = k;
    const kModel = this.kModels[context] ?? (this.kModels[context] = new SymbolModel(this.corrBits + 1));
    enc.encodeSymbol(kModel, k);
    if (k === 0) {
      enc.encodeBit(this.bit0Model ?? (this.bit0Model = new BitModel()), c);
    } else if (k < 32) {
      const t = c < 0 ? c + LOW_MASKS[k]! : c - 1;
      if (k <= BITS_HIGH) {
        enc.encodeSymbol(this.corrModels[k] ?? (this.corrModels[k] = new SymbolModel(1 << k)), t);
      } else {
        const low = k - BITS_HIGH;
        enc.encodeSymbol(this.corrModels[k] ?? (this.corrModels[k] = new SymbolModel(256)), t >>> low);
        enc.writeBits(low, t & LOW_MASKS[low]!);
      }
    }
    // k = 32 (only c = −2^31): nothing more; the decoder returns corrMin.
  }
}
