import { describe, expect, it } from 'vitest';
import { splitProfileParts } from '../../../core/export/section-geometry.ts';
import { fitSectionScale, writeSectionSvg } from '../../../core/export/section-svg.ts';
import { streetSection } from './export-fixtures.ts';
import { childrenNamed, parseXml } from './mini-xml.ts';

function pairs(points: string): [number, number][] {
  return points.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
}

describe('section SVG', () => {
  const { section } = streetSection();
  const parts = splitProfileParts(section);

  it('draws every profile vertex unexaggerated at the stated scale', () => {
    const root = parseXml(writeSectionSvg(section, { scale: 100 }));
    expect(root.name).toBe('svg');
    const lines = childrenNamed(root, 'polyline').filter((p) => p.attrs.class === 'ground');
    expect(lines.length).toBe(parts.length);
    // 1:100 -> 10 mm per metre, horizontally and vertically.
    const p0 = pairs(lines[0]!.attrs.points!)[0]!;
    const v0 = parts[0]![0]!;
    lines.forEach((l, i) => {
      const pts = pairs(l.attrs.points!);
      expect(pts.length).toBe(parts[i]!.length);
      pts.forEach(([x, y], k) => {
        const v = parts[i]![k]!;
        expect(Math.abs((x - p0[0]) / 10 - (v.distM - v0.distM))).toBeLessThan(2e-4);
        expect(Math.abs(-(y - p0[1]) / 10 - (v.h - v0.h))).toBeLessThan(2e-4);
      });
    });
    // Kerb faces drawn at their height, labelled with it.
    const kerbs = childrenNamed(root, 'line').filter((l) => l.attrs.class === 'kerb');
    expect(kerbs.length).toBe(section.kerbs.length);
    kerbs.forEach((l, i) => {
      expect(Math.abs((Number(l.attrs.y1) - Number(l.attrs.y2)) / 10 - section.kerbs[i]!.heightM)).toBeLessThan(2e-4);
    });
    const texts = childrenNamed(root, 'text').map((t) => t.text);
    for (const k of section.kerbs) expect(texts).toContain(`Bord ${k.heightM.toFixed(3).replace('.', ',')} m`);
    expect(texts[0]).toContain('1:100, Überhöhung 1:1');
    expect(root.attrs.width).toBe(`${(section.lengthM * 10 + 24).toFixed(1)}mm`);
  });

  it('exaggerates heights only when asked', () => {
    const root = parseXml(writeSectionSvg(section, { scale: 100, verticalExaggeration: 5 }));
    const kerb = childrenNamed(root, 'line').find((l) => l.attrs.class === 'kerb')!;
    expect(Math.abs((Number(kerb.attrs.y1) - Number(kerb.attrs.y2)) / 50 - section.kerbs[0]!.heightM)).toBeLessThan(2e-4);
    expect(childrenNamed(root, 'text')[0]!.text).toContain('Überhöhung 5:1');
  });

  it('fits the scale to the paper width', () => {
    // Width on paper = length / scale + 24 mm margins, at most 170 mm.
    expect(fitSectionScale(14)).toBe(100); // 140 + 24
    expect(fitSectionScale(16)).toBe(200); // 160 + 24 > 170 at 1:100
    expect(fitSectionScale(6)).toBe(50); // 120 + 24; 1:25 would be 264
    expect(fitSectionScale(40)).toBe(500); // 1:250 would be 184
  });
});
