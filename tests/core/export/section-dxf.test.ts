import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeDxfText, writeDxf } from '../../../core/export/dxf-writer.ts';
import { SECTION_DXF_LAYERS, writeSectionDxf2d, writeSectionDxf3d } from '../../../core/export/section-dxf.ts';
import { splitProfileParts } from '../../../core/export/section-geometry.ts';
import { HAS_OGRINFO, ogrinfo, ogrToGeoJson, streetSection, tempDir, writeTemp } from './export-fixtures.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Group-code/value pairs of a DXF text. */
function dxfPairs(text: string): [number, string][] {
  const lines = text.split('\r\n');
  expect(lines.pop()).toBe('');
  expect(lines.length % 2).toBe(0);
  const out: [number, string][] = [];
  for (let k = 0; k < lines.length; k += 2) {
    expect(lines[k]).toMatch(/^[ \d]{2}\d$/);
    out.push([Number(lines[k]), lines[k + 1]!]);
  }
  return out;
}

/** Vertex coordinates of every POLYLINE, read back from the DXF text by group codes. */
function polylineVertices(text: string): number[][][] {
  const pairs = dxfPairs(text);
  const lines: number[][][] = [];
  let inVertex = false;
  let cur: number[] = [];
  for (const [code, value] of pairs) {
    if (code === 0) {
      if (inVertex) lines[lines.length - 1]!.push(cur);
      inVertex = value === 'VERTEX';
      cur = [];
      if (value === 'POLYLINE') lines.push([]);
      continue;
    }
    if (inVertex && (code === 10 || code === 20 || code === 30)) cur[(code - 10) / 10] = Number(value);
  }
  return lines;
}

describe('section DXF', () => {
  const { section } = streetSection();
  const parts = splitProfileParts(section);

  it('2D: one polyline per continuous part, x = distM and y = h exactly (full precision)', () => {
    const text = writeSectionDxf2d(section);
    const pairs = dxfPairs(text);
    expect(pairs.find(([c, v]) => c === 1 && v.startsWith('AC'))?.[1]).toBe('AC1009');
    expect(pairs[pairs.length - 1]).toEqual([0, 'EOF']);
    const lines = polylineVertices(text);
    expect(lines.length).toBe(parts.length);
    lines.forEach((line, i) => {
      expect(line.length).toBe(parts[i]!.length);
      line.forEach((p, k) => {
        expect(p[0]).toBe(parts[i]![k]!.distM);
        expect(p[1]).toBe(parts[i]![k]!.h);
        expect(p[2]).toBe(0);
      });
    });
    // No exponent notation anywhere (DXF readers differ on it).
    expect(text).not.toMatch(/\n-?\d+(\.\d+)?e[-+]?\d+\r/i);
  });

  it('3D: world coordinates round-trip exactly and the POLYLINE is flagged 3D', () => {
    const text = writeSectionDxf3d(section);
    const lines = polylineVertices(text);
    expect(lines.length).toBe(parts.length);
    lines.forEach((line, i) =>
      line.forEach((p, k) => {
        const v = parts[i]![k]!;
        expect(p).toEqual([v.e, v.n, v.h]);
      }),
    );
    const pairs = dxfPairs(text);
    const flags = pairs.filter((_, k) => k > 0 && pairs[k - 1]![1] === SECTION_DXF_LAYERS.ground && pairs[k]![0] === 66);
    expect(flags.length).toBe(parts.length);
    expect(text).toContain('\r\n 70\r\n8\r\n');
    expect(text).toContain('\r\n 70\r\n32\r\n');
  });

  it('escapes non-ASCII text and rejects unknown layers', () => {
    expect(encodeDxfText('Bordhöhe 0,12 m')).toBe('Bordh\\U+00F6he 0,12 m');
    expect(() => writeDxf({ layers: [], entities: [{ type: 'point', layer: 'X', at: [0, 0, 0] }] })).toThrow(/Invalid DXF entity layer/);
    expect(() => writeDxf({ layers: [{ name: 'a b', color: 1 }], entities: [] })).toThrow(/Invalid DXF layer name/);
  });

  it.skipIf(!HAS_OGRINFO)('GDAL reads the 2D DXF: ground parts, kerb lines and texts on their layers', () => {
    const path = writeTemp(dir, 'section-2d.dxf', writeSectionDxf2d(section));
    const info = ogrinfo(['-ro', '-so', '-al', path]);
    expect(info).toMatch(/using driver `DXF' successful/);
    const fc = ogrToGeoJson(path);
    const byLayer = (l: string) => fc.features.filter((f) => f.properties.Layer === l);
    const ground = byLayer(SECTION_DXF_LAYERS.ground);
    expect(ground.length).toBe(parts.length);
    ground.forEach((f, i) => {
      const coords = f.geometry!.coordinates as number[][];
      expect(coords.length).toBe(parts[i]!.length);
      coords.forEach((c, k) => {
        expect(c[0]).toBeCloseTo(parts[i]![k]!.distM, 9);
        expect(c[1]).toBeCloseTo(parts[i]![k]!.h, 9);
      });
    });
    const kerbs = byLayer(SECTION_DXF_LAYERS.kerb);
    expect(kerbs.length).toBe(section.kerbs.length);
    kerbs.forEach((f, i) => {
      const [a, b] = f.geometry!.coordinates as number[][];
      expect(a![0]).toBeCloseTo(section.kerbs[i]!.distM, 9);
      expect(b![1]! - a![1]!).toBeCloseTo(section.kerbs[i]!.heightM, 9);
    });
    const texts = byLayer(SECTION_DXF_LAYERS.text).map((f) => f.properties.Text);
    for (const k of section.kerbs) expect(texts).toContain(`Bord ${k.heightM.toFixed(3)} m`);
    const { from, to } = streetSection();
    expect(texts).toContain(`Anfang E ${from[0].toFixed(3)} N ${from[1].toFixed(3)}`);
    expect(texts).toContain(`Ende E ${to[0].toFixed(3)} N ${to[1].toFixed(3)}`);
    expect(byLayer(SECTION_DXF_LAYERS.axis).length).toBe(1);
  });

  it.skipIf(!HAS_OGRINFO)('GDAL reads the 3D DXF: LINESTRING Z in EPSG:25832 world coordinates', () => {
    const path = writeTemp(dir, 'section-3d.dxf', writeSectionDxf3d(section));
    expect(ogrinfo(['-ro', '-al', path])).toMatch(/LINESTRING Z \(2914\d\d\.\d+ 57443\d\d\.\d+ 3\d\.\d+/);
    const fc = ogrToGeoJson(path);
    const ground = fc.features.filter((f) => f.properties.Layer === SECTION_DXF_LAYERS.ground);
    expect(ground.length).toBe(parts.length);
    ground.forEach((f, i) => {
      const coords = f.geometry!.coordinates as number[][];
      coords.forEach((c, k) => {
        const v = parts[i]![k]!;
        expect(Math.abs(c[0]! - v.e)).toBeLessThan(1e-8);
        expect(Math.abs(c[1]! - v.n)).toBeLessThan(1e-8);
        expect(Math.abs(c[2]! - v.h)).toBeLessThan(1e-8);
      });
    });
    const kerbs = fc.features.filter((f) => f.properties.Layer === SECTION_DXF_LAYERS.kerb);
    kerbs.forEach((f, i) => {
      const [a, b] = f.geometry!.coordinates as number[][];
      expect(a![0]).toBeCloseTo(section.kerbs[i]!.e, 8);
      expect(a![1]).toBeCloseTo(section.kerbs[i]!.n, 8);
      expect(a![2]).toBeCloseTo(section.kerbs[i]!.gutterNhn, 8);
      expect(b![2]).toBeCloseTo(section.kerbs[i]!.topNhn, 8);
    });
  });
});
