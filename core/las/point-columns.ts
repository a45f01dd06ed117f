/**
 * Points as columns: one typed array per dimension, the common currency between readers, writers, the
 * sample generator, the tiler and the measurement code.
 *
 * X/Y/Z are float64 world coordinates (e.g. EPSG:25832 metres, heights m NHN). Every other column holds the
 * LAS record's raw integer value, so that a read-write round trip is exact. Optional columns are absent when
 * the point format has no such field.
 */
export interface PointColumns {
  /** Number of points; every column has this length. */
  readonly count: number;
  /** World X (easting), metres, float64. */
  readonly x: Float64Array;
  /** World Y (northing), metres, float64. */
  readonly y: Float64Array;
  /** World Z (height), metres, float64. */
  readonly z: Float64Array;
  readonly intensity?: Uint16Array;
  readonly returnNumber?: Uint8Array;
  readonly numberOfReturns?: Uint8Array;
  /** Classification value (0-255 in formats 6-10, 0-31 in formats 0-5). */
  readonly classification?: Uint8Array;
  /** Classification flags as the 4 low bits: synthetic 1, key-point 2, withheld 4, overlap 8 (LAS 1.4 R15 §2.6). */
  readonly classificationFlags?: Uint8Array;
  readonly scannerChannel?: Uint8Array;
  readonly scanDirectionFlag?: Uint8Array;
  readonly edgeOfFlightLine?: Uint8Array;
  readonly userData?: Uint8Array;
  /**
   * Raw scan angle: formats 0-5 store a signed degree rank (-90..90); formats 6-10 store units of 0.006°.
   */
  readonly scanAngle?: Int16Array;
  readonly pointSourceId?: Uint16Array;
  /** GPS time, seconds (GPS week time or adjusted standard GPS time, see the header's global encoding). */
  readonly gpsTime?: Float64Array;
  readonly red?: Uint16Array;
  readonly green?: Uint16Array;
  readonly blue?: Uint16Array;
  readonly nir?: Uint16Array;
  /**
   * Extra-byte dimensions by name, as float64 values after scale/offset (LAS 1.4 R15 §2.5 extra bytes VLR).
   */
  readonly extra?: Readonly<Record<string, Float64Array>>;
}
