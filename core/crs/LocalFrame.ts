/**
 * A local Cartesian frame: world coordinates (float64, e.g. EPSG:25832 metres with northings near 5.7e6) minus
 * a float64 origin, so that the remaining offsets fit float32 GPU buffers. Float32 has a 24-bit significand:
 * an offset below 16 384 m keeps a rounding error under 1 mm, while a raw northing of 5.7e6 m would keep only
 * 0.5 m steps.
 *
 * @example
 * const frame = new LocalFrame([291500, 5744500, 50]);
 * const positions = frame.toLocalArray(cols.x, cols.y, cols.z); // Float32Array, xyz interleaved
 * const world = frame.toWorld([positions[0]!, positions[1]!, positions[2]!]);
 */
export class LocalFrame {
  readonly isLocalFrame = true;
  /** World coordinates of the frame origin, metres, float64. */
  readonly origin: readonly [number, number, number];

  constructor(origin: readonly [number, number, number]) {
    if (!origin.every(Number.isFinite)) throw new Error(`Invalid frame origin: [${origin.join(', ')}]`);
    this.origin = [origin[0], origin[1], origin[2]];
  }

  /** The local offset of a world point, metres (float64 values; store them in float32 if needed). */
  toLocal(world: readonly [number, number, number]): [number, number, number] {
    return [world[0] - this.origin[0], world[1] - this.origin[1], world[2] - this.origin[2]];
  }

  /** The world point of a local offset, metres, float64. */
  toWorld(local: ArrayLike<number>): [number, number, number] {
    return [local[0]! + this.origin[0], local[1]! + this.origin[1], local[2]! + this.origin[2]];
  }

  /**
   * Writes world columns as interleaved local xyz float32 (x0 y0 z0 x1 …). The subtraction happens in float64
   * before the single rounding to float32.
   */
  toLocalArray(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>, out?: Float32Array): Float32Array {
    const count = x.length;
    if (y.length !== count || z.length !== count) {
      throw new Error(`Invalid columns: x, y, z have lengths ${x.length}, ${y.length}, ${z.length}`);
    }
    const target = out ?? new Float32Array(count * 3);
    if (target.length < count * 3) throw new Error(`Invalid output length: ${target.length} < ${count * 3}`);
    const [ox, oy, oz] = this.origin;
    for (let i = 0; i < count; i++) {
      target[i * 3] = x[i]! - ox;
      target[i * 3 + 1] = y[i]! - oy;
      target[i * 3 + 2] = z[i]! - oz;
    }
    return target;
  }
}
