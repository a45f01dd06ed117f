import { describe, expect, it } from 'vitest';
import { classificationName } from '../../core/classification.ts';

describe('classificationName', () => {
  it('gives LAS 1.4 R15 table 17 names', () => {
    expect(classificationName(2)).toBe('Ground');
    expect(classificationName(6)).toBe('Building');
    expect(classificationName(6, { language: 'de' })).toBe('Gebäude');
    expect(classificationName(20)).toBe('Ignored Ground');
    expect(classificationName(40)).toBe('Reserved');
    expect(classificationName(64)).toBe('User Definable');
  });

  it('uses the Geobasis NRW meaning of class 20 with the nrw profile', () => {
    expect(classificationName(20, { profile: 'nrw', language: 'de' })).toBe('Nicht-Geländepunkte');
    expect(classificationName(20, { profile: 'nrw' })).toMatch(/Non-Ground/);
    expect(classificationName(6, { profile: 'nrw' })).toBe('Building');
  });

  it('rejects values outside 0-255', () => {
    expect(() => classificationName(256)).toThrow('Invalid classification: 256');
    expect(() => classificationName(-1)).toThrow(/Invalid classification/);
  });
});
