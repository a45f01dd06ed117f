import { describe, expect, it } from 'vitest';
import { judgeAgainstLimit } from '../../../core/measure/verdict.ts';

describe('judgeAgainstLimit', () => {
  it('gives the three verdicts at the right boundaries (k = 2)', () => {
    expect(judgeAgainstLimit(9.4, 9.5, 0.02).verdict).toBe('eingehalten');
    expect(judgeAgainstLimit(9.46, 9.5, 0.02).verdict).toBe('eingehalten');
    expect(judgeAgainstLimit(9.47, 9.5, 0.02).verdict).toBe('innerhalb der Messunsicherheit');
    expect(judgeAgainstLimit(9.53, 9.5, 0.02).verdict).toBe('innerhalb der Messunsicherheit');
    expect(judgeAgainstLimit(9.55, 9.5, 0.02).verdict).toBe('überschritten');
    expect(judgeAgainstLimit(9.55, 9.5, 0.02, { coverage: 3 }).verdict).toBe('innerhalb der Messunsicherheit');
    const j = judgeAgainstLimit(9.4, 9.5, 0.02);
    expect(j.marginM).toBeCloseTo(0.1, 12);
    expect(j.uncertaintyM).toBeCloseTo(0.04, 12);
  });
  it('rejects invalid input', () => {
    expect(() => judgeAgainstLimit(NaN, 9.5, 0.02)).toThrow(/Invalid measured value/);
    expect(() => judgeAgainstLimit(9, 9.5, -1)).toThrow(/Invalid sigma/);
  });
});
