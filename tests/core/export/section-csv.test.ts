import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { splitProfileParts } from '../../../core/export/section-geometry.ts';
import { SECTION_CSV_COLUMNS, writeSectionCsv } from '../../../core/export/section-csv.ts';
import { formatFixed, formatFull } from '../../../core/export/text-format.ts';
import { STREET } from '../measure/synthetic-street.ts';
import { HAS_OGRINFO, ogrinfo, ogrToGeoJson, streetSection, tempDir, writeTemp } from './export-fixtures.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('section CSV', () => {
  const { section } = streetSection();

  it('splits the profile at the unmeasured gap under the parked car and nowhere else', () => {
    const parts = splitProfileParts(section);
    expect(parts.length).toBe(2);
    const [a, b] = parts;
    // The car stands from 8.5 to 10.3 m; the first part ends before it, the second starts after it.
    expect(a![a!.length - 1]!.distM).toBeLessThan(STREET.car[0] + 0.1);
    expect(b![0]!.distM).toBeGreaterThan(STREET.car[1] - 0.1);
    expect(parts.flat()).toEqual(section.profile);
  });

  it('writes a header and one row per profile vertex at mm precision with "." and ","', () => {
    const text = writeSectionCsv(section);
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(SECTION_CSV_COLUMNS.join(','));
    expect(lines.length - 1).toBe(section.profile.length);
    const parts = splitProfileParts(section);
    let row = 1;
    parts.forEach((part, pi) => {
      for (const v of part) {
        const cells = lines[row++]!.split(',');
        expect(cells.length).toBe(6);
        expect(Number(cells[0])).toBeCloseTo(v.distM, 3);
        expect(Math.abs(Number(cells[0]) - v.distM)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.abs(Number(cells[1]) - v.offsetM)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.abs(Number(cells[2]) - v.e)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.abs(Number(cells[3]) - v.n)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.abs(Number(cells[4]) - v.h)).toBeLessThanOrEqual(0.0005 + 1e-9);
        for (const c of cells.slice(0, 5)) expect(c).toMatch(/^-?\d+\.\d{3}$/);
        expect(cells[5]).toBe(String(pi + 1));
      }
    });
  });

  it('writes ";" and a decimal comma for German Excel, and refuses "," with ","', () => {
    const de = writeSectionCsv(section, { locale: 'de' });
    const first = de.split('\r\n')[1]!.split(';');
    expect(first.length).toBe(6);
    expect(first[2]).toBe(formatFixed(section.profile[0]!.e).replace('.', ','));
    expect(de).not.toMatch(/\d\.\d/);
    expect(writeSectionCsv(section, { delimiter: ';' }).split('\r\n')[1]).toContain('.');
    expect(() => writeSectionCsv(section, { delimiter: ',', decimalSeparator: ',' })).toThrow(/Invalid CSV format/);
  });

  it('formats numbers without exponents or negative zero', () => {
    expect(formatFixed(-0.0004)).toBe('0.000');
    expect(formatFixed(5744300.1236, 3)).toBe('5744300.124');
    expect(formatFull(1e-7)).toBe('0.0000001');
    expect(Number(formatFull(1.234567e-9))).toBe(1.234567e-9);
    expect(formatFull(5744312.123456789)).toBe('5744312.123456789');
    expect(() => formatFixed(Number.NaN)).toThrow(/Invalid number/);
  });

  it.skipIf(!HAS_OGRINFO)('GDAL reads the CSV as points with E, N and H', () => {
    const path = writeTemp(dir, 'section.csv', writeSectionCsv(section));
    const info = ogrinfo(['-ro', '-al', '-so', path]);
    expect(info).toMatch(/using driver `CSV' successful/);
    expect(info).toContain(`Feature Count: ${section.profile.length}`);
    const fc = ogrToGeoJson(path, undefined, ['X_POSSIBLE_NAMES=e', 'Y_POSSIBLE_NAMES=n', 'Z_POSSIBLE_NAMES=h_nhn', 'AUTODETECT_TYPE=YES']);
    expect(fc.features.length).toBe(section.profile.length);
    fc.features.forEach((f, i) => {
      const v = section.profile[i]!;
      const [x, y, z] = f.geometry!.coordinates as number[];
      expect(Math.abs(x! - v.e)).toBeLessThan(0.0006);
      expect(Math.abs(y! - v.n)).toBeLessThan(0.0006);
      expect(Math.abs(z! - v.h)).toBeLessThan(0.0006);
      expect(Math.abs((f.properties.dist_m as number) - v.distM)).toBeLessThan(0.0006);
    });
  });
});
