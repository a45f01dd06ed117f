/**
 * One building from a file: the full-resolution points of its footprint + buffer (and of the reference spot
 * the chosen Bezugspunkt needs, which may lie on the street) through core/query, measured by core/measure.
 */
import type { Point2 } from '../../core/geometry/point3.ts';
import { measureBuildingHeight, type BuildingMeasurement, type BuildingReference } from '../../core/measure/building-height.ts';
import { buildingQueryRing } from '../../core/query/building-ring.ts';
import { MEASURE_FIELDS, type PointSource, type QueryStats } from '../../core/query/point-source.ts';
import { Region } from '../../core/query/region.ts';
import { round } from './cli-input.ts';

/** Options of {@link measureBuildingFromSource}. */
export interface BuildingQueryOptions {
  /** Plan buffer around the footprint, metres (default 1.0). */
  readonly bufferM?: number;
  readonly reference?: BuildingReference;
}

/** Queries the building's points and measures it; returns the measurement and what the query read. */
export async function measureBuildingFromSource(
  source: PointSource,
  footprint: readonly Point2[],
  options: BuildingQueryOptions = {},
): Promise<{ result: BuildingMeasurement; stats: QueryStats }> {
  const bufferM = options.bufferM ?? 1.0;
  const ring = buildingQueryRing(footprint, bufferM, options.reference);
  // Only the columns the measurement reads: a COPC source then decodes just those layers of each node.
  const { points, stats } = await source.query(Region.polygon(ring, 0), { fields: MEASURE_FIELDS });
  const result = measureBuildingHeight(points, footprint, {
    bufferM,
    ...(options.reference ? { reference: options.reference } : {}),
  });
  return { result, stats };
}

/** The `measure-building --json` object (schemas/measure-building.schema.json): the result without `detail`. */
export function buildingJson(r: BuildingMeasurement): Record<string, unknown> {
  const pair = (p: Point2): [number, number] => [round(p[0], 3)!, round(p[1], 3)!];
  return {
    schemaVersion: 1,
    roofType: r.roofType,
    ridgeNhn: round(r.ridgeNhn),
    eaveNhn: round(r.eaveNhn),
    eaves: r.eaves.map((e) => ({
      nhn: round(e.nhn),
      minNhn: round(e.minNhn),
      maxNhn: round(e.maxNhn),
      from: pair(e.from),
      to: pair(e.to),
      sigmaM: round(e.sigmaM),
    })),
    planes: r.planes.map((p) => ({ pitchDeg: round(p.pitchDeg, 2), azimuthDeg: round(p.azimuthDeg, 2), areaM2: round(p.areaM2, 2), rmsM: round(p.rmsM) })),
    reference: { kind: r.reference.kind, nhn: round(r.reference.nhn), at: r.reference.at ? pair(r.reference.at) : null },
    ridgeHeightM: round(r.ridgeHeightM),
    eaveHeightM: round(r.eaveHeightM),
    sigmaM: round(r.sigmaM),
    sigmaNhnM: round(r.sigmaNhnM),
    pointsUsed: r.pointsUsed,
    pointSpacingM: round(r.pointSpacingM),
    superstructures: r.detail.superstructures.map((s) => ({
      at: pair(s.at),
      topNhn: round(s.topNhn),
      heightAboveRoofM: round(s.heightAboveRoofM),
      points: s.points,
    })),
    warnings: [...r.warnings],
  };
}
