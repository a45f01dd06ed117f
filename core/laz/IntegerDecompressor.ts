/**
 * The LASzip integer decompressor (LAZ-FORMAT.md §5): the mirror of IntegerCompressor. Reads the bucket k
 * (symbol model per context) and the corrector inside it, and returns `pred + corrector`, folded into
 * [0, 2^bits) for compressors of fewer than 32 bits. Always bitsHigh = 8, range = 0 in these formats.
 */
import type { ArithmeticDecoder } from './ArithmeticDecoder.ts';
import { type DecoderSymbolModel, takeSymbolModel } from './DecoderSymbolModel.ts';
import { BITS_HIGH, IntegerCorrector, LOW_MASKS } from './integer-corrector.ts';
import { BitModel } from './models.ts';

/** Integer decompressor IC(bits, contexts); models are created on first use, as the encoder's. */
export class IntegerDecompressor extends IntegerCorrector {
  private readonly kModels: (DecoderSymbolModel | undefined)[];
  private readonly corrModels: (DecoderSymbolModel | undefined)[];
  private bit0Model: BitModel | undefined;

  constructor(bits: number, contexts: number) {
    super(bits);
    this.kModels = new Array<DecoderSymbolModel | undefined>(contexts).fill(undefined);
    this.corrModels = new Array<DecoderSymbolModel | undefined>(this.corrBits + 1).fill(undefined);
  }

  /** Forgets the models (a new chunk). */
  reset(): void {
    this.kModels.fill(undefined);
    this.corrModels.fill(undefined);
    this.bit0Model = undefined;
    this.lastK = 0;
  }

  /** Decodes a value predicted by `pred` in the given context: i32 for 32-bit, [0, 2^bits) otherwise. */
  decompress(dec: ArithmeticDecoder, pred: number, context: number): number {
    const kModel = this.kModels[context] ?? (this.kModels[context] = takeSymbolModel(this.corrBits + 1));
    const k = dec.decodeSymbol(kModel);
    this.lastK = k;
    let c: number;
    if (k === 0) {
      c = dec.decodeBit(this.bit0Model ?? (this.bit0Model = new BitModel()));
    } else if (k < 32) {
      let t: number;
      if (k <= BITS_HIGH) {
        t = dec.decodeSymbol(this.corrModels[k] ?? (this.corrModels[k] = takeSymbolModel(1 << k)));
      } else {
        const low = k - BITS_HIGH;
        const high = dec.decodeSymbol(this.corrModels[k] ?? (this.corrModels[k] = takeSymbolModel(256)));
        t = (high << low) | dec.readBits(low);
      }
      // LAZ-FORMAT.md §5.2: t in [2^(k−1), 2^k − 1] codes c = t + 1 > 0, t below that codes c = t − (2^k − 1).
      c = t > LOW_MASKS[k - 1]! ? t + 1 : t - LOW_MASKS[k]!;
    } else {
      c = this.corrMin;
    }
    if (this.corrRange === 0) return (pred + c) | 0;
    let real = pred + c;
    if (real < 0) real += this.corrRange;
    else if (real >= this.corrRange) real -= this.corrRange;
    return real;
  }
}
