/**
 * Query regions in plan (EPSG:25832 metres, optional height range m NHN) and their two tests: does a point lie
 * inside, does an axis-aligned box (a COPC node) touch the region.
 *
 * Each region's point test is the one its measurement uses, so a region query returns every point the
 * measurement would read from the whole file: `polygon` = inside the footprint offset outwards by bufferM with
 * mitred corners (core/geometry offsetRing, as measureBuildingHeight), `slab` = along 0..length and |across| <=
 * halfWidthM (as cutSection), `disc` = plan distance <= radiusM (as spotHeight), `box` = min <= E,N <= max.
 *
 * The box test is exact for closed sets (no bounding-box shortcut), so a COPC query reads exactly the nodes that
 * can hold a point of the region.
 *
 * @example
 * const region = Region.slab([291400, 5744300], [291420, 5744300], 0.1);
 * const prepared = prepareRegion(region);
 * prepared.contains(291410, 5744300.05, 34.1); // true
 */
import type { Box3 } from '../copc/key.ts';
import type { Point2 } from '../geometry/point3.ts';
import { normalizeRing, offsetRing, pointInRing, ringBounds, type Ring2 } from '../geometry/polygon.ts';

/** Optional height range of every region, m NHN (inclusive). */
export interface HeightRange {
  readonly zmin?: number;
  readonly zmax?: number;
}

/** A polygon ([E, N] ring, open or closed, any orientation) grown outwards by bufferM (mitred corners). */
export interface PolygonRegion extends HeightRange {
  readonly kind: 'polygon';
  readonly ring: readonly Point2[];
  /** Outward offset, metres (default 0). */
  readonly bufferM?: number;
}

/** A vertical slab: points within halfWidthM of the segment from-to, between its ends (section cut). */
export interface SlabRegion extends HeightRange {
  readonly kind: 'slab';
  readonly from: Point2;
  readonly to: Point2;
  readonly halfWidthM: number;
}

/** A disc around a plan point (spot height). */
export interface DiscRegion extends HeightRange {
  readonly kind: 'disc';
  readonly center: Point2;
  readonly radiusM: number;
}

/** An axis-aligned plan box [minE, minN] - [maxE, maxN]. */
export interface BoxRegion extends HeightRange {
  readonly kind: 'box';
  readonly min: Point2;
  readonly max: Point2;
}

/** A query region. */
export type QueryRegion = PolygonRegion | SlabRegion | DiscRegion | BoxRegion;

/** A region ready for testing: plan bounds, point test and box test. */
export interface PreparedRegion {
  readonly region: QueryRegion;
  /** Plan bounds [minE, minN, maxE, maxN] of the region, metres. */
  readonly bounds: readonly [number, number, number, number];
  /** True when the point (world metres) lies inside the region and its height range. */
  contains(x: number, y: number, z: number): boolean;
  /** True when the closed box touches the closed region (plan shape and height range). */
  intersectsBox(box: Box3): boolean;
}

/** Region constructors (copc.js habit: a type and a same-named object of functions). */
export const Region = {
  polygon: (ring: readonly Point2[], bufferM = 0, z: HeightRange = {}): PolygonRegion => ({ kind: 'polygon', ring, bufferM, ...z }),
  slab: (from: Point2, to: Point2, halfWidthM: number, z: HeightRange = {}): SlabRegion => ({ kind: 'slab', from, to, halfWidthM, ...z }),
  disc: (center: Point2, radiusM: number, z: HeightRange = {}): DiscRegion => ({ kind: 'disc', center, radiusM, ...z }),
  box: (min: Point2, max: Point2, z: HeightRange = {}): BoxRegion => ({ kind: 'box', min, max, ...z }),
};

// Note: node boxes are widened by this much in the box test, so that a point whose region test rounds the other
// way at a node face (float64 at UTM magnitudes: ~1e-10 m) still has its node read. It cannot add a node that
// is more than a nanometre away from the region.
const BOX_EPS_M = 1e-9;

/** Checks a region and returns its point and box tests; throws `Invalid <thing>: <value>` for bad input. */
export function prepareRegion(region: QueryRegion): PreparedRegion {
  const zmin = region.zmin ?? -Infinity;
  const zmax = region.zmax ?? Infinity;
  if (Number.isNaN(zmin) || Number.isNaN(zmax) || zmin > zmax) throw new Error(`Invalid height range: ${region.zmin}..${region.zmax}`);
  const inZ = (z: number): boolean => z >= zmin && z <= zmax;
  const boxInZ = (b: Box3): boolean => b[5] >= zmin - BOX_EPS_M && b[2] <= zmax + BOX_EPS_M;
  switch (region.kind) {
    case 'polygon': {
      const bufferM = region.bufferM ?? 0;
      if (!(bufferM >= 0)) throw new Error(`Invalid buffer: ${region.bufferM}`);
      const ring = bufferM > 0 ? offsetRing(region.ring, bufferM) : normalizeRing(region.ring);
      return polygonRegion(region, ring, (x, y) => pointInRing(ring, x, y), inZ, boxInZ);
    }
    case 'box': {
      const [x0, y0] = region.min;
      const [x1, y1] = region.max;
      if (![x0, y0, x1, y1].every(Number.isFinite) || !(x1 > x0) || !(y1 > y0)) {
        throw new Error(`Invalid box: ${region.min.join(',')} - ${region.max.join(',')}`);
      }
      const ring: Ring2 = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
      return polygonRegion(region, ring, (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1, inZ, boxInZ);
    }
    case 'slab': {
      const [e0, n0] = region.from;
      const [e1, n1] = region.to;
      const hw = region.halfWidthM;
      const lengthM = Math.hypot(e1 - e0, n1 - n0);
      if (![e0, n0, e1, n1].every(Number.isFinite) || !(lengthM > 0)) {
        throw new Error(`Invalid section line: ${region.from.join(',')} -> ${region.to.join(',')}`);
      }
      if (!(hw > 0) || !Number.isFinite(hw)) throw new Error(`Invalid half width: ${hw}`);
      const ux = (e1 - e0) / lengthM;
      const uy = (n1 - n0) / lengthM;
      // The slab as a rectangle: along 0..length, across -hw..hw (left normal (-uy, ux)).
      const ring: Ring2 = [
        [e0 + uy * hw, n0 - ux * hw],
        [e1 + uy * hw, n1 - ux * hw],
        [e1 - uy * hw, n1 + ux * hw],
        [e0 - uy * hw, n0 + ux * hw],
      ];
      const inPlan = (x: number, y: number): boolean => {
        const dx = x - e0;
        const dy = y - n0;
        const along = dx * ux + dy * uy;
        if (along < 0 || along > lengthM) return false;
        return Math.abs(-dx * uy + dy * ux) <= hw;
      };
      return polygonRegion(region, ring, inPlan, inZ, boxInZ);
    }
    case 'disc': {
      const [cx, cy] = region.center;
      const r = region.radiusM;
      if (!Number.isFinite(cx) || !Number.isFinite(cy)) throw new Error(`Invalid spot: ${region.center.join(',')}`);
      if (!(r > 0) || !Number.isFinite(r)) throw new Error(`Invalid radius: ${r}`);
      const r2 = r * r;
      return {
        region,
        bounds: [cx - r, cy - r, cx + r, cy + r],
        contains: (x, y, z) => {
          const dx = x - cx;
          const dy = y - cy;
          return dx * dx + dy * dy <= r2 && inZ(z);
        },
        intersectsBox: (b) => {
          if (!boxInZ(b)) return false;
          // Distance from the centre to the closed box.
          const dx = Math.max(b[0] - cx, 0, cx - b[3]);
          const dy = Math.max(b[1] - cy, 0, cy - b[4]);
          const rr = r + BOX_EPS_M;
          return dx * dx + dy * dy <= rr * rr;
        },
      };
    }
    default:
      throw new Error(`Invalid region kind: ${(region as { kind: string }).kind}`);
  }
}

function polygonRegion(
  region: QueryRegion,
  ring: Ring2,
  inPlan: (x: number, y: number) => boolean,
  inZ: (z: number) => boolean,
  boxInZ: (b: Box3) => boolean,
): PreparedRegion {
  const [a, b, c, d] = ringBounds(ring);
  return {
    region,
    bounds: [a, b, c, d],
    contains: (x, y, z) => x >= a && x <= c && y >= b && y <= d && inPlan(x, y) && inZ(z),
    intersectsBox: (box) => boxInZ(box) && ringTouchesRect(ring, box[0] - BOX_EPS_M, box[1] - BOX_EPS_M, box[3] + BOX_EPS_M, box[4] + BOX_EPS_M),
  };
}

/**
 * True when the closed polygon (simple ring) and the closed rectangle share a point: a ring vertex inside the
 * rectangle, a rectangle corner inside the polygon, or an edge crossing a rectangle side. Coordinates are shifted
 * to the rectangle's corner first (precision at UTM magnitudes).
 */
export function ringTouchesRect(ring: Ring2, x0: number, y0: number, x1: number, y1: number): boolean {
  const w = x1 - x0;
  const h = y1 - y0;
  const n = ring.length;
  const px: number[] = new Array(n);
  const py: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    px[i] = ring[i]![0] - x0;
    py[i] = ring[i]![1] - y0;
    if (px[i]! >= 0 && px[i]! <= w && py[i]! >= 0 && py[i]! <= h) return true;
  }
  // A rectangle corner inside the polygon (the polygon may contain the whole rectangle).
  const local: Point2[] = px.map((x, i) => [x, py[i]!]);
  if (pointInRing(local, 0, 0) || pointInRing(local, w, 0) || pointInRing(local, w, h) || pointInRing(local, 0, h)) return true;
  // An edge crossing the rectangle: clip the segment to it (Liang-Barsky).
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    if (segmentTouchesRect(px[i]!, py[i]!, px[j]!, py[j]!, w, h)) return true;
  }
  return false;
}

/** Liang-Barsky: does the segment (ax, ay)-(bx, by) meet the closed rectangle [0, w] x [0, h]? */
function segmentTouchesRect(ax: number, ay: number, bx: number, by: number, w: number, h: number): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  return clip(-dx, ax) && clip(dx, w - ax) && clip(-dy, ay) && clip(dy, h - ay) && t0 <= t1;
}
