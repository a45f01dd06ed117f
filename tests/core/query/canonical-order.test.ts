/**
 * canonicalOrder (a natural merge sort) gives exactly the order of a stable sort by GPS time, X, Y, Z: on random
 * points with many ties, on data in long pre-sorted runs (as node parts come), and on tiny inputs.
 */
import { describe, expect, it } from 'vitest';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { canonicalOrder } from '../../../core/query/point-source.ts';

function columns(n: number, value: (i: number, k: number) => number, withTime = true): PointColumns {
  const col = (k: number): Float64Array => Float64Array.from({ length: n }, (_, i) => value(i, k));
  return { count: n, x: col(0), y: col(1), z: col(2), ...(withTime ? { gpsTime: col(3) } : {}) };
}

/** The reference: Array.prototype.sort (stable by the language) with the documented key. */
function reference(p: PointColumns): number[] {
  const t = p.gpsTime;
  return [...Array(p.count).keys()].sort((a, b) => (t ? t[a]! - t[b]! : 0) || p.x[a]! - p.x[b]! || p.y[a]! - p.y[b]! || p.z[a]! - p.z[b]!);
}

describe('canonicalOrder', () => {
  let seed = 1;
  const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

  it('equals a stable sort on random points with ties', () => {
    for (const n of [0, 1, 2, 3, 17, 1000, 5000]) {
      const p = columns(n, () => Math.floor(rnd() * 5));
      expect(Array.from(canonicalOrder(p)), `${n}`).toEqual(reference(p));
    }
  });

  it('equals a stable sort on parts that are each in time order, and without GPS time', () => {
    const parts = 7;
    const p = columns(7000, (i, k) => (k === 3 ? (i % 1000) * 0.01 + (i % parts) * 1e-4 : Math.floor(rnd() * 50)));
    expect(Array.from(canonicalOrder(p))).toEqual(reference(p));
    const q = columns(3000, () => Math.floor(rnd() * 20), false);
    expect(Array.from(canonicalOrder(q))).toEqual(reference(q));
  });
});
