/**
 * A SymbolModel for decoding: the same adaptive statistics (so the same intervals as the encoder's model), plus
 * a lookup table from the top bits of the scaled code value to the range of symbols it can fall in, rebuilt with
 * every update. The table only speeds up the search for the symbol (LAZ-FORMAT.md §3.5); it never changes it.
 */
import { SymbolModel } from './models.ts';

/** Models with at most this many symbols are searched without a table. */
const TABLE_MIN_SYMBOLS = 16;

/** A symbol model with a decoder lookup table. */
export class DecoderSymbolModel extends SymbolModel {
  /** Code values dv (0 … 2^15 and a little above) map to bucket dv >>> tableShift. */
  readonly tableShift: number;
  /** Last bucket index; larger buckets are clamped to it. */
  readonly tableLast: number;
  /**
   * table[t] = the largest symbol s with dist[s] <= t << tableShift, so a dv in bucket t decodes to a symbol in
   * [table[t], table[t + 1]]. Empty for small models.
   */
  readonly table: Uint16Array;

  constructor(symbols: number) {
    super(symbols);
    if (symbols > TABLE_MIN_SYMBOLS) {
      // At least one bucket per symbol, so most searches end after one comparison.
      let bits = 4;
      while (symbols > 1 << bits) bits++;
      this.tableShift = 15 - bits;
      this.tableLast = 1 << bits;
      this.table = new Uint16Array(this.tableLast + 2);
      this.fillTable();
    } else {
      this.tableShift = 0;
      this.tableLast = 0;
      this.table = new Uint16Array(0);
    }
  }

  /**
   * The statistics update of SymbolModel.update (LAZ-FORMAT.md §4.1, same arithmetic), with the lookup table
   * filled in the same pass over the distribution instead of a second one.
   */
  override update(): void {
    if (this.tableLast === 0) {
      super.update();
      return;
    }
    const scale = this.addCycleToTotal();
    const counts = this.counts;
    const n = this.symbols;
    const dist = this.dist;
    const table = this.table;
    const shift = this.tableShift;
    const last = this.tableLast;
    let acc = 0;
    let t = 0;
    for (let k = 0; k < n; k++) {
      const d = (scale * acc) >>> 16;
      dist[k] = d;
      // Buckets starting below this symbol's interval belong to the symbol before it.
      while (t <= last && t << shift < d) table[t++] = k - 1;
      acc += counts[k]!;
    }
    while (t <= last + 1) table[t++] = n - 1;
    this.growCycle();
  }

  private fillTable(): void {
    const dist = this.dist;
    const table = this.table;
    const n = this.symbols;
    const shift = this.tableShift;
    let s = 0;
    for (let t = 0; t <= this.tableLast; t++) {
      const v = t << shift;
      while (s + 1 < n && dist[s + 1]! <= v) s++;
      table[t] = s;
    }
    // Values of dv beyond 2^15 (possible by a few units) fall in the last bucket, which reaches the last symbol.
    table[this.tableLast + 1] = n - 1;
  }
}

/** A fresh model of each size, whose state `takeSymbolModel` copies into reused ones. */
const pristine = new Map<number, DecoderSymbolModel>();
/** Models handed out since the last release, and released ones by size. */
const taken: DecoderSymbolModel[] = [];
const free = new Map<number, DecoderSymbolModel[]>();

/**
 * A symbol model in its initial state, reused from the previous chunk when one of this size is free. Note: a
 * chunk decode allocated a few hundred models (up to 2 KB each) that all died with it; reusing them keeps the
 * garbage collector out of the decode loop. Decoding is synchronous, so a module-level pool is safe.
 */
export function takeSymbolModel(symbols: number): DecoderSymbolModel {
  const pool = free.get(symbols);
  let m = pool?.pop();
  if (m) {
    let p = pristine.get(symbols);
    if (!p) {
      p = new DecoderSymbolModel(symbols);
      pristine.set(symbols, p);
    }
    m.counts.fill(1);
    m.dist.set(p.dist);
    m.table.set(p.table);
    m.total = p.total;
    m.cycle = p.cycle;
    m.untilUpdate = p.untilUpdate;
  } else {
    m = new DecoderSymbolModel(symbols);
  }
  taken.push(m);
  return m;
}

/** Returns every model handed out by `takeSymbolModel` to the pool (start of a chunk: the old ones are dead). */
export function releaseSymbolModels(): void {
  for (const m of taken) {
    let pool = free.get(m.symbols);
    if (!pool) {
      pool = [];
      free.set(m.symbols, pool);
    }
    pool.push(m);
  }
  taken.length = 0;
}
