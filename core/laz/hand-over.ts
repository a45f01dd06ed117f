/**
 * The version-3 hand-over between contexts of RGB14, NIR14 and BYTE14 (LAZ-FORMAT.md §7.1), shared by their
 * encoders and decoders: a point predicts from the current context's last values; when its hand-over context h
 * has not been seen in this chunk, h starts as a copy of the current context's last values and predicts from
 * itself.
 */

/**
 * Starts the unseen context h: copies the `stride` last values of context `cur` (at `stride`·cur in `last`) to
 * context h and returns h, the context the point predicts from and stores into.
 */
export function startHandOverContext(last: Int32Array | Uint8Array, stride: number, cur: number, h: number): number {
  last.copyWithin(h * stride, cur * stride, cur * stride + stride);
  return h;
}
