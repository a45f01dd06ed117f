/**
 * Section profile as CSV (Querprofil-Punkte): one row per profile vertex with distance along the cut, offset
 * from the middle, E, N (EPSG:25832) and height m NHN (DHHN2016), all in metres with millimetre precision.
 *
 * Default: `,` between fields and `.` as decimal separator (RFC 4180, read by GDAL, QGIS, CAD tools). For a
 * German Excel, which expects `;` and a decimal comma, pass `{ delimiter: ';', decimalSeparator: ',' }` (or
 * `{ locale: 'de' }`, which also writes a UTF-8 byte-order mark so Excel reads umlauts).
 *
 * @example
 * const text = writeSectionCsv(cutSection(points, line, 0.1), { locale: 'de' });
 */
import type { CrossSection } from '../measure/cross-section.ts';
import { splitProfileParts } from './section-geometry.ts';
import { formatFixed, type DecimalSeparator } from './text-format.ts';

/** Options of {@link writeSectionCsv}. */
export interface SectionCsvOptions {
  /** Field delimiter (default `,`; `;` for German Excel). */
  readonly delimiter?: ',' | ';';
  /** Decimal separator (default `.`; `,` only together with the `;` delimiter). */
  readonly decimalSeparator?: DecimalSeparator;
  /** `de` = `;` and `,` (German Excel); explicit delimiter/decimalSeparator win. */
  readonly locale?: 'en' | 'de';
  /** Decimals for every metre value (default 3 = mm). */
  readonly decimals?: number;
  /** Start with a UTF-8 byte-order mark, which Excel needs to read umlauts (default: true for `locale: 'de'`). */
  readonly bom?: boolean;
}

/** The UTF-8 byte-order mark as the first character of a text export. */
export const UTF8_BOM = '\uFEFF';

/** Column names of the section CSV, in order. */
export const SECTION_CSV_COLUMNS = ['dist_m', 'offset_m', 'e', 'n', 'h_nhn', 'part'] as const;

/**
 * Writes the profile as CSV text with a header row and CRLF line ends; `part` numbers the continuous pieces of
 * the ground line (a new part after a gap that was not interpolated).
 */
export function writeSectionCsv(section: CrossSection, options: SectionCsvOptions = {}): string {
  const { delimiter, decimalSeparator } = resolveCsvFormat(options);
  const decimals = options.decimals ?? 3;
  const rows = [SECTION_CSV_COLUMNS.join(delimiter)];
  splitProfileParts(section).forEach((part, i) => {
    for (const v of part) {
      const f = (x: number): string => formatFixed(x, decimals, decimalSeparator);
      rows.push([f(v.distM), f(v.offsetM), f(v.e), f(v.n), f(v.h), String(i + 1)].join(delimiter));
    }
  });
  return ((options.bom ?? options.locale === 'de') ? UTF8_BOM : '') + rows.join('\r\n') + '\r\n';
}

/** Resolves delimiter and decimal separator of a CSV export; throws when both are `,`. */
export function resolveCsvFormat(options: {
  readonly delimiter?: ',' | ';';
  readonly decimalSeparator?: DecimalSeparator;
  readonly locale?: 'en' | 'de';
}): { delimiter: ',' | ';'; decimalSeparator: DecimalSeparator } {
  const de = options.locale === 'de';
  const delimiter = options.delimiter ?? (de ? ';' : ',');
  const decimalSeparator = options.decimalSeparator ?? (de ? ',' : '.');
  if (delimiter !== ',' && delimiter !== ';') throw new Error(`Invalid CSV delimiter: ${String(delimiter)}`);
  if (decimalSeparator !== '.' && decimalSeparator !== ',') {
    throw new Error(`Invalid CSV decimal separator: ${String(decimalSeparator)}`);
  }
  if (delimiter === ',' && decimalSeparator === ',') {
    throw new Error(`Invalid CSV format: decimal comma needs the ';' delimiter`);
  }
  return { delimiter, decimalSeparator };
}
