/**
 * What the LASzip integer compressor and decompressor share (LAZ-FORMAT.md §5): the corrector's range for a
 * given bit count, the split between modelled and raw corrector bits, and the low-bit masks.
 */

/** Corrector bits coded with a model; the rest are written raw (bitsHigh = 8 in every format here). */
export const BITS_HIGH = 8;

/** 2^k − 1 for k = 0…31 (`2 ** k` is a slow Math.pow call in the hot path). */
export const LOW_MASKS = Int32Array.from({ length: 32 }, (_, k) => 2 ** k - 1);

/**
 * The corrector of IC(bits, …) that compressor and decompressor share: its bit count, the range it folds into
 * (0 = none: 32 bits) and its signed limits; each side extends it with its own models.
 */
export class IntegerCorrector {
  protected readonly corrBits: number;
  protected readonly corrRange: number;
  protected readonly corrMin: number;
  protected readonly corrMax: number;
  /** The bucket k of the most recent value coded (POINT14 derives Y/Z contexts from it). */
  lastK = 0;

  constructor(bits: number) {
    if (bits > 0 && bits < 32) {
      this.corrBits = bits;
      this.corrRange = 2 ** bits;
      this.corrMin = -(2 ** (bits - 1));
      this.corrMax = 2 ** (bits - 1) - 1;
    } else {
      this.corrBits = 32;
      this.corrRange = 0;
      this.corrMin = -2147483648;
      this.corrMax = 2147483647;
    }
  }
}
