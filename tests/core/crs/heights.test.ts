import { describe, expect, it } from 'vitest';
import { applyGeoidOffset, checkHeights } from '../../../core/crs/heights.ts';
import { pdalStats } from '../../helpers/shared-data.ts';

describe('checkHeights', () => {
  // The NRW tile near Kleve/Emmerich: terrain and objects 8-88 m NHN (PDAL stats of the real file).
  const nrw = pdalStats('derived/nrw_3dm_32_291_5744_subset_epsg25832.laz');
  const z = nrw.stats.statistic.find((s: any) => s.name === 'Z');

  it('accepts the real NRW heights as NHN', () => {
    const check = checkHeights(z.minimum, z.maximum, { expectedNhnRangeM: [10, 120] });
    expect(check.verdict).toBe('nhn');
    expect(check.warnings).toEqual([]);
  });

  it('flags the same heights lifted by a 46.5 m geoid undulation as ellipsoidal', () => {
    const check = checkHeights(z.minimum + 46.5, z.maximum + 46.5, { expectedNhnRangeM: [10, 30], geoidOffsetM: 46.2 });
    // z.max + 46.5 > 120 lies outside [10, 30] but after subtracting 45-48 m the range overlaps it.
    expect(check.verdict).toBe('ellipsoidal');
    expect(check.suggestedOffsetM).toBe(46.2);
    expect(check.warnings[0]).toMatch(/look ellipsoidal/);
  });

  it('says unknown for heights neither NHN nor ellipsoidal, and for an empty range', () => {
    expect(checkHeights(500, 600, { expectedNhnRangeM: [10, 120] }).verdict).toBe('unknown');
    expect(checkHeights(Infinity, -Infinity, { expectedNhnRangeM: [10, 120] }).verdict).toBe('unknown');
  });

  it('applyGeoidOffset subtracts the offset in place', () => {
    const zs = new Float64Array([100, 146.5]);
    applyGeoidOffset(zs, 46.5);
    expect([...zs]).toEqual([53.5, 100]);
  });
});
