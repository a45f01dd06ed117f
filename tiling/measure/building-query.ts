/**
 * One building from a file: the full-resolution points of its footprint + buffer (and of the reference spot
 * the chosen Bezugspunkt needs, which may lie on the street) through core/query, measured by core/measure.
 */
import type { Point2 } from '../../core/geometry/point3.ts';
import { normalizeRing, offsetRing } from '../../core/geometry/polygon.ts';
import { measureBuildingHeight, type BuildingMeasurement, type BuildingReference } from '../../core/measure/building-height.ts';
import type { PointSource, QueryStats } from '../../core/query/point-source.ts';
import { Region } from '../../core/query/region.ts';
import { convexHull, round } from './cli-input.ts';

/** Options of {@link measureBuildingFromSource}. */
export interface BuildingQueryOptions {
  /** Plan buffer around the footprint, metres (default 1.0). */
  readonly bufferM?: number;
  readonly reference?: BuildingReference;
}

// Note: the reference spot lies in front of a fitted wall (which may sit centimetres off the footprint edge) and
// spotHeight reads up to 0.25 m around it; 1 m of margin covers both.
const REFERENCE_MARGIN_M = 1.0;

/**
 * The query polygon: the footprint grown by bufferM, plus (for street and point references) the places the
 * reference is taken, joined into their convex hull.
 */
export function buildingQueryRing(footprint: readonly Point2[], bufferM: number, reference?: BuildingReference): readonly Point2[] {
  const outer = bufferM > 0 ? offsetRing(footprint, bufferM) : normalizeRing(footprint);
  const spots: Point2[] = [];
  if (reference?.kind === 'point') spots.push(reference.at);
  if (reference?.kind === 'street-facade' || reference?.kind === 'facade-terrain') {
    const s = reference.street;
    spots.push(s);
    const ring = normalizeRing(footprint);
    for (let j = 0; j < ring.length; j++) {
      const a = ring[j]!;
      const b = ring[(j + 1) % ring.length]!;
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const nx = (b[1] - a[1]) / len;
      const ny = -(b[0] - a[0]) / len;
      const m: Point2 = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const t = (s[0] - m[0]) * nx + (s[1] - m[1]) * ny;
      if (t > 0) spots.push([m[0] + nx * t, m[1] + ny * t]);
    }
  }
  if (spots.length === 0) return outer;
  const all: Point2[] = [...outer];
  for (const [x, y] of spots) {
    const d = REFERENCE_MARGIN_M;
    all.push([x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d]);
  }
  return convexHull(all);
}

/** Queries the building's points and measures it; returns the measurement and what the query read. */
export async function measureBuildingFromSource(
  source: PointSource,
  footprint: readonly Point2[],
  options: BuildingQueryOptions = {},
): Promise<{ result: BuildingMeasurement; stats: QueryStats }> {
  const bufferM = options.bufferM ?? 1.0;
  const ring = buildingQueryRing(footprint, bufferM, options.reference);
  const { points, stats } = await source.query(Region.polygon(ring, 0));
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
