/**
 * Section profile as an SVG drawing (for reports and the printed protocol): the ground line in section
 * coordinates, unexaggerated by default (issue 5: "draw sections unexaggerated"), with kerb faces and their
 * heights, the middle of the cut, a 1 m scale bar and the height range in m NHN.
 *
 * Drawing units are millimetres on paper at the chosen scale (default 1:100, so 1 m = 10 mm); `width`/`height`
 * carry the mm unit, so a printed SVG keeps its scale.
 *
 * @example
 * const svg = writeSectionSvg(cutSection(points, line, 0.1), { scale: 50 });
 */
import type { CrossSection } from '../measure/cross-section.ts';
import { splitProfileParts } from './section-geometry.ts';
import { escapeXml, formatFixed } from './text-format.ts';

/** Options of {@link writeSectionSvg}. */
export interface SectionSvgOptions {
  /** Map scale denominator (default 100, i.e. 1:100). */
  readonly scale?: number;
  /** Vertical exaggeration (default 1 = unexaggerated). */
  readonly verticalExaggeration?: number;
}

/** Scales tried by {@link fitSectionScale}, as denominators. */
export const SECTION_SCALES: readonly number[] = [20, 25, 50, 100, 200, 250, 500, 1000, 2000];

/** The largest standard scale (smallest denominator) at which the section fits into widthMm of paper. */
export function fitSectionScale(lengthM: number, widthMm = 170): number {
  for (const s of SECTION_SCALES) if ((lengthM * 1000) / s + 2 * MARGIN_MM <= widthMm) return s;
  return SECTION_SCALES[SECTION_SCALES.length - 1]!;
}

const MARGIN_MM = 12;
const TEXT_MM = 2.5;

/** Writes the profile as a standalone SVG document (text). */
export function writeSectionSvg(section: CrossSection, options: SectionSvgOptions = {}): string {
  const scale = options.scale ?? 100;
  const exag = options.verticalExaggeration ?? 1;
  if (!(scale > 0)) throw new Error(`Invalid SVG scale: ${scale}`);
  if (!(exag > 0)) throw new Error(`Invalid vertical exaggeration: ${exag}`);
  const mmPerM = 1000 / scale;
  let hLo = Infinity;
  let hHi = -Infinity;
  for (const v of section.profile) {
    hLo = Math.min(hLo, v.h);
    hHi = Math.max(hHi, v.h);
  }
  for (const k of section.kerbs) {
    hLo = Math.min(hLo, k.gutterNhn);
    hHi = Math.max(hHi, k.topNhn);
  }
  if (!Number.isFinite(hLo)) {
    hLo = 0;
    hHi = 0;
  }
  const plotW = section.lengthM * mmPerM;
  const plotH = Math.max((hHi - hLo) * mmPerM * exag, 1);
  const top = MARGIN_MM + 2 * TEXT_MM;
  const width = plotW + 2 * MARGIN_MM;
  const height = plotH + top + MARGIN_MM + 3 * TEXT_MM;
  const x = (d: number): string => formatFixed(MARGIN_MM + d * mmPerM, 3);
  const y = (h: number): string => formatFixed(top + (hHi - h) * mmPerM * exag, 3);
  const n = (v: number, d = 3): string => formatFixed(v, d, ',');
  const text = (tx: string, ty: string, body: string, anchor = 'start'): string =>
    `<text x="${tx}" y="${ty}" text-anchor="${anchor}">${escapeXml(body)}</text>`;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${formatFixed(width, 1)}mm" height="${formatFixed(height, 1)}mm" ` +
      `viewBox="0 0 ${formatFixed(width, 3)} ${formatFixed(height, 3)}">`,
  );
  out.push(
    '<style>.ground{fill:none;stroke:#000;stroke-width:0.35}.kerb{stroke:#c00;stroke-width:0.35}' +
      '.axis{stroke:#06c;stroke-width:0.18;stroke-dasharray:1.5 1}' +
      `text{font-family:sans-serif;font-size:${TEXT_MM}px}</style>`,
  );
  out.push(
    text(formatFixed(MARGIN_MM, 3), formatFixed(MARGIN_MM, 3),
      `Querprofil 1:${formatFixed(scale, 0)}, Überhöhung ${n(exag, exag % 1 === 0 ? 0 : 1)}:1, Höhen m NHN (DHHN2016)`),
  );
  for (const part of splitProfileParts(section)) {
    if (part.length < 2) continue;
    out.push(`<polyline class="ground" points="${part.map((v) => `${x(v.distM)},${y(v.h)}`).join(' ')}"/>`);
  }
  for (const k of section.kerbs) {
    out.push(`<line class="kerb" x1="${x(k.distM)}" y1="${y(k.gutterNhn)}" x2="${x(k.distM)}" y2="${y(k.topNhn)}"/>`);
    out.push(text(x(k.distM), formatFixed(Number(y(k.topNhn)) - TEXT_MM, 3), `Bord ${n(k.heightM)} m`, 'middle'));
  }
  const mid = section.lengthM / 2;
  out.push(`<line class="axis" x1="${x(mid)}" y1="${formatFixed(top - TEXT_MM, 3)}" x2="${x(mid)}" ` +
    `y2="${formatFixed(top + plotH + TEXT_MM, 3)}"/>`);
  const base = top + plotH + 2.5 * TEXT_MM;
  out.push(text(x(0), formatFixed(base, 3), `${n(hHi)} / ${n(hLo)} m NHN (max/min)`));
  const barY = formatFixed(base + 1.5 * TEXT_MM, 3);
  const barM = Math.min(1, section.lengthM);
  out.push(`<line class="ground" x1="${x(section.lengthM - barM)}" y1="${barY}" x2="${x(section.lengthM)}" y2="${barY}"/>`);
  out.push(text(x(section.lengthM), formatFixed(base, 3), `${n(barM, barM === 1 ? 0 : 2)} m`, 'end'));
  out.push('</svg>');
  return out.join('\n') + '\n';
}
