/**
 * The profile drawing's geometry: one scale for both axes unless exaggerated, the pixel mapping and its inverse,
 * ground heights at a distance (kerb faces included) and measurements between two profile points.
 */
import { describe, expect, it } from 'vitest';
import type { SectionVertex } from '../../../core/measure/cross-section.ts';
import { fitProfile, fromPixels, measureInProfile, profileHeightAt, toPixels } from '../../../viewer/profile/profile-geometry.ts';

const v = (distM: number, h: number): SectionVertex => ({ distM, offsetM: distM - 7.5, e: 337000 + distM, n: 5682000, h });
// Footpath, kerb face at 4 m (12 cm), carriageway with a crown, kerb face at 11 m, footpath.
const PROFILE = [v(0, 35.3), v(4, 35.26), v(4, 35.14), v(7.5, 35.22), v(11, 35.13), v(11, 35.25), v(15, 35.29)];

describe('profile geometry', () => {
  it('unexaggerated: a metre along the cut and a metre of height are the same number of pixels', () => {
    const m = fitProfile(PROFILE, 560, 220, { paddingPx: 24 });
    expect(m.exaggeration).toBe(1);
    expect(m.pxPerM).toBeCloseTo(512 / 15, 9);
    const [x0, y0] = toPixels(m, 2, 35.2);
    const [x1] = toPixels(m, 3, 35.2);
    const [, y1] = toPixels(m, 2, 36.2);
    expect(x1 - x0).toBeCloseTo(y0 - y1, 9);
    // The profile fits inside the padding, heights centred.
    const [left] = toPixels(m, 0, 35.3);
    const [right] = toPixels(m, 15, 35.3);
    expect(left).toBeCloseTo(24, 9);
    expect(right).toBeCloseTo(536, 9);
    const top = toPixels(m, 0, 35.3)[1];
    const bottom = toPixels(m, 0, 35.13)[1];
    expect((top + bottom) / 2).toBeCloseTo(110, 6);
  });

  it('exaggeration multiplies heights only; fromPixels inverts toPixels', () => {
    const m1 = fitProfile(PROFILE, 560, 220);
    const m5 = fitProfile(PROFILE, 560, 220, { exaggeration: 5 });
    const dy1 = toPixels(m1, 5, 35.2)[1] - toPixels(m1, 5, 35.3)[1];
    const dy5 = toPixels(m5, 5, 35.2)[1] - toPixels(m5, 5, 35.3)[1];
    expect(dy5 / dy1).toBeCloseTo(5, 9);
    const [x, y] = toPixels(m5, 6.25, 35.17);
    const [d, h] = fromPixels(m5, x, y);
    expect(d).toBeCloseTo(6.25, 9);
    expect(h).toBeCloseTo(35.17, 9);
    expect(() => fitProfile(PROFILE, 560, 220, { exaggeration: 0 })).toThrow(/Invalid exaggeration/);
  });

  it('ground height at a distance: interpolated, and at a kerb face the level nearer the click', () => {
    expect(profileHeightAt(PROFILE, 2)).toBeCloseTo(35.28, 9);
    expect(profileHeightAt(PROFILE, 9.25)).toBeCloseTo(35.175, 9);
    expect(profileHeightAt(PROFILE, 4, 35.25)).toBeCloseTo(35.26, 9);
    expect(profileHeightAt(PROFILE, 4, 35.15)).toBeCloseTo(35.14, 9);
    expect(profileHeightAt(PROFILE, 16)).toBeUndefined();
  });

  it('measures distance, height difference and slope between two profile points', () => {
    const m = measureInProfile([4, 35.14], [7.5, 35.22]);
    expect(m.distanceM).toBeCloseTo(3.5, 9);
    expect(m.heightDiffM).toBeCloseTo(0.08, 9);
    expect(m.slopePercent).toBeCloseTo((0.08 / 3.5) * 100, 9);
    // Right to left: the same distance, the slope keeps the direction of the cut.
    const back = measureInProfile([7.5, 35.22], [4, 35.14]);
    expect(back.distanceM).toBeCloseTo(3.5, 9);
    expect(back.heightDiffM).toBeCloseTo(-0.08, 9);
    expect(back.slopePercent).toBeCloseTo(m.slopePercent, 9);
  });
});
