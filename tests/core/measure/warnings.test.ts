/**
 * core/measure/warnings.ts: stable codes with parameters, English texts formatted from templates (the CLI JSON
 * keeps the strings it always had), a passed-on warning's context; and measurements carry both forms, the
 * texts being exactly the formatted details.
 */
import { describe, expect, it } from 'vitest';
import { spotHeight } from '../../../core/measure/spot-height.ts';
import { formatWarning, inContext, measureWarning, WARNING_TEXTS_EN, warningTexts } from '../../../core/measure/warnings.ts';

describe('measure warnings', () => {
  it('formats parameters as given, numbers with the template decimals and a chosen decimal separator', () => {
    expect(formatWarning(measureWarning('wall-unfitted', { wall: 3 }))).toBe('wall 3: too few facade points; the footprint edge is used as wall plane');
    const sparse = measureWarning('spot-sparse', { points: 4, radiusM: 0.15, spacingM: 0.13293 });
    expect(formatWarning(sparse)).toBe('sparse: 4 surface points within 0.150 m (spacing 0.133 m)');
    expect(formatWarning(sparse, { decimal: ',' })).toBe('sparse: 4 surface points within 0,150 m (spacing 0,133 m)');
    expect(formatWarning(measureWarning('roof-plane-sparse', { azimuthDeg: 239.6, points: 103, areaM2: 6.54 }))).toBe(
      'low support for the roof plane facing 240°: 103 points, 6.5 m² (occluded?)',
    );
    // A missing parameter stays visible as its placeholder instead of turning into "undefined".
    expect(formatWarning(measureWarning('wall-unfitted'))).toBe('wall {wall}: too few facade points; the footprint edge is used as wall plane');
  });

  it('puts a passed-on warning behind its context, in the given language table', () => {
    const [w] = inContext([measureWarning('reference-no-kerb')], 'street-reference');
    expect(w!.context).toBe('street-reference');
    expect(formatWarning(w!)).toBe('street reference: no kerb between facade and street point; surface at the street point used');
    const texts = { ...WARNING_TEXTS_EN, 'reference-no-kerb': 'kein Bord' };
    expect(formatWarning(w!, { texts, contexts: { 'street-reference': 'Straßenbezug', 'reference-point': 'x', 'relative-to': 'y' } })).toBe('Straßenbezug: kein Bord');
    // An existing context is kept when passed on again.
    expect(inContext([w!], 'relative-to')[0]!.context).toBe('street-reference');
  });

  it('every template names only parameters in {name} or {name:digits} form', () => {
    for (const [code, text] of Object.entries(WARNING_TEXTS_EN)) {
      const stray = text.replace(/\{\w+(?::\d)?\}/g, '').match(/[{}]/);
      expect(stray, code).toBeNull();
    }
  });

  it('spotHeight reports each warning as code + parameters and as the English text formatted from it', () => {
    // A sparse, one-sided spot: 5 points on a plane, all east of the spot.
    const xs = [0.05, 0.06, 0.07, 0.08, 0.09];
    const points = { x: Float64Array.from(xs), y: Float64Array.from(xs.map((_, k) => k * 0.01)), z: Float64Array.from(xs.map(() => 35)) };
    const s = spotHeight(points, [0, 0], 0.1);
    expect(s.warningDetails.length).toBeGreaterThan(0);
    expect(s.warnings).toEqual(warningTexts(s.warningDetails));
    const codes = s.warningDetails.map((w) => w.code);
    expect(codes).toContain('spot-occlusion-edge');
    expect(codes.some((c) => c === 'spot-sparse' || c === 'spot-unresolved')).toBe(true);
    const edge = s.warningDetails.find((w) => w.code === 'spot-occlusion-edge')!;
    expect(edge.params.offsetM).toBeGreaterThan(0.05);
  });
});
