/**
 * Building results as GeoJSON: a FeatureCollection with one Polygon (footprint) feature per building and the
 * measure-building fields as properties (plus the eave lines and roof planes as nested arrays).
 *
 * CRS: coordinates are EPSG:25832 (ETRS89 / UTM 32N) metres, Z = height m NHN (DHHN2016), NOT the WGS84 of
 * RFC 7946 §4, because the city's GIS works in EPSG:25832. The file therefore carries the pre-RFC "crs" member
 * `{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}` (GeoJSON 2008), which GDAL/QGIS
 * honour. Readers that insist on RFC 7946 will misplace it; export GeoPackage for them.
 *
 * @example
 * const text = writeBuildingsGeoJson([{ id: 'B1', footprint, result }]);
 */
import {
  buildingAttributes,
  footprintRing,
  type BuildingExportOptions,
  type BuildingRow,
} from './building-record.ts';
import { roundTo } from './text-format.ts';

/** Name of the CRS in the "crs" member. */
export const GEOJSON_CRS_NAME = 'urn:ogc:def:crs:EPSG::25832';

/** Options of {@link writeBuildingsGeoJson}. */
export interface BuildingsGeoJsonOptions extends BuildingExportOptions {
  /** Pretty-print with this indent (default compact). */
  readonly indent?: number;
}

/** Writes the buildings as GeoJSON text (coordinates rounded to millimetres). */
export function writeBuildingsGeoJson(rows: readonly BuildingRow[], options: BuildingsGeoJsonOptions = {}): string {
  const zMode = options.footprintZ ?? 'reference';
  const features = rows.map((row) => {
    const { ring, z } = footprintRing(row, zMode);
    const coords = ring.map((p) => (z === undefined ? [p[0], p[1]] : [p[0], p[1], z]).map((c) => roundTo(c)));
    const r = row.result;
    return {
      type: 'Feature',
      id: row.id,
      geometry: { type: 'Polygon', coordinates: [coords] },
      properties: {
        ...buildingAttributes(row),
        eaves: r.eaves.map((e) => ({
          nhn: e.nhn,
          minNhn: e.minNhn,
          maxNhn: e.maxNhn,
          from: [roundTo(e.from[0]), roundTo(e.from[1])],
          to: [roundTo(e.to[0]), roundTo(e.to[1])],
          sigmaM: e.sigmaM,
        })),
        planes: r.planes.map(({ pitchDeg, azimuthDeg, areaM2, rmsM }) => ({ pitchDeg, azimuthDeg, areaM2, rmsM })),
      },
    };
  });
  const fc = {
    type: 'FeatureCollection',
    name: 'buildings',
    crs: { type: 'name', properties: { name: GEOJSON_CRS_NAME } },
    features,
  };
  return JSON.stringify(fc, null, options.indent) + '\n';
}
