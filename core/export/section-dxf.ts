/**
 * Section profile as DXF R12, in two flavours:
 * - 2D ({@link writeSectionDxf2d}): the drawing plane is the section plane, 1:1 and unexaggerated:
 *   x = distance along the cut (m, 0 at the `from` end), y = height m NHN (DHHN2016).
 * - 3D ({@link writeSectionDxf3d}): the ground line as 3D POLYLINE in world coordinates, EPSG:25832 E/N and
 *   height m NHN, so it overlays the point cloud and plan data in CAD.
 *
 * Layers: QP_GELAENDE (ground line, one polyline per continuous part, never bridging an unmeasured gap),
 * QP_BORD (kerb faces: a vertical line from gutter to kerb top), QP_TEXT (kerb heights, segment cross-falls;
 * in 2D also the world E/N of both ends), QP_ACHSE (2D only: the vertical at offset 0, the middle of the cut).
 *
 * @example
 * const dxf = writeSectionDxf2d(cutSection(points, line, 0.1));
 */
import type { Point3 } from '../geometry/point3.ts';
import type { CrossSection, SectionVertex } from '../measure/cross-section.ts';
import { writeDxf, type DxfEntity, type DxfLayer } from './dxf-writer.ts';
import { sectionFrame, splitProfileParts } from './section-geometry.ts';
import { formatFixed } from './text-format.ts';

/** Options of the section DXF writers. */
export interface SectionDxfOptions {
  /** Text height, metres in the drawing (default 0.05: 2.5 mm at 1:50). */
  readonly textHeightM?: number;
  /** Write segment cross-fall labels (default true). */
  readonly slopeLabels?: boolean;
}

/** Layer names of the section DXF files. */
export const SECTION_DXF_LAYERS = {
  ground: 'QP_GELAENDE',
  kerb: 'QP_BORD',
  text: 'QP_TEXT',
  axis: 'QP_ACHSE',
} as const;

const LAYERS_2D: readonly DxfLayer[] = [
  { name: SECTION_DXF_LAYERS.ground, color: 3 },
  { name: SECTION_DXF_LAYERS.kerb, color: 1 },
  { name: SECTION_DXF_LAYERS.text, color: 7 },
  { name: SECTION_DXF_LAYERS.axis, color: 5 },
];

/** Writes the profile in section coordinates (x = distM, y = h m NHN), 1:1, as DXF R12 text. */
export function writeSectionDxf2d(section: CrossSection, options: SectionDxfOptions = {}): string {
  const th = options.textHeightM ?? 0.05;
  const L = SECTION_DXF_LAYERS;
  const entities: DxfEntity[] = [];
  const parts = splitProfileParts(section);
  for (const part of parts) {
    if (part.length < 2) continue;
    entities.push({ type: 'polyline', layer: L.ground, is3d: false, points: part.map((v) => [v.distM, v.h, 0]) });
  }
  for (const k of section.kerbs) {
    entities.push({ type: 'line', layer: L.kerb, a: [k.distM, k.gutterNhn, 0], b: [k.distM, k.topNhn, 0] });
    entities.push({
      type: 'text',
      layer: L.text,
      at: [k.distM + th * 0.5, k.topNhn + th, 0],
      heightM: th,
      text: `Bord ${formatFixed(k.heightM)} m`,
    });
  }
  if (options.slopeLabels ?? true) {
    for (const s of section.segments) {
      if (s.kind !== 'carriageway' && s.kind !== 'footpath') continue;
      const mid = (s.fromDistM + s.toDistM) / 2;
      const h = heightAt(parts, mid);
      if (h === undefined) continue;
      entities.push({
        type: 'text',
        layer: L.text,
        at: [mid, h + 3 * th, 0],
        heightM: th,
        text: `${formatFixed(s.slopePercent, 2)} %`,
      });
    }
  }
  if (section.profile.length > 0) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of section.profile) {
      lo = Math.min(lo, v.h);
      hi = Math.max(hi, v.h);
    }
    const x = section.lengthM / 2;
    entities.push({ type: 'line', layer: L.axis, a: [x, lo - 0.2, 0], b: [x, hi + 0.2, 0] });
    // Where the section lies: world position of both ends, below the ground line.
    if (section.profile.length >= 2) {
      const f = sectionFrame(section);
      const endText = (name: string, d: number, p: readonly [number, number]): void => {
        entities.push({
          type: 'text',
          layer: L.text,
          at: [d, lo - 0.2 - 2 * th, 0],
          heightM: th,
          text: `${name} E ${formatFixed(p[0])} N ${formatFixed(p[1])}`,
        });
      };
      endText('Anfang', 0, f.from);
      endText('Ende', section.lengthM, f.to);
    }
  }
  return writeDxf({ layers: LAYERS_2D, entities });
}

const LAYERS_3D: readonly DxfLayer[] = [
  { name: SECTION_DXF_LAYERS.ground, color: 3 },
  { name: SECTION_DXF_LAYERS.kerb, color: 1 },
  { name: SECTION_DXF_LAYERS.text, color: 7 },
];

/** Writes the ground line as 3D POLYLINE in EPSG:25832 / m NHN world coordinates, as DXF R12 text. */
export function writeSectionDxf3d(section: CrossSection, options: SectionDxfOptions = {}): string {
  const th = options.textHeightM ?? 0.05;
  const L = SECTION_DXF_LAYERS;
  const entities: DxfEntity[] = [];
  for (const part of splitProfileParts(section)) {
    if (part.length < 2) continue;
    entities.push({ type: 'polyline', layer: L.ground, is3d: true, points: part.map((v): Point3 => [v.e, v.n, v.h]) });
  }
  for (const k of section.kerbs) {
    entities.push({ type: 'line', layer: L.kerb, a: [k.e, k.n, k.gutterNhn], b: [k.e, k.n, k.topNhn] });
    entities.push({
      type: 'text',
      layer: L.text,
      at: [k.e, k.n, k.topNhn + th],
      heightM: th,
      text: `Bord ${formatFixed(k.heightM)} m`,
    });
  }
  return writeDxf({ layers: LAYERS_3D, entities });
}

/** Profile height at distance d by linear interpolation inside a continuous part, else undefined. */
function heightAt(parts: readonly (readonly SectionVertex[])[], d: number): number | undefined {
  for (const part of parts) {
    for (let k = 1; k < part.length; k++) {
      const a = part[k - 1]!;
      const b = part[k]!;
      if (d >= a.distM && d <= b.distM && b.distM > a.distM) {
        return a.h + ((b.h - a.h) * (d - a.distM)) / (b.distM - a.distM);
      }
    }
  }
  return undefined;
}
