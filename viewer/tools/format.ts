/**
 * Number and coordinate formatting for the tool panels, and parsing of typed coordinates: German decimal comma
 * (and no thousands separator in coordinates, as surveyors write them) or English decimal point.
 */
import type { Point3 } from '../../core/geometry/point3.ts';
import type { ToolLanguage } from './tool-texts.ts';

/** A number with fixed decimals in the language's decimal separator; '–' for a value that is not finite. */
export function formatNumber(value: number | null | undefined, decimals: number, language: ToolLanguage): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  // Note: -0.0004 rounds to "-0.000"; show "0.000".
  const fixed = (Math.abs(value) < 0.5 * 10 ** -decimals ? 0 : value).toFixed(decimals);
  return language === 'de' ? fixed.replace('.', ',') : fixed;
}

/** Metres with three decimals and the unit, e.g. "35,281 m" (unit may be "m NHN"). */
export function formatMetres(value: number | null | undefined, language: ToolLanguage, unit = 'm', decimals = 3): string {
  return `${formatNumber(value, decimals, language)} ${unit}`;
}

/** A signed value (explicit + for positive), e.g. "+0,084 m". */
export function formatSigned(value: number | null | undefined, language: ToolLanguage, unit = 'm', decimals = 3): string {
  const text = formatNumber(value, decimals, language);
  return `${value !== null && value !== undefined && value > 0 && text !== formatNumber(0, decimals, language) ? '+' : ''}${text} ${unit}`;
}

/** Easting / northing / height of a point, e.g. "E 337366,892 · N 5682472,433 · H 35,369 m NHN". */
export function formatPoint(p: Point3, language: ToolLanguage): string {
  const e = language === 'de' ? 'O' : 'E';
  const h = Number.isFinite(p[2]) ? ` · H ${formatNumber(p[2], 3, language)} m NHN` : '';
  return `${e} ${formatNumber(p[0], 3, language)} · N ${formatNumber(p[1], 3, language)}${h}`;
}

/**
 * Parses a number as typed: `35.281`, `35,281` (decimal comma), `-0,5`. Thousands separators are not accepted
 * (ambiguous between languages). Returns NaN for anything else.
 */
export function parseNumber(text: string): number {
  const t = text.trim();
  if (!/^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/.test(t)) return NaN;
  return Number(t.replace(',', '.'));
}

/**
 * Parses typed coordinates into points: one point per line or per `;`, each `E N [H]` separated by spaces or
 * tabs, or `E,N[,H]` / `E;N` with decimal points (German `E N H` with decimal commas needs spaces). Returns the
 * points (H = NaN when absent) or throws `Invalid coordinates: …` naming the bad entry.
 */
export function parseCoordinateList(text: string): Point3[] {
  const entries = text
    .split(/[\n;]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const out: Point3[] = [];
  for (const entry of entries) {
    const parts = /\s/.test(entry) ? entry.split(/[\s]+/).map((s) => s.replace(/,$/, '')) : entry.split(',');
    const values = parts.filter((s) => s.length > 0).map(parseNumber);
    if ((values.length !== 2 && values.length !== 3) || !values.every(Number.isFinite)) {
      throw new Error(`Invalid coordinates: "${entry}" (expected E,N or E,N,H)`);
    }
    out.push([values[0]!, values[1]!, values[2] ?? NaN]);
  }
  return out;
}
