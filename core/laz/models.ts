/**
 * Adaptive probability models of the LASzip arithmetic coder (LAZ-FORMAT.md §4): a symbol model with n symbols
 * (15-bit distribution) and a bit model (13-bit probability). Both start in a fixed state and adapt after a
 * growing number of coded symbols; the encoder increments the counts and calls `update()` when due.
 */

/** Symbol models: distribution precision in bits and the count threshold that triggers halving. */
const DM_MAX_COUNT = 1 << 15;
/** Bit models: count threshold that triggers halving. */
const BM_MAX_COUNT = 1 << 13;

/** Initial distribution per symbol count (all counts 1, total n), computed once and copied into new models. */
const initialDistributions = new Map<number, Uint32Array>();

function initialDistribution(symbols: number): Uint32Array {
  let dist = initialDistributions.get(symbols);
  if (!dist) {
    dist = new Uint32Array(symbols);
    const scale = Math.floor(0x80000000 / symbols);
    for (let k = 0; k < symbols; k++) dist[k] = (scale * k) >>> 16;
    initialDistributions.set(symbols, dist);
  }
  return dist;
}

/** An adaptive model over the symbols 0…symbols−1 (2 ≤ symbols ≤ 2048). */
export class SymbolModel {
  readonly symbols: number;
  /** Index of the last symbol, which takes the whole remaining interval when coded. */
  readonly lastSymbol: number;
  /** Occurrence counts (start at 1). */
  readonly counts: Uint32Array;
  /** Cumulative distribution scaled to 2^15: dist[k] = start of symbol k's interval. */
  readonly dist: Uint32Array;
  total: number;
  cycle: number;
  untilUpdate: number;

  constructor(symbols: number) {
    this.symbols = symbols;
    this.lastSymbol = symbols - 1;
    this.counts = new Uint32Array(symbols).fill(1);
    // Note: the reference initialises with total = 0, cycle = n and runs update() once; that yields total = n,
    // the distribution below, and the first real cycle (n + 6) >> 1.
    this.dist = initialDistribution(symbols).slice();
    this.total = symbols;
    this.cycle = this.untilUpdate = (symbols + 6) >> 1;
  }

  /** Recomputes the distribution after `cycle` coded symbols (halving the counts past 2^15). */
  update(): void {
    const scale = this.addCycleToTotal();
    const counts = this.counts;
    const dist = this.dist;
    const n = this.symbols;
    let acc = 0;
    for (let k = 0; k < n; k++) {
      dist[k] = (scale * acc) >>> 16;
      acc += counts[k]!;
    }
    this.growCycle();
  }

  /**
   * First step of an update (LAZ-FORMAT.md §4.1): adds the cycle to the total, halves the counts past 2^15 and
   * returns the scale of the new distribution, floor(2^31 / total).
   */
  protected addCycleToTotal(): number {
    this.total += this.cycle;
    if (this.total > DM_MAX_COUNT) {
      const counts = this.counts;
      const n = this.symbols;
      let total = 0;
      for (let k = 0; k < n; k++) {
        const c = (counts[k]! + 1) >>> 1;
        counts[k] = c;
        total += c;
      }
      this.total = total;
    }
    return Math.floor(0x80000000 / this.total);
  }

  /** Last step of an update: the next cycle is 5/4 of this one, at most (symbols + 6) · 8. */
  protected growCycle(): void {
    let cycle = (5 * this.cycle) >>> 2;
    const maxCycle = (this.symbols + 6) << 3;
    if (cycle > maxCycle) cycle = maxCycle;
    this.cycle = this.untilUpdate = cycle;
  }
}

/** An adaptive model of one binary decision. */
export class BitModel {
  count0 = 1;
  countAll = 2;
  /** Probability of a 0 scaled to 2^13. */
  p0 = 1 << 12;
  cycle = 4;
  untilUpdate = 4;

  /** Recomputes p0 after `cycle` coded bits (halving the counts past 2^13). */
  update(): void {
    this.countAll += this.cycle;
    if (this.countAll > BM_MAX_COUNT) {
      this.countAll = (this.countAll + 1) >>> 1;
      this.count0 = (this.count0 + 1) >>> 1;
      if (this.count0 === this.countAll) this.countAll++;
    }
    this.p0 = (this.count0 * Math.floor(0x80000000 / this.countAll)) >>> 18;
    let cycle = (5 * this.cycle) >>> 2;
    if (cycle > 64) cycle = 64;
    this.cycle = this.untilUpdate = cycle;
  }
}
