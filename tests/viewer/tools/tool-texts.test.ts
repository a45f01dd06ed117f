/**
 * viewer/tools/tool-texts.ts warning texts: every core/measure warning code has its own German text (German
 * first, with decimal commas and German context names), and English is core's own template, so the panel never
 * shows an untranslated English warning in German.
 */
import { describe, expect, it } from 'vitest';
import { formatWarning, inContext, measureWarning, WARNING_TEXTS_EN, type MeasureWarningCode } from '../../../core/measure/warnings.ts';
import { warningText } from '../../../viewer/tools/tool-texts.ts';

describe('warning texts in the tools panel', () => {
  it('German for every code (not the English template), English exactly as the CLI prints it', () => {
    for (const code of Object.keys(WARNING_TEXTS_EN) as MeasureWarningCode[]) {
      const w = measureWarning(code, { wall: 2, cells: 3, aboveM: 0.5, belowM: 0.5, walls: 2, azimuthDeg: 90, points: 5, areaM2: 4, riseM: 1, e: 1, n: 2, topNhn: 40, lengthM: 1, fromM: 0, toM: 1, spacingM: 0.1, maxM: 0.1, radiusM: 0.1, offsetM: 0.1, rmsM: 0.03, degrees: 135, side: 'to', coveredM: 0.9 });
      const de = warningText('de', w);
      expect(de, code).not.toBe(formatWarning(w));
      expect(de, code).not.toMatch(/\{\w+/);
      expect(warningText('en', w), code).toBe(formatWarning(w));
    }
  });

  it('numbers with a decimal comma in German, passed-on warnings behind their German context', () => {
    const w = measureWarning('spot-sparse', { points: 4, radiusM: 0.15, spacingM: 0.1329 });
    expect(warningText('de', w)).toBe('dünn: 4 Oberflächenpunkte im Radius 0,150 m (Abstand 0,133 m)');
    expect(warningText('en', w)).toBe('sparse: 4 surface points within 0.150 m (spacing 0.133 m)');
    const [street] = inContext([measureWarning('reference-no-kerb')], 'street-reference');
    expect(warningText('de', street!)).toBe('Straßenbezug: kein Bord zwischen Fassade und Straßenpunkt; Oberfläche am Straßenpunkt verwendet');
    expect(warningText('en', street!)).toBe('street reference: no kerb between facade and street point; surface at the street point used');
  });
});
