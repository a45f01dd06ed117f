/**
 * The building rows the building exporters take: the plain `measure-building` result of issue 5 (the JSON that
 * `twinview measure-building --json` prints and core/measure's measureBuildingHeight returns) plus the id and
 * footprint of the building it belongs to. Heights in m NHN (DHHN2016), plan coordinates EPSG:25832 metres.
 *
 * Note: declared structurally (not imported from core/measure) so that both the in-memory result of
 * core/measure's measureBuildingHeight (`BuildingMeasurement`, NaN for an unmeasurable height, plus `detail`) and
 * the parsed CLI JSON (null for it) are accepted as they are; every exporter writes NaN and null alike as "no
 * value" (empty CSV cell, JSON null, SQL NULL).
 */
import type { Point2 } from '../geometry/point3.ts';
import { normalizeRing } from '../geometry/polygon.ts';
import type { MeasureWarning } from '../measure/warnings.ts';

/** Roof types of the measure-building result. */
export type RoofType = 'flat' | 'shed' | 'gable' | 'hip' | 'other';

/** One eave line (Traufe): Traufpunkt heights m NHN along it and its plan end points. */
export interface MeasuredEave {
  readonly nhn: number;
  readonly minNhn: number;
  readonly maxNhn: number;
  readonly from: Point2;
  readonly to: Point2;
  readonly sigmaM: number;
}

/** One fitted roof plane. */
export interface MeasuredRoofPlane {
  readonly pitchDeg: number;
  readonly azimuthDeg: number;
  readonly areaM2: number;
  readonly rmsM: number;
}

/** The height reference (Bezugspunkt) used. */
export interface MeasuredReference {
  /** `mean-terrain`, `street-facade`, `facade-terrain`, `nhn`, `point`. */
  readonly kind: string;
  /** Reference height m NHN; null (or NaN) when it could not be determined. */
  readonly nhn: number | null;
  /** Where it was taken, [E, N]; null for an absolute NHN value. */
  readonly at: Point2 | null;
}

/** The `measure-building` JSON of issue 5 (schemaVersion 1); null or NaN where a value could not be measured. */
export interface MeasuredBuilding {
  readonly schemaVersion?: 1;
  readonly roofType: RoofType;
  readonly ridgeNhn: number | null;
  readonly eaveNhn: number | null;
  readonly eaves: readonly MeasuredEave[];
  readonly planes: readonly MeasuredRoofPlane[];
  readonly reference: MeasuredReference;
  readonly ridgeHeightM: number | null;
  readonly eaveHeightM: number | null;
  /** Standard uncertainty of ridgeHeightM/eaveHeightM (heights above the reference), metres. */
  readonly sigmaM: number;
  /** Standard uncertainty of ridgeNhn/eaveNhn as absolute heights (with the stated accuracy), metres. */
  readonly sigmaNhnM?: number | null;
  readonly pointsUsed: number;
  readonly pointSpacingM: number;
  readonly warnings: readonly string[];
  /** The same warnings with codes (a measurement passes them on; the German protocol is written from them). */
  readonly warningDetails?: readonly MeasureWarning[];
}

/** One building to export: an id, its footprint ring (open or closed, any orientation) and the result. */
export interface BuildingRow {
  readonly id: string;
  readonly footprint: readonly Point2[];
  readonly result: MeasuredBuilding;
}

/** Which height the footprint polygon carries as Z. */
export type FootprintZ = 'none' | 'reference' | 'eave' | 'ridge';

/** Options shared by the building exporters. */
export interface BuildingExportOptions {
  /**
   * Z of the footprint vertices (default `reference`: the polygon lies at the Bezugspunkt height, so GIS can
   * extrude it by ridgeHeightM/eaveHeightM); `none` writes 2D polygons.
   */
  readonly footprintZ?: FootprintZ;
}

/** A flat attribute row: the field names and order every building exporter writes. */
export interface BuildingAttributes {
  readonly building_id: string;
  readonly roof_type: string;
  readonly ridge_nhn: number | null;
  readonly eave_nhn: number | null;
  readonly ridge_height_m: number | null;
  readonly eave_height_m: number | null;
  readonly sigma_m: number | null;
  readonly sigma_nhn_m: number | null;
  readonly reference_kind: string;
  readonly reference_nhn: number | null;
  readonly reference_e: number | null;
  readonly reference_n: number | null;
  readonly eave_count: number;
  readonly plane_count: number;
  readonly points_used: number;
  readonly point_spacing_m: number | null;
  readonly warnings: string;
}

/** A building field: its name and storage type. */
export interface BuildingField {
  readonly name: keyof BuildingAttributes;
  readonly type: 'text' | 'real' | 'integer';
}

/** Field names and types of {@link BuildingAttributes}, in order. */
export const BUILDING_FIELDS: readonly BuildingField[] = [
  { name: 'building_id', type: 'text' },
  { name: 'roof_type', type: 'text' },
  { name: 'ridge_nhn', type: 'real' },
  { name: 'eave_nhn', type: 'real' },
  { name: 'ridge_height_m', type: 'real' },
  { name: 'eave_height_m', type: 'real' },
  { name: 'sigma_m', type: 'real' },
  { name: 'sigma_nhn_m', type: 'real' },
  { name: 'reference_kind', type: 'text' },
  { name: 'reference_nhn', type: 'real' },
  { name: 'reference_e', type: 'real' },
  { name: 'reference_n', type: 'real' },
  { name: 'eave_count', type: 'integer' },
  { name: 'plane_count', type: 'integer' },
  { name: 'points_used', type: 'integer' },
  { name: 'point_spacing_m', type: 'real' },
  { name: 'warnings', type: 'text' },
];

/** The value, or null for null, undefined, NaN and ±Infinity. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/** Flattens a building row to its attributes (warnings joined with " | ", non-finite numbers as null). */
export function buildingAttributes(row: BuildingRow): BuildingAttributes {
  const r = row.result;
  const at = r.reference.at;
  return {
    building_id: row.id,
    roof_type: r.roofType,
    ridge_nhn: finiteOrNull(r.ridgeNhn),
    eave_nhn: finiteOrNull(r.eaveNhn),
    ridge_height_m: finiteOrNull(r.ridgeHeightM),
    eave_height_m: finiteOrNull(r.eaveHeightM),
    sigma_m: finiteOrNull(r.sigmaM),
    sigma_nhn_m: finiteOrNull(r.sigmaNhnM),
    reference_kind: r.reference.kind,
    reference_nhn: finiteOrNull(r.reference.nhn),
    reference_e: at ? finiteOrNull(at[0]) : null,
    reference_n: at ? finiteOrNull(at[1]) : null,
    eave_count: r.eaves.length,
    plane_count: r.planes.length,
    points_used: r.pointsUsed,
    point_spacing_m: finiteOrNull(r.pointSpacingM),
    warnings: r.warnings.join(' | '),
  };
}

/**
 * The footprint as a closed counter-clockwise ring (RFC 7946 and OGC simple-features exterior orientation) with
 * Z per {@link FootprintZ}; `z` is undefined for 2D output or when the chosen height is null.
 */
export function footprintRing(row: BuildingRow, zMode: FootprintZ): { ring: Point2[]; z: number | undefined } {
  const open = normalizeRing(row.footprint);
  const ring = [...open, open[0]!];
  const r = row.result;
  const z =
    zMode === 'reference' ? r.reference.nhn : zMode === 'eave' ? r.eaveNhn : zMode === 'ridge' ? r.ridgeNhn : null;
  return { ring, z: finiteOrNull(z) ?? undefined };
}
