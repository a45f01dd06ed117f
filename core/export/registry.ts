/**
 * The export registry: every format of core/export as plain metadata plus its pure export function, looked up
 * by id or by the kind of data (loaders.gl habit). The UI lists `exportersFor('section')`; the CLI picks by the
 * output file's extension with {@link findExporterByExtension}.
 *
 * @example
 * const gpkg = getExporter('buildings-gpkg').export(rows, { sqlJs, createdAt: new Date() });
 */
import type { CrossSection } from '../measure/cross-section.ts';
import type { BuildingRow } from './building-record.ts';
import { writeBuildingsCsv, type BuildingsCsvOptions } from './buildings-csv.ts';
import { writeBuildingsGeoJson, type BuildingsGeoJsonOptions } from './buildings-geojson.ts';
import { writeBuildingsGeoPackage, type BuildingsGeoPackageOptions } from './buildings-geopackage.ts';
import type { ExportKind, Exporter } from './exporter.ts';
import { writeProtocolHtml, type MeasurementProtocol } from './protocol-html.ts';
import { writeSectionCsv, type SectionCsvOptions } from './section-csv.ts';
import { writeSectionDxf2d, writeSectionDxf3d, type SectionDxfOptions } from './section-dxf.ts';
import { writeSectionLandXml, type SectionLandXmlOptions } from './section-landxml.ts';
import { writeSectionSvg, type SectionSvgOptions } from './section-svg.ts';

/** Section profile as CSV. */
export const SectionCsvExporter: Exporter<CrossSection, SectionCsvOptions> = {
  id: 'section-csv',
  label: 'Querprofil als CSV (Abstand, Versatz, E, N, H)',
  extension: 'csv',
  mimeType: 'text/csv',
  kinds: ['section'],
  binary: false,
  export: (data, options) => writeSectionCsv(data, options),
};

/** Section profile as 2D DXF in section coordinates. */
export const SectionDxf2dExporter: Exporter<CrossSection, SectionDxfOptions> = {
  id: 'section-dxf-2d',
  label: 'Querprofil als DXF 2D (Abstand/Höhe, 1:1)',
  extension: 'dxf',
  mimeType: 'image/vnd.dxf',
  kinds: ['section'],
  binary: false,
  export: (data, options) => writeSectionDxf2d(data, options),
};

/** Section ground line as 3D DXF in EPSG:25832. */
export const SectionDxf3dExporter: Exporter<CrossSection, SectionDxfOptions> = {
  id: 'section-dxf-3d',
  label: 'Querprofil als DXF 3D (EPSG:25832, m NHN)',
  extension: 'dxf',
  mimeType: 'image/vnd.dxf',
  kinds: ['section'],
  binary: false,
  export: (data, options) => writeSectionDxf3d(data, options),
};

/** Section as LandXML 1.2 CrossSects. */
export const SectionLandXmlExporter: Exporter<CrossSection, SectionLandXmlOptions> = {
  id: 'section-landxml',
  label: 'Querprofil als LandXML 1.2 (CrossSects)',
  extension: 'xml',
  mimeType: 'application/xml',
  kinds: ['section'],
  binary: false,
  export: (data, options) => writeSectionLandXml(data, options),
};

/** Section profile as an SVG drawing (unexaggerated by default). */
export const SectionSvgExporter: Exporter<CrossSection, SectionSvgOptions> = {
  id: 'section-svg',
  label: 'Querprofil als Zeichnung (SVG, unüberhöht)',
  extension: 'svg',
  mimeType: 'image/svg+xml',
  kinds: ['section'],
  binary: false,
  export: (data, options) => writeSectionSvg(data, options),
};

/** Buildings as GeoJSON (EPSG:25832 "crs" member). */
export const BuildingsGeoJsonExporter: Exporter<readonly BuildingRow[], BuildingsGeoJsonOptions> = {
  id: 'buildings-geojson',
  label: 'Gebäudehöhen als GeoJSON (EPSG:25832)',
  extension: 'geojson',
  mimeType: 'application/geo+json',
  kinds: ['buildings'],
  binary: false,
  export: (data, options) => writeBuildingsGeoJson(data, options),
};

/** Buildings as CSV with a WKT column. */
export const BuildingsCsvExporter: Exporter<readonly BuildingRow[], BuildingsCsvOptions> = {
  id: 'buildings-csv',
  label: 'Gebäudehöhen als CSV (mit WKT-Geometrie)',
  extension: 'csv',
  mimeType: 'text/csv',
  kinds: ['buildings'],
  binary: false,
  export: (data, options) => writeBuildingsCsv(data, options),
};

/** Buildings as GeoPackage (needs `sqlJs` in the options). */
export const BuildingsGeoPackageExporter: Exporter<readonly BuildingRow[], BuildingsGeoPackageOptions> = {
  id: 'buildings-gpkg',
  label: 'Gebäudehöhen als GeoPackage (EPSG:25832)',
  extension: 'gpkg',
  mimeType: 'application/geopackage+sqlite3',
  kinds: ['buildings'],
  binary: true,
  export: (data, options) => writeBuildingsGeoPackage(data, options),
};

/** Measurement protocol as printable HTML. */
export const ProtocolHtmlExporter: Exporter<MeasurementProtocol, object> = {
  id: 'protocol-html',
  label: 'Messprotokoll (HTML, als PDF druckbar)',
  extension: 'html',
  mimeType: 'text/html',
  kinds: ['protocol'],
  binary: false,
  export: (data) => writeProtocolHtml(data),
};

/** Every registered exporter, in menu order. */
export const EXPORTERS: readonly Exporter[] = [
  SectionCsvExporter,
  SectionDxf2dExporter,
  SectionDxf3dExporter,
  SectionLandXmlExporter,
  SectionSvgExporter,
  BuildingsGeoJsonExporter,
  BuildingsGeoPackageExporter,
  BuildingsCsvExporter,
  ProtocolHtmlExporter,
];

/** The registered exporters by id, with their data and option types. */
export const EXPORTERS_BY_ID = {
  'section-csv': SectionCsvExporter,
  'section-dxf-2d': SectionDxf2dExporter,
  'section-dxf-3d': SectionDxf3dExporter,
  'section-landxml': SectionLandXmlExporter,
  'section-svg': SectionSvgExporter,
  'buildings-geojson': BuildingsGeoJsonExporter,
  'buildings-gpkg': BuildingsGeoPackageExporter,
  'buildings-csv': BuildingsCsvExporter,
  'protocol-html': ProtocolHtmlExporter,
} as const;

/** Id of a registered exporter. */
export type ExporterId = keyof typeof EXPORTERS_BY_ID;

/** The exporter with this id, or undefined. */
export function findExporter(id: string): Exporter | undefined {
  return EXPORTERS.find((x) => x.id === id);
}

/** The exporter with this id, typed; throws for an unknown id. */
export function getExporter<K extends ExporterId>(id: K): (typeof EXPORTERS_BY_ID)[K] {
  const x = (EXPORTERS_BY_ID as Readonly<Record<string, Exporter>>)[id] as (typeof EXPORTERS_BY_ID)[K] | undefined;
  if (!x) throw new Error(`Invalid export format: ${id} (known: ${EXPORTERS.map((e) => e.id).join(', ')})`);
  return x;
}

/** The exporters that accept this kind of data. */
export function exportersFor(kind: ExportKind): readonly Exporter[] {
  return EXPORTERS.filter((x) => x.kinds.includes(kind));
}

/** The first exporter of this kind whose extension matches the file name (e.g. `out.gpkg`), or undefined. */
export function findExporterByExtension(kind: ExportKind, fileName: string): Exporter | undefined {
  const lower = fileName.toLowerCase();
  const matches = (x: Exporter): boolean =>
    lower.endsWith(`.${x.extension}`) || (x.extension === 'geojson' && lower.endsWith('.json'));
  return exportersFor(kind).find(matches);
}
