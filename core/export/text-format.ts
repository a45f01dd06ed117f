/**
 * Number and text formatting shared by the exporters: fixed millimetre output, full-precision output without
 * exponents, CSV quoting and XML/HTML escaping.
 */

/** Decimal separator of a text export. */
export type DecimalSeparator = '.' | ',';

/**
 * Formats metres with a fixed number of decimals (default 3 = millimetres), `-0.000` written as `0.000`;
 * throws on NaN/Infinity, since a silently written "NaN" breaks every reader.
 */
export function formatFixed(value: number, decimals = 3, decimalSeparator: DecimalSeparator = '.'): string {
  if (!Number.isFinite(value)) throw new Error(`Invalid number for export: ${value}`);
  let s = value.toFixed(decimals);
  if (/^-0\.?0*$/.test(s)) s = s.slice(1);
  return decimalSeparator === '.' ? s : s.replace('.', decimalSeparator);
}

/**
 * Formats a float64 with every significant digit (the shortest text that reads back to the same double) and
 * never in exponent notation, which DXF and some XML readers reject.
 *
 * Note: JavaScript's `String(x)` is the shortest round-trip form; it only switches to exponents below 1e-6 or
 * from 1e21 on, so only those cases need the slow path.
 */
export function formatFull(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Invalid number for export: ${value}`);
  if (value === 0) return '0';
  const s = String(value);
  if (!s.includes('e')) return s;
  if (Math.abs(value) >= 1e21) throw new Error(`Invalid number for export (too large): ${value}`);
  // Below 1e-6: move the decimal point of the shortest mantissa textually (no binary-expansion digits).
  const [mantissa, exponent] = s.split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const m = negative ? mantissa.slice(1) : mantissa;
  const dot = m.indexOf('.');
  const digits = m.replace('.', '');
  const point = (dot < 0 ? m.length : dot) + Number(exponent);
  return `${negative ? '-' : ''}0.${'0'.repeat(-point)}${digits}`;
}

/** Rounds to the given number of decimals (default millimetres) as a number, e.g. for JSON coordinates. */
export function roundTo(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return r === 0 ? 0 : r;
}

/** Quotes a CSV field when it holds the delimiter, a quote, CR or LF (RFC 4180: quotes doubled). */
export function quoteCsv(field: string, delimiter: string): string {
  if (field.includes(delimiter) || /["\r\n]/.test(field)) return `"${field.replace(/"/g, '""')}"`;
  return field;
}

/** Escapes text for XML/HTML element content and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
