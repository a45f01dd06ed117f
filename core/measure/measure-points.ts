/**
 * The point input every measurement takes: plain float64 columns (core/las/point-columns.ts `PointColumns`
 * satisfies it) with optional classification.
 */

/** Points as columns; x/y/z float64 world metres (EPSG:25832, m NHN). */
export interface MeasurePoints {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  /** ASPRS class per point; absent or all 1 for unclassified mobile-mapping data. */
  readonly classification?: Uint8Array;
  /**
   * Pass (trajectory) of each point, when known (e.g. LAS point source ID or the vendor's pass number): slopes
   * are then fitted with one height offset per pass, so that a centimetre misalignment between passes that
   * cover different parts of a surface does not tilt it.
   */
  readonly passId?: ArrayLike<number>;
  /**
   * GPS time per point, seconds: without passId, sections split a slab's points into passes where their times
   * jump (a second pass over a street comes a minute or more after the first).
   */
  readonly gpsTime?: ArrayLike<number>;
}

/** ASPRS LAS 1.4 R15 classes that are noise and never measured: 7 low noise, 18 high noise. */
export const NOISE_CLASSES: readonly number[] = [7, 18];

/** True when point i is usable (not flagged as noise by its class). */
export function isMeasurable(points: MeasurePoints, i: number, exclude: readonly number[] = NOISE_CLASSES): boolean {
  const c = points.classification;
  return !c || !exclude.includes(c[i]!);
}
