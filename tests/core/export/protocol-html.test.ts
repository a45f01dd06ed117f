import { describe, expect, it } from 'vitest';
import { spotHeight } from '../../../core/measure/spot-height.ts';
import { makeStreet, streetHeight } from '../measure/synthetic-street.ts';
import { buildingProtocol, sectionProtocol, spotProtocol } from '../../../core/export/protocol-builders.ts';
import { spotDifferenceSigma } from '../../../core/measure/spot-height.ts';
import { judgeLimit, writeProtocolHtml, type MeasurementProtocol } from '../../../core/export/protocol-html.ts';
import { BUILDING_ROWS, CREATED_AT, streetSection } from './export-fixtures.ts';

// A 1x1 transparent PNG.
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('judgeLimit', () => {
  it('gives the three-way verdict with U = 2 sigma', () => {
    expect(judgeLimit({ label: 'x', valueM: 6.40, limitM: 6.5, sigmaM: 0.02 })).toBe('eingehalten'); // 6.44 <= 6.5
    expect(judgeLimit({ label: 'x', valueM: 6.47, limitM: 6.5, sigmaM: 0.02 })).toBe('innerhalb der Messunsicherheit');
    expect(judgeLimit({ label: 'x', valueM: 6.53, limitM: 6.5, sigmaM: 0.02 })).toBe('innerhalb der Messunsicherheit');
    expect(judgeLimit({ label: 'x', valueM: 6.55, limitM: 6.5, sigmaM: 0.02 })).toBe('überschritten'); // 6.51 > 6.5
    expect(judgeLimit({ label: 'x', valueM: 6.55, limitM: 6.5, sigmaM: 0.02, coverageK: 3 })).toBe('innerhalb der Messunsicherheit');
    expect(judgeLimit({ label: 'x', valueM: 2.9, limitM: 3.0, sigmaM: 0.01, kind: 'min' })).toBe('überschritten');
    expect(judgeLimit({ label: 'x', valueM: 3.1, limitM: 3.0, sigmaM: 0.01, kind: 'min' })).toBe('eingehalten');
  });
});

describe('writeProtocolHtml', () => {
  const row = BUILDING_ROWS[0]!;
  const protocol = buildingProtocol(row, {
    driveDate: '2026-04-28',
    createdAt: CREATED_AT,
    dataSource: 'Befahrung Büderich Nord, Epoche 2',
    screenshotDataUrl: PNG,
    viewUrl: 'https://twin.example/view?c=291418.3,5744316.95,48&t=2026-04-28',
    limits: [
      { label: 'Traufhöhe (max.)', field: 'eaveHeightM', limitM: 5.8 },
      { label: 'Firsthöhe (max.)', field: 'ridgeHeightM', limitM: 11.5 },
    ],
  });
  const html = writeProtocolHtml(protocol);

  it('is an A4-printable German document with values, reference, method, uncertainty, CRS and drive date', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="de">');
    expect(html).toMatch(/@page \{ size: A4/);
    expect(html).toContain('Firsthöhe über Bezugspunkt <span class="en">ridge height</span>');
    expect(html).toContain('Dachform: Satteldach.');
    // Values with decimal comma and unit, from the result object.
    expect(html).toContain('11,461 m');
    expect(html).toContain('49,873 m NHN');
    expect(html).toContain('5,849 m');
    expect(html).toContain('± 0,014 m');
    // Reference definition and position.
    expect(html).toContain('Oberfläche der Straße bzw. des Gehwegs in der Mitte der straßenseitigen Fassade (street-facade)');
    expect(html).toContain('38,413 m NHN');
    expect(html).toContain('291418,300 / 5744316,950');
    expect(html).toContain('EPSG:25832');
    expect(html).toContain('DHHN2016');
    expect(html).toContain('2026-04-28');
    expect(html).toContain('2026-05-04 09:30:00 UTC');
    expect(html).toContain('BVerwG 4 B 28.22');
    expect(html).toContain(`<img src="${PNG}"`);
    expect(html).toContain('href="https://twin.example/view?c=291418.3,5744316.95,48&amp;t=2026-04-28"');
    expect(html).toContain(row.result.warnings[0]);
  });

  it('shows the verdicts computed from value, limit and sigma', () => {
    // Traufhöhe 5.8492 vs 5.8 with U = 0.0286: exceeded; Firsthöhe 11.4609 vs 11.5: 11.4895 <= 11.5, kept.
    expect(html).toMatch(/Traufhöhe \(max\.\)<\/td>.*überschritten/);
    expect(html).toMatch(/Firsthöhe \(max\.\)<\/td>.*eingehalten/);
  });

  it('escapes text and refuses a screenshot that is not an image data URL or a non-http link', () => {
    const evil: MeasurementProtocol = { ...protocol, subject: '<script>alert("x")</script>' };
    const out = writeProtocolHtml(evil);
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(() => writeProtocolHtml({ ...protocol, screenshotDataUrl: 'javascript:alert(1)' })).toThrow(/Invalid screenshot/);
    expect(() => writeProtocolHtml({ ...protocol, screenshotDataUrl: 'data:image/png;base64,AAA" onerror="x' })).toThrow(/Invalid screenshot/);
    expect(() => writeProtocolHtml({ ...protocol, viewUrl: 'javascript:alert(1)' })).toThrow(/Invalid view link/);
  });

  it('writes a section protocol with kerb heights, carriageway width and cross-falls of the real section', () => {
    const { section, from, to } = streetSection();
    const out = writeProtocolHtml(sectionProtocol(section, { driveDate: '2026-04-28', createdAt: CREATED_AT, from, to }));
    for (const k of section.kerbs) expect(out).toContain(`${k.heightM.toFixed(3).replace('.', ',')} m`);
    expect(out).toContain(`${section.carriageway!.widthM.toFixed(3).replace('.', ',')} m`);
    expect(out).toContain(`${section.carriageway!.crossfallPercent.nearFrom.toFixed(2).replace('.', ',')} %`);
    // Warnings in German, as the rest of the protocol (from the section's codes, not its English texts).
    expect(section.warningDetails.some((w) => w.code === 'section-gap')).toBe(true);
    expect(out).toContain('(verdeckt oder Objekt); nicht interpoliert');
    expect(out).not.toContain('not interpolated');
    // The profile is drawn inline from the numbers, unexaggerated, at a scale that fits A4.
    expect(out).toContain('<figure class="section"><svg xmlns="http://www.w3.org/2000/svg"');
    expect(out).toContain('Querprofil 1:200, Überhöhung 1:1');
  });
});

describe('spotProtocol', () => {
  it('reports a step above the gutter with the difference, its uncertainty and the verdict', () => {
    const { points, from, to } = makeStreet({ seed: 7, rotationDeg: 33, withObjects: false });
    const len = Math.hypot(to[0] - from[0], to[1] - from[1]);
    const at = (d: number): [number, number] => [from[0] + ((to[0] - from[0]) * d) / len, from[1] + ((to[1] - from[1]) * d) / len];
    const top = spotHeight(points, at(2.8), 0.1);
    const gutter = spotHeight(points, at(3.1), 0.1);
    const truth = streetHeight(2.8) - streetHeight(3.1);
    const delta = top.nhn - gutter.nhn;
    expect(Math.abs(delta - truth)).toBeLessThan(0.01);
    const html = writeProtocolHtml(
      spotProtocol(
        {
          what: 'Oberkante Gehweg am Bord',
          at: at(2.8),
          spot: top,
          relative: { what: 'Rinne', at: at(3.1), spot: gutter },
          limit: { label: 'Auftritt über Rinne (min.)', limitM: 0.1, kind: 'min' },
        },
        { driveDate: '2026-04-28', createdAt: CREATED_AT },
      ),
    );
    expect(html).toContain('Messprotokoll Punkthöhe');
    expect(html).toContain(`${top.nhn.toFixed(3).replace('.', ',')} m NHN`);
    expect(html).toContain(`${delta.toFixed(3).replace('.', ',')} m`);
    // The difference's sigma is the two spots' own one (same drive: the absolute accuracy cancels), not the
    // root sum of their absolute sigmas.
    expect(html).toMatch(new RegExp(`Höhenunterschied zu Rinne <span[^<]*</span></td>.*?± ${spotDifferenceSigma(top, gutter).toFixed(3).replace('.', ',')} m`));
    expect(html).toMatch(/Auftritt über Rinne \(min\.\)<\/td>.*min\. 0,100 m.*eingehalten/);
  });
});
