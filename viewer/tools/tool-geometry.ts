/**
 * The values of the pick-only tools, from float64 world picks (no three.js, no DOM): point, distance (3D,
 * horizontal, vertical), height difference, polyline length, area. Sums run on coordinates shifted by the first
 * pick, so centimetres survive UTM magnitudes (core/geometry polygonArea does the same for the area).
 */
import type { Point2, Point3 } from '../../core/geometry/point3.ts';
import { polygonArea } from '../../core/geometry/polygon.ts';

/** Distance between two picks. */
export interface DistanceValues {
  /** Slope distance, metres. */
  readonly distance3dM: number;
  /** Plan distance, metres. */
  readonly horizontalM: number;
  /** Height difference second minus first, metres (signed). */
  readonly verticalM: number;
  /** Slope, percent (vertical / horizontal; Infinity when vertical). */
  readonly slopePercent: number;
}

/** The three distances between two picks (a -> b). */
export function distanceValues(a: Point3, b: Point3): DistanceValues {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const dz = b[2] - a[2];
  const horizontalM = Math.hypot(dx, dy);
  return {
    distance3dM: Math.hypot(dx, dy, dz),
    horizontalM,
    verticalM: dz,
    slopePercent: horizontalM > 0 ? (dz / horizontalM) * 100 : dz === 0 ? 0 : Math.sign(dz) * Infinity,
  };
}

/** A polyline's lengths. */
export interface PolylineValues {
  readonly length3dM: number;
  readonly length2dM: number;
  /** Per segment: slope distance, metres. */
  readonly segments3dM: readonly number[];
}

/** Lengths of a polyline through the picks. */
export function polylineValues(picks: readonly Point3[]): PolylineValues {
  const segments3dM: number[] = [];
  let length2dM = 0;
  for (let i = 1; i < picks.length; i++) {
    const d = distanceValues(picks[i - 1]!, picks[i]!);
    segments3dM.push(d.distance3dM);
    length2dM += d.horizontalM;
  }
  return { length3dM: segments3dM.reduce((s, v) => s + v, 0), length2dM, segments3dM };
}

/** An area's values. */
export interface AreaValues {
  /** Plan area of the closed ring, m² (reference-vertex shift, core/geometry polygonArea). */
  readonly areaM2: number;
  /** Plan perimeter of the closed ring, metres. */
  readonly perimeterM: number;
}

/** Plan area and perimeter of the ring through the picks (closed automatically). */
export function areaValues(picks: readonly (Point2 | Point3)[]): AreaValues {
  const ring: Point2[] = picks.map((p) => [p[0], p[1]]);
  let perimeterM = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    perimeterM += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return { areaM2: ring.length >= 3 ? polygonArea(ring) : 0, perimeterM };
}

/** Plan [E, N] of the picks. */
export function planOf(picks: readonly Point3[]): Point2[] {
  return picks.map((p) => [p[0], p[1]]);
}
