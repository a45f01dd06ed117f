/**
 * Number formatting (German decimal comma, English point) and typed coordinates as surveyors enter them.
 */
import { describe, expect, it } from 'vitest';
import { formatMetres, formatNumber, formatPoint, formatSigned, parseCoordinateList, parseNumber } from '../../../viewer/tools/format.ts';
import { EXPORTERS } from '../../../core/export/registry.ts';
import { exporterLabel, toolText } from '../../../viewer/tools/tool-texts.ts';

describe('formatting', () => {
  it('fixed decimals with the language separator, no negative zero, a dash for missing values', () => {
    expect(formatNumber(0.0844, 3, 'de')).toBe('0,084');
    expect(formatNumber(0.0844, 3, 'en')).toBe('0.084');
    expect(formatNumber(-0.0004, 3, 'de')).toBe('0,000');
    expect(formatNumber(NaN, 3, 'de')).toBe('–');
    expect(formatNumber(null, 3, 'en')).toBe('–');
    expect(formatMetres(35.3614, 'de', 'm NHN')).toBe('35,361 m NHN');
    expect(formatSigned(0.084, 'de')).toBe('+0,084 m');
    expect(formatSigned(-0.05, 'en')).toBe('-0.050 m');
    expect(formatSigned(0.0001, 'de')).toBe('0,000 m');
    expect(formatPoint([337366.8915, 5682472.4334, 35.36], 'de')).toBe('O 337366,892 · N 5682472,433 · H 35,360 m NHN');
    expect(formatPoint([337366.8915, 5682472.4334, NaN], 'en')).toBe('E 337366.892 · N 5682472.433');
  });

  it('parses numbers with a decimal comma or point, refuses thousands separators', () => {
    expect(parseNumber('35,281')).toBe(35.281);
    expect(parseNumber(' 35.281 ')).toBe(35.281);
    expect(parseNumber('-0,5')).toBe(-0.5);
    expect(parseNumber('1.234,5')).toBeNaN();
    expect(parseNumber('12a')).toBeNaN();
  });

  it('parses coordinate lists: lines or ";", spaces or commas, optional height', () => {
    expect(parseCoordinateList('337366.8918 5682472.4334\n337370.1 5682465.9 35.2')).toEqual([
      [337366.8918, 5682472.4334, NaN],
      [337370.1, 5682465.9, 35.2],
    ]);
    expect(parseCoordinateList('337366,8918 5682472,4334 35,2')).toEqual([[337366.8918, 5682472.4334, 35.2]]);
    expect(parseCoordinateList('337366.89,5682472.43;337370.1,5682465.9,35.2;')).toEqual([
      [337366.89, 5682472.43, NaN],
      [337370.1, 5682465.9, 35.2],
    ]);
    expect(parseCoordinateList('  \n ')).toEqual([]);
    expect(() => parseCoordinateList('337366.89 abc')).toThrow(/Invalid coordinates: "337366.89 abc"/);
    expect(() => parseCoordinateList('1 2 3 4')).toThrow(/Invalid coordinates/);
  });

  it('tool texts fill placeholders in both languages', () => {
    expect(toolText('de', 'v_eaveLine', { index: 2 })).toBe('Trauflinie 2');
    expect(toolText('en', 'v_eaveLine', { index: 2 })).toBe('Eave line 2');
    expect(toolText('de', 'verdict_überschritten')).toBe('überschritten');
    // Every registered exporter has a label in both languages; an unknown one keeps its own.
    for (const x of EXPORTERS) {
      expect(exporterLabel('en', x.id, '?'), x.id).not.toBe('?');
      expect(exporterLabel('de', x.id, '?'), x.id).not.toBe('?');
    }
    expect(exporterLabel('en', 'future-format', 'Zukunft')).toBe('Zukunft');
  });
});
