/**
 * Epoch change distances: for every point of a node of epoch A, the distance to the nearest point of epoch B
 * (cloud-to-cloud nearest neighbour, capped at a search radius). Plain functions, no three.js.
 */
import type { Vec3 } from './node-decode.ts';

/** Points as float32 xyz relative to a float64 centre (what node data holds). */
export interface CentredPoints {
  readonly centre: Vec3;
  readonly positions: Float32Array;
}

/** The input of {@link computeChangeDistances}. */
export interface ChangeInput {
  /** The points whose distances are wanted (a node of epoch A). */
  readonly points: CentredPoints;
  /** The points of the other epoch near them (any number of nodes of epoch B). */
  readonly reference: readonly CentredPoints[];
  /** Search radius, metres; a point without a reference point this close gets exactly this value. */
  readonly maxDistanceM: number;
}

/**
 * Computes, for each point, the Euclidean distance to the nearest reference point, metres, capped at
 * `maxDistanceM`. Method: reference points, shifted to A's centre in float64, go into a hashed 3D grid of cell
 * edge `maxDistanceM` (a counting sort into buckets); each query scans the 27 cells around it, which hold every
 * reference point within the radius, so the answer is exact up to the cap.
 */
export function computeChangeDistances(input: ChangeInput): Float32Array {
  const { points, reference, maxDistanceM: cap } = input;
  if (!(cap > 0)) throw new Error(`Invalid change search radius: ${cap} (workers/change-distance.ts)`);
  const count = points.positions.length / 3;
  const out = new Float32Array(count).fill(cap);
  const total = reference.reduce((n, r) => n + r.positions.length / 3, 0);
  if (count === 0 || total === 0) return out;

  // Reference points relative to A's centre, float64 (centre difference first, then the float32 offsets).
  const ref = new Float64Array(total * 3);
  let at = 0;
  for (const r of reference) {
    const dx = r.centre[0] - points.centre[0];
    const dy = r.centre[1] - points.centre[1];
    const dz = r.centre[2] - points.centre[2];
    const p = r.positions;
    for (let i = 0; i < p.length; i += 3, at += 3) {
      ref[at] = p[i]! + dx;
      ref[at + 1] = p[i + 1]! + dy;
      ref[at + 2] = p[i + 2]! + dz;
    }
  }

  let buckets = 1;
  while (buckets < total * 2) buckets <<= 1;
  const mask = buckets - 1;
  const hash = (ix: number, iy: number, iz: number): number =>
    (Math.imul(ix, 73856093) ^ Math.imul(iy, 19349663) ^ Math.imul(iz, 83492791)) & mask;
  const cellOf = (x: number, y: number, z: number): number => hash(Math.floor(x / cap), Math.floor(y / cap), Math.floor(z / cap));
  const bucketOf = new Uint32Array(total);
  const start = new Uint32Array(buckets + 1);
  for (let i = 0; i < total; i++) {
    const b = cellOf(ref[i * 3]!, ref[i * 3 + 1]!, ref[i * 3 + 2]!);
    bucketOf[i] = b;
    start[b + 1]!++;
  }
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const fill = start.slice(0, buckets);
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[fill[bucketOf[i]!]!++] = i;

  const seen = new Int32Array(27);
  const p = points.positions;
  const cap2 = cap * cap;
  for (let i = 0; i < count; i++) {
    const x = p[i * 3]!;
    const y = p[i * 3 + 1]!;
    const z = p[i * 3 + 2]!;
    let best = cap2;
    let visited = 0;
    const ix = Math.floor(x / cap);
    const iy = Math.floor(y / cap);
    const iz = Math.floor(z / cap);
    for (let dz = -1; dz <= 1; dz++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const b = hash(ix + dx, iy + dy, iz + dz);
          // Note: two neighbouring cells may hash to one bucket; scan each bucket once.
          let twice = false;
          for (let k = 0; k < visited; k++) if (seen[k] === b) twice = true;
          if (twice) continue;
          seen[visited++] = b;
          for (let k = start[b]!, end = start[b + 1]!; k < end; k++) {
            const j = order[k]! * 3;
            const ex = ref[j]! - x;
            const ey = ref[j + 1]! - y;
            const ez = ref[j + 2]! - z;
            const d2 = ex * ex + ey * ey + ez * ez;
            if (d2 < best) best = d2;
          }
        }
      }
    }
    out[i] = Math.sqrt(best);
  }
  return out;
}
