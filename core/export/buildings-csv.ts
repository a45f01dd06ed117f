/**
 * Building results as CSV: one row per building with the measure-building fields and the footprint as a WKT
 * column (`WKT`, which GDAL's CSV driver reads as geometry), EPSG:25832 metres and, for POLYGON Z, heights
 * m NHN (DHHN2016). Metres with millimetre precision; `,` and `.` by default, `{ locale: 'de' }` (`;` and a
 * decimal comma, UTF-8 byte-order mark) for German Excel, where the WKT keeps its `.`.
 *
 * @example
 * const text = writeBuildingsCsv(rows, { locale: 'de' });
 */
import {
  BUILDING_FIELDS,
  buildingAttributes,
  footprintRing,
  type BuildingExportOptions,
  type BuildingRow,
} from './building-record.ts';
import { resolveCsvFormat, UTF8_BOM } from './section-csv.ts';
import { formatFixed, quoteCsv, type DecimalSeparator } from './text-format.ts';

/** Options of {@link writeBuildingsCsv}. */
export interface BuildingsCsvOptions extends BuildingExportOptions {
  readonly delimiter?: ',' | ';';
  readonly decimalSeparator?: DecimalSeparator;
  readonly locale?: 'en' | 'de';
  /** Start with a UTF-8 byte-order mark, which Excel needs to read umlauts (default: true for `locale: 'de'`). */
  readonly bom?: boolean;
}

/** Decimals per real field: metres in mm; sigma and spacing in 0.1 mm so small uncertainties keep a digit. */
const DECIMALS: Readonly<Record<string, number>> = { sigma_m: 4, sigma_nhn_m: 4, point_spacing_m: 4 };

/** Writes the buildings as CSV text with a header row, the WKT column first, CRLF line ends. */
export function writeBuildingsCsv(rows: readonly BuildingRow[], options: BuildingsCsvOptions = {}): string {
  const { delimiter, decimalSeparator } = resolveCsvFormat(options);
  const zMode = options.footprintZ ?? 'reference';
  const lines = [['WKT', ...BUILDING_FIELDS.map((f) => f.name)].join(delimiter)];
  for (const row of rows) {
    const attrs = buildingAttributes(row);
    const { ring, z } = footprintRing(row, zMode);
    const f3 = (x: number): string => formatFixed(x, 3);
    const wkt =
      z === undefined
        ? `POLYGON ((${ring.map((p) => `${f3(p[0])} ${f3(p[1])}`).join(', ')}))`
        : `POLYGON Z ((${ring.map((p) => `${f3(p[0])} ${f3(p[1])} ${f3(z)}`).join(', ')}))`;
    const cells = [quoteCsv(wkt, delimiter)];
    for (const f of BUILDING_FIELDS) {
      const v = attrs[f.name];
      if (v === null) cells.push('');
      else if (typeof v === 'number') {
        const d = DECIMALS[f.name] ?? 3;
        cells.push(f.type === 'integer' ? String(Math.round(v)) : formatFixed(v, d, decimalSeparator));
      } else cells.push(quoteCsv(v, delimiter));
    }
    lines.push(cells.join(delimiter));
  }
  return ((options.bom ?? options.locale === 'de') ? UTF8_BOM : '') + lines.join('\r\n') + '\r\n';
}
