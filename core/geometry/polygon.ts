/**
 * Plan polygons (rings of [E, N] metres): normalisation, area, containment and offsetting.
 *
 * Note (OpenLayers habit): sums run over vertices shifted by a reference vertex, so precision survives UTM
 * magnitudes (E ~ 3e5, N ~ 5.7e6, products ~ 1e12 would otherwise eat the centimetres).
 */
import type { Point2 } from './point3.ts';

/** A ring of plan vertices, open (last != first) after {@link normalizeRing}. */
export type Ring2 = readonly Point2[];

/** Signed area, m²: positive for counter-clockwise rings (E right, N up). */
export function signedArea(ring: Ring2): number {
  const n = ring.length;
  if (n < 3) return 0;
  const ox = ring[0]![0];
  const oy = ring[0]![1];
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % n]!;
    s += (a[0] - ox) * (b[1] - oy) - (b[0] - ox) * (a[1] - oy);
  }
  return s / 2;
}

/** Unsigned area, m². */
export function polygonArea(ring: Ring2): number {
  return Math.abs(signedArea(ring));
}

/**
 * Drops a closing vertex and repeated vertices and returns the ring counter-clockwise; throws with fewer than 3
 * distinct vertices or zero area.
 */
export function normalizeRing(ring: Ring2): Ring2 {
  const out: Point2[] = [];
  for (const p of ring) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new Error(`Invalid ring vertex (core/geometry/polygon.ts): ${p.join(',')}`);
    }
    const last = out[out.length - 1];
    if (!last || Math.abs(last[0] - p[0]) > 1e-9 || Math.abs(last[1] - p[1]) > 1e-9) out.push([p[0], p[1]]);
  }
  while (out.length > 1) {
    const a = out[0]!;
    const b = out[out.length - 1]!;
    if (Math.abs(a[0] - b[0]) > 1e-9 || Math.abs(a[1] - b[1]) > 1e-9) break;
    out.pop();
  }
  if (out.length < 3 || polygonArea(out) <= 1e-9) {
    throw new Error(`Invalid ring (core/geometry/polygon.ts): ${ring.length} vertices, no area`);
  }
  return signedArea(out) < 0 ? out.reverse() : out;
}

/** True when (x, y) lies inside the ring (crossing number; points on an edge may fall either way). */
export function pointInRing(ring: Ring2, x: number, y: number): boolean {
  const ox = ring[0]![0];
  const oy = ring[0]![1];
  const px = x - ox;
  const py = y - oy;
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i]![0] - ox;
    const yi = ring[i]![1] - oy;
    const xj = ring[j]![0] - ox;
    const yj = ring[j]![1] - oy;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Plan distance from (x, y) to the segment a-b, metres. */
export function distanceToSegment2(x: number, y: number, a: Point2, b: Point2): number {
  const ux = b[0] - a[0];
  const uy = b[1] - a[1];
  const px = x - a[0];
  const py = y - a[1];
  const l2 = ux * ux + uy * uy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, (px * ux + py * uy) / l2)) : 0;
  return Math.hypot(px - t * ux, py - t * uy);
}

/** Plan distance from (x, y) to the ring's boundary, metres. */
export function distanceToRing(ring: Ring2, x: number, y: number): number {
  let d = Infinity;
  for (let i = 0; i < ring.length; i++) {
    d = Math.min(d, distanceToSegment2(x, y, ring[i]!, ring[(i + 1) % ring.length]!));
  }
  return d;
}

/**
 * Offsets a ring by distanceM (outwards when positive, inwards when negative) with mitred corners, whatever
 * its orientation; the result is counter-clockwise. Mitres longer than 4·|distanceM| are clipped to a bevel.
 */
export function offsetRing(ring: Ring2, distanceM: number): Ring2 {
  const r = normalizeRing(ring);
  const n = r.length;
  const ox = r[0]![0];
  const oy = r[0]![1];
  // Outward unit normal of edge i (from vertex i to i+1) of a counter-clockwise ring: (dy, -dx).
  const nx: number[] = [];
  const ny: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = r[i]!;
    const b = r[(i + 1) % n]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const l = Math.hypot(dx, dy);
    nx.push(dy / l);
    ny.push(-dx / l);
  }
  const out: Point2[] = [];
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n;
    const vx = r[i]![0] - ox;
    const vy = r[i]![1] - oy;
    const bx = nx[p]! + nx[i]!;
    const by = ny[p]! + ny[i]!;
    const cos = nx[p]! * nx[i]! + ny[p]! * ny[i]!;
    const k = 1 + cos;
    if (k < 1 / 8) {
      out.push([vx + nx[p]! * distanceM + ox, vy + ny[p]! * distanceM + oy]);
      out.push([vx + nx[i]! * distanceM + ox, vy + ny[i]! * distanceM + oy]);
    } else {
      // Mitre point: the normals' bisector scaled so that it lies distanceM from both offset edges.
      out.push([vx + (bx / k) * distanceM + ox, vy + (by / k) * distanceM + oy]);
    }
  }
  return out;
}

/** Axis-aligned bounds [minE, minN, maxE, maxN] of a ring. */
export function ringBounds(ring: Ring2): readonly [number, number, number, number] {
  let a = Infinity;
  let b = Infinity;
  let c = -Infinity;
  let d = -Infinity;
  for (const p of ring) {
    a = Math.min(a, p[0]);
    b = Math.min(b, p[1]);
    c = Math.max(c, p[0]);
    d = Math.max(d, p[1]);
  }
  return [a, b, c, d];
}
