/**
 * Robust statistics on plain number arrays (median, percentiles, MAD) used by the measurement tools.
 */

/** Sorted copy (ascending) as a Float64Array. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const a = Float64Array.from(values as ArrayLike<number>);
  a.sort();
  return a;
}

/** Percentile p in [0, 100] of ascending sorted values, linear interpolation; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const r = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const i = Math.floor(r);
  const f = r - i;
  return i + 1 < n ? sorted[i]! * (1 - f) + sorted[i + 1]! * f : sorted[i]!;
}

/** Median of the values; NaN when empty. */
export function median(values: ArrayLike<number>): number {
  return percentileSorted(sortedCopy(values), 50);
}

/** Median absolute deviation scaled to a normal sigma (x 1.4826). */
export function madSigma(values: ArrayLike<number>, center = median(values)): number {
  const d = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) d[i] = Math.abs(values[i]! - center);
  return 1.4826 * median(d);
}

/** Arithmetic mean; NaN when empty. */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length ? s / values.length : NaN;
}

/**
 * The lowest dense level of ascending sorted heights: the first window [z, z + bandM] that holds at least
 * minCount values; returns the [start, end) index range of that window, or undefined. Isolated low points
 * (noise below the surface) are skipped because their window is too sparse.
 */
export function lowestDenseWindow(sorted: ArrayLike<number>, bandM: number, minCount: number): [number, number] | undefined {
  const n = sorted.length;
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (j < i) j = i;
    while (j < n && sorted[j]! <= sorted[i]! + bandM) j++;
    if (j - i >= minCount) return [i, j];
  }
  return undefined;
}

/** The highest dense level of ascending sorted values (mirror of {@link lowestDenseWindow}). */
export function highestDenseWindow(sorted: ArrayLike<number>, bandM: number, minCount: number): [number, number] | undefined {
  const n = sorted.length;
  let i = n - 1;
  for (let j = n - 1; j >= 0; j--) {
    if (i > j) i = j;
    while (i >= 0 && sorted[i]! >= sorted[j]! - bandM) i--;
    if (j - i >= minCount) return [i + 1, j + 1];
  }
  return undefined;
}
