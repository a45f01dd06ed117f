/**
 * Spot height: the surface height at a plan position, for light-well rims, thresholds and kerb tops.
 *
 * Method: the heights of the points within the radius are split into layers wherever two consecutive heights
 * are more than {@link LAYER_GAP_M} apart (a roof overhang, a gable verge, a canopy or a balcony above a rim or
 * a threshold is a separate layer metres higher). The surface is the lowest layer with support: a 5 cm height
 * band holding at least 3 points (so isolated low-noise points, which scatter in height, are skipped). When the
 * lowest layer lacks support - an unresolved surface under an overhang, or noise - the radius grows (x1.5 up to
 * x3) before the lowest supported layer is taken. The band seeds a local plane, fitted by least squares on the
 * layer's points shifted to their centroid and re-fitted on the points within 2.5 sigma; the plane is evaluated
 * at the spot. Not the lowest point, not the densest layer, not a mean over everything; anything standing on
 * the surface (people, vehicles, vegetation) lies above it.
 *
 * Unclassified data (no class 7 for mixed pixels, no class 6 for walls) needs two more guards, since a rim
 * under an overhang holds only a few points: a band counts only when at least two of its points, its lowest
 * included, have a neighbour at about their height (mixed pixels scatter alone), and before the fit, points on
 * a vertical face (another point straight above or below) and points beyond max(1.5 cm, 3 MAD sigma) of the
 * band's median height are dropped.
 *
 * Uncertainty (core/measure/uncertainty.ts): the fit's standard error, the systematic error of the scanner
 * passes the surface points came from (estimated by comparing the passes on common level cells within
 * PASS_NEIGHBOURHOOD_M of the spot, a-priori where they cannot be compared) and, when given, the dataset's
 * stated absolute accuracy, combined as a root sum of squares. So the points of a disc of
 * {@link spotQueryRadiusM} should be passed, not only the fit disc.
 *
 * @example
 * const s = spotHeight(points, [291450.2, 5744310.8], 0.1, { accuracyM: 0.03 });
 * // s.nhn (m NHN), s.sigmaM (absolute), s.sigmaDriveM (within the drive), s.pointsUsed, s.warnings
 */
import { fitPlane, planeDistance, planeHeightAt } from '../geometry/plane.ts';
import type { Point2 } from '../geometry/point3.ts';
import { isMeasurable, NOISE_CLASSES, type MeasurePoints } from './measure-points.ts';
import { lowestDenseWindow, madSigma, median } from './stats.ts';
import {
  checkAccuracy,
  combineSigmas,
  differenceSystematicSigma,
  estimateRelativeAccuracy,
  PASS_NEIGHBOURHOOD_M,
  passMix,
  planeHatWeights,
  planeSigmaAt,
  systematicSigma,
  type PassWeight,
  type RelativeAccuracy,
} from './uncertainty.ts';
import type { PassLabels } from './passes.ts';
import { measureWarning, warningTexts, type MeasureWarning } from './warnings.ts';

/** Height gap that separates two surface layers at one spot (an overhang above a rim), metres. */
export const LAYER_GAP_M = 0.3;
/** The radius grows by this factor per step, up to {@link SPOT_MAX_WIDEN} times the asked radius. */
const WIDEN_STEP = 1.5;
/** Largest radius spotHeight reads, as a multiple of the asked radius (queries around a spot must cover it). */
export const SPOT_MAX_WIDEN = 3;
/** Height band of a supported surface level, metres (noise 1 cm, slopes of a few % over the disc). */
const SURFACE_BAND_M = 0.05;
/** Points a surface level needs within its band. */
const MIN_SUPPORT = 3;
/** Plan distance within which a surface point has a neighbour at about its height, metres. */
const ISOLATED_PLAN_M = 0.1;
/** Height difference within which such a plan neighbour lies on the same surface, metres. */
const ISOLATED_DZ_M = 0.015;
/** Plan distance within which two points of one layer at different heights mark a vertical face, metres. */
const VERTICAL_PLAN_M = 0.03;
/** Height difference above which two points that close in plan lie on a vertical face, metres. */
const VERTICAL_DZ_M = 0.03;

function planDist2(points: MeasurePoints, i: number, j: number): number {
  const dx = points.x[i]! - points.x[j]!;
  const dy = points.y[i]! - points.y[j]!;
  return dx * dx + dy * dy;
}

/** Options for {@link spotHeight}. */
export interface SpotHeightOptions {
  /** Fewer surface points than this yields a sparse warning (default 6). */
  readonly minPoints?: number;
  /** Classes never used (default 7 and 18, noise). */
  readonly excludeClasses?: readonly number[];
  /** Only these point indices are considered (default all). */
  readonly indices?: ArrayLike<number>;
  /**
   * Approximate height of the surface, m NHN (e.g. the picked 3D point, or the footpath level for a light
   * well): only points within searchM of it are used.
   */
  readonly nearNhn?: number;
  /** Half height of the search window around nearNhn, metres (default 1.0). */
  readonly searchM?: number;
  /**
   * The dataset's stated absolute height accuracy, 1 sigma, metres (e.g. 0.03): added to sigmaM, the
   * uncertainty of nhn as an absolute height. Default: not stated (sigmaM is then the within-drive uncertainty).
   */
  readonly accuracyM?: number;
  /** Relative accuracy of one pass where the passes cannot be compared, metres (default 0.005). */
  readonly relativeAccuracyM?: number;
}

/** Result of {@link spotHeight}. */
export interface SpotHeight {
  /** Surface height at the spot, m NHN. */
  readonly nhn: number;
  /**
   * Standard uncertainty of nhn as an absolute height, metres: fit ⊕ pass systematic ⊕ accuracyM (when stated).
   * Without accuracyM it equals sigmaDriveM.
   */
  readonly sigmaM: number;
  /** Standard uncertainty of nhn within the drive (against other heights of the same drive), metres: fit ⊕ pass systematic. */
  readonly sigmaDriveM: number;
  /** Standard error of the fit alone (residuals and number of points), metres. */
  readonly sigmaFitM: number;
  /** The stated absolute accuracy used, metres; undefined when none was given. */
  readonly accuracyM: number | undefined;
  /** The passes' relative accuracy around the spot and where it came from (compared passes or a-priori). */
  readonly relativeAccuracy: RelativeAccuracy;
  /**
   * Shares of the passes in nhn: the sums of each pass's weights in the plane's value at the spot (they may
   * exceed 1 where the plane is extrapolated), or each pass's share of the points for a median.
   */
  readonly passMix: readonly PassWeight[];
  /** How passes were told apart (for matching passMix keys of two results). */
  readonly passesFrom: PassLabels['from'];
  /** Surface points used in the final fit. */
  readonly pointsUsed: number;
  /** Mean spacing of the surface points, metres. */
  readonly pointSpacingM: number;
  /** Plan radius the surface points were taken from, metres (larger than asked on sparse data). */
  readonly radiusM: number;
  /** English warning texts (the CLI's JSON). */
  readonly warnings: string[];
  /** The same warnings with stable codes and parameters (for translated UIs). */
  readonly warningDetails: readonly MeasureWarning[];
}

/** A candidate point: index and squared plan distance to the spot. */
interface Candidate {
  readonly i: number;
  readonly d2: number;
  readonly z: number;
}

/** Layers of candidates sorted by height, split at gaps > LAYER_GAP_M; lowest first. */
function splitLayers(cands: readonly Candidate[]): Candidate[][] {
  const sorted = [...cands].sort((a, b) => a.z - b.z);
  const layers: Candidate[][] = [];
  let cur: Candidate[] = [];
  for (const c of sorted) {
    if (cur.length && c.z - cur[cur.length - 1]!.z > LAYER_GAP_M) {
      layers.push(cur);
      cur = [];
    }
    cur.push(c);
  }
  if (cur.length) layers.push(cur);
  return layers;
}

/**
 * True for each point of the layer that has another layer point within ISOLATED_PLAN_M in plan and
 * ISOLATED_DZ_M in height: a surface point has neighbours along its scan line and the next, while mixed
 * pixels (between an edge and the background; class 7 when classified) scatter alone.
 */
function connectedFlags(points: MeasurePoints, layer: readonly Candidate[]): boolean[] {
  return layer.map((c, a) => {
    for (let b = a - 1; b >= 0 && c.z - layer[b]!.z <= ISOLATED_DZ_M; b--) {
      if (planDist2(points, c.i, layer[b]!.i) <= ISOLATED_PLAN_M ** 2) return true;
    }
    for (let b = a + 1; b < layer.length && layer[b]!.z - c.z <= ISOLATED_DZ_M; b++) {
      if (planDist2(points, c.i, layer[b]!.i) <= ISOLATED_PLAN_M ** 2) return true;
    }
    return false;
  });
}

/**
 * The candidates with another candidate straight above or below them (within VERTICAL_PLAN_M in plan, more
 * than VERTICAL_DZ_M apart in height): points on a vertical face such as a wall beside a rim. The candidates
 * are swept in order of easting, so each is compared only with its VERTICAL_PLAN_M strip.
 */
function verticalFaceCandidates(points: MeasurePoints, cands: readonly Candidate[]): Set<Candidate> {
  const byX = [...cands].sort((a, b) => points.x[a.i]! - points.x[b.i]!);
  const out = new Set<Candidate>();
  for (let a = 0; a < byX.length; a++) {
    const c = byX[a]!;
    const x = points.x[c.i]!;
    for (let b = a + 1; b < byX.length && points.x[byX[b]!.i]! - x <= VERTICAL_PLAN_M; b++) {
      const o = byX[b]!;
      if (Math.abs(o.z - c.z) > VERTICAL_DZ_M && planDist2(points, o.i, c.i) <= VERTICAL_PLAN_M ** 2) {
        out.add(c);
        out.add(o);
      }
    }
  }
  return out;
}

/**
 * Lowest supported height band [lo, hi] of a layer (sorted by z), or undefined. A window whose points are
 * all isolated but one (mixed pixels that happen to fall within one band) is passed over for the next
 * supported window with at least two connected points; when no window has them, the lowest window counts.
 */
function supportedBand(points: MeasurePoints, layer: readonly Candidate[], minSupport: number): [number, number] | undefined {
  const zs = Float64Array.from(layer, (c) => c.z);
  const k = layer.length >= 20 ? Math.max(minSupport, Math.min(5, Math.ceil(layer.length * 0.15))) : minSupport;
  const win = lowestDenseWindow(zs, SURFACE_BAND_M, k);
  if (!win) return undefined;
  const connected = connectedFlags(points, layer);
  for (let start = win[0]; start < layer.length; start++) {
    let end = start;
    let linked = 0;
    while (end < layer.length && zs[end]! <= zs[start]! + SURFACE_BAND_M) {
      if (connected[end]) linked++;
      end++;
    }
    if (end - start >= k && linked >= 2 && connected[start]) return [zs[start]! - 0.01, zs[start]! + SURFACE_BAND_M];
  }
  return [zs[win[0]]! - 0.01, zs[win[0]]! + SURFACE_BAND_M];
}

/**
 * True when the layer holding band, within the disc, looks like a level surface: planar within 3 cm and
 * flatter than 20 degrees (a rim, threshold, kerb or wall top; a roof soffit seen from below is neither).
 */
function plausibleLevel(points: MeasurePoints, disc: readonly Candidate[], band: readonly [number, number]): boolean {
  const layer = splitLayers(disc).find((l) => l.some((c) => c.z >= band[0] && c.z <= band[1]));
  if (!layer) return false;
  const zs = layer.map((c) => c.z);
  const range = Math.max(...zs) - Math.min(...zs);
  if (layer.length < 4) return range <= 0.15;
  const fit = fitPlane(
    points,
    layer.map((c) => c.i),
  );
  if (!(fit.spread[1] > 1e-6)) return range <= 0.15;
  return Math.abs(fit.plane.normal[2]) >= Math.cos((20 * Math.PI) / 180) && fit.rmsM <= 0.03;
}

/**
 * The surface band nearest to the spot among cands: points are taken in order of plan distance until some
 * SURFACE_BAND_M height window holds the wanted support (each entry of supports is tried in turn, highest
 * first); returns [lo, hi] or undefined.
 */
function nearestBand(cands: readonly Candidate[], supports: readonly number[]): [number, number] | undefined {
  const byDist = [...cands].sort((a, b) => a.d2 - b.d2);
  for (const k of supports) {
    const zs: number[] = [];
    for (const c of byDist) {
      zs.push(c.z);
      const sorted = Float64Array.from(zs).sort();
      const win = lowestDenseWindow(sorted, SURFACE_BAND_M, k);
      if (win) return [sorted[win[0]]! - 0.01, sorted[win[0]]! + SURFACE_BAND_M];
    }
  }
  return undefined;
}

/**
 * Surface height at `at` = [E, N] from the points within radiusM (plan distance), see module comment. Throws
 * `Invalid spot` when no point lies within SPOT_MAX_WIDEN x radiusM.
 */
export function spotHeight(points: MeasurePoints, at: Point2, radiusM = 0.1, options: SpotHeightOptions = {}): SpotHeight {
  if (!(radiusM > 0)) throw new Error(`Invalid spot radius (core/measure/spot-height.ts): ${radiusM}`);
  const accuracyM = options.accuracyM === undefined ? undefined : checkAccuracy(options.accuracyM);
  const exclude = options.excludeClasses ?? NOISE_CLASSES;
  const nearZ = options.nearNhn ?? 0;
  const searchM = options.nearNhn === undefined ? Infinity : (options.searchM ?? 1.0);
  const radii: number[] = [];
  for (let r = radiusM; ; r = Math.min(radiusM * SPOT_MAX_WIDEN, r * WIDEN_STEP)) {
    radii.push(r);
    if (r >= radiusM * SPOT_MAX_WIDEN - 1e-9) break;
  }
  const maxR2 = radii[radii.length - 1]! ** 2;
  const cands: Candidate[] = [];
  // The pass comparison's neighbourhood: every measurable point within PASS_NEIGHBOURHOOD_M in plan.
  const neighbourhood: number[] = [];
  const nbR2 = Math.max(maxR2, PASS_NEIGHBOURHOOD_M ** 2);
  const scan = (i: number): void => {
    const dx = points.x[i]! - at[0];
    const dy = points.y[i]! - at[1];
    const d2 = dx * dx + dy * dy;
    if (d2 > nbR2 || !isMeasurable(points, i, exclude)) return;
    neighbourhood.push(i);
    const z = points.z[i]!;
    if (d2 <= maxR2 && Math.abs(z - nearZ) <= searchM) cands.push({ i, d2, z });
  };
  if (options.indices) for (let k = 0; k < options.indices.length; k++) scan(options.indices[k]!);
  else for (let i = 0; i < points.x.length; i++) scan(i);
  if (cands.length === 0) {
    throw new Error(
      `Invalid spot (core/measure/spot-height.ts): no points within ${(radiusM * SPOT_MAX_WIDEN).toFixed(3)} m of ${at[0]},${at[1]}`,
    );
  }
  const within = (r: number): Candidate[] => cands.filter((c) => c.d2 <= r * r);
  const warnings: MeasureWarning[] = [];
  // 1. The surface band: the lowest layer, if supported, at the smallest radius; else the radius grows.
  let band: [number, number] | undefined;
  let bandR = radii[radii.length - 1]!;
  let skippedBelow = 0;
  for (const r of radii) {
    const layers = splitLayers(within(r));
    if (layers.length === 0) continue;
    const last = r === radii[radii.length - 1];
    band = supportedBand(points, layers[0]!, MIN_SUPPORT);
    if (band) {
      bandR = r;
      break;
    }
    if (!last) continue;
    // Largest radius: skip unsupported low layers (isolated noise below the surface).
    for (let k = 1; k < layers.length && !band; k++) {
      band = supportedBand(points, layers[k]!, MIN_SUPPORT);
      if (band) skippedBelow = layers.slice(0, k).reduce((s, l) => s + l.length, 0);
    }
    // Nothing supported anywhere: the lowest pair within the band, else the lowest layer's lowest point.
    band ??= supportedBand(points, layers[0]!, 2) ?? [layers[0]![0]!.z - 0.01, layers[0]![0]!.z + SURFACE_BAND_M];
    bandR = r;
  }
  // 1b. An overhang above the spot: when the chosen level is no plausible surface to stand a level on (steep
  // like a roof soffit, or several levels stacked within a few centimetres of plan), points more than a layer
  // gap lower down within the largest radius are looked for, nearest to the spot first: a rim or threshold
  // under an eave or a verge that the scanner saw only beside the spot. A plausible level (a wall top beside
  // a lower footpath, a kerb top, a car roof) keeps its answer.
  const maxR = radii[radii.length - 1]!;
  if (bandR < maxR && !plausibleLevel(points, within(bandR), band!)) {
    const lower = nearestBand(
      within(maxR).filter((c) => c.z < band![0] - LAYER_GAP_M),
      [MIN_SUPPORT, 2],
    );
    if (lower) {
      band = lower;
      bandR = maxR;
      warnings.push(measureWarning('spot-layer-below-used'));
    }
  }
  const [lo, hi] = band!;
  // 2. The fit radius: the smallest one whose disc holds MIN_SUPPORT points of the band (noise below the
  // surface may have widened the search although the surface is well sampled at the asked radius).
  const inBand = (c: Candidate): boolean => c.z >= lo && c.z <= hi;
  let fitR = bandR;
  for (const r of radii) {
    if (r >= bandR) break;
    if (within(r).filter(inBand).length >= MIN_SUPPORT) {
      fitR = r;
      break;
    }
  }
  const near = within(fitR);
  // The layer that holds the band: the plane refit may grow into it, never across a layer gap.
  const layer = splitLayers(near).find((l) => l.some(inBand)) ?? near;
  // 3. Without classes, wall points (a wall face beside the rim) and mixed pixels (between an edge and the
  // background) fall into the band too: points with another layer point straight above or below them (within
  // VERTICAL_PLAN_M in plan, more than VERTICAL_DZ_M apart in height) lie on a vertical face and are dropped,
  // then points further than max(1.5 cm, 3 MAD sigma) from the band's median height.
  const vertical = verticalFaceCandidates(points, layer);
  const levelCands = layer.filter((c) => !vertical.has(c));
  let inBandLevel = near.filter((c) => inBand(c) && !vertical.has(c));
  if (inBandLevel.length >= MIN_SUPPORT) {
    const zs = inBandLevel.map((c) => c.z);
    const med = median(zs);
    const tolM = Math.max(0.015, 3 * madSigma(zs, med));
    inBandLevel = inBandLevel.filter((c) => Math.abs(c.z - med) <= tolM);
  }
  const levelIdx = inBandLevel.length >= MIN_SUPPORT ? levelCands.map((c) => c.i) : layer.map((c) => c.i);
  let used = inBandLevel.length >= MIN_SUPPORT ? inBandLevel.map((c) => c.i) : near.filter(inBand).map((c) => c.i);
  let nhn: number;
  let rms: number;
  let fitSigma: number | undefined;
  let hat: Float64Array | undefined;
  const spreadOk = (idx: number[]): boolean => {
    if (idx.length < 5) return false;
    const f = fitPlane(points, idx);
    // A plane needs horizontal extent in two directions; otherwise fall back to a median.
    return f.spread[1] > (fitR * 0.1) ** 2 && Math.abs(f.plane.normal[2]) > 0.5;
  };
  if (spreadOk(used)) {
    let fit = fitPlane(points, used);
    for (let it = 0; it < 3; it++) {
      const tol = Math.max(0.015, 2.5 * fit.rmsM);
      const next = levelIdx.filter((i) => Math.abs(planeDistance(fit.plane, points.x[i]!, points.y[i]!, points.z[i]!)) <= tol);
      if (next.length < 5) break;
      used = next;
      fit = fitPlane(points, used);
    }
    nhn = planeHeightAt(fit.plane, at[0], at[1]);
    rms = fit.rmsM / Math.abs(fit.plane.normal[2]);
    fitSigma = planeSigmaAt(fit, at);
    hat = planeHatWeights(points, used, at);
  } else {
    const z = used.map((i) => points.z[i]!);
    nhn = median(z);
    rms = Math.sqrt(z.reduce((s, v) => s + (v - nhn) ** 2, 0) / Math.max(1, z.length));
  }
  const n = used.length;
  // Note: the plane's standard error at the spot grows with the spot's distance from the points' centroid (an
  // occlusion edge leaves the points on one side, and the plane is extrapolated to the spot).
  // Note: widened beyond the asked radius, the search may hold several levels (a rim above the footpath around
  // it, a threshold above a landing) and the lowest supported one is taken; which one the user meant, sparse data
  // cannot tell. The gap to the nearest other level within the fit radius then enters the sigma as Δ/√2 (the
  // error is 0 or Δ, RMS Δ/√2): seed 9's L4 rim read 8.5 cm low from 5 points at a 24 cm spacing, sigma 6 mm.
  let levelAmbiguityM = 0;
  if (fitR > radiusM) {
    // The nearest other level: the median gap of the (up to) three points outside the band closest in height,
    // vertical-face points left out.
    const gaps = near
      .filter((c) => !inBand(c) && !vertical.has(c))
      .map((c) => Math.abs(c.z - nhn))
      .sort((a, b) => a - b)
      .slice(0, 3);
    if (gaps.length) levelAmbiguityM = median(gaps) / Math.SQRT2;
  }
  const sigmaFitM = combineSigmas(Math.max(0.001, fitSigma ?? (n > 3 ? rms / Math.sqrt(n - 3) : Math.max(rms, 0.01))), levelAmbiguityM);
  const context = estimateRelativeAccuracy(points, neighbourhood, options.relativeAccuracyM !== undefined ? { aprioriM: options.relativeAccuracyM } : {});
  const mix = passMix(context, used, hat);
  const sigmaDriveM = combineSigmas(sigmaFitM, systematicSigma(context.accuracy.sigmaPassM, mix));
  const sigmaM = combineSigmas(sigmaDriveM, accuracyM);
  const pointSpacingM = Math.sqrt((Math.PI * fitR * fitR) / n);
  const minPoints = options.minPoints ?? 6;
  if (n < minPoints) {
    warnings.push(measureWarning('spot-sparse', { points: n, radiusM: fitR, spacingM: pointSpacingM }));
  }
  if (n < MIN_SUPPORT) warnings.push(measureWarning('spot-unresolved', { points: n }));
  let sx = 0;
  let sy = 0;
  for (const c of near) {
    sx += points.x[c.i]! - at[0];
    sy += points.y[c.i]! - at[1];
  }
  const off = Math.hypot(sx, sy) / near.length;
  if (off > fitR * 0.5) {
    warnings.push(measureWarning('spot-occlusion-edge', { offsetM: off }));
  }
  if (rms > 0.02) warnings.push(measureWarning('spot-rough', { rmsM: rms }));
  if (skippedBelow > 0) warnings.push(measureWarning('spot-isolated-below', { points: skippedBelow }));
  const above = near.filter((c) => c.z > hi + LAYER_GAP_M).length;
  if (above > 0) warnings.push(measureWarning('spot-layer-above', { points: above }));
  if (fitR > radiusM) warnings.push(measureWarning('spot-widened', { fromM: radiusM, toM: fitR }));
  return {
    nhn,
    sigmaM,
    sigmaDriveM,
    sigmaFitM,
    accuracyM,
    relativeAccuracy: context.accuracy,
    passMix: mix,
    passesFrom: context.labels.from,
    pointsUsed: n,
    pointSpacingM,
    radiusM: fitR,
    warnings: warningTexts(warnings),
    warningDetails: warnings,
  };
}

/**
 * Plan radius of the points a caller should pass to {@link spotHeight} for a spot of radiusM, metres: the widest
 * radius it widens to and the pass comparison's neighbourhood.
 */
export function spotQueryRadiusM(radiusM: number): number {
  return Math.max(radiusM * SPOT_MAX_WIDEN, PASS_NEIGHBOURHOOD_M);
}

/**
 * Standard uncertainty of the difference a.nhn - b.nhn of two spots of the same drive, metres: both fits ⊕ the
 * systematic error of their pass shares' difference (it vanishes for spots seen by the same passes alike; the
 * larger of the two relative accuracies applies). The absolute accuracy cancels.
 */
export function spotDifferenceSigma(a: SpotHeight, b: SpotHeight): number {
  const sigmaPassM = Math.max(a.relativeAccuracy.sigmaPassM, b.relativeAccuracy.sigmaPassM);
  // Note: without pass ids or GPS time (or told apart differently) the passes of the two spots cannot be
  // matched; the conservative bound of differenceSystematicSigma applies.
  const matched = a.passesFrom === b.passesFrom && a.passesFrom !== 'none';
  return combineSigmas(a.sigmaFitM, b.sigmaFitM, differenceSystematicSigma(sigmaPassM, matched ? a.passMix : [], b.passMix, a.passesFrom));
}
