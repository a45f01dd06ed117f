import { describe, expect, it } from 'vitest';
import { languageFromSearch, Translator } from '../../../viewer/ui/i18n.ts';

describe('Translator', () => {
  it('formats numbers in each language with placeholders and decimals', () => {
    const de = new Translator('de');
    const en = new Translator('en');
    expect(de.t('points', { count: 3556782 })).toBe('3.556.782 Punkte');
    expect(en.t('points', { count: 3556782 })).toBe('3,556,782 points');
    expect(de.t('centre', { e: 337289.6, n: 5682380.496, h: 38.1 })).toBe('Mitte: O 337.289,60 · N 5.682.380,50 · H 38,10 m');
    expect(en.t('centre', { e: 337289.6, n: 5682380.496, h: 38.1 })).toBe('Centre: E 337,289.60 · N 5,682,380.50 · H 38.10 m');
    expect(en.t('errorNotFound', { url: '/data/x.las' })).toBe('File not found (HTTP 404): /data/x.las');
  });

  it('leaves a placeholder without a value visible rather than inventing one', () => {
    expect(new Translator('en').t('errorHttp', { url: '/a' })).toBe('The server answered HTTP {status} for /a');
  });

  it('defaults to German and switches to English only for ?lang=en', () => {
    expect(languageFromSearch('')).toBe('de');
    expect(languageFromSearch('?url=/data/a.las&lang=en')).toBe('en');
    expect(languageFromSearch('?lang=fr')).toBe('de');
  });
});
