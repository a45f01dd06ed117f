/**
 * Building heights (FB4): ridge (Firsthöhe), Traufpunkt per eave line (Traufhöhe), roof planes and type,
 * against a chosen reference (Bezugspunkt), from full-resolution points around a footprint.
 *
 * Method (see /work/shared/MEASURE-NOTES.md):
 * 1. Points inside the footprint offset outwards by bufferM (overhangs reach beyond the walls).
 * 2. Terrain: class 2/11 points when present and plausible, otherwise the lowest dense height level in 0.5 m
 *    cells outside the walls; cells standing on objects are dropped against their lower envelope. Per wall a
 *    least-squares terrain plane over its cells gives the terrain at the wall foot (both corners).
 * 3. Walls: per footprint edge a vertical plane found by RANSAC on the plan positions of nearby points (so
 *    windows and reveals do not pull it) and refitted orthogonally; the footprint edge is the fallback.
 *    Corners are re-intersected from the fitted walls.
 * 4. Roof: sequential RANSAC planes (seeded PRNG, deterministic) on the points above the terrain, keeping the
 *    largest connected patch of each plane, refitted by least squares on centroid-shifted points. Small or
 *    steep patches and leftovers standing above the roof are superstructures (chimneys, dormers, antennas):
 *    reported, never used for the ridge.
 * 5. Traufpunkt per eave wall = intersection of the fitted wall plane with the roof plane that falls towards
 *    that wall (not the overhang edge, not the gutter). Ridge = highest point of the roof surface, computed
 *    exactly as the maximum of the lower envelope of the roof planes over the wall polygon (the intersection of
 *    opposing planes for gable and hip roofs), cross-checked against the highest inlier points.
 *    Street-level scanners rarely see the far slope: a slope without an observed opposite gets a partner
 *    mirrored about the wall polygon's centre (symmetric roof), confirmed or overruled by the upper edge of the
 *    visible slope, always with a warning. Gable or hip is then told by the side walls (gable walls rise to
 *    the ridge). Flat roof = top of the parapet (Attika): the upper edge of the facade planes (what the street
 *    sees), or the coping points when the data were taken from above.
 * 6. Uncertainty from the plane-fit residuals and point counts, the wall position and the point spacing, plus
 *    the scanner passes' systematic error (core/measure/uncertainty.ts): the passes' height offset is measured
 *    on common level cells of the footprint and buffer, their offset across the walls on the facades, and each
 *    value carries them by the passes' shares of its points; the dataset's stated absolute accuracy
 *    (accuracyM) enters absolute values only. `sigmaM` is the uncertainty of ridgeHeightM and eaveHeightM (the
 *    heights above the reference, what a plan's limit is checked against): the fits of value and reference and
 *    the systematic error of their pass shares' difference; the absolute accuracy cancels, except for an
 *    absolute (nhn) reference, where the heights are absolute values less a constant. `sigmaNhnM` is the
 *    uncertainty of ridgeNhn and eaveNhn as absolute heights. `eaves[].sigmaM` is each eave line's uncertainty
 *    within the drive (fit and pass systematic, without accuracyM).
 *    Whatever could not be observed is named in `warnings`; `detail` carries the geometry for drawing.
 *
 * @example
 * const r = measureBuildingHeight(points, [[E1, N1], [E2, N2], [E3, N3], [E4, N4]], { reference: { kind: 'mean-terrain' } });
 * // r.ridgeNhn, r.eaveNhn, r.ridgeHeightM, r.eaves[], r.planes[], r.warnings
 */
import { buildGridIndex2 } from '../geometry/grid-index.ts';
import { fitLine2, type LineFit2 } from '../geometry/line.ts';
import {
  detectPlaneRansac,
  fitPlane,
  planeAzimuthDeg,
  planeDistance,
  planeHeightAt,
  planePitchDeg,
  type Plane,
  type PlaneFit,
} from '../geometry/plane.ts';
import type { Point2, Point3 } from '../geometry/point3.ts';
import {
  distanceToRing,
  normalizeRing,
  offsetRing,
  pointInRing,
  polygonArea,
  ringBounds,
  type Ring2,
} from '../geometry/polygon.ts';
import { createPrng } from '../geometry/prng.ts';
import { isMeasurable, NOISE_CLASSES, type MeasurePoints } from './measure-points.ts';
import { cutSection } from './cross-section.ts';
import { spotHeight } from './spot-height.ts';
import { highestDenseWindow, lowestDenseWindow, median, percentileSorted, sortedCopy } from './stats.ts';
import type { PassLabels } from './passes.ts';
import {
  checkAccuracy,
  combineSigmas,
  differenceSystematicSigma,
  estimateRelativeAccuracy,
  mergePassMix,
  passMix,
  planeSigmaAt,
  systematicSigma,
  type PassContext,
  type PassWeight,
  type RelativeAccuracy,
} from './uncertainty.ts';
import { inContext, measureWarning, warningTexts, type MeasureWarning } from './warnings.ts';

/** The reference (Bezugspunkt) a development plan defines. */
export type BuildingReference =
  | { readonly kind: 'mean-terrain' }
  | { readonly kind: 'street-facade'; readonly street: Point2 }
  | { readonly kind: 'facade-terrain'; readonly street: Point2 }
  | { readonly kind: 'nhn'; readonly nhn: number }
  | { readonly kind: 'point'; readonly at: Point2 };

/** Roof types told apart. */
export type RoofType = 'flat' | 'shed' | 'gable' | 'hip' | 'other';

/** Options for {@link measureBuildingHeight}. */
export interface MeasureBuildingOptions {
  /** Points within this plan distance outside the footprint are used (overhangs, terrain), metres (default 1.0). */
  readonly bufferM?: number;
  /** Default mean-terrain. */
  readonly reference?: BuildingReference;
  /** Seed of the RANSAC generator (default 1). */
  readonly seed?: number;
  /** Use class 2/11 as terrain when present and plausible (default true); false ignores all classes but noise. */
  readonly useClasses?: boolean;
  /** Classes never used (default 7 and 18, noise). */
  readonly excludeClasses?: readonly number[];
  /** RANSAC inlier distance for roof planes, metres (default 0.04). */
  readonly planeThresholdM?: number;
  /** The dataset's stated absolute height accuracy, 1 sigma, metres (default: not stated). */
  readonly accuracyM?: number;
  /** Relative accuracy of one pass where the passes cannot be compared, metres (default 0.005). */
  readonly relativeAccuracyM?: number;
}

/** The parts of a building's uncertainty (see the module comment, step 6). */
export interface BuildingUncertainty {
  /** The passes' vertical relative accuracy around the building (compared passes or a-priori). */
  readonly relativeAccuracy: RelativeAccuracy;
  /** 1-sigma horizontal offset of one pass across the walls, metres (from the facades, else a-priori). */
  readonly horizontalPassSigmaM: number;
  /** Fit part of ridge and eave (the larger), metres. */
  readonly fitM: number;
  /** Fit part of the reference height, metres. */
  readonly referenceFitM: number;
  /** Pass systematic of ridgeNhn/eaveNhn (the larger), metres. */
  readonly systematicNhnM: number;
  /** Pass systematic of ridgeHeightM/eaveHeightM (value minus reference, the larger), metres. */
  readonly systematicRelativeM: number;
  /** Uncertainty of ridgeNhn/eaveNhn within the drive (sigmaNhnM without accuracyM), metres. */
  readonly driveNhnM: number;
  /** The stated absolute accuracy used, metres; undefined when none was given. */
  readonly accuracyM: number | undefined;
}

/** One eave line (Traufe). */
export interface EaveLine {
  /** Mean Traufpunkt height along the line, m NHN. */
  readonly nhn: number;
  readonly minNhn: number;
  readonly maxNhn: number;
  readonly from: Point2;
  readonly to: Point2;
  readonly sigmaM: number;
}

/** One roof plane as reported. */
export interface RoofPlaneReport {
  readonly pitchDeg: number;
  /** Direction the plane falls towards, degrees clockwise from grid north. */
  readonly azimuthDeg: number;
  /** Area of the observed roof face (occupied 0.25 m cells projected onto the plane), m². */
  readonly areaM2: number;
  readonly rmsM: number;
}

/** The reference actually used. */
export interface ReferenceReport {
  readonly kind: BuildingReference['kind'];
  readonly nhn: number;
  /** Where it was taken, [E, N]; null for an absolute NHN value. */
  readonly at: Point2 | null;
}

/** A superstructure standing above the roof planes (excluded from ridge and eaves). */
export interface Superstructure {
  readonly at: Point2;
  readonly topNhn: number;
  readonly heightAboveRoofM: number;
  readonly points: number;
}

/** Geometry for drawing and checking (not part of the CLI JSON). */
export interface BuildingDetail {
  readonly walls: readonly { readonly from: Point2; readonly to: Point2; readonly fitted: boolean; readonly points: number; readonly rmsM: number }[];
  readonly roofPlanes: readonly Plane[];
  readonly ridgeAt: Point3 | null;
  readonly eaveLines: readonly (readonly [Point3, Point3])[];
  readonly terrain: { readonly minNhn: number; readonly maxNhn: number; readonly cells: number; readonly fromClasses: boolean };
  readonly superstructures: readonly Superstructure[];
  /** Highest roof-plane inlier points (cross-check of the ridge), m NHN. */
  readonly highestInlierNhn: number | null;
}

/** The `measure-building` JSON of issue 5, plus `detail`. */
export interface BuildingMeasurement {
  readonly schemaVersion: 1;
  readonly roofType: RoofType;
  readonly ridgeNhn: number;
  readonly eaveNhn: number;
  readonly eaves: EaveLine[];
  readonly planes: RoofPlaneReport[];
  readonly reference: ReferenceReport;
  readonly ridgeHeightM: number;
  readonly eaveHeightM: number;
  /** Standard uncertainty of ridgeHeightM and eaveHeightM (heights above the reference), metres. */
  readonly sigmaM: number;
  /** Standard uncertainty of ridgeNhn and eaveNhn as absolute heights (with accuracyM when stated), metres. */
  readonly sigmaNhnM: number;
  readonly uncertainty: BuildingUncertainty;
  readonly pointsUsed: number;
  readonly pointSpacingM: number;
  /** English warning texts (the CLI's JSON). */
  readonly warnings: string[];
  /** The same warnings with stable codes and parameters (for translated UIs). */
  readonly warningDetails: readonly MeasureWarning[];
  readonly detail: BuildingDetail;
}

/**
 * The measurement with a (new) stated absolute accuracy, 1 sigma, metres (undefined: none): sigmaNhnM, and
 * sigmaM for an absolute (nhn) reference, are recomputed from the uncertainty parts; nothing else changes. For
 * callers that measured without the option (e.g. a CLI that queries and measures in one helper).
 *
 * @example
 * const r = applyBuildingAccuracy(measureBuildingHeight(points, footprint), 0.03);
 */
export function applyBuildingAccuracy(r: BuildingMeasurement, accuracyM: number | undefined): BuildingMeasurement {
  const acc = accuracyM === undefined ? undefined : checkAccuracy(accuracyM);
  const sigmaNhnM = combineSigmas(r.uncertainty.driveNhnM, acc);
  return {
    ...r,
    sigmaNhnM,
    sigmaM: r.reference.kind === 'nhn' ? sigmaNhnM : r.sigmaM,
    uncertainty: { ...r.uncertainty, accuracyM: acc },
  };
}

/** Parses a CLI reference: mean-terrain | street-facade | facade-terrain | nhn:<h> | point:E,N. */
export function parseBuildingReference(text: string, street?: Point2): BuildingReference {
  const t = text.trim();
  if (t === 'mean-terrain') return { kind: 'mean-terrain' };
  if (t === 'street-facade' || t === 'facade-terrain') {
    if (!street) throw new Error(`Invalid reference (core/measure/building-height.ts): ${t} needs a street point`);
    return { kind: t, street };
  }
  const nhn = /^nhn:(-?\d+(?:\.\d+)?)$/.exec(t);
  if (nhn) return { kind: 'nhn', nhn: Number(nhn[1]) };
  const pt = /^point:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(t);
  if (pt) return { kind: 'point', at: [Number(pt[1]), Number(pt[2])] };
  throw new Error(`Invalid reference (core/measure/building-height.ts): ${text}`);
}

const ROOF_MIN_ABOVE_TERRAIN_M = 2.0;
const WALL_BAND_M = 0.4;
const CELL_M = 0.25;
/** Plan cell of the roof-face connectivity: coarse enough for thinned street-level data. */
const PATCH_CELL_M = 0.5;

interface Wall {
  /** Point on the wall line and unit direction (along the footprint edge, CCW). */
  readonly x0: number;
  readonly y0: number;
  readonly tx: number;
  readonly ty: number;
  /** Outward normal in plan. */
  readonly nx: number;
  readonly ny: number;
  readonly fitted: boolean;
  readonly points: number;
  readonly rmsM: number;
  /** Standard error of the wall position across the wall, metres. */
  readonly sigmaPosM: number;
  readonly inliers: number[];
}

interface RoofFace {
  readonly fit: PlaneFit;
  readonly inliers: number[];
  readonly areaM2: number;
  readonly insideShare: number;
}

/**
 * Measures ridge and eave heights of one building from points around its footprint ([E, N] ring, open or
 * closed, any orientation); see the module comment for the method.
 */
export function measureBuildingHeight(
  points: MeasurePoints,
  footprint: readonly Point2[],
  options: MeasureBuildingOptions = {},
): BuildingMeasurement {
  const bufferM = options.bufferM ?? 1.0;
  const exclude = options.excludeClasses ?? NOISE_CLASSES;
  const threshold = options.planeThresholdM ?? 0.04;
  const random = createPrng(options.seed ?? 1);
  const warnings: MeasureWarning[] = [];
  const ring = normalizeRing(footprint);
  const outer = offsetRing(ring, bufferM);
  const [bx0, by0, bx1, by1] = ringBounds(outer);

  // 1. Points in footprint + buffer.
  const sel: number[] = [];
  for (let i = 0; i < points.x.length; i++) {
    const x = points.x[i]!;
    const y = points.y[i]!;
    if (x < bx0 || x > bx1 || y < by0 || y > by1) continue;
    if (!isMeasurable(points, i, exclude) || !pointInRing(outer, x, y)) continue;
    sel.push(i);
  }
  if (sel.length < 50) {
    throw new Error(`Invalid building (core/measure/building-height.ts): only ${sel.length} points in footprint + buffer`);
  }
  const accuracyM = options.accuracyM === undefined ? undefined : checkAccuracy(options.accuracyM);
  const passes = estimateRelativeAccuracy(points, sel, options.relativeAccuracyM !== undefined ? { aprioriM: options.relativeAccuracyM } : {});
  const inside = new Uint8Array(sel.length);
  for (let k = 0; k < sel.length; k++) inside[k] = pointInRing(ring, points.x[sel[k]!]!, points.y[sel[k]!]!) ? 1 : 0;

  // 2. Terrain cells outside the walls.
  const terrain = findTerrain(points, sel, inside, ring, options.useClasses ?? true);
  if (terrain.cells.length === 0) warnings.push(measureWarning('terrain-missing'));
  let terrainLow = Infinity;
  if (terrain.cells.length) for (const c of terrain.cells) terrainLow = Math.min(terrainLow, c.z);
  else for (const i of sel) terrainLow = Math.min(terrainLow, points.z[i]!);

  // 3. Walls.
  const walls: Wall[] = [];
  for (let j = 0; j < ring.length; j++) {
    const w = fitWall(points, sel, ring, j, terrainLow, random);
    if (!w.fitted) warnings.push(measureWarning('wall-unfitted', { wall: j + 1 }));
    walls.push(w);
  }
  const corners = wallCorners(walls, ring);
  const wallRing: Ring2 = corners;
  const wallInlier = new Set<number>();
  for (const w of walls) for (const i of w.inliers) wallInlier.add(i);

  // Terrain at the wall feet: per wall a plane over its own cells, evaluated at both corners.
  const footHeights: { at: Point2; z: number; wall: number; cells: number }[] = [];
  for (let j = 0; j < walls.length; j++) {
    const a = corners[j]!;
    const b = corners[(j + 1) % corners.length]!;
    const feet = terrainAtWall(terrain.cells, walls[j]!, a, b);
    for (const [p, z] of feet.feet) footHeights.push({ at: p, z, wall: j, cells: feet.cells });
  }
  // Note: a wall with fewer than 4 terrain cells in front of it (a narrow, occluded side yard) gives a median
  // of what little is there, which may be a tree trunk or a bin; when two or more walls have a real terrain
  // fit, such walls are left out.
  if (footHeights.filter((f) => f.cells >= TERRAIN_MIN_CELLS).length >= 4) {
    const sparse = footHeights.filter((f) => f.cells < TERRAIN_MIN_CELLS);
    for (const wall of new Set(sparse.map((f) => f.wall))) {
      warnings.push(measureWarning('terrain-wall-sparse', { wall: wall + 1, cells: sparse.find((f) => f.wall === wall)!.cells }));
    }
    for (let k = footHeights.length - 1; k >= 0; k--) if (footHeights[k]!.cells < TERRAIN_MIN_CELLS) footHeights.splice(k, 1);
  }
  // A wall foot far above the others stands on an object (hedge, car, garden wall), not on the terrain.
  if (footHeights.length >= 4) {
    const m = median(footHeights.map((f) => f.z));
    for (let k = footHeights.length - 1; k >= 0; k--) {
      if (footHeights[k]!.z > m + 0.4) {
        warnings.push(measureWarning('terrain-wall-high', { wall: footHeights[k]!.wall + 1, aboveM: footHeights[k]!.z - m }));
        footHeights.splice(k, 1);
      }
    }
  }
  const terrainMin = footHeights.length ? Math.min(...footHeights.map((f) => f.z)) : NaN;
  const terrainMax = footHeights.length ? Math.max(...footHeights.map((f) => f.z)) : NaN;
  const roofFloor = (Number.isFinite(terrainMax) ? terrainMax : terrainLow) + ROOF_MIN_ABOVE_TERRAIN_M;

  // 4. Roof planes.
  const roofCand: number[] = [];
  for (let k = 0; k < sel.length; k++) {
    const i = sel[k]!;
    if (points.z[i]! > roofFloor && !wallInlier.has(i)) roofCand.push(i);
  }
  const faces: RoofFace[] = [];
  // Note: a fixed share of the candidates would drop real faces when a tree crown fills the candidates.
  const minPlanePoints = Math.max(30, Math.min(300, Math.round(roofCand.length * 0.02)));
  let remaining = roofCand;
  for (let round = 0; round < 10 && remaining.length >= minPlanePoints; round++) {
    const r = detectPlaneRansac(points, remaining, {
      thresholdM: threshold,
      random,
      iterations: 400,
      scoreSampleSize: 2000,
      sampleRadiusM: 1.5,
      acceptNormal: (n) => Math.abs(n[2]) >= 0.26,
    });
    if (!r || r.inliers.length < minPlanePoints) break;
    let patch = largestPatch(points, Array.from(r.inliers));
    let fit = fitPlane(points, patch);
    // Re-collect inliers of the refitted plane within the patch's cells and their neighbours.
    patch = largestPatch(points, remaining.filter((i) => Math.abs(planeDistance(fit.plane, points.x[i]!, points.y[i]!, points.z[i]!)) <= threshold));
    if (patch.length < minPlanePoints) {
      const drop = new Set(r.inliers);
      remaining = remaining.filter((i) => !drop.has(i));
      continue;
    }
    fit = fitPlane(points, patch);
    const patchSet = new Set(patch);
    remaining = remaining.filter((i) => !patchSet.has(i));
    let inCount = 0;
    for (const i of patch) if (pointInRing(wallRing, points.x[i]!, points.y[i]!)) inCount++;
    const areaM2 = occupiedArea(points, patch) / Math.max(0.05, Math.abs(fit.plane.normal[2]));
    faces.push({ fit, inliers: patch, areaM2, insideShare: inCount / patch.length });
  }
  // Coplanar faces split by a chimney or a gap in the data are one roof face.
  for (let i = 0; i < faces.length; i++) {
    for (let j = faces.length - 1; j > i; j--) {
      const a = faces[i]!.fit.plane;
      const b = faces[j]!.fit.plane;
      const cos = Math.abs(a.normal[0] * b.normal[0] + a.normal[1] * b.normal[1] + a.normal[2] * b.normal[2]);
      if (cos < Math.cos((3 * Math.PI) / 180)) continue;
      if (Math.abs(planeDistance(a, b.point[0], b.point[1], b.point[2])) > 0.08) continue;
      const inl = [...faces[i]!.inliers, ...faces[j]!.inliers];
      const fit = fitPlane(points, inl);
      let inCount = 0;
      for (const k of inl) if (pointInRing(wallRing, points.x[k]!, points.y[k]!)) inCount++;
      faces[i] = {
        fit,
        inliers: inl,
        areaM2: faces[i]!.areaM2 + faces[j]!.areaM2,
        insideShare: inCount / inl.length,
      };
      faces.splice(j, 1);
    }
  }
  // Significant faces: real roof skin, not soffits outside the walls, not superstructure sides.
  // Note: a small steep patch (over 60°, under STEEP_FACE_MIN_AREA_M2) is a parapet's inner face, a dormer cheek
  // or a tree's flank rather than a roof face; taken alone it made a flat roof with a parapet read as a hip roof
  // 13 m high on an unclassified copy (seed 27 R4, a tree beside it).
  const significant = faces.filter((f) => {
    const pitch = planePitchDeg(f.fit.plane);
    return f.insideShare >= 0.3 && f.areaM2 >= 2 && pitch <= 70 && (pitch <= 60 || f.areaM2 >= STEEP_FACE_MIN_AREA_M2);
  });
  significant.sort((a, b) => b.inliers.length - a.inliers.length);
  // Parapet copings and eave strips: faces (other than the largest) lying mostly within 0.6 m of the walls.
  for (let k = significant.length - 1; k >= 1; k--) {
    const f = significant[k]!;
    let edge = 0;
    for (const i of f.inliers) if (distanceToRing(wallRing, points.x[i]!, points.y[i]!) < 0.6) edge++;
    if (edge / f.inliers.length > 0.7) significant.splice(k, 1);
  }
  // One roof face per direction: a smaller face falling the same way (within 15°) is a soffit, a dormer or a
  // lean-to, never the main roof skin.
  for (let k = significant.length - 1; k >= 1; k--) {
    const f = significant[k]!;
    if (planePitchDeg(f.fit.plane) < 5) continue;
    const az = planeAzimuthDeg(f.fit.plane);
    const bigger = significant.slice(0, k).some((g) => planePitchDeg(g.fit.plane) >= 5 && angleDeg(planeAzimuthDeg(g.fit.plane), az) < 15);
    if (bigger) significant.splice(k, 1);
  }
  const roofPlanes = significant.map((f) => f.fit.plane);
  const sloped = significant.filter((f) => planePitchDeg(f.fit.plane) >= 5);

  // 5. Roof type, ridge and eaves.
  let roofType: RoofType;
  let ridgeNhn: number;
  let ridgeAt: Point3 | null = null;
  const eaves: EaveLine[] = [];
  const eaveLines: (readonly [Point3, Point3])[] = [];
  let sigmaRidge = 0.05;
  // Pass shares of each eave line (roof plane: vertical offset; wall: horizontal offset times the pitch) and of
  // the ridge, for the systematic terms.
  const eaveSys: { vertical: PassWeight[]; horizontal: PassWeight[]; tanPitch: number }[] = [];
  let ridgeMix: PassWeight[] = [];
  let ridgeExtraSigma = 0;
  let roofUnobserved = false;

  if (sloped.length === 0) {
    roofType = 'flat';
    const flat = significant[0];
    const floor = flat ? planeHeightAt(flat.fit.plane, (bx0 + bx1) / 2, (by0 + by1) / 2) + 0.05 : roofFloor;
    const tops: number[] = [];
    const candidates: { top: NonNullable<ReturnType<typeof facadeTop>>; a: Point2; b: Point2; j: number; fromFacade: boolean }[] = [];
    for (let j = 0; j < walls.length; j++) {
      const a = corners[j]!;
      const b = corners[(j + 1) % corners.length]!;
      // Note: street-level scanners see the parapet only as the top of the facade, so the facade's upper edge
      // (from its own plane inliers) comes first; the coping band is the fallback for data seen from above.
      const top = walls[j]!.fitted ? facadeTop(points, walls[j]!, a, b, floor) : parapetTop(points, sel, walls[j]!, a, b, floor);
      if (!top) continue;
      candidates.push({ top, a, b, j, fromFacade: walls[j]!.fitted });
    }
    // Coping bands of walls without a fitted facade only count when no facade was fitted at all.
    if (candidates.some((c) => c.fromFacade)) {
      for (let k = candidates.length - 1; k >= 0; k--) if (!candidates[k]!.fromFacade) candidates.splice(k, 1);
    }
    // Note: a facade whose top edge is not uniform (a structure standing on it, a neighbour sharing the plane,
    // most of the top unseen) is left out unless no facade is uniform.
    const uniform = candidates.filter((c) => c.top.consistent);
    for (const c of candidates) {
      if (!c.top.consistent && uniform.length > 0) {
        warnings.push(measureWarning('wall-top-uneven', { wall: c.j + 1 }));
        continue;
      }
      tops.push(c.top.z);
      eaves.push({ nhn: c.top.z, minNhn: c.top.min, maxNhn: c.top.max, from: c.a, to: c.b, sigmaM: c.top.sigma });
      eaveSys.push({ vertical: passMix(passes, walls[c.j]!.inliers), horizontal: [], tanPitch: 0 });
      eaveLines.push([[c.a[0], c.a[1], c.top.z], [c.b[0], c.b[1], c.top.z]]);
    }
    if (tops.length === 0) throw new Error('Invalid building (core/measure/building-height.ts): no roof or parapet points found');
    if (!flat) {
      roofUnobserved = true;
      warnings.push(measureWarning('flat-roof-assumed'));
    }
    ridgeNhn = Math.max(...tops);
    // Walls whose top reads clearly lower were seen only in part (occluded, oblique): not parapet lines.
    for (let k = eaves.length - 1; k >= 0; k--) {
      if (eaves[k]!.nhn < ridgeNhn - 0.15) {
        warnings.push(measureWarning('wall-top-low', { belowM: ridgeNhn - eaves[k]!.nhn }));
        eaves.splice(k, 1);
        eaveLines.splice(k, 1);
        eaveSys.splice(k, 1);
      }
    }
    sigmaRidge = Math.max(...eaves.map((e) => e.sigmaM));
    ridgeMix = mergePassMix(eaveSys.map((e) => ({ mix: e.vertical, weight: 1 })), passes.labels.from);
  } else {
    // Faces without an opposite slope (occluded from the street) get a mirrored partner about the wall
    // polygon's centre: a symmetric roof is assumed only where the data cannot show the far side.
    const azOf = sloped.map((f) => planeAzimuthDeg(f.fit.plane));
    const lonely = sloped.filter((_, k) => !azOf.some((b) => angleDeg(azOf[k]!, b) > 155));
    const centre: Point2 = [
      wallRing.reduce((acc, c) => acc + c[0], 0) / wallRing.length,
      wallRing.reduce((acc, c) => acc + c[1], 0) / wallRing.length,
    ];
    const mirrored = lonely.map((f) => mirrorPlane(f.fit.plane, centre));
    const planesAll = [...sloped.map((f) => f.fit.plane), ...mirrored];
    let env = envelopeMax(planesAll, wallRing);
    // Shed: a single face whose upper edge reaches the far wall.
    const top = sloped.map((f) => upperEdge(points, f, remaining)).reduce((p, q) => (q.z > p.z ? q : p));
    const main = sloped[0]!;
    const nm = main.fit.plane.normal;
    const hm = Math.hypot(nm[0], nm[1]);
    const ux = -nm[0] / hm;
    const uy = -nm[1] / hm;
    let reach = Infinity;
    for (const w of walls) {
      const facing = w.nx * ux + w.ny * uy;
      if (facing < 0.7) continue;
      reach = Math.min(reach, ((w.x0 - top.at[0]) * w.nx + (w.y0 - top.at[1]) * w.ny) / facing);
    }
    if (sloped.length === 1 && reach < 0.6) {
      roofType = 'shed';
      env = envelopeMax([main.fit.plane], wallRing);
    } else if (mirrored.length > 0) {
      roofType = sloped.length === 1 ? sideWallsRoofType(points, walls, ux, uy, env.z) : classifyRoof(points, sloped, walls, mirrored);
      // Unobserved ridge: half the gap between the symmetric ridge and the highest visible slope point.
      ridgeExtraSigma = Math.abs(env.z - top.z) / 2;
      if (top.z > env.z + 0.05) {
        // The visible slope rises above the symmetric ridge: the roof is asymmetric, the data decide. Note: a
        // stray high point on the slope's upper edge reads the same way (seed 9 L11: 45 cm above the true,
        // symmetric ridge), so the sigma spans the whole gap between the two readings, not half of it.
        warnings.push(measureWarning('far-slope-asymmetric'));
        ridgeExtraSigma = top.z - env.z;
        env = top;
      } else if (top.z >= env.z - 0.1) {
        // Note: the visible slope reaches the ridge and confirms it; the intersection with the mirrored slope
        // is kept because the upper edge of sampled points reads a little low (the last point lies below it).
        warnings.push(measureWarning('far-slope-symmetric'));
      } else {
        // A hip roof seen on one face only: the mirrored face and the unseen faces over the remaining walls
        // (equal pitches, level eaves) bound the ridge, not the visible face and its mirror alone.
        const hip = roofType === 'hip' ? completeHip(points, planesAll, walls, corners, env.z, top.z) : undefined;
        if (hip) env = envelopeMax([...planesAll, ...hip], wallRing);
        ridgeExtraSigma = Math.abs(env.z - top.z) / 2;
        warnings.push(measureWarning(hip ? 'ridge-occluded-hip' : 'ridge-occluded-symmetric', { aboveM: env.z - top.z }));
      }
    } else {
      roofType = classifyRoof(points, sloped, walls, []);
      const hip = opposingObserved(sloped) ? completeHip(points, sloped.map((f) => f.fit.plane), walls, corners, env.z, top.z) : undefined;
      if (hip) {
        // Note: opposing faces observed, but nothing near their intersection, and the walls without a roof
        // face show no gable: the faces seen are the hip ends (or the lower parts of the slopes) and the
        // ridge lies where the unseen slopes over the remaining walls cut them (equal pitches, level eaves).
        const completed = envelopeMax([...sloped.map((f) => f.fit.plane), ...hip], wallRing);
        warnings.push(measureWarning('hip-completed', { walls: hip.length, aboveM: completed.z - top.z }));
        env = completed;
        roofType = 'hip';
        ridgeExtraSigma = Math.abs(env.z - top.z) / 2;
      }
    }
    ridgeNhn = env.z;
    ridgeAt = [env.at[0], env.at[1], env.z];
    // Eaves: each wall with a roof plane falling towards it.
    for (let j = 0; j < walls.length; j++) {
      const w = walls[j]!;
      const a = corners[j]!;
      const b = corners[(j + 1) % corners.length]!;
      let best: RoofFace | undefined;
      let bestNear = 0;
      for (const f of sloped) {
        const n = f.fit.plane.normal;
        const h = Math.hypot(n[0], n[1]);
        // Downslope direction in plan is (n_x, n_y) / h for an upward normal.
        if ((n[0] * w.nx + n[1] * w.ny) / h < Math.cos((35 * Math.PI) / 180)) continue;
        let near = 0;
        for (const i of f.inliers) {
          const d = (points.x[i]! - w.x0) * w.nx + (points.y[i]! - w.y0) * w.ny;
          if (d > -1.5 && d < 1.5) near++;
        }
        if (near > bestNear) {
          bestNear = near;
          best = f;
        }
      }
      if (!best || bestNear < 10) continue;
      // Note: a face whose fall line is square to the wall (within LEVEL_EAVE_DEG) has a level eave along it:
      // its Traufpunkt comes from the face refitted with that constraint. A face the street scanner sees only
      // in fragments (the far slope of a gable turned to the street) twists in a free plane fit, which tilted
      // its eave line by up to 40 cm and read it 3-13 cm high (seeds 7, 9, 27).
      const level = fallsSquareToWall(best.fit.plane, w) ? levelFaceAtWall(points, best.inliers, w) : undefined;
      const za = level ? level.z : planeHeightAt(best.fit.plane, a[0], a[1]);
      const zb = level ? level.z : planeHeightAt(best.fit.plane, b[0], b[1]);
      const mid: Point2 = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const tanPitch = level ? level.tanPitch : Math.tan((planePitchDeg(best.fit.plane) * Math.PI) / 180);
      // Note: beyond the fit statistics, a term for what they cannot see (wall plane bias from reveals and
      // mixed pixels, roof skin texture): 5 % of the roof point spacing per unit of (1 + tan pitch).
      const spacing = Math.sqrt(best.areaM2 / best.inliers.length);
      const sigma = Math.hypot(level ? level.sigmaM : planeSigmaAt(best.fit, mid), tanPitch * w.sigmaPosM, 0.05 * spacing * (1 + tanPitch));
      eaves.push({ nhn: (za + zb) / 2, minNhn: Math.min(za, zb), maxNhn: Math.max(za, zb), from: a, to: b, sigmaM: sigma });
      eaveSys.push({ vertical: passMix(passes, best.inliers), horizontal: passMixDifference(passMix(passes, w.inliers), passMix(passes, best.inliers), passes.labels.from), tanPitch });
      eaveLines.push([[a[0], a[1], za], [b[0], b[1], zb]]);
    }
    if (eaves.length === 0) warnings.push(measureWarning('no-eave'));
    const rf = sloped.filter((f) => Math.abs(planeHeightAt(f.fit.plane, env.at[0], env.at[1]) - env.z) < 0.02);
    sigmaRidge = Math.hypot(Math.max(...(rf.length ? rf : sloped).map((f) => planeSigmaAt(f.fit, env.at))), ridgeExtraSigma);
    ridgeMix = mergePassMix((rf.length ? rf : sloped).map((f) => ({ mix: passMix(passes, f.inliers), weight: 1 })), passes.labels.from);
    for (const f of sloped) {
      if (f.inliers.length < 200 || f.areaM2 < 0.25 * sloped[0]!.areaM2) {
        warnings.push(measureWarning('roof-plane-sparse', { azimuthDeg: planeAzimuthDeg(f.fit.plane), points: f.inliers.length, areaM2: f.areaM2 }));
      }
    }
  }

  // Highest inlier points: the cross-check of the ridge.
  let highestInlierNhn: number | null = null;
  {
    const zs: number[] = [];
    for (const f of sloped.length ? sloped : significant) for (const i of f.inliers) zs.push(points.z[i]!);
    if (zs.length) {
      const s = sortedCopy(zs);
      highestInlierNhn = percentileSorted(s, 99.5);
      if (roofType !== 'flat' && ridgeNhn - highestInlierNhn > 0.3 && opposingObserved(sloped)) {
        warnings.push(measureWarning('ridge-not-observed', { belowM: ridgeNhn - highestInlierNhn }));
      }
      if (roofType !== 'flat' && highestInlierNhn - ridgeNhn > 0.1) {
        warnings.push(measureWarning('roof-above-ridge', { aboveM: highestInlierNhn - ridgeNhn }));
      }
    }
  }

  // Superstructures: leftovers inside the walls standing above the roof surface.
  const superstructures = findSuperstructures(points, remaining, faces.filter((f) => !significant.includes(f)), roofPlanes, wallRing, roofType === 'flat' ? ridgeNhn : undefined);
  // Note: with no roof surface observed, a structure standing well above the assumed parapet may be the upper
  // part of an unseen pitched roof (its ridge or chimney); the ridge sigma then spans half its height, so the
  // stated uncertainty covers the flat-roof assumption instead of the parapet's few millimetres.
  if (roofUnobserved && superstructures.length > 0) {
    const rise = Math.max(...superstructures.map((x) => x.topNhn)) - ridgeNhn;
    if (rise > 1) {
      sigmaRidge = Math.max(sigmaRidge, rise / 2);
      warnings.push(measureWarning('flat-roof-structure', { riseM: rise }));
    }
  }
  for (const s of superstructures) {
    warnings.push(measureWarning('superstructure', { e: s.at[0], n: s.at[1], topNhn: s.topNhn, aboveM: s.heightAboveRoofM }));
  }

  const eaveNhn = roofType === 'flat' ? ridgeNhn : eaves.length ? Math.max(...eaves.map((e) => e.nhn)) : NaN;
  const sigmaEave = eaves.length ? Math.max(...eaves.map((e) => e.sigmaM)) : 0.05;

  // 6. Reference.
  const reference = computeReference(points, options.reference ?? { kind: 'mean-terrain' }, {
    terrainMin,
    terrainMax,
    footHeights,
    walls,
    corners,
    cells: terrain.cells,
  }, warnings);

  const pointsUsed =
    significant.reduce((s, f) => s + f.inliers.length, 0) + wallInlier.size + terrain.points;
  const spacings = significant.map((f) => Math.sqrt(f.areaM2 / f.inliers.length));
  const pointSpacingM = spacings.length ? median(spacings) : Math.sqrt(polygonArea(ring) / sel.length);
  // Uncertainty (module comment, step 6).
  const sp = passes.accuracy.sigmaPassM;
  const sh = horizontalPassSigma(points, walls, passes) ?? passes.accuracy.sigmaPassM;
  const from = passes.labels.from;
  // An eave line's pass systematic: the roof plane's vertical offset by its shares, and the wall's horizontal
  // offset against the roof's (tan pitch per metre; it cancels where wall and roof come from the same passes).
  const eaveSysNhn = eaveSys.map((e) => combineSigmas(systematicSigma(sp, e.vertical), e.tanPitch * sh * weightNorm(e.horizontal)));
  const eaveSysRel = eaveSys.map((e) =>
    combineSigmas(differenceSystematicSigma(sp, e.vertical, reference.mix, from), e.tanPitch * sh * weightNorm(e.horizontal)),
  );
  for (let k = 0; k < eaves.length; k++) eaves[k] = { ...eaves[k]!, sigmaM: combineSigmas(eaves[k]!.sigmaM, eaveSysNhn[k]) };
  const ridgeSysNhn = systematicSigma(sp, ridgeMix);
  const ridgeSysRel = differenceSystematicSigma(sp, ridgeMix, reference.mix, from);
  const systematicNhnM = Math.max(ridgeSysNhn, ...eaveSysNhn);
  const systematicRelativeM = Math.max(ridgeSysRel, ...eaveSysRel);
  const fitM = Math.max(sigmaRidge, sigmaEave);
  const driveNhnM = Math.max(combineSigmas(sigmaRidge, ridgeSysNhn), ...eaves.map((e) => e.sigmaM), eaves.length ? 0 : combineSigmas(sigmaEave, ridgeSysNhn));
  const uncertainty: BuildingUncertainty = {
    relativeAccuracy: passes.accuracy,
    horizontalPassSigmaM: sh,
    fitM,
    referenceFitM: reference.sigma,
    systematicNhnM,
    systematicRelativeM,
    driveNhnM,
    accuracyM,
  };
  const sigmaNhnM = combineSigmas(driveNhnM, accuracyM);
  const sigmaM = reference.kind === 'nhn' ? sigmaNhnM : combineSigmas(fitM, reference.sigma, systematicRelativeM);

  return {
    schemaVersion: 1,
    roofType,
    ridgeNhn,
    eaveNhn,
    eaves,
    planes: significant.map((f) => ({
      pitchDeg: planePitchDeg(f.fit.plane),
      azimuthDeg: planeAzimuthDeg(f.fit.plane),
      areaM2: f.areaM2,
      rmsM: f.fit.rmsM,
    })),
    reference: { kind: reference.kind, nhn: reference.nhn, at: reference.at },
    ridgeHeightM: ridgeNhn - reference.nhn,
    eaveHeightM: eaveNhn - reference.nhn,
    sigmaM,
    sigmaNhnM,
    uncertainty,
    pointsUsed,
    pointSpacingM,
    warnings: warningTexts(warnings),
    warningDetails: warnings,
    detail: {
      walls: walls.map((w, j) => ({
        from: corners[j]!,
        to: corners[(j + 1) % corners.length]!,
        fitted: w.fitted,
        points: w.points,
        rmsM: w.rmsM,
      })),
      roofPlanes,
      ridgeAt,
      eaveLines,
      terrain: { minNhn: terrainMin, maxNhn: terrainMax, cells: terrain.cells.length, fromClasses: terrain.fromClasses },
      superstructures,
      highestInlierNhn,
    },
  };
}

interface TerrainCell {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

function findTerrain(
  points: MeasurePoints,
  sel: number[],
  inside: Uint8Array,
  ring: Ring2,
  useClasses: boolean,
): { cells: TerrainCell[]; points: number; fromClasses: boolean } {
  // Note: points within 0.25 m outside the footprint are mostly facade (walls stand on the footprint line,
  // give or take a few centimetres); their lowest dense level is not terrain where the ground is occluded.
  const outside = sel.filter((i, k) => !inside[k] && distanceToRing(ring, points.x[i]!, points.y[i]!) >= 0.25);
  const cls = points.classification;
  let source = outside;
  let fromClasses = false;
  if (useClasses && cls) {
    const g = outside.filter((i) => cls[i] === 2 || cls[i] === 11);
    if (g.length >= 30) {
      // Plausible: ground class points form a low, thin layer (not roofs or whole walls labelled ground).
      const s = sortedCopy(g.map((i) => points.z[i]!));
      if (percentileSorted(s, 95) - percentileSorted(s, 5) < 3) {
        source = g;
        fromClasses = true;
      }
    }
  }
  const cell = 0.5;
  const [x0, y0] = ringBounds(ring);
  const byCell = new Map<number, number[]>();
  for (const i of source) {
    const cx = Math.floor((points.x[i]! - x0) / cell) + 1000;
    const cy = Math.floor((points.y[i]! - y0) / cell) + 1000;
    const key = cx * 100000 + cy;
    let list = byCell.get(key);
    if (!list) byCell.set(key, (list = []));
    list.push(i);
  }
  const raw: (TerrainCell & { n: number })[] = [];
  for (const list of byCell.values()) {
    if (list.length < 3) continue;
    const zs = sortedCopy(list.map((i) => points.z[i]!));
    const win = lowestDenseWindow(zs, 0.05, Math.max(3, Math.min(8, Math.ceil(list.length * 0.1))));
    if (!win) continue;
    let sx = 0;
    let sy = 0;
    const lo = zs[win[0]]!;
    const hi = zs[win[1] - 1]!;
    let n = 0;
    for (const i of list) {
      const z = points.z[i]!;
      if (z >= lo && z <= hi) {
        sx += points.x[i]!;
        sy += points.y[i]!;
        n++;
      }
    }
    raw.push({ x: sx / n, y: sy / n, z: percentileSorted(zs.subarray(win[0], win[1]), 50), n });
  }
  // Cells standing on objects (cars, bins, hedges, fences, a neighbour's garage): more than 0.3 m above the
  // lower envelope of all cells around the building, which may rise by 5 % with distance (sloped sites).
  const cells: TerrainCell[] = [];
  let count = 0;
  for (const c of raw) {
    let low = Infinity;
    for (const o of raw) low = Math.min(low, o.z + 0.05 * Math.hypot(o.x - c.x, o.y - c.y));
    if (c.z <= low + 0.3) {
      cells.push(c);
      count += c.n;
    }
  }
  return { cells, points: count, fromClasses };
}

/** Largest terrain slope across a wall the wall-foot fit accepts, as a fraction. */
const TERRAIN_MAX_CROSS_SLOPE = 0.05;
/** Fewer terrain cells than this in front of a wall give no plane, only their median. */
const TERRAIN_MIN_CELLS = 4;

function terrainAtWall(cells: TerrainCell[], w: Wall, a: Point2, b: Point2): { feet: [Point2, number][]; cells: number } {
  // Cells outside this wall within 1.2 m of it and along its extent.
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const mine: { s: number; t: number; z: number }[] = [];
  for (const c of cells) {
    const s = (c.x - a[0]) * w.tx + (c.y - a[1]) * w.ty;
    const t = (c.x - a[0]) * w.nx + (c.y - a[1]) * w.ny;
    if (t > 0.05 && t < 1.2 && s > -0.5 && s < len + 0.5) mine.push({ s, t, z: c.z });
  }
  if (mine.length === 0) return { feet: [], cells: 0 };
  if (mine.length < TERRAIN_MIN_CELLS) {
    const z = median(mine.map((m) => m.z));
    return { feet: [[a, z], [b, z]], cells: mine.length };
  }
  // Least squares z = c0 + c1 s + c2 t (terrain plane), evaluated at the wall foot (t = 0). Note: cells on
  // entrance steps, light-well rims or a pit are not terrain, and without classes nothing marks them; they cover
  // a few metres of a wall at most, so they are trimmed off as residuals of the fit (below).
  const fit = (list: { s: number; t: number; z: number }[]): ((s: number, t: number) => number) => {
    const n = list.length;
    let ms = 0;
    let mt = 0;
    let mz = 0;
    for (const m of list) {
      ms += m.s / n;
      mt += m.t / n;
      mz += m.z / n;
    }
    let sss = 0;
    let sst = 0;
    let stt = 0;
    let ssz = 0;
    let stz = 0;
    for (const m of list) {
      const ds = m.s - ms;
      const dt = m.t - mt;
      const dz = m.z - mz;
      sss += ds * ds;
      sst += ds * dt;
      stt += dt * dt;
      ssz += ds * dz;
      stz += dt * dz;
    }
    const det = sss * stt - sst * sst;
    let c1 = 0;
    let c2 = 0;
    if (det > 1e-9 && stt > 0.01 * n * 0.01) {
      c1 = (ssz * stt - stz * sst) / det;
      c2 = (stz * sss - ssz * sst) / det;
    } else if (sss > 0) {
      c1 = ssz / sss;
    }
    // Note: the cells lie 0.05-1.2 m from the wall, mostly near its middle, so the slope across the wall is
    // poorly determined; steps or a light-well rim near the wall can tilt it steeply and the value at the wall
    // foot follows. Terrain beside a building rarely slopes more than TERRAIN_MAX_CROSS_SLOPE across it.
    if (Math.abs(c2) > TERRAIN_MAX_CROSS_SLOPE) {
      c2 = Math.sign(c2) * TERRAIN_MAX_CROSS_SLOPE;
      c1 = sss > 0 ? (ssz - c2 * sst) / sss : 0;
    }
    return (s, t) => mz + c1 * (s - ms) + c2 * (t - mt);
  };
  let plane = fit(mine);
  if (mine.length >= 8) {
    // Objects stand on the terrain: they pull the first fit up and sit above it. Cells more than 2.5 rms
    // (at least 1.5 cm) above the fit are dropped and the plane fitted again until none is.
    let kept = mine;
    for (let round = 0; round < 8; round++) {
      const rms = Math.sqrt(kept.reduce((sum, m) => sum + (m.z - plane(m.s, m.t)) ** 2, 0) / kept.length);
      const below = kept.filter((m) => m.z - plane(m.s, m.t) <= Math.max(0.015, 2.5 * rms));
      if (below.length === kept.length || below.length < TERRAIN_MIN_CELLS) break;
      kept = below;
      plane = fit(kept);
    }
    // Then the cells within 3 rms either side of that plane (a pit or a stray low cell goes too).
    const rms = Math.sqrt(kept.reduce((sum, m) => sum + (m.z - plane(m.s, m.t)) ** 2, 0) / kept.length);
    const near = mine.filter((m) => Math.abs(m.z - plane(m.s, m.t)) <= Math.max(0.015, 3 * rms));
    if (near.length >= TERRAIN_MIN_CELLS) plane = fit(near);
  }
  return { feet: [[a, plane(0, 0)], [b, plane(len, 0)]], cells: mine.length };
}

function fitWall(points: MeasurePoints, sel: number[], ring: Ring2, j: number, terrainLow: number, random: () => number): Wall {
  const a = ring[j]!;
  const b = ring[(j + 1) % ring.length]!;
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const tx = (b[0] - a[0]) / len;
  const ty = (b[1] - a[1]) / len;
  // Counter-clockwise ring: outward normal is (ty, -tx).
  const nx = ty;
  const ny = -tx;
  const fallback = (count: number): Wall => ({
    x0: a[0], y0: a[1], tx, ty, nx, ny, fitted: false, points: count, rmsM: NaN, sigmaPosM: 0.1, inliers: [],
  });
  // Note: the columns are read once here; `points.x[i]` inside the loops was a property load per point on an
  // object whose shape varies between callers (a query result, a test's arrays).
  const X = points.x;
  const Y = points.y;
  const Z = points.z;
  const cand: number[] = [];
  for (const i of sel) {
    const dx = X[i]! - a[0];
    const dy = Y[i]! - a[1];
    const s = dx * tx + dy * ty;
    const t = dx * nx + dy * ny;
    if (s < 0.25 || s > len - 0.25 || Math.abs(t) > WALL_BAND_M) continue;
    if (Z[i]! < terrainLow + 0.3) continue;
    cand.push(i);
  }
  if (cand.length < 30) return fallback(cand.length);
  // RANSAC on plan positions: a vertical plane = a 2D line, nearly parallel to the footprint edge.
  let bestScore = -1;
  let best: { px: number; py: number; dx: number; dy: number } | undefined;
  const thr = 0.03;
  const scoreSet = cand.length > 1500 ? Array.from({ length: 1500 }, () => cand[Math.floor(random() * cand.length)]!) : cand;
  for (let it = 0; it < 100; it++) {
    const p = cand[Math.floor(random() * cand.length)]!;
    const q = cand[Math.floor(random() * cand.length)]!;
    let dx = X[q]! - X[p]!;
    let dy = Y[q]! - Y[p]!;
    const l = Math.hypot(dx, dy);
    if (l < 0.5) continue;
    dx /= l;
    dy /= l;
    if (Math.abs(dx * tx + dy * ty) < Math.cos((15 * Math.PI) / 180)) continue;
    let score = 0;
    for (const i of scoreSet) {
      const r = -(X[i]! - X[p]!) * dy + (Y[i]! - Y[p]!) * dx;
      if (Math.abs(r) <= thr) score++;
    }
    if (score > bestScore) {
      bestScore = score;
      best = { px: X[p]!, py: Y[p]!, dx, dy };
    }
  }
  if (!best) return fallback(cand.length);
  let line: LineFit2 = { x0: best.px, y0: best.py, dx: best.dx, dy: best.dy, rms: 0, count: 0 };
  let inl: number[] = [];
  for (let r = 0; r < 3; r++) {
    inl = cand.filter((i) => Math.abs(-(X[i]! - line.x0) * line.dy + (Y[i]! - line.y0) * line.dx) <= thr);
    if (inl.length < 30) return fallback(inl.length);
    const f = fitLine2(inl.map((i) => X[i]!), inl.map((i) => Y[i]!));
    if (!f) return fallback(inl.length);
    line = f;
  }
  // A facade needs vertical extent: at least 1 m between its low and high inliers.
  const zs = sortedCopy(inl.map((i) => Z[i]!));
  if (percentileSorted(zs, 95) - percentileSorted(zs, 5) < 1) return fallback(inl.length);
  let dx = line.dx;
  let dy = line.dy;
  if (dx * tx + dy * ty < 0) {
    dx = -dx;
    dy = -dy;
  }
  return {
    x0: line.x0,
    y0: line.y0,
    tx: dx,
    ty: dy,
    nx: dy,
    ny: -dx,
    fitted: true,
    points: inl.length,
    rmsM: line.rms,
    sigmaPosM: Math.max(0.002, line.rms / Math.sqrt(inl.length)),
    inliers: inl,
  };
}

/** Smallest plan-projected area of a roof face steeper than 60° (a mansard's lower face is several m²), m². */
const STEEP_FACE_MIN_AREA_M2 = 5;

/** Reweighting rounds of the level face fit. */
const LEVEL_FIT_ROUNDS = 4;

/** Largest angle between a roof face's fall line and a wall's normal for which its eave is taken as level. */
const LEVEL_EAVE_DEG = 6;

/** True when the face falls square to the wall (its downslope direction within LEVEL_EAVE_DEG of the wall normal). */
function fallsSquareToWall(plane: Plane, w: Wall): boolean {
  const n = plane.normal;
  const h = Math.hypot(n[0], n[1]);
  return h > 0 && (n[0] * w.nx + n[1] * w.ny) / h >= Math.cos((LEVEL_EAVE_DEG * Math.PI) / 180);
}

/**
 * A roof face refitted as z = c + g·d, d the plan distance from the wall line along its outward normal (a face
 * whose eave runs level along the wall), least squares on the face's inliers: the Traufpunkt height at d = 0,
 * its standard error, and tan pitch = |g|.
 */
function levelFaceAtWall(points: MeasurePoints, inliers: readonly number[], w: Wall): { z: number; sigmaM: number; tanPitch: number } {
  const n = inliers.length;
  const d = new Float64Array(n);
  const z = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = inliers[k]!;
    d[k] = (points.x[i]! - w.x0) * w.nx + (points.y[i]! - w.y0) * w.ny;
    z[k] = points.z[i]!;
  }
  const weight = new Float64Array(n).fill(1);
  let c = 0;
  let g = 0;
  let sigmaM = 0;
  for (let round = 0; round < LEVEL_FIT_ROUNDS; round++) {
    let sw = 0;
    let md = 0;
    let mz = 0;
    for (let k = 0; k < n; k++) {
      sw += weight[k]!;
      md += weight[k]! * d[k]!;
      mz += weight[k]! * z[k]!;
    }
    md /= sw;
    mz /= sw;
    let sdd = 0;
    let sdz = 0;
    for (let k = 0; k < n; k++) {
      sdd += weight[k]! * (d[k]! - md) ** 2;
      sdz += weight[k]! * (d[k]! - md) * (z[k]! - mz);
    }
    g = sdd > 0 ? sdz / sdd : 0;
    c = mz - g * md;
    const res = new Float64Array(n);
    for (let k = 0; k < n; k++) res[k] = Math.abs(z[k]! - c - g * d[k]!);
    // Note: Tukey's biweight at 4.685 robust sigmas (MAD), so points of another surface caught in the face's
    // RANSAC band (a dormer cheek, a gutter, mixed pixels) stop pulling the level face.
    const scale = Math.max(0.003, 1.4826 * percentileSorted(res.slice().sort(), 50));
    let ss = 0;
    let used = 0;
    for (let k = 0; k < n; k++) {
      const u = res[k]! / (4.685 * scale);
      weight[k] = u < 1 ? (1 - u * u) ** 2 : 0;
      if (u < 1) {
        ss += res[k]! ** 2;
        used++;
      }
    }
    const rmsM = Math.sqrt(ss / Math.max(1, used - 2));
    sigmaM = rmsM * Math.sqrt(1 / Math.max(1, used) + (sdd > 0 ? (md * md * sw) / (sdd * Math.max(1, used)) : 0));
  }
  return { z: c, sigmaM, tanPitch: Math.abs(g) };
}

/** Corners re-intersected from consecutive fitted wall lines (the footprint vertex where they are parallel). */
function wallCorners(walls: Wall[], ring: Ring2): Point2[] {
  const out: Point2[] = [];
  const n = walls.length;
  for (let j = 0; j < n; j++) {
    const p = walls[(j + n - 1) % n]!;
    const q = walls[j]!;
    const det = p.tx * q.ty - p.ty * q.tx;
    if (Math.abs(det) < 0.1) {
      out.push(ring[j]!);
      continue;
    }
    // p0 + s·tp = q0 + u·tq, solved on coordinates relative to p0.
    const rx = q.x0 - p.x0;
    const ry = q.y0 - p.y0;
    const s = (rx * q.ty - ry * q.tx) / det;
    const c: Point2 = [p.x0 + s * p.tx, p.y0 + s * p.ty];
    // Guard against a wildly wrong wall: keep the footprint vertex when the corner moves more than 1.5 m.
    out.push(Math.hypot(c[0] - ring[j]![0], c[1] - ring[j]![1]) > 1.5 ? ring[j]! : c);
  }
  return out;
}

/** Largest 8-connected patch (0.25 m plan cells) of the given points. */
function largestPatch(points: MeasurePoints, idx: number[]): number[] {
  if (idx.length === 0) return idx;
  const grid = buildGridIndex2(points, PATCH_CELL_M, idx);
  const { nx, ny, cellStart, order } = grid;
  const label = new Int32Array(nx * ny).fill(-1);
  let bestLabel = -1;
  let bestCount = 0;
  let next = 0;
  const stack: number[] = [];
  for (let c = 0; c < nx * ny; c++) {
    if (label[c] !== -1 || cellStart[c + 1] === cellStart[c]) continue;
    let count = 0;
    label[c] = next;
    stack.push(c);
    while (stack.length) {
      const cc = stack.pop()!;
      count += cellStart[cc + 1]! - cellStart[cc]!;
      const cx = cc % nx;
      const cy = (cc - cx) / nx;
      for (let oy = -1; oy <= 1; oy++) {
        for (let ox = -1; ox <= 1; ox++) {
          const x = cx + ox;
          const y = cy + oy;
          if (x < 0 || y < 0 || x >= nx || y >= ny) continue;
          const k = y * nx + x;
          if (label[k] !== -1 || cellStart[k + 1] === cellStart[k]) continue;
          label[k] = next;
          stack.push(k);
        }
      }
    }
    if (count > bestCount) {
      bestCount = count;
      bestLabel = next;
    }
    next++;
  }
  const out: number[] = [];
  for (let c = 0; c < nx * ny; c++) {
    if (label[c] !== bestLabel) continue;
    for (let k = cellStart[c]!; k < cellStart[c + 1]!; k++) out.push(order[k]!);
  }
  return out;
}

/** Plan area of the occupied 0.25 m cells, m². */
function occupiedArea(points: MeasurePoints, idx: number[]): number {
  const cells = new Set<number>();
  for (const i of idx) {
    cells.add(Math.floor(points.x[i]! / CELL_M) * 1e7 + Math.floor(points.y[i]! / CELL_M));
  }
  return cells.size * CELL_M * CELL_M;
}

/**
 * Maximum over the polygon of the lower envelope min_i plane_i(x, y), exactly: the maximum of a concave
 * piecewise-linear function over a polygon lies at a polygon vertex, where a crease (two planes equal) crosses
 * an edge, or where three planes meet.
 */
function envelopeMax(planes: Plane[], poly: Ring2): { z: number; at: Point2 } {
  const ox = poly[0]![0];
  const oy = poly[0]![1];
  // Plane as z = c + gx·(x - ox) + gy·(y - oy).
  const lin = planes.map((p) => {
    const gx = -p.normal[0] / p.normal[2];
    const gy = -p.normal[1] / p.normal[2];
    return { c: planeHeightAt(p, ox, oy), gx, gy };
  });
  const env = (x: number, y: number): number => Math.min(...lin.map((l) => l.c + l.gx * x + l.gy * y));
  const cands: [number, number][] = poly.map((p) => [p[0] - ox, p[1] - oy]);
  const n = poly.length;
  for (let i = 0; i < lin.length; i++) {
    for (let j = i + 1; j < lin.length; j++) {
      // Crease: (ci - cj) + (gxi - gxj) x + (gyi - gyj) y = 0.
      const A = lin[i]!.gx - lin[j]!.gx;
      const B = lin[i]!.gy - lin[j]!.gy;
      const C = lin[i]!.c - lin[j]!.c;
      for (let e = 0; e < n; e++) {
        const p = cands[e]!;
        const q = cands[(e + 1) % n]!;
        const fp = C + A * p[0] + B * p[1];
        const fq = C + A * q[0] + B * q[1];
        if (fp === fq || fp * fq > 0) continue;
        const t = fp / (fp - fq);
        cands.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
      for (let k = j + 1; k < lin.length; k++) {
        const A2 = lin[i]!.gx - lin[k]!.gx;
        const B2 = lin[i]!.gy - lin[k]!.gy;
        const C2 = lin[i]!.c - lin[k]!.c;
        const det = A * B2 - B * A2;
        if (Math.abs(det) < 1e-9) continue;
        const x = (-C * B2 + B * C2) / det;
        const y = (-A * C2 + C * A2) / det;
        if (pointInRing(poly, x + ox, y + oy)) cands.push([x, y]);
      }
    }
  }
  let best = -Infinity;
  let at: Point2 = [ox, oy];
  for (const [x, y] of cands) {
    const z = env(x, y);
    if (z > best + 1e-9) {
      best = z;
      at = [x + ox, y + oy];
    }
  }
  return { z: best, at };
}

function classifyRoof(points: MeasurePoints, sloped: RoofFace[], walls: Wall[], mirrored: Plane[]): RoofType {
  if (sloped.length === 1 && mirrored.length === 0) return 'shed';
  const az = [...sloped.map((f) => f.fit.plane), ...mirrored].map((p) => planeAzimuthDeg(p));
  const angle = (a: number, b: number): number => {
    const d = Math.abs(a - b) % 360;
    return d > 180 ? 360 - d : d;
  };
  // Convexity: over its own inliers every plane is the lowest of all planes (no valleys).
  const convex = sloped.every((f) => {
    const step = Math.max(1, Math.floor(f.inliers.length / 200));
    let ok = 0;
    let tested = 0;
    for (let k = 0; k < f.inliers.length; k += step) {
      const i = f.inliers[k]!;
      const x = points.x[i]!;
      const y = points.y[i]!;
      const zOwn = planeHeightAt(f.fit.plane, x, y);
      tested++;
      if (sloped.every((g) => g === f || planeHeightAt(g.fit.plane, x, y) >= zOwn - 0.05)) ok++;
    }
    return tested === 0 || ok / tested >= 0.9;
  });
  if (!convex) return 'other';
  if (az.length === 2) return angle(az[0]!, az[1]!) > 155 ? 'gable' : 'other';
  // Hip (and pyramid): every plane falls towards a wall, and each has an opposite.
  const towardsWall = az.every((a) => walls.some((w) => angle(a, (Math.atan2(w.nx, w.ny) * 180) / Math.PI) < 25));
  const hasOpposite = az.every((a) => az.some((b) => angle(a, b) > 155));
  return towardsWall && hasOpposite ? 'hip' : 'other';
}

/** Smallest angle between two azimuths, degrees. */
function angleDeg(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

/** A plane mirrored about the vertical plane through `centre` perpendicular to its downslope direction. */
function mirrorPlane(p: Plane, centre: Point2): Plane {
  const n = p.normal;
  const h = Math.hypot(n[0], n[1]);
  const dx = n[0] / h;
  const dy = n[1] / h;
  const off = (p.point[0] - centre[0]) * dx + (p.point[1] - centre[1]) * dy;
  const nd = n[0] * dx + n[1] * dy;
  return {
    normal: [n[0] - 2 * nd * dx, n[1] - 2 * nd * dy, n[2]],
    point: [p.point[0] - 2 * off * dx, p.point[1] - 2 * off * dy, p.point[2]],
  };
}

/**
 * Hip completion for a roof whose opposing faces were observed but not their intersection (the ridge lies more
 * than 0.3 m above the highest visible roof points): walls without a roof face falling towards them that show
 * no gable (a fitted wall rising more than 1 m above the eave) get a roof plane with the observed faces' mean
 * pitch through their eave line at the observed faces' mean Traufpunkt height. Returns undefined when the
 * data show a gable or nothing is missing.
 */
function completeHip(points: MeasurePoints, planes: Plane[], walls: Wall[], corners: Point2[], ridgeZ: number, visibleTopZ: number): Plane[] | undefined {
  if (ridgeZ - visibleTopZ <= 0.3) return undefined;
  const falls = (p: Plane, w: Wall): boolean => {
    const n = p.normal;
    return (n[0] * w.nx + n[1] * w.ny) / Math.hypot(n[0], n[1]) >= Math.cos((35 * Math.PI) / 180);
  };
  const eaveZs: number[] = [];
  const missing: number[] = [];
  for (let j = 0; j < walls.length; j++) {
    const w = walls[j]!;
    const a = corners[j]!;
    const b = corners[(j + 1) % corners.length]!;
    const f = planes.find((g) => falls(g, w));
    if (f) eaveZs.push(planeHeightAt(f, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2));
    else if (Math.hypot(b[0] - a[0], b[1] - a[1]) > 1) missing.push(j);
  }
  if (missing.length === 0 || eaveZs.length === 0) return undefined;
  const eaveZ = eaveZs.reduce((x, y) => x + y, 0) / eaveZs.length;
  for (const j of missing) {
    const w = walls[j]!;
    if (!w.fitted) continue;
    let top = -Infinity;
    for (const i of w.inliers) top = Math.max(top, points.z[i]!);
    if (top > eaveZ + 1.0) return undefined;
  }
  const tanP = planes.reduce((acc, f) => acc + Math.tan((planePitchDeg(f) * Math.PI) / 180), 0) / planes.length;
  return missing.map((j) => {
    const w = walls[j]!;
    const a = corners[j]!;
    const b = corners[(j + 1) % corners.length]!;
    const len = Math.hypot(1, tanP);
    return {
      normal: [(tanP * w.nx) / len, (tanP * w.ny) / len, 1 / len] as const,
      point: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, eaveZ] as const,
    } as Plane;
  });
}

/** Whether two observed roof slopes face opposite ways (then the ridge is their intersection). */
function opposingObserved(sloped: RoofFace[]): boolean {
  const az = sloped.map((f) => planeAzimuthDeg(f.fit.plane));
  return az.some((a) => az.some((b) => {
    const d = Math.abs(a - b) % 360;
    return (d > 180 ? 360 - d : d) > 155;
  }));
}

/**
 * Upper edge of a roof face: the plane's height at the second-highest inlier in the upslope direction (the
 * highest may be a stray point), with its plan position. Note: a chimney standing on the ridge leaves inliers
 * of its faces where the extended plane passes through it, beyond the ridge; inliers with points of `others`
 * (roof points outside every face) more than 0.2 m above the plane within 0.3 m in plan stand on such a
 * structure and are skipped, as are inliers without neighbours at their level (noise, mixed pixels).
 */
function upperEdge(points: MeasurePoints, f: RoofFace, others: readonly number[] = []): { z: number; at: Point2 } {
  const n = f.fit.plane.normal;
  const h = Math.hypot(n[0], n[1]);
  const ux = -n[0] / h;
  const uy = -n[1] / h;
  const c = f.fit.plane.point;
  const above: number[] = [];
  for (const k of others) {
    if (points.z[k]! - planeHeightAt(f.fit.plane, points.x[k]!, points.y[k]!) > 0.2) above.push(k);
  }
  const order = f.inliers
    .map((i) => ({ i, sv: (points.x[i]! - c[0]) * ux + (points.y[i]! - c[1]) * uy }))
    .sort((a, b) => b.sv - a.sv);
  const onStructure = (i: number): boolean => {
    const x = points.x[i]!;
    const y = points.y[i]!;
    return above.some((k) => (points.x[k]! - x) ** 2 + (points.y[k]! - y) ** 2 < 0.09);
  };
  // Noise and mixed pixels (a return between an edge and the background) can fall within the plane threshold
  // beyond the ridge, a few together: an upper-edge point needs two other inliers at its upslope level (within
  // 5 cm) within 0.5 m along the edge.
  const isolated = (k: number): boolean => {
    const { i, sv } = order[k]!;
    const x = points.x[i]!;
    const y = points.y[i]!;
    let nb = 0;
    for (let m = 0; m < order.length && order[m]!.sv >= sv - 0.05; m++) {
      const o = order[m]!;
      if (m !== k && Math.abs(o.sv - sv) <= 0.05 && (points.x[o.i]! - x) ** 2 + (points.y[o.i]! - y) ** 2 < 0.25 && ++nb >= 2) return false;
    }
    return true;
  };
  const kept: number[] = [];
  for (let k = 0; k < order.length && kept.length < 2; k++) {
    if (k >= 200 || (!onStructure(order[k]!.i) && !isolated(k))) kept.push(order[k]!.i);
  }
  const i = kept[kept.length - 1] ?? f.inliers[0]!;
  const at: Point2 = [points.x[i]!, points.y[i]!];
  return { z: planeHeightAt(f.fit.plane, at[0], at[1]), at };
}

/**
 * Gable or hip from the side walls when only one slope is visible: gable walls rise to the ridge, hip side
 * walls stop at the eave.
 */
function sideWallsRoofType(points: MeasurePoints, walls: Wall[], ux: number, uy: number, ridgeZ: number): RoofType {
  let seen = false;
  for (const w of walls) {
    if (!w.fitted || Math.abs(w.nx * ux + w.ny * uy) > 0.3) continue;
    seen = true;
    let top = -Infinity;
    for (const i of w.inliers) top = Math.max(top, points.z[i]!);
    if (top > ridgeZ - 1.0) return 'gable';
  }
  return seen ? 'hip' : 'gable';
}

/**
 * Top of a facade (parapet top of a flat roof as seen from the street): per 0.5 m cell along the wall the
 * second-highest wall-plane inlier, then the upper quartile over the cells (occluded cells read low).
 */
function facadeTop(
  points: MeasurePoints,
  w: Wall,
  a: Point2,
  b: Point2,
  floor: number,
): { z: number; min: number; max: number; sigma: number; consistent: boolean } | undefined {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const nCells = Math.max(1, Math.floor(len / 0.5));
  const top1 = new Float64Array(nCells).fill(-Infinity);
  for (const i of w.inliers) {
    const z = points.z[i]!;
    if (z < floor) continue;
    const s = (points.x[i]! - a[0]) * w.tx + (points.y[i]! - a[1]) * w.ty;
    const c = Math.min(nCells - 1, Math.max(0, Math.floor((s / len) * nCells)));
    if (z > top1[c]!) top1[c] = z;
  }
  // Note: the highest inlier per cell, not a lower quantile: facade points thin out towards the top edge, so
  // every lower statistic reads centimetres low; inliers lie within 3 cm of the wall plane, so a stray point
  // cannot sit far above the edge.
  const tops = Array.from(top1).filter((v) => Number.isFinite(v));
  if (tops.length < 3) return undefined;
  const st = sortedCopy(tops);
  const z = percentileSorted(st, 90);
  const p50 = percentileSorted(st, 50);
  const upper = tops.filter((t) => t >= p50);
  const mad = percentileSorted(sortedCopy(upper.map((t) => Math.abs(t - z))), 50) * 1.4826;
  return {
    z,
    min: p50,
    max: st[st.length - 1]!,
    sigma: Math.max(0.005, mad / Math.sqrt(upper.length)),
    // A facade whose top edge reads the same along most of its length; otherwise something else (a roof
    // structure, a neighbour) shares the plane or most of the top was not seen.
    consistent: z - p50 < 0.1,
  };
}

function parapetTop(
  points: MeasurePoints,
  sel: number[],
  w: Wall,
  a: Point2,
  b: Point2,
  floor: number,
): { z: number; min: number; max: number; sigma: number; consistent: boolean } | undefined {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const nCells = Math.max(1, Math.floor(len / 0.5));
  const cells: number[][] = Array.from({ length: nCells }, () => []);
  for (const i of sel) {
    const dx = points.x[i]! - a[0];
    const dy = points.y[i]! - a[1];
    const s = dx * w.tx + dy * w.ty;
    const t = dx * w.nx + dy * w.ny;
    // From just outside the facade to 0.6 m inside (coping and the parapet's inner face).
    if (s < 0.3 || s > len - 0.3 || t > 0.1 || t < -0.6) continue;
    if (points.z[i]! < floor) continue;
    cells[Math.min(nCells - 1, Math.floor((s / len) * nCells))]!.push(points.z[i]!);
  }
  const tops: number[] = [];
  for (const c of cells) {
    if (c.length < 5) continue;
    const s = sortedCopy(c);
    const win = highestDenseWindow(s, 0.03, Math.max(3, Math.min(8, Math.ceil(c.length * 0.05))));
    if (!win) continue;
    tops.push(percentileSorted(s.subarray(win[0], win[1]), 50));
  }
  if (tops.length === 0) return undefined;
  const st = sortedCopy(tops);
  const z = percentileSorted(st, 50);
  const mad = percentileSorted(sortedCopy(tops.map((t) => Math.abs(t - z))), 50) * 1.4826;
  return { z, min: st[0]!, max: st[st.length - 1]!, sigma: Math.max(0.003, mad / Math.sqrt(tops.length)) + 0.005, consistent: true };
}

function findSuperstructures(
  points: MeasurePoints,
  remaining: number[],
  smallFaces: RoofFace[],
  roofPlanes: Plane[],
  wallRing: Ring2,
  flatTop: number | undefined,
): Superstructure[] {
  const cand: number[] = [];
  const roofZ = (x: number, y: number): number =>
    roofPlanes.length ? Math.min(...roofPlanes.map((p) => planeHeightAt(p, x, y))) : (flatTop ?? -Infinity);
  const pool = [...remaining];
  for (const f of smallFaces) pool.push(...f.inliers);
  for (const i of pool) {
    const x = points.x[i]!;
    const y = points.y[i]!;
    if (!pointInRing(wallRing, x, y)) continue;
    // The parapet of a flat roof is not a superstructure.
    if (flatTop !== undefined && distanceToRing(wallRing, x, y) < 0.6) continue;
    if (points.z[i]! > roofZ(x, y) + 0.25) cand.push(i);
  }
  if (cand.length < 10) return [];
  const out: Superstructure[] = [];
  let left = cand;
  for (let k = 0; k < 8 && left.length >= 10; k++) {
    const patch = largestPatch(points, left);
    if (patch.length < 10) break;
    const set = new Set(patch);
    left = left.filter((i) => !set.has(i));
    let sx = 0;
    let sy = 0;
    const zs: number[] = [];
    let above = 0;
    for (const i of patch) {
      sx += points.x[i]!;
      sy += points.y[i]!;
      zs.push(points.z[i]!);
      above = Math.max(above, points.z[i]! - roofZ(points.x[i]!, points.y[i]!));
    }
    const top = percentileSorted(sortedCopy(zs), 98);
    out.push({ at: [sx / patch.length, sy / patch.length], topNhn: top, heightAboveRoofM: above, points: patch.length });
  }
  return out;
}

function computeReference(
  points: MeasurePoints,
  ref: BuildingReference,
  ctx: {
    terrainMin: number;
    terrainMax: number;
    footHeights: { at: Point2; z: number; wall: number }[];
    walls: Wall[];
    corners: Point2[];
    cells: TerrainCell[];
  },
  warnings: MeasureWarning[],
): ReferenceReport & { sigma: number; mix: PassWeight[] } {
  const { corners, walls } = ctx;
  const centroid: Point2 = [
    corners.reduce((s, c) => s + c[0], 0) / corners.length,
    corners.reduce((s, c) => s + c[1], 0) / corners.length,
  ];
  const terrainSigma = 0.01;
  switch (ref.kind) {
    case 'nhn':
      return { kind: 'nhn', nhn: ref.nhn, at: null, sigma: 0, mix: [] };
    case 'point': {
      const s = spotHeight(points, ref.at, 0.2);
      warnings.push(...inContext(s.warningDetails, 'reference-point'));
      return { kind: 'point', nhn: s.nhn, at: ref.at, sigma: s.sigmaFitM, mix: [...s.passMix] };
    }
    case 'mean-terrain': {
      // Note: the terrain's pass shares are not tracked through the cells; an empty mix takes the conservative
      // bound in differenceSystematicSigma.
      if (!Number.isFinite(ctx.terrainMin)) return { kind: 'mean-terrain', nhn: NaN, at: centroid, sigma: 0, mix: [] };
      return { kind: 'mean-terrain', nhn: (ctx.terrainMin + ctx.terrainMax) / 2, at: centroid, sigma: terrainSigma, mix: [] };
    }
    case 'street-facade':
    case 'facade-terrain': {
      // The street-facing wall. Candidates are the walls whose outward side holds the street point, by the
      // distance of their line from it. Note: geometry alone cannot tell the front from a side wall when the
      // street point lies diagonally off a corner (the option asks for any point on the street), so the data
      // decide: the street-facing wall is the one with a kerb in front of it.
      const candidates: { j: number; t: number; m: Point2 }[] = [];
      for (let j = 0; j < walls.length; j++) {
        const a = corners[j]!;
        const b = corners[(j + 1) % corners.length]!;
        const m: Point2 = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
        const w = walls[j]!;
        const t = (ref.street[0] - m[0]) * w.nx + (ref.street[1] - m[1]) * w.ny;
        if (t > 0) candidates.push({ j, t, m });
      }
      candidates.sort((p, q) => p.t - q.t);
      if (candidates.length === 0) {
        warnings.push(measureWarning('reference-no-facing-wall'));
        return { ...computeReference(points, { kind: 'mean-terrain' }, ctx, warnings), kind: ref.kind };
      }
      const fronts = candidates.map((c) => ({ ...c, front: streetInFront(points, walls[c.j]!, c.m, c.t) }));
      // Without a kerb in front of any (a parked car on it, a gap in the scan): the wall the scanner saw best.
      // Note: a mobile-mapping vehicle drives along the street, so the street-facing wall is seen head-on and
      // holds the most facade points; side walls are seen obliquely or hidden by the neighbours.
      const chosen = fronts.find((c) => c.front.kerb) ?? [...fronts].sort((p, q) => walls[q.j]!.points - walls[p.j]!.points || p.t - q.t)[0]!;
      const { j: bestJ, m } = chosen;
      if (ref.kind === 'facade-terrain') {
        const feet = ctx.footHeights.filter((f) => f.wall === bestJ);
        if (feet.length === 2) {
          return { kind: ref.kind, nhn: (feet[0]!.z + feet[1]!.z) / 2, at: m, sigma: terrainSigma, mix: [] };
        }
        warnings.push(measureWarning('reference-no-facade-terrain'));
        return { ...computeReference(points, { kind: 'mean-terrain' }, ctx, warnings), kind: ref.kind };
      }
      const front = chosen.front;
      warnings.push(...front.warnings);
      if (front.surface) return { kind: ref.kind, ...front.surface };
      for (const p of [front.at, ref.street]) {
        try {
          const s = spotHeight(points, p, 0.25);
          warnings.push(...inContext(s.warningDetails, 'street-reference'));
          return { kind: ref.kind, nhn: s.nhn, at: p, sigma: s.sigmaFitM, mix: [...s.passMix] };
        } catch {
          // no points there: try the next candidate
        }
      }
      warnings.push(measureWarning('reference-no-street-points'));
      return { ...computeReference(points, { kind: 'mean-terrain' }, ctx, warnings), kind: ref.kind };
    }
  }
}

/** Half the width the section gives a kerb face, metres: the ground piece before a kerb ends this far before it. */
const FACE_GAP_M = 0.05;

/**
 * The traffic area in front of a wall: a section from 0.3 m in front of the wall middle `m` out to the street
 * point's distance `t` finds the kerb and the footpath; the surface is the footpath at its building-side edge
 * (the property line), or the surface 0.3 m behind the kerb when no footpath edge is seen. Without a kerb,
 * `surface` is undefined and `at` is the foot of the street point on the wall's normal.
 */
function streetInFront(
  points: MeasurePoints,
  w: Wall,
  m: Point2,
  t: number,
): { kerb: boolean; at: Point2; surface?: { nhn: number; at: Point2; sigma: number; mix: PassWeight[] }; warnings: MeasureWarning[] } {
  const at: Point2 = [m[0] + w.nx * t, m[1] + w.ny * t];
  const from: Point2 = [m[0] + w.nx * 0.3, m[1] + w.ny * 0.3];
  const warnings: MeasureWarning[] = [];
  if (!(t > 1)) return { kerb: false, at, warnings };
  try {
    const sec = cutSection(points, { from, to: at }, 0.25);
    const kerb = [...sec.kerbs].reverse().find((k) => k.side === 'from');
    if (!kerb) return { kerb: false, at, warnings: inContext([measureWarning('reference-no-kerb')], 'street-reference') };
    // The footpath's building-side edge: the section's footpath when it found one (it needs a carriageway
    // between two kerbs, and this cut usually ends at the street point, before the far kerb), else the start of
    // the straight piece of the simplified ground line that ends at the kerb.
    const piece = sec.segments.filter((g) => g.kind !== 'kerb' && Math.abs(g.toDistM - (kerb.distM - FACE_GAP_M)) <= 0.1 && g.widthM >= 0.8).pop();
    const edge = sec.footpaths.find((f) => f.side === 'from')?.fromDistM ?? piece?.fromDistM;
    const foot = edge !== undefined;
    const along = (d: number): Point2 => [from[0] + (w.nx * d * (t - 0.3)) / sec.lengthM, from[1] + (w.ny * d * (t - 0.3)) / sec.lengthM];
    const d = edge !== undefined ? Math.min(edge + 0.15, kerb.distM - 0.1) : kerb.distM - 0.3;
    const p = along(d);
    const s = spotHeight(points, p, 0.15, { nearNhn: kerb.topNhn, searchM: 0.5 });
    warnings.push(...inContext(s.warningDetails, 'street-reference'));
    if (!foot) warnings.push(...inContext([measureWarning('reference-no-footpath-edge')], 'street-reference'));
    return { kerb: true, at, surface: { nhn: s.nhn, at: p, sigma: s.sigmaFitM, mix: [...s.passMix] }, warnings };
  } catch {
    return { kerb: false, at, warnings: inContext([measureWarning('reference-no-section')], 'street-reference') };
  }
}

/**
 * 1-sigma horizontal offset of one pass across the walls, metres, or undefined when no wall was seen by two
 * passes: per fitted wall, each pass's median signed distance of its inliers from the wall line (at least 20
 * inliers per pass), the offset between two passes d, and s_h = sqrt(mean(d²) / 2) (as the vertical term,
 * core/measure/uncertainty.ts).
 */
function horizontalPassSigma(points: MeasurePoints, walls: readonly Wall[], passes: PassContext): number | undefined {
  const d2: number[] = [];
  for (const w of walls) {
    if (!w.fitted) continue;
    const byPass = new Map<number, number[]>();
    for (const i of w.inliers) {
      const p = passes.passOf.get(i);
      if (p === undefined) continue;
      let list = byPass.get(p);
      if (!list) byPass.set(p, (list = []));
      list.push((points.x[i]! - w.x0) * w.nx + (points.y[i]! - w.y0) * w.ny);
    }
    const meds = [...byPass.values()].filter((l) => l.length >= 20).map((l) => median(l));
    for (let a = 0; a < meds.length; a++) for (let b = a + 1; b < meds.length; b++) d2.push((meds[a]! - meds[b]!) ** 2);
  }
  if (d2.length === 0) return undefined;
  return Math.sqrt(d2.reduce((s, v) => s + v, 0) / d2.length / 2);
}

/** Pass shares a - b (matched by key), as weights that sum to 0. */
function passMixDifference(a: readonly PassWeight[], b: readonly PassWeight[], from: PassLabels['from']): PassWeight[] {
  const negated = b.map((w) => ({ key: w.key, weight: -w.weight }));
  return mergePassMix([{ mix: a, weight: 1 }, { mix: negated, weight: 1 }], from).map((w) => ({ key: w.key, weight: 2 * w.weight }));
}

/** sqrt(sum w²) of pass weights. */
function weightNorm(mix: readonly PassWeight[]): number {
  return Math.sqrt(mix.reduce((s, w) => s + w.weight * w.weight, 0));
}
