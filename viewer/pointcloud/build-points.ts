/**
 * Turns float64 world points into a three.js `Points` object in a LocalFrame: the GPU buffer holds float32 offsets
 * from the frame origin (metres), never raw UTM coordinates (at 5.7 million metres float32 keeps only about 0.5 m).
 */
import { BufferAttribute, BufferGeometry, Points, PointsMaterial } from 'three';
import type { LocalFrame } from '../../core/crs/LocalFrame.ts';
import type { DisplayColumns } from '../../workers/decode-api.ts';
import { writeRampColour } from './elevation-ramp.ts';

/** How the points are coloured. */
export type ColourMode = 'rgb' | 'elevation';

/** Options for {@link buildPoints}. */
export interface BuildPointsOptions {
  /** The frame of the scene: its origin is subtracted from every position (in float64) before the float32 rounding. */
  readonly frame: LocalFrame;
  /** Height range (metres) of the elevation ramp; defaults to {@link robustRange} of the points. */
  readonly heightRange?: readonly [number, number];
  /** Point size in screen pixels. */
  readonly sizePx?: number;
}

/** True when the columns carry colour that is not all black. */
export function hasRgb(columns: DisplayColumns): boolean {
  const { red, green, blue } = columns;
  if (!red || !green || !blue) return false;
  for (let i = 0; i < columns.count; i++) if (red[i]! | green[i]! | blue[i]!) return true;
  return false;
}

/**
 * The 2nd and 98th percentile of a column, from an even sample of at most 100 000 values, so that a few outliers
 * (birds, noise below ground) do not squeeze every real height into one colour; [0, 0] for no points.
 */
export function robustRange(values: Float64Array, count: number): [number, number] {
  if (count === 0) return [0, 0];
  const step = Math.max(1, Math.floor(count / 100_000));
  const sample = new Float64Array(Math.ceil(count / step));
  for (let i = 0, k = 0; i < count; i += step, k++) sample[k] = values[i]!;
  sample.sort();
  const at = (q: number): number => sample[Math.min(sample.length - 1, Math.floor(q * (sample.length - 1)))]!;
  return [at(0.02), at(0.98)];
}

/**
 * Builds the points: positions relative to the frame origin as float32, colours as normalised bytes from RGB (16-bit LAS
 * values, or 8-bit ones that some writers store unscaled) or else from the elevation ramp.
 */
export function buildPoints(columns: DisplayColumns, options: BuildPointsOptions): { points: Points; colourMode: ColourMode } {
  const { count, x, y, z } = columns;
  const positions = options.frame.toLocalArray(x, y, z);

  const colours = new Uint8Array(count * 3);
  const colourMode: ColourMode = hasRgb(columns) ? 'rgb' : 'elevation';
  if (colourMode === 'rgb') {
    const red = columns.red!;
    const green = columns.green!;
    const blue = columns.blue!;
    let max = 0;
    for (let i = 0; i < count; i++) max = Math.max(max, red[i]!, green[i]!, blue[i]!);
    // Note: LAS stores 16-bit colour, but many writers put 8-bit values in it unscaled.
    const shift = max > 255 ? 8 : 0;
    for (let i = 0, j = 0; i < count; i++, j += 3) {
      colours[j] = red[i]! >> shift;
      colours[j + 1] = green[i]! >> shift;
      colours[j + 2] = blue[i]! >> shift;
    }
  } else {
    const [low, high] = options.heightRange ?? robustRange(z, count);
    const span = high - low || 1;
    for (let i = 0; i < count; i++) writeRampColour((z[i]! - low) / span, colours, i * 3);
  }

  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  geometry.setAttribute('color', new BufferAttribute(colours, 3, true));
  geometry.computeBoundingBox();
  geometry.computeBoundingSphere();
  const material = new PointsMaterial({ size: options.sizePx ?? 2, sizeAttenuation: false, vertexColors: true });
  const points = new Points(geometry, material);
  // The scene is the frame itself, so the object sits at 0; the frame is kept for picking and later layers.
  points.userData.frame = options.frame;
  return { points, colourMode };
}
