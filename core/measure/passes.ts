/**
 * Scanner passes (trajectories) of measurement points: the vendor's pass id when the points carry one, else
 * clusters of GPS time. Mobile mapping drives a street more than once, and each pass carries its own
 * centimetre-scale trajectory error, so sections fit a height offset per pass and the uncertainty model
 * compares the passes where they overlap.
 */
import type { MeasurePoints } from './measure-points.ts';

/**
 * A gap in GPS time longer than this between two points of one query separates two passes, seconds. Note: a
 * profile scanner crosses a 15 m slab (or a few metres around a spot) within a few seconds of one pass; a second
 * pass over the same street comes after a turn, a minute or more later.
 */
export const PASS_GAP_S = 10;

/**
 * Pass ids from GPS time when the points carry none (the LAS point source ID often holds the epoch or the
 * project, not the pass): the times sorted, split where they jump by more than PASS_GAP_S. Writes the id of each
 * point (0, 1, … in time order) into `pass`; returns true when there are two or more passes.
 */
export function passesFromTime(times: ArrayLike<number>, pass: number[] | Int32Array): boolean {
  // Note: the times sorted as numbers give the few pass starts; each point's pass is the number of starts at
  // or before its time. Sorting an index array with a comparator instead cost 50-70 ms for a building's
  // 100 000 points.
  const sorted = Float64Array.from(times).sort();
  const starts: number[] = [];
  for (let k = 1; k < sorted.length; k++) if (sorted[k]! - sorted[k - 1]! > PASS_GAP_S) starts.push(sorted[k]!);
  for (let k = 0; k < times.length; k++) {
    let id = 0;
    while (id < starts.length && times[k]! >= starts[id]!) id++;
    pass[k] = id;
  }
  return starts.length > 0;
}

/** Passes of a set of points: an id per point and a key per id that names the pass beyond this set. */
export interface PassLabels {
  /** Pass id (0 … count - 1) of each given index, in the order given. */
  readonly id: Int32Array;
  readonly count: number;
  /**
   * Per id, what names the pass across queries: the vendor pass id, or the mean GPS time of its points
   * (seconds), or 0 when the points carry neither (one pass assumed).
   */
  readonly key: Float64Array;
  /** How the passes were told apart. */
  readonly from: 'pass-id' | 'gps-time' | 'none';
}

/**
 * The passes of the points at `indices`: from `passId` when present, else from GPS-time gaps (PASS_GAP_S),
 * else one pass.
 */
export function labelPasses(points: MeasurePoints, indices: ArrayLike<number>): PassLabels {
  const n = indices.length;
  const id = new Int32Array(n);
  if (points.passId) {
    const keys = new Map<number, number>();
    for (let k = 0; k < n; k++) {
      const p = points.passId[indices[k]!]!;
      let v = keys.get(p);
      if (v === undefined) keys.set(p, (v = keys.size));
      id[k] = v;
    }
    const key = new Float64Array(keys.size);
    for (const [p, v] of keys) key[v] = p;
    return { id, count: keys.size, key, from: 'pass-id' };
  }
  if (points.gpsTime && n > 0) {
    const t = points.gpsTime;
    const times = new Float64Array(n);
    for (let k = 0; k < n; k++) times[k] = t[indices[k]!]!;
    passesFromTime(times, id);
    let count = 0;
    for (let k = 0; k < n; k++) count = Math.max(count, id[k]! + 1);
    // Note: the mean time is taken relative to the first point's, so the sum keeps its precision at GPS-time
    // magnitudes (adjusted standard time ~1e9 s).
    const t0 = times[0]!;
    const sum = new Float64Array(count);
    const num = new Float64Array(count);
    for (let k = 0; k < n; k++) {
      sum[id[k]!] += times[k]! - t0;
      num[id[k]!]++;
    }
    const key = new Float64Array(count);
    for (let p = 0; p < count; p++) key[p] = t0 + sum[p]! / num[p]!;
    return { id, count, key, from: 'gps-time' };
  }
  return { id, count: n > 0 ? 1 : 0, key: new Float64Array(n > 0 ? 1 : 0), from: 'none' };
}

/** True when two pass keys of the same kind name the same pass (equal ids, or mean times within PASS_GAP_S). */
export function samePass(a: number, b: number, from: PassLabels['from']): boolean {
  return from === 'gps-time' ? Math.abs(a - b) <= PASS_GAP_S : a === b;
}
