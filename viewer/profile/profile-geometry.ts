/**
 * The 2D profile's geometry, apart from drawing: the mapping from section coordinates (distance along the cut,
 * height m NHN) to drawing pixels at one scale for both axes (unexaggerated by default; an exaggeration factor
 * multiplies heights only), the ground height at a distance, and a measurement between two profile points.
 */
import type { SectionVertex } from '../../core/measure/cross-section.ts';

/** A mapping between profile metres and drawing pixels. */
export interface ProfileMapping {
  /** Pixels per metre along the cut. */
  readonly pxPerM: number;
  /** Vertical exaggeration (1 = true shape). */
  readonly exaggeration: number;
  readonly minDistM: number;
  /** Height drawn at the bottom edge (inside the padding), m NHN. */
  readonly baseH: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly paddingPx: number;
}

/**
 * Fits the profile into widthPx x heightPx (with padding): one pixel-per-metre for both axes (heights times
 * `exaggeration`), the largest that fits both the length and the height range. Heights are centred vertically.
 */
export function fitProfile(
  profile: readonly SectionVertex[],
  widthPx: number,
  heightPx: number,
  options: { exaggeration?: number; paddingPx?: number } = {},
): ProfileMapping {
  const exaggeration = options.exaggeration ?? 1;
  const paddingPx = options.paddingPx ?? 24;
  if (!(exaggeration > 0)) throw new Error(`Invalid exaggeration: ${exaggeration}`);
  let d0 = Infinity;
  let d1 = -Infinity;
  let h0 = Infinity;
  let h1 = -Infinity;
  for (const v of profile) {
    d0 = Math.min(d0, v.distM);
    d1 = Math.max(d1, v.distM);
    h0 = Math.min(h0, v.h);
    h1 = Math.max(h1, v.h);
  }
  if (!(d1 > d0)) {
    d0 = 0;
    d1 = 1;
  }
  if (!(h1 >= h0)) {
    h0 = 0;
    h1 = 0;
  }
  const innerW = Math.max(1, widthPx - 2 * paddingPx);
  const innerH = Math.max(1, heightPx - 2 * paddingPx);
  const pxPerM = Math.min(innerW / (d1 - d0), (h1 > h0 ? innerH / ((h1 - h0) * exaggeration) : Infinity));
  // Centre the height range vertically.
  const usedH = (h1 - h0) * exaggeration * pxPerM;
  const baseH = h0 - (innerH - usedH) / 2 / (pxPerM * exaggeration);
  return { pxPerM, exaggeration, minDistM: d0, baseH, widthPx, heightPx, paddingPx };
}

/** Drawing pixels (x right, y down) of a profile point. */
export function toPixels(m: ProfileMapping, distM: number, h: number): [number, number] {
  return [m.paddingPx + (distM - m.minDistM) * m.pxPerM, m.heightPx - m.paddingPx - (h - m.baseH) * m.exaggeration * m.pxPerM];
}

/** Profile metres (distance, height) of drawing pixels. */
export function fromPixels(m: ProfileMapping, x: number, y: number): [number, number] {
  return [m.minDistM + (x - m.paddingPx) / m.pxPerM, m.baseH + (m.heightPx - m.paddingPx - y) / (m.exaggeration * m.pxPerM)];
}

/**
 * Ground height at distM, linearly between the profile vertices; at a kerb face (two vertices at nearly the same
 * distance) the one nearer to `nearH` when given. Undefined outside the profile or in a gap.
 */
export function profileHeightAt(profile: readonly SectionVertex[], distM: number, nearH?: number): number | undefined {
  let best: number | undefined;
  for (let i = 1; i < profile.length; i++) {
    const a = profile[i - 1]!;
    const b = profile[i]!;
    if (distM < a.distM || distM > b.distM) continue;
    const h = b.distM > a.distM ? a.h + ((distM - a.distM) / (b.distM - a.distM)) * (b.h - a.h) : nearH !== undefined && Math.abs(b.h - nearH) < Math.abs(a.h - nearH) ? b.h : a.h;
    if (best === undefined || (nearH !== undefined && Math.abs(h - nearH) < Math.abs(best - nearH))) best = h;
    if (nearH === undefined) return h;
  }
  return best;
}

/** A measurement between two profile points. */
export interface ProfileMeasurement {
  /** Horizontal distance along the cut, metres. */
  readonly distanceM: number;
  /** Height difference second minus first, metres. */
  readonly heightDiffM: number;
  /** Slope, percent, signed (positive rising from the first point to the second in the direction of the cut). */
  readonly slopePercent: number;
}

/** Distance, height difference and slope between profile points a and b ([distM, h]). */
export function measureInProfile(a: readonly [number, number], b: readonly [number, number]): ProfileMeasurement {
  const dd = b[0] - a[0];
  const dh = b[1] - a[1];
  return { distanceM: Math.abs(dd), heightDiffM: dh, slopePercent: dd !== 0 ? (dh / dd) * 100 : 0 };
}
