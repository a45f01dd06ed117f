/**
 * Small helpers for 3D points and vectors as plain readonly tuples (float64 world or frame coordinates, metres).
 */

/** A point or vector [x, y, z]; world coordinates are float64 metres (easting, northing, height). */
export type Point3 = readonly [number, number, number];

/** A plan point [E, N] in metres. */
export type Point2 = readonly [number, number];

/** Vector a + b. */
export function add3(a: Point3, b: Point3): Point3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

/** Vector a - b. */
export function sub3(a: Point3, b: Point3): Point3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

/** Vector a * s. */
export function scale3(a: Point3, s: number): Point3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

/** Dot product. */
export function dot3(a: Point3, b: Point3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Cross product a x b. */
export function cross3(a: Point3, b: Point3): Point3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Euclidean length. */
export function length3(a: Point3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

/** Unit vector of a; throws on a zero vector. */
export function normalize3(a: Point3): Point3 {
  const l = length3(a);
  if (!(l > 0)) throw new Error(`Invalid vector (core/geometry/point3.ts): ${a.join(',')}`);
  return [a[0] / l, a[1] / l, a[2] / l];
}

/** Euclidean distance between two points, metres. */
export function distance3(a: Point3, b: Point3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Horizontal (plan) distance between two points, metres. */
export function distance2(a: Point2 | Point3, b: Point2 | Point3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}
