/**
 * Uncertainty model of heights measured in a mobile-mapping drive: three independent terms combined as a root
 * sum of squares.
 *
 * 1. Fit: the standard error of the value from its fit residuals and point count (computed by each tool).
 * 2. Relative (within-drive) systematic: every scanner pass carries its own trajectory error, rigid over a few
 *    metres and 1-2 cm between passes. It is estimated FROM THE DATA: on common, near-horizontal 0.5 m cells
 *    around the spot or building where two passes each have enough points, a plane with one height offset per
 *    pass is fitted; the median over cells of the offset between two passes is their disagreement d.
 *    Reasoning: nothing tells which pass is right, so each pass's height error is taken as an independent draw
 *    with the same standard deviation s_p; then d = e1 - e2 has variance 2 s_p², and one observed d estimates
 *    s_p = |d| / sqrt(2) (with P passes: the sample deviation of their offsets). A value formed from points of
 *    the passes in shares w_p (sum 1) carries sum(w_p e_p), whose 1-sigma is s_p·sqrt(sum w_p²): |d|/sqrt(2)
 *    for a value seen by one pass, |d|/2 for one seen equally by two. A height difference of two values A and B
 *    from the same drive carries sum((wA_p - wB_p) e_p): it vanishes when both were seen by the same passes in
 *    the same shares and is s_p·sqrt(2) when seen by different single passes. Where the data cannot tell (one
 *    pass only, fewer than MIN_COMMON_CELLS common cells), s_p is an a-priori relative accuracy
 *    (DEFAULT_RELATIVE_ACCURACY_M, 5 mm: a typical within-drive consistency of mobile-mapping systems after
 *    trajectory adjustment), and the result says so.
 * 3. Absolute: the dataset's stated absolute height accuracy `accuracyM` (1 sigma, typically 2-5 cm for mobile
 *    mapping), given by the user. It applies to absolute NHN values and cancels for heights relative to a
 *    reference taken from the same drive. Note: a stated absolute accuracy usually includes the passes'
 *    scatter already, so adding both counts that part twice; with s_p of 5-10 mm against 20-50 mm this
 *    overstates the absolute sigma by at most a few millimetres, on the safe side.
 *
 * @example
 * const rel = estimateRelativeAccuracy(points, neighbourhood);
 * const w = passMix(rel, usedIndices);
 * const sigmaM = combineSigmas(fitSigmaM, systematicSigma(rel.accuracy.sigmaPassM, w));
 * const sigmaNhnM = combineSigmas(sigmaM, accuracyM);
 */
import type { PlaneFit } from '../geometry/plane.ts';
import type { Point2 } from '../geometry/point3.ts';
import type { MeasurePoints } from './measure-points.ts';
import { labelPasses, samePass, type PassLabels } from './passes.ts';
import { median } from './stats.ts';

/** A-priori relative (within-drive) height accuracy of one pass, 1 sigma, metres: used where the data cannot tell. */
export const DEFAULT_RELATIVE_ACCURACY_M = 0.005;
/** Plan radius around a spot in which the passes are compared, metres. */
export const PASS_NEIGHBOURHOOD_M = 3;
/** Plan size of a comparison cell, metres. */
const CELL_M = 0.5;
/** Points each of two passes needs on a cell's surface. */
const MIN_POINTS_PER_PASS = 5;
/** Common cells needed before the data decide. */
const MIN_COMMON_CELLS = 3;
/** Height band of a cell's surface, metres (a 10 % slope over 0.5 m, plus noise). */
const CELL_BAND_M = 0.07;
/** Share of a cell's points its surface band must hold (else a kerb, a wall foot or an object shares it). */
const CELL_MIN_SHARE = 0.7;
/** Steepest cell surface compared (10 %): a 2 cm horizontal offset between passes then shifts it by 2 mm at most. */
const CELL_MAX_SLOPE = 0.1;
/** Largest residual rms of a cell's surface, metres. */
const CELL_MAX_RMS_M = 0.012;

/** The relative (within-drive) accuracy that applies around a measurement. */
export interface RelativeAccuracy {
  /** 1-sigma height error of one pass against the drive, metres (s_p in the module comment). */
  readonly sigmaPassM: number;
  /** 'passes' when estimated from overlapping passes, 'a-priori' when the data could not tell. */
  readonly source: 'passes' | 'a-priori';
  /** Passes among the neighbourhood's points. */
  readonly passes: number;
  /** Common near-horizontal cells the passes were compared on. */
  readonly cells: number;
  /** Largest height offset between two compared passes, metres; null when not compared. */
  readonly offsetM: number | null;
}

/** The share of a value's points from one pass. */
export interface PassWeight {
  /** The pass (PassLabels.key: a vendor pass id or the pass's mean GPS time). */
  readonly key: number;
  readonly weight: number;
}

/** Result of {@link estimateRelativeAccuracy}: the accuracy and the pass of each neighbourhood point. */
export interface PassContext {
  readonly accuracy: RelativeAccuracy;
  readonly labels: PassLabels;
  /** Pass id (index into labels.key) by point index; undefined outside the neighbourhood. */
  readonly passOf: PassLookup;
}

/** Pass ids by point index. */
export interface PassLookup {
  get(index: number): number | undefined;
}

/**
 * Pass ids of the neighbourhood's points by point index: a typed table over the index range the neighbourhood
 * spans (a building's or a spot's points are a dense run of a query's rows), else a Map. Note: a Map of a
 * building's 100 000 indices cost more than the pass comparison itself.
 */
function passLookup(neighbourhood: ArrayLike<number>, ids: ArrayLike<number>): PassLookup {
  const n = neighbourhood.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < n; k++) {
    lo = Math.min(lo, neighbourhood[k]!);
    hi = Math.max(hi, neighbourhood[k]!);
  }
  if (n === 0) return { get: () => undefined };
  if (hi - lo + 1 <= 8 * n) {
    const table = new Int32Array(hi - lo + 1).fill(-1);
    for (let k = 0; k < n; k++) table[neighbourhood[k]! - lo] = ids[k]!;
    return {
      get: (index) => {
        const id = index >= lo && index <= hi ? table[index - lo]! : -1;
        return id >= 0 ? id : undefined;
      },
    };
  }
  const map = new Map<number, number>();
  for (let k = 0; k < n; k++) map.set(neighbourhood[k]!, ids[k]!);
  return map;
}

/** Options of {@link estimateRelativeAccuracy}. */
export interface RelativeAccuracyOptions {
  /** s_p where the data cannot tell, metres (default DEFAULT_RELATIVE_ACCURACY_M). */
  readonly aprioriM?: number;
}

interface Cell {
  /** Height offset of each qualified pass at the cell centre, by pass id. */
  readonly level: Map<number, number>;
}

/**
 * One cell: the densest CELL_BAND_M height band (it must hold most of the cell's points), then z = a_pass +
 * b·x + c·y by least squares on per-pass centred coordinates (so each pass keeps its own height), trimmed once
 * at max(1 cm, 3 rms). Returns each qualified pass's a at the cell centre, or undefined when the cell is not one
 * near-horizontal surface seen by two passes.
 */
function fitCell(points: MeasurePoints, idx: readonly number[], pass: readonly number[]): Cell | undefined {
  const n = idx.length;
  // The densest CELL_BAND_M window of heights (heights sorted as numbers; most cells of a building fail here).
  const zs = new Float64Array(n);
  for (let k = 0; k < n; k++) zs[k] = points.z[idx[k]!]!;
  const sorted = zs.slice().sort();
  let best = 0;
  let bandLo = 0;
  for (let s = 0, e = 0; s < n; s++) {
    while (e < n && sorted[e]! - sorted[s]! <= CELL_BAND_M) e++;
    if (e - s > best) {
      best = e - s;
      bandLo = sorted[s]!;
    }
  }
  if (best < CELL_MIN_SHARE * n) return undefined;
  let members: number[] = [];
  for (let k = 0; k < n; k++) if (zs[k]! >= bandLo && zs[k]! - bandLo <= CELL_BAND_M) members.push(k);
  const x0 = points.x[idx[0]!]!;
  const y0 = points.y[idx[0]!]!;
  for (let round = 0; round < 2; round++) {
    const byPass = new Map<number, number[]>();
    for (const k of members) {
      let list = byPass.get(pass[k]!);
      if (!list) byPass.set(pass[k]!, (list = []));
      list.push(k);
    }
    const qualified = [...byPass].filter(([, list]) => list.length >= MIN_POINTS_PER_PASS);
    if (qualified.length < 2) return undefined;
    // Per-pass means (plan relative to the cell's first point: precision at UTM magnitudes).
    const means = new Map<number, [number, number, number]>();
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    let sxz = 0;
    let syz = 0;
    let used = 0;
    for (const [p, list] of qualified) {
      let mx = 0;
      let my = 0;
      let mz = 0;
      for (const k of list) {
        mx += points.x[idx[k]!]! - x0;
        my += points.y[idx[k]!]! - y0;
        mz += points.z[idx[k]!]!;
      }
      mx /= list.length;
      my /= list.length;
      mz /= list.length;
      means.set(p, [mx, my, mz]);
      for (const k of list) {
        const dx = points.x[idx[k]!]! - x0 - mx;
        const dy = points.y[idx[k]!]! - y0 - my;
        const dz = points.z[idx[k]!]! - mz;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
        sxz += dx * dz;
        syz += dy * dz;
      }
      used += list.length;
    }
    const det = sxx * syy - sxy * sxy;
    if (!(det > 1e-12)) return undefined;
    const b = (sxz * syy - syz * sxy) / det;
    const c = (syz * sxx - sxz * sxy) / det;
    if (Math.hypot(b, c) > CELL_MAX_SLOPE) return undefined;
    let ss = 0;
    const resid = new Map<number, number>();
    for (const [p, list] of qualified) {
      const [mx, my, mz] = means.get(p)!;
      for (const k of list) {
        const r = points.z[idx[k]!]! - mz - b * (points.x[idx[k]!]! - x0 - mx) - c * (points.y[idx[k]!]! - y0 - my);
        resid.set(k, r);
        ss += r * r;
      }
    }
    const rms = Math.sqrt(ss / Math.max(1, used - qualified.length - 2));
    const tol = Math.max(0.01, 3 * rms);
    const kept = [...resid].filter(([, r]) => Math.abs(r) <= tol).map(([k]) => k);
    if (round === 0 && kept.length < resid.size) {
      members = kept;
      continue;
    }
    if (rms > CELL_MAX_RMS_M) return undefined;
    // Each pass's height at a common plan position (the cell's first point): a_p = mz - b·mx - c·my.
    const level = new Map<number, number>();
    for (const [p] of qualified) {
      const [mx, my, mz] = means.get(p)!;
      level.set(p, mz - b * mx - c * my);
    }
    return { level };
  }
  return undefined;
}

/**
 * The relative accuracy around a measurement from the points at `neighbourhood` (indices; a few metres around
 * the spot, or the building's footprint and buffer): the passes are told apart (labelPasses), compared on
 * common near-horizontal cells, and their height offsets give s_p (see the module comment); with one pass or
 * too few common cells, s_p is the a-priori value.
 */
export function estimateRelativeAccuracy(
  points: MeasurePoints,
  neighbourhood: ArrayLike<number>,
  options: RelativeAccuracyOptions = {},
): PassContext {
  const aprioriM = options.aprioriM ?? DEFAULT_RELATIVE_ACCURACY_M;
  if (!(aprioriM >= 0)) throw new Error(`Invalid relative accuracy (core/measure/uncertainty.ts): ${aprioriM}`);
  const labels = labelPasses(points, neighbourhood);
  const passOf = passLookup(neighbourhood, labels.id);
  const apriori = (cells: number): PassContext => ({
    accuracy: { sigmaPassM: aprioriM, source: 'a-priori', passes: labels.count, cells, offsetM: null },
    labels,
    passOf,
  });
  if (labels.count < 2) return apriori(0);
  // Cells of CELL_M over the neighbourhood's plan bounds. Note: points are grouped by a counting sort on their
  // cell (a dense table where the bounds allow, else ids from a Map), and a cell is fitted only when two passes
  // have enough points in it: a building's 100 000 points in string-keyed Map cells, each sorted, cost 80 ms.
  const n = neighbourhood.length;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = neighbourhood[k]!;
    minX = Math.min(minX, points.x[i]!);
    maxX = Math.max(maxX, points.x[i]!);
    minY = Math.min(minY, points.y[i]!);
    maxY = Math.max(maxY, points.y[i]!);
  }
  // Cell edges at whole multiples of CELL_M from the first point (plan precision at UTM magnitudes).
  const ox = points.x[neighbourhood[0]!]!;
  const oy = points.y[neighbourhood[0]!]!;
  const col = (x: number): number => Math.floor((x - ox) / CELL_M);
  const row = (y: number): number => Math.floor((y - oy) / CELL_M);
  const col0 = col(minX);
  const row0 = row(minY);
  const columns = col(maxX) - col0 + 1;
  const rows = row(maxY) - row0 + 1;
  const cellOf = new Int32Array(n);
  let cellCount: number;
  if (columns * rows <= 4 * n + 1024) {
    cellCount = columns * rows;
    for (let k = 0; k < n; k++) {
      const i = neighbourhood[k]!;
      cellOf[k] = (col(points.x[i]!) - col0) * rows + (row(points.y[i]!) - row0);
    }
  } else {
    const ids = new Map<string, number>();
    for (let k = 0; k < n; k++) {
      const i = neighbourhood[k]!;
      const key = `${col(points.x[i]!)},${row(points.y[i]!)}`;
      let c = ids.get(key);
      if (c === undefined) ids.set(key, (c = ids.size));
      cellOf[k] = c;
    }
    cellCount = ids.size;
  }
  const first = new Int32Array(cellCount + 1);
  for (let k = 0; k < n; k++) first[cellOf[k]! + 1]!++;
  for (let c = 0; c < cellCount; c++) first[c + 1]! += first[c]!;
  const order = new Int32Array(n);
  const next = first.slice(0, cellCount);
  for (let k = 0; k < n; k++) order[next[cellOf[k]!]!++] = k;
  const perPass = new Int32Array(labels.count);
  const cells: Cell[] = [];
  for (let c = 0; c < cellCount; c++) {
    const a = first[c]!;
    const b = first[c + 1]!;
    if (b - a < 2 * MIN_POINTS_PER_PASS) continue;
    perPass.fill(0);
    for (let m = a; m < b; m++) perPass[labels.id[order[m]!]!]!++;
    let enough = 0;
    for (let p = 0; p < labels.count; p++) if (perPass[p]! >= MIN_POINTS_PER_PASS) enough++;
    if (enough < 2) continue;
    const idx: number[] = [];
    const pass: number[] = [];
    for (let m = a; m < b; m++) {
      idx.push(neighbourhood[order[m]!]!);
      pass.push(labels.id[order[m]!]!);
    }
    const cell = fitCell(points, idx, pass);
    if (cell) cells.push(cell);
  }
  // The reference pass: the one in most cells; every other pass's offset is the median over their common cells.
  const inCells = new Array<number>(labels.count).fill(0);
  for (const c of cells) for (const p of c.level.keys()) inCells[p]!++;
  const ref = inCells.indexOf(Math.max(...inCells));
  const offsets: number[] = [0];
  const varOfMedian: number[] = [];
  let common = 0;
  for (let p = 0; p < labels.count; p++) {
    if (p === ref) continue;
    const d: number[] = [];
    for (const c of cells) {
      const a = c.level.get(p);
      const r = c.level.get(ref);
      if (a !== undefined && r !== undefined) d.push(a - r);
    }
    if (d.length < MIN_COMMON_CELLS) continue;
    common += d.length;
    const m = median(d);
    offsets.push(m);
    // Standard error of a median: 1.2533 sigma / sqrt(n), sigma from the cells' scatter.
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, d.length - 1));
    varOfMedian.push((1.2533 * sd) ** 2 / d.length);
  }
  if (offsets.length < 2) return apriori(common);
  const mean = offsets.reduce((s, v) => s + v, 0) / offsets.length;
  const spread = offsets.reduce((s, v) => s + (v - mean) ** 2, 0) / (offsets.length - 1);
  const estimation = varOfMedian.reduce((s, v) => s + v, 0) / varOfMedian.length;
  return {
    accuracy: {
      sigmaPassM: Math.sqrt(spread + estimation / 2),
      source: 'passes',
      passes: labels.count,
      cells: common,
      offsetM: Math.max(...offsets) - Math.min(...offsets),
    },
    labels,
    passOf,
  };
}

/**
 * Shares of the passes in a value formed from the points at `used` (indices), by pass key: with `weights` (the
 * value's linear weights of the points, summing to 1, e.g. {@link planeHatWeights}) the sum of each pass's
 * weights, else each pass's share of the points. Points outside the context's neighbourhood are not counted.
 * Empty when none is known.
 */
export function passMix(context: PassContext, used: ArrayLike<number>, weights?: ArrayLike<number>): PassWeight[] {
  const count = new Float64Array(context.labels.count);
  let total = 0;
  for (let k = 0; k < used.length; k++) {
    const p = context.passOf.get(used[k]!);
    if (p === undefined) continue;
    const w = weights ? weights[k]! : 1;
    count[p] = count[p]! + w;
    total += w;
  }
  if (!(Math.abs(total) > 1e-12)) return [];
  const out: PassWeight[] = [];
  for (let p = 0; p < count.length; p++) if (count[p]! > 0) out.push({ key: context.labels.key[p]!, weight: count[p]! / total });
  return out;
}

/** The pass shares of a value formed from several parts with the given weights (e.g. a wall and a roof plane). */
export function mergePassMix(parts: readonly { readonly mix: readonly PassWeight[]; readonly weight: number }[], from: PassLabels['from']): PassWeight[] {
  const out: { key: number; weight: number }[] = [];
  const total = parts.reduce((s, p) => s + p.weight, 0);
  for (const part of parts) {
    for (const w of part.mix) {
      const hit = out.find((o) => samePass(o.key, w.key, from));
      const add = (part.weight / total) * w.weight;
      if (hit) hit.weight += add;
      else out.push({ key: w.key, weight: add });
    }
  }
  return out;
}

/**
 * 1-sigma systematic height error of a value from passes in the shares `mix`, metres: sigmaPassM ·
 * sqrt(sum w²); sigmaPassM when the shares are unknown (empty mix: one pass assumed).
 */
export function systematicSigma(sigmaPassM: number, mix: readonly PassWeight[]): number {
  if (mix.length === 0) return sigmaPassM;
  return sigmaPassM * Math.sqrt(mix.reduce((s, w) => s + w.weight * w.weight, 0));
}

/**
 * 1-sigma systematic error of the difference of two values of the same drive, metres: sigmaPassM ·
 * sqrt(sum (wA - wB)²) over the passes (matched by key), so it vanishes for two values seen by the same passes
 * in the same shares. With a mix unknown (empty), the conservative bound sigmaPassM · sqrt(sum wA² + 1) (the
 * unknown value taken as seen by one pass, uncorrelated).
 */
export function differenceSystematicSigma(
  sigmaPassM: number,
  a: readonly PassWeight[],
  b: readonly PassWeight[],
  from: PassLabels['from'],
): number {
  if (a.length === 0 || b.length === 0) {
    const known = a.length ? a : b;
    return sigmaPassM * Math.sqrt(known.reduce((s, w) => s + w.weight * w.weight, 0) + 1);
  }
  const diff: { key: number; w: number }[] = a.map((w) => ({ key: w.key, w: w.weight }));
  for (const w of b) {
    const hit = diff.find((d) => samePass(d.key, w.key, from));
    if (hit) hit.w -= w.weight;
    else diff.push({ key: w.key, w: -w.weight });
  }
  return sigmaPassM * Math.sqrt(diff.reduce((s, d) => s + d.w * d.w, 0));
}

/**
 * Standard error of a least-squares plane's height at `at`, metres: the vertical residual rms over sqrt(n - 3),
 * grown by the leverage of the position (1 + d² / s², d its plan distance from the centroid, s² the smaller
 * in-plane variance of the points), so an extrapolated plane is honest about it.
 */
export function planeSigmaAt(fit: PlaneFit, at: Point2): number {
  const p = fit.plane.point;
  const d2 = (at[0] - p[0]) ** 2 + (at[1] - p[1]) ** 2;
  const spread = Math.max(1e-6, fit.spread[1]);
  const n = Math.max(4, fit.count);
  return (fit.rmsM / Math.abs(fit.plane.normal[2])) * Math.sqrt((1 + d2 / spread) / (n - 3));
}

/**
 * The weights h_i with which a least-squares plane z = a + b·x + c·y through the points at `used` gives its
 * height at `at` (sum 1): h_i = 1/n + qᵀ S⁻¹ (p_i - p̄), q = at - p̄, S the plan scatter matrix. Note: a pass
 * offset enters the value through these weights, not through point counts: points of one pass on one side of
 * the spot and of another on the other side tilt the plane, and at an extrapolated spot a pass's weights sum
 * to more than 1. Equal weights when the points span no plane.
 */
export function planeHatWeights(points: MeasurePoints, used: ArrayLike<number>, at: Point2): Float64Array {
  const n = used.length;
  const h = new Float64Array(n).fill(n > 0 ? 1 / n : 0);
  if (n < 3) return h;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += points.x[used[k]!]! - at[0];
    my += points.y[used[k]!]! - at[1];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = points.x[used[k]!]! - at[0] - mx;
    const dy = points.y[used[k]!]! - at[1] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const det = sxx * syy - sxy * sxy;
  if (!(det > 1e-12 * Math.max(1e-12, sxx * syy))) return h;
  // q = at - centroid = (-mx, -my) in coordinates relative to at.
  const qx = (-mx * syy + my * sxy) / det;
  const qy = (-my * sxx + mx * sxy) / det;
  for (let k = 0; k < n; k++) {
    const dx = points.x[used[k]!]! - at[0] - mx;
    const dy = points.y[used[k]!]! - at[1] - my;
    h[k] = 1 / n + qx * dx + qy * dy;
  }
  return h;
}

/** Root sum of squares of independent 1-sigma terms, metres (undefined terms count as 0). */
export function combineSigmas(...terms: readonly (number | undefined)[]): number {
  let s = 0;
  for (const t of terms) if (t !== undefined) s += t * t;
  return Math.sqrt(s);
}

/** Validates a stated absolute accuracy (1 sigma, metres, finite and >= 0); throws `Invalid accuracy`. */
export function checkAccuracy(accuracyM: number): number {
  if (!(Number.isFinite(accuracyM) && accuracyM >= 0)) throw new Error(`Invalid accuracy (core/measure/uncertainty.ts): ${accuracyM}`);
  return accuracyM;
}
