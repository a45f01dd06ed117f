/**
 * What the LASzip integer compressor and decompressor share (LAZ-FORMAT.md §5): the corrector's range for a
 * given bit count, the split between modelled and raw corrector bits, and the low-bit masks.
 */

/** Corrector bits coded with a model; the rest are written raw (bitsHigh = 8 in every format here). */
export const BITS_HIGH = 8;

/** 2^k − 1 for k = 0…31 (`2 ** k` is a slow Math.pow call in the hot path). */
export const LOW_MASKS = Int32Array.from({ length: 32 }, (_, k) => 2 ** k - 1);

/** The corrector of IC(bits, …): its bit count, the range it folds into (0 = none) and its signed limits. */
export interface CorrectorRange {
  readonly corrBits: number;
  readonly corrRange: number;
  readonly corrMin: number;
  readonly corrMax: number;
}

/** The corrector range of an integer compressor of `bits` bits (range = 0 in these formats; 32 bits = no fold). */
export function correctorRange(bits: number): CorrectorRange {
  if (bits > 0 && bits < 32) return { corrBits: bits, corrRange: 2 ** bits, corrMin: -(2 ** (bits - 1)), corrMax: 2 ** (bits - 1) - 1 };
  return { corrBits: 32, corrRange: 0, corrMin: -2147483648, corrMax: 2147483647 };
}
