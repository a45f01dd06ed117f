import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitProfileParts } from '../../../core/export/section-geometry.ts';
import { LANDXML_12_NS, writeSectionLandXml } from '../../../core/export/section-landxml.ts';
import { cutSection } from '../../../core/measure/cross-section.ts';
import { makeStreet } from '../measure/synthetic-street.ts';
import { CREATED_AT, streetSection, tempDir } from './export-fixtures.ts';
import { child, childrenNamed, parseXml, type XmlElement } from './mini-xml.ts';

function numbers(text: string): number[] {
  return text.trim().split(/\s+/).map(Number);
}

function alignmentOf(root: XmlElement): XmlElement {
  return child(child(root, 'Alignments'), 'Alignment');
}

describe('section LandXML 1.2', () => {
  const { section, from, to } = streetSection();

  it('is well-formed LandXML 1.2 with units, CRS and the required attributes', () => {
    const root = parseXml(writeSectionLandXml(section, { createdAt: CREATED_AT, stationM: 125 }));
    expect(root.name).toBe('LandXML');
    expect(root.attrs.xmlns).toBe(LANDXML_12_NS);
    expect(root.attrs.version).toBe('1.2');
    expect(root.attrs.date).toBe('2026-05-04');
    expect(root.attrs.time).toBe('09:30:00Z');
    const metric = child(child(root, 'Units'), 'Metric');
    for (const a of ['areaUnit', 'linearUnit', 'volumeUnit', 'temperatureUnit', 'pressureUnit']) expect(metric.attrs[a]).toBeTruthy();
    expect(metric.attrs.linearUnit).toBe('meter');
    const crs = child(root, 'CoordinateSystem');
    expect(crs.attrs.epsgCode).toBe('25832');
    expect(crs.attrs.ogcWktCode).toContain('DHHN2016');
    const al = alignmentOf(root);
    for (const a of ['name', 'length', 'staStart']) expect(al.attrs[a]).toBeDefined();
    // Schema order inside Alignment: CoordGeom before CrossSects.
    expect(al.children.map((c) => c.name)).toEqual(['CoordGeom', 'CrossSects']);
  });

  it('holds every profile point as offset/elevation pairs, one PntList2D per continuous part', () => {
    const root = parseXml(writeSectionLandXml(section, { createdAt: CREATED_AT, stationM: 125 }));
    const cs = child(child(alignmentOf(root), 'CrossSects'), 'CrossSect');
    expect(Number(cs.attrs.sta)).toBe(125);
    const surf = child(cs, 'CrossSectSurf');
    expect(surf.attrs.name).toBeTruthy();
    const lists = childrenNamed(surf, 'PntList2D');
    const parts = splitProfileParts(section);
    expect(lists.length).toBe(parts.length);
    expect(parts.length).toBe(2);
    lists.forEach((l, i) => {
      const v = numbers(l.text);
      expect(v.length).toBe(parts[i]!.length * 2);
      parts[i]!.forEach((p, k) => {
        expect(Math.abs(v[2 * k]! - p.offsetM)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.abs(v[2 * k + 1]! - p.h)).toBeLessThanOrEqual(0.0005 + 1e-9);
      });
    });
    // Kerbs as Features with their values.
    const kerbs = childrenNamed(cs, 'Feature');
    expect(kerbs.length).toBe(section.kerbs.length);
    kerbs.forEach((f, i) => {
      const props = Object.fromEntries(childrenNamed(f, 'Property').map((p) => [p.attrs.label, Number(p.attrs.value)]));
      expect(props.heightM).toBeCloseTo(section.kerbs[i]!.heightM, 3);
      expect(props.offset).toBeCloseTo(section.kerbs[i]!.offsetM, 3);
    });
    // Element order inside CrossSect per the schema sequence.
    expect(cs.children.map((c) => c.name)).toEqual(['CrossSectSurf', ...section.kerbs.map(() => 'Feature')]);
  });

  it('puts the axis through the middle of the cut, perpendicular, with the to end on the right (N E order)', () => {
    const root = parseXml(writeSectionLandXml(section, { createdAt: CREATED_AT }));
    const line = child(child(alignmentOf(root), 'CoordGeom'), 'Line');
    const [sn, se] = numbers(child(line, 'Start').text) as [number, number];
    const [en, ee] = numbers(child(line, 'End').text) as [number, number];
    const mid = [(from[0] + to[0]) / 2, (from[1] + to[1]) / 2];
    expect((se + ee) / 2).toBeCloseTo(mid[0]!, 3);
    expect((sn + en) / 2).toBeCloseTo(mid[1]!, 3);
    const a = [ee - se, en - sn];
    const u = [to[0] - from[0], to[1] - from[1]];
    expect(Math.abs(a[0]! * u[0]! + a[1]! * u[1]!)).toBeLessThan(1e-3 * Math.hypot(u[0]!, u[1]!));
    // Right of the axis direction (a rotated clockwise) points to the `to` end.
    expect(a[1]! * u[0]! - a[0]! * u[1]!).toBeGreaterThan(0);
  });

  it('stations a series of cuts along the axis through their middles and mirrors a reversed cut', () => {
    // Three parallel cuts 5 m apart along the street (the street axis runs perpendicular to the cut).
    const rot = (33 * Math.PI) / 180;
    const along: [number, number] = [-Math.sin(rot), Math.cos(rot)];
    const { points, from: f0, to: t0 } = makeStreet({ seed: 5, rotationDeg: 33, withObjects: false });
    const shift = (p: [number, number], s: number): [number, number] => [p[0] + along[0] * s, p[1] + along[1] * s];
    // The synthetic street is only 0.5 m deep, so the cuts are ±0.2 m apart here; the last one is drawn reversed.
    const s0 = cutSection(points, { from: shift(f0, -0.2), to: shift(t0, -0.2) }, 0.05);
    const s1 = cutSection(points, { from: f0, to: t0 }, 0.05);
    const s2 = cutSection(points, { from: shift(t0, 0.2), to: shift(f0, 0.2) }, 0.05);
    const root = parseXml(writeSectionLandXml([s0, s1, s2], { createdAt: CREATED_AT, stationM: 100 }));
    const al = alignmentOf(root);
    expect(Number(al.attrs.staStart)).toBe(100);
    expect(Number(al.attrs.length)).toBeCloseTo(0.4, 3);
    expect(childrenNamed(child(al, 'CoordGeom'), 'Line').length).toBe(2);
    const cs = childrenNamed(child(al, 'CrossSects'), 'CrossSect');
    expect(cs.map((c) => Number(c.attrs.sta))).toEqual([100, 100.2, 100.4]);
    // The reversed cut's offsets are mirrored, so the kerbs appear at the same offsets in all three.
    const kerbOffsets = cs.map((c) =>
      childrenNamed(c, 'Feature')
        .map((f) => Number(childrenNamed(f, 'Property').find((p) => p.attrs.label === 'offset')!.attrs.value))
        .sort((x, y) => x - y),
    );
    expect(kerbOffsets[0]!.length).toBe(2);
    for (const k of [1, 2]) {
      kerbOffsets[k]!.forEach((o, j) => expect(Math.abs(o - kerbOffsets[0]![j]!)).toBeLessThan(0.05));
    }
    // Offsets ascend in every PntList2D (the mirrored list is reversed).
    for (const c of cs) {
      for (const l of childrenNamed(child(c, 'CrossSectSurf'), 'PntList2D')) {
        const o = numbers(l.text).filter((_, k) => k % 2 === 0);
        for (let k = 1; k < o.length; k++) expect(o[k]!).toBeGreaterThanOrEqual(o[k - 1]!);
      }
    }
  });

  it('the test parser rejects broken XML', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/Invalid XML/);
    expect(() => parseXml('<a x=1/>')).toThrow(/Invalid XML/);
    expect(() => parseXml('<a>&</a>')).toThrow(/Invalid XML/);
  });
});

// Optional: validation against the official LandXML-1.2.xsd with the JDK's schema validator. The schema is not
// part of the repository; point LANDXML_XSD at a local copy to run it (it passed for these outputs).
const XSD = process.env.LANDXML_XSD;
const HAS_JAVA = (() => {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!XSD || !existsSync(XSD) || !HAS_JAVA)('section LandXML against LandXML-1.2.xsd (LANDXML_XSD)', () => {
  it('validates one section and a series', () => {
    const dir = tempDir();
    try {
      const validator = join(dir, 'Validate.java');
      writeFileSync(
        validator,
        [
          'import javax.xml.XMLConstants;',
          'import javax.xml.transform.stream.StreamSource;',
          'import javax.xml.validation.SchemaFactory;',
          'import java.io.File;',
          'public class Validate {',
          '  public static void main(String[] a) throws Exception {',
          '    var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(new File(a[0]));',
          '    for (int i = 1; i < a.length; i++) schema.newValidator().validate(new StreamSource(new File(a[i])));',
          '    System.out.println("valid");',
          '  }',
          '}',
        ].join('\n'),
      );
      const { section } = streetSection();
      const one = join(dir, 'one.xml');
      const many = join(dir, 'many.xml');
      writeFileSync(one, writeSectionLandXml(section, { createdAt: CREATED_AT, stationM: 12.5 }));
      const { points, from, to } = makeStreet({ seed: 5, rotationDeg: 33, withObjects: false });
      const s1 = cutSection(points, { from, to }, 0.05);
      const s0 = cutSection(points, { from: [from[0] - 0.1, from[1] + 0.15], to: [to[0] - 0.1, to[1] + 0.15] }, 0.05);
      writeFileSync(many, writeSectionLandXml([s0, s1], { createdAt: CREATED_AT }));
      expect(execFileSync('java', [validator, XSD!, one, many], { encoding: 'utf8' }).trim()).toBe('valid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
