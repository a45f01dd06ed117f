/**
 * The colour modes of the point material and the plain data behind them (ramps, class palette, epoch palette),
 * kept apart from three.js so they can be tested in Node.
 */
import { classificationName } from '../../core/classification.ts';

/** How points are coloured. */
export type ColourMode = 'rgb' | 'intensity' | 'elevation' | 'classification' | 'gpsTime' | 'source' | 'change';

/** Every colour mode, in the order of the UI; the index is the shader's `uColourMode`. */
export const COLOUR_MODES: readonly ColourMode[] = ['rgb', 'intensity', 'elevation', 'classification', 'gpsTime', 'source', 'change'];

/** True for a known colour mode name. */
export function isColourMode(value: string): value is ColourMode {
  return (COLOUR_MODES as readonly string[]).includes(value);
}

/** The shader's integer for a colour mode. */
export function colourModeIndex(mode: ColourMode): number {
  return COLOUR_MODES.indexOf(mode);
}

/** Ramp stops as [t, r, g, b], t in 0..1, colours 0..255: blue (low) through cyan, green, yellow to red (high). */
export const ELEVATION_STOPS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0.0, 40, 60, 200],
  [0.25, 30, 170, 220],
  [0.5, 60, 200, 90],
  [0.75, 240, 220, 60],
  [1.0, 220, 50, 40],
];

/**
 * Change ramp: grey-blue where both epochs agree (below about 5 cm), through yellow at the threshold, to
 * saturated red/magenta well beyond it, so a raised storey or a pothole stands out against unchanged facades.
 * t = distance / (2 · threshold).
 */
export const CHANGE_STOPS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0.0, 95, 110, 130],
  [0.3, 110, 125, 145],
  [0.5, 250, 210, 40],
  [0.75, 250, 90, 30],
  [1.0, 235, 20, 140],
];

/** GPS time ramp (early violet, late yellow). */
export const TIME_STOPS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0.0, 70, 20, 110],
  [0.35, 50, 100, 170],
  [0.7, 40, 180, 120],
  [1.0, 245, 230, 50],
];

/** Samples a ramp at `t` (clamped to 0..1) as bytes [r, g, b]. */
export function sampleRamp(stops: ReadonlyArray<readonly [number, number, number, number]>, t: number): [number, number, number] {
  const c = t <= 0 ? 0 : t >= 1 ? 1 : t;
  let i = 1;
  while (i < stops.length - 1 && stops[i]![0] < c) i++;
  const [t0, r0, g0, b0] = stops[i - 1]!;
  const [t1, r1, g1, b1] = stops[i]!;
  const f = t1 > t0 ? (c - t0) / (t1 - t0) : 0;
  return [Math.round(r0 + (r1 - r0) * f), Math.round(g0 + (g1 - g0) * f), Math.round(b0 + (b1 - b0) * f)];
}

/** A ramp as `width` RGBA bytes (a 1-pixel-high texture row). */
export function rampBytes(stops: ReadonlyArray<readonly [number, number, number, number]>, width = 256): Uint8Array {
  const out = new Uint8Array(width * 4);
  for (let i = 0; i < width; i++) {
    const [r, g, b] = sampleRamp(stops, i / (width - 1));
    out.set([r, g, b, 255], i * 4);
  }
  return out;
}

/** Colours of the ASPRS classes (LAS 1.4 R15 table 17) that have a conventional colour; others are grey. */
const CLASS_COLOURS: Readonly<Record<number, readonly [number, number, number]>> = {
  0: [170, 170, 170],
  1: [200, 200, 200],
  2: [160, 110, 60],
  3: [150, 220, 110],
  4: [70, 180, 60],
  5: [20, 110, 30],
  6: [230, 90, 60],
  7: [255, 0, 255],
  9: [60, 120, 255],
  10: [120, 80, 40],
  11: [110, 110, 120],
  13: [255, 255, 120],
  14: [255, 200, 0],
  15: [200, 160, 255],
  16: [255, 140, 200],
  17: [170, 140, 100],
  18: [255, 60, 255],
  19: [90, 200, 220],
  20: [240, 160, 60],
  21: [245, 250, 255],
  22: [140, 140, 60],
};

/** The display colour of a class 0-255 as bytes. */
export function classColour(code: number): readonly [number, number, number] {
  return CLASS_COLOURS[code] ?? [128, 128, 128];
}

/**
 * The class table as 256 RGBA texels: RGB the class colour, A 255 when the class is shown and 0 when hidden
 * (the vertex shader drops hidden points).
 */
export function classTableBytes(hidden: ReadonlySet<number>): Uint8Array {
  const out = new Uint8Array(256 * 4);
  for (let code = 0; code < 256; code++) {
    const [r, g, b] = classColour(code);
    out.set([r, g, b, hidden.has(code) ? 0 : 255], code * 4);
  }
  return out;
}

/** The classes the UI lists: ASPRS 0-22 without the reserved ones, with their names in the given language. */
export function listedClasses(language: 'de' | 'en', profile: 'asprs' | 'nrw' = 'asprs'): Array<{ code: number; name: string }> {
  const codes = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  return codes.map((code) => ({ code, name: classificationName(code, { profile, language }) }));
}

/** Colours of drives/epochs by source index (0 = first source). */
export const SOURCE_COLOURS: ReadonlyArray<readonly [number, number, number]> = [
  [80, 170, 255],
  [255, 150, 60],
  [120, 220, 120],
  [230, 100, 220],
  [240, 230, 90],
  [90, 230, 220],
  [250, 110, 110],
  [180, 180, 255],
];
