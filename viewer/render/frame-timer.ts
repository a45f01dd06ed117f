/**
 * Frame-time bookkeeping for switching expensive effects off when frames get too slow: a rolling window of the
 * intervals between consecutive drawn frames (milliseconds), judged by its median so one hitch does not count.
 */

/** Frames slower than this (ms, i.e. under 20 fps) count as too slow for eye-dome lighting. */
export const SLOW_FRAME_MS = 50;

/** A rolling window of frame intervals. */
export class FrameTimer {
  readonly isFrameTimer = true;
  private readonly intervals: number[] = [];
  private last: number | undefined;

  /** @param windowSize frames judged together; @param slowMs the median interval that counts as slow. */
  constructor(
    readonly windowSize = 12,
    readonly slowMs = SLOW_FRAME_MS,
  ) {}

  /**
   * Records a frame drawn at `nowMs`. `continuous` says whether the previous frame was drawn for the same
   * continuous redraw (camera moving, data arriving); a frame after an idle pause starts a new interval.
   */
  frame(nowMs: number, continuous: boolean): void {
    if (continuous && this.last !== undefined) {
      this.intervals.push(nowMs - this.last);
      if (this.intervals.length > this.windowSize) this.intervals.shift();
    }
    this.last = nowMs;
  }

  /** Median interval of the window, ms; undefined until the window is full. */
  get medianMs(): number | undefined {
    if (this.intervals.length < this.windowSize) return undefined;
    const sorted = [...this.intervals].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }

  /** True when the window is full and its median exceeds the slow threshold. */
  get tooSlow(): boolean {
    const median = this.medianMs;
    return median !== undefined && median > this.slowMs;
  }

  /** Forgets the window (e.g. after the effect was switched). */
  reset(): void {
    this.intervals.length = 0;
    this.last = undefined;
  }
}
