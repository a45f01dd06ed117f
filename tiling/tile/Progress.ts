/**
 * A one-line progress bar on stderr: phase, percentage, points/s and ETA. Silent when stderr is not a terminal
 * or when quiet.
 */

/** Where the bar writes; a TTY stream gets `\r` updates. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Progress of one long phase of work measured in points. */
export class Progress {
  private readonly stream: ProgressStream;
  private readonly enabled: boolean;
  private phase = '';
  private total = 0;
  private done = 0;
  private started = 0;
  private lastDraw = 0;

  constructor(stream: ProgressStream, quiet: boolean) {
    this.stream = stream;
    this.enabled = !quiet && stream.isTTY === true;
  }

  /** Starts a phase of `total` points. */
  start(phase: string, total: number): void {
    this.finishLine();
    this.phase = phase;
    this.total = total;
    this.done = 0;
    this.started = performance.now();
    this.lastDraw = 0;
    this.draw(true);
  }

  /** Adds `points` to the current phase. */
  advance(points: number): void {
    this.done += points;
    this.draw(false);
  }

  /** Ends the current line (call before printing anything else). */
  finishLine(): void {
    if (this.enabled && this.phase) {
      this.draw(true);
      this.stream.write('\n');
    }
    this.phase = '';
  }

  private draw(force: boolean): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const eta = rate > 0 ? (this.total - this.done) / rate : NaN;
    const line =
      `${this.phase.padEnd(9)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
      `${(rate / 1e6).toFixed(2)} M pts/s  ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)} s` : '-'}`;
    this.stream.write(`\r${line}\x1b[K`);
  }
}
