/** One measured figure of a benchmark. */
export interface BenchRow {
  /** What was measured, e.g. `laz encode (NRW tile)`. */
  readonly name: string;
  /** The figure. */
  readonly value: number;
  /** Its unit, e.g. `Mpts/s`, `ms`, `MB`, `x`. */
  readonly unit: string;
  /** The target, when the issue names one, with the comparison: `>= 1.0`, `<= 300`. */
  readonly target?: string;
  /** Whether the target was met; omitted when there is no target. */
  readonly met?: boolean;
  /** Free text: input, point count, conditions. */
  readonly notes?: string;
}

/** A benchmark module (bench/*.bench.ts) exports a default function of this type. */
export type Bench = (context: BenchContext) => Promise<BenchRow[]>;

/** What the runner passes to each benchmark. */
export interface BenchContext {
  /** Repository root. */
  readonly repoRoot: string;
  /** ../shared/data, resolved. */
  readonly sharedData: string;
  /** Print a progress line. */
  log(message: string): void;
}
