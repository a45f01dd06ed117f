/**
 * The contract between the LAZ chunk encoder and the per-item encoders (POINT14, RGB14, RGBNIR14, BYTE14): each
 * item owns one arithmetic-coded stream per layer and reports, after finishing, which bytes each layer
 * contributes to the chunk (LAZ-FORMAT.md §2.3).
 */

/** One item of a layered LAZ 1.4 chunk. */
export interface LayeredItemEncoder {
  /** Number of layers (size fields) this item writes. */
  readonly layerCount: number;
  /** Forgets everything from the previous chunk (models, predictors, contexts, streams). */
  reset(): void;
  /**
   * Codes the item of one point whose bytes start at `offset`; `context` is the version-3 hand-over context
   * (LAZ-FORMAT.md §7.1). The first point of a chunk is only remembered (it is stored raw).
   */
  encode(bytes: Uint8Array, view: DataView, offset: number, context: number, first: boolean): void;
  /** Finishes every layer stream. */
  finish(): void;
  /** The bytes of layer i after `finish()`; empty when the layer is not emitted. */
  layerBytes(i: number): Uint8Array;
}

/** A zero-length layer. */
export const EMPTY_LAYER = new Uint8Array(0);
