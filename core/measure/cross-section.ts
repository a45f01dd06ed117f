/**
 * Street cross-section (Querprofil) from a vertical slab of points.
 *
 * Method:
 * 1. Slab: points within halfWidthM of the vertical plane through `from`-`to`, projected to (distance, height).
 * 2. Ground line: bins of binM (3 cm) along the distance; per bin the lowest dense 3 cm height level (isolated
 *    low noise is skipped, anything standing on the surface lies above it) gives the median ground height.
 *    Bins higher than the lower envelope of the bins within ±objectWindowM by more than a kerb can be (parked
 *    vehicles, people, hedges) and narrow raised islands are dropped. Gaps up to maxFillGapM are interpolated;
 *    longer gaps stay gaps and are reported.
 * 3. Kerbs: where a short line fit on each side (excluding ±5 cm at the face) differs by more than minKerbStepM.
 *    Kerb height = top minus gutter, both lines evaluated at the face, fitted on the raw ground points.
 * 4. Profile: Douglas-Peucker (toleranceM, 7 mm) on the ground line, with the kerb faces kept as vertical
 *    breaklines.
 * 5. Segments between profile vertices get a least-squares line (width, signed slope); carriageway = between a
 *    kerb falling with distance and the next rising one; gutters are narrow segments of their own slope at the
 *    kerb foot; footpaths lie beyond the kerbs. Carriageway cross-falls come from a one- or two-line (crowned)
 *    fit, whichever explains the surface.
 *
 * Numerical care: heights are reduced to the section plane (the road's gradient inside the slab is removed);
 * bins widen on sparse data (the far side of the street); when the points carry a pass id, line fits give each
 * pass its own height offset, because a centimetre misalignment between passes covering different parts of the
 * carriageway would otherwise tilt its cross-fall by tenths of a percent. Footpaths are grown outward from the
 * kerb along the surface and stop at the next step, a gap or a change of slope.
 *
 * Conventions (issue 5): distM from `from`; offsetM = distM - lengthM / 2; slopePercent positive when rising
 * with distM; carriageway cross-falls positive when falling towards that side's kerb; footpath cross-falls
 * positive when falling towards the carriageway.
 *
 * @example
 * const s = cutSection(points, { from: [291400, 5744300], to: [291420, 5744300] }, 0.1);
 */
import { lineSigmaAt, lineValueAt, type LineFit1 } from '../geometry/line.ts';
import type { Point2 } from '../geometry/point3.ts';
import { simplifyDouglasPeucker } from '../geometry/polyline.ts';
import { isMeasurable, NOISE_CLASSES, type MeasurePoints } from './measure-points.ts';
import { passesFromTime } from './passes.ts';
import { lowestDenseWindow, percentileSorted } from './stats.ts';
import { measureWarning, warningTexts, type MeasureWarning } from './warnings.ts';

/** The section line in plan, [E, N] metres. */
export interface SectionLine {
  readonly from: Point2;
  readonly to: Point2;
}

/** Options for {@link cutSection}. */
export interface CutSectionOptions {
  /** Bin length along the section, metres (default 0.03). */
  readonly binM?: number;
  /** Longest gap that is interpolated, metres (default 0.3). */
  readonly maxFillGapM?: number;
  /** Douglas-Peucker tolerance, metres (default 0.007). */
  readonly toleranceM?: number;
  /** Smallest height step reported as a kerb, metres (default 0.03). */
  readonly minKerbStepM?: number;
  /** Largest height step still treated as a kerb (and as ground), metres (default 0.35). */
  readonly maxKerbStepM?: number;
  /** Half window of the lower envelope that rejects objects on the surface, metres (default 2.0). */
  readonly objectWindowM?: number;
  /** Classes never used (default 7 and 18, noise). */
  readonly excludeClasses?: readonly number[];
  /** Only these point indices are considered (default all). */
  readonly indices?: ArrayLike<number>;
}

/** A profile vertex. */
export interface SectionVertex {
  readonly distM: number;
  readonly offsetM: number;
  readonly e: number;
  readonly n: number;
  readonly h: number;
}

/** A detected kerb (Bord). */
export interface SectionKerb {
  /** Position of the kerb face along the section, metres. */
  readonly distM: number;
  readonly offsetM: number;
  readonly e: number;
  readonly n: number;
  /** Kerb upstand (Bordhöhe) = topNhn - gutterNhn, metres. */
  readonly heightM: number;
  readonly gutterNhn: number;
  readonly topNhn: number;
  /** Which end of the carriageway the kerb bounds: 'from' when the surface steps down with distance. */
  readonly side: 'from' | 'to';
  /** Standard error of heightM from the two line fits, metres. */
  readonly sigmaM: number;
}

/** Kinds of section segments. */
export type SegmentKind = 'carriageway' | 'gutter' | 'kerb' | 'footpath' | 'verge' | 'other';

/** A straight piece of the ground line. */
export interface SectionSegment {
  readonly kind: SegmentKind;
  readonly fromDistM: number;
  readonly toDistM: number;
  readonly widthM: number;
  /** Signed slope, percent, positive when rising with distM. */
  readonly slopePercent: number;
}

/** The carriageway between its kerbs. */
export interface SectionCarriageway {
  readonly fromDistM: number;
  readonly toDistM: number;
  readonly widthM: number;
  readonly crossfallPercent: { readonly nearFrom: number; readonly nearTo: number };
}

/** A footpath beside the carriageway. */
export interface SectionFootpath {
  readonly side: 'from' | 'to';
  readonly fromDistM: number;
  readonly toDistM: number;
  readonly widthM: number;
  readonly crossfallPercent: number;
}

/** The `section` JSON of issue 5. */
export interface CrossSection {
  readonly schemaVersion: 1;
  readonly lengthM: number;
  readonly profile: SectionVertex[];
  readonly kerbs: SectionKerb[];
  readonly segments: SectionSegment[];
  /** Null when no kerb bounds a carriageway (a warning says why). */
  readonly carriageway: SectionCarriageway | null;
  readonly footpaths: SectionFootpath[];
  /** English warning texts (the CLI's JSON). */
  readonly warnings: string[];
  /** The same warnings with stable codes and parameters (for translated UIs). */
  readonly warningDetails: readonly MeasureWarning[];
}

const FACE_HALF_M = 0.05;
const KERB_FIT_M = 0.3;

/** Ground points of the slab grouped by bin: the raw support of every line fit. */
interface Ground {
  readonly binM: number;
  readonly start: Uint32Array;
  readonly d: Float64Array;
  readonly z: Float64Array;
  /** Pass id per ground point, when the input has one. */
  readonly pass: Float64Array | undefined;
}

interface Sums {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  sxy: number;
  syy: number;
}

function fitGround(g: Ground, a: number, b: number, skip: readonly [number, number][] = []): LineFit1 | undefined {
  const nb = g.start.length - 1;
  const j0 = g.start[Math.max(0, Math.min(nb, Math.floor(a / g.binM)))]!;
  const j1 = g.start[Math.max(0, Math.min(nb, Math.floor(b / g.binM) + 1))]!;
  // Note: sums on coordinates shifted by a and by the first height keep the normal equations well conditioned.
  const zRef = j1 > j0 ? g.z[j0]! : 0;
  const pass = (line: LineFit1 | undefined, tol: number): LineFit1 | undefined => {
    // Sums per pass (one group without pass ids): the slope is the within-pass estimate, so each pass keeps
    // its own height offset; the level is the mean of all points.
    const groups = new Map<number, Sums>();
    let n = 0;
    let sx = 0;
    let sy = 0;
    for (let j = j0; j < j1; j++) {
      const d = g.d[j]!;
      if (d < a || d > b) continue;
      if (skip.length > 0 && skip.some(([s0, s1]) => d > s0 && d < s1)) continue;
      if (line && Math.abs(g.z[j]! - lineValueAt(line, d)) > tol) continue;
      const x = d - a;
      const y = g.z[j]! - zRef;
      const key = g.pass ? g.pass[j]! : 0;
      let q = groups.get(key);
      if (!q) groups.set(key, (q = { n: 0, sx: 0, sy: 0, sxx: 0, sxy: 0, syy: 0 }));
      q.n++;
      q.sx += x;
      q.sy += y;
      q.sxx += x * x;
      q.sxy += x * y;
      q.syy += y * y;
      n++;
      sx += x;
      sy += y;
    }
    if (n < 4) return undefined;
    let cxx = 0;
    let cxy = 0;
    let cyy = 0;
    for (const q of groups.values()) {
      cxx += q.sxx - (q.sx * q.sx) / q.n;
      cxy += q.sxy - (q.sx * q.sy) / q.n;
      cyy += q.syy - (q.sy * q.sy) / q.n;
    }
    if (!(cxx > 1e-12)) return undefined;
    const mx = sx / n;
    const my = sy / n;
    const slope = cxy / cxx;
    const ss = Math.max(0, cyy - slope * cxy);
    const dof = Math.max(1, n - 1 - groups.size);
    const rms = Math.sqrt(ss / n);
    const sd = Math.sqrt(ss / dof);
    return { x0: mx + a, y0: my + zRef, slope, rms, count: n, sigmaY0: sd / Math.sqrt(n), sigmaSlope: sd / Math.sqrt(cxx) };
  };
  const f = pass(undefined, 0);
  if (!f || f.rms === 0) return f;
  // One re-fit without residuals beyond 3 rms (a stray point on a kerb edge).
  return pass(f, Math.max(0.01, 3 * f.rms)) ?? f;
}

/** Cuts a cross-section through the points along `line` with a slab of ±halfWidthM; see the module comment. */
export function cutSection(
  points: MeasurePoints,
  line: SectionLine,
  halfWidthM = 0.1,
  options: CutSectionOptions = {},
): CrossSection {
  let binM = options.binM ?? 0.03;
  const maxFill = options.maxFillGapM ?? 0.3;
  const tolM = options.toleranceM ?? 0.007;
  const minStep = options.minKerbStepM ?? 0.03;
  const maxStep = options.maxKerbStepM ?? 0.35;
  const objWin = options.objectWindowM ?? 2.0;
  const exclude = options.excludeClasses ?? NOISE_CLASSES;
  if (!(halfWidthM > 0)) throw new Error(`Invalid section half width (core/measure/cross-section.ts): ${halfWidthM}`);
  const [e0, n0] = line.from;
  const lengthM = Math.hypot(line.to[0] - e0, line.to[1] - n0);
  if (!(lengthM >= 0.1)) {
    throw new Error(`Invalid section line (core/measure/cross-section.ts): ${line.from.join(',')} -> ${line.to.join(',')}`);
  }
  const ux = (line.to[0] - e0) / lengthM;
  const uy = (line.to[1] - n0) / lengthM;
  const warnings: MeasureWarning[] = [];

  // 1. Slab.
  const sd: number[] = [];
  const sz: number[] = [];
  const st: number[] = [];
  const sp: number[] = [];
  const sg: number[] = [];
  const take = (i: number): void => {
    const dx = points.x[i]! - e0;
    const dy = points.y[i]! - n0;
    const along = dx * ux + dy * uy;
    if (along < 0 || along > lengthM) return;
    const across = -dx * uy + dy * ux;
    if (Math.abs(across) > halfWidthM || !isMeasurable(points, i, exclude)) return;
    sd.push(along);
    sz.push(points.z[i]!);
    st.push(across);
    sp.push(points.passId ? points.passId[i]! : 0);
    if (points.gpsTime) sg.push(points.gpsTime[i]!);
  };
  if (options.indices) for (let k = 0; k < options.indices.length; k++) take(options.indices[k]!);
  else for (let i = 0; i < points.x.length; i++) take(i);
  const hasPasses = points.passId !== undefined || (points.gpsTime !== undefined && passesFromTime(sg, sp));

  // Longitudinal slope inside the slab: heights are reduced to the section plane. Note: scan lines cross the
  // slab obliquely, so across-offset and distance correlate within a slab; a road gradient of 1 % would
  // otherwise tilt every cross-fall by up to 1 pp times that correlation.
  const gAcross = slabGradient(sd, sz, st, lengthM);
  for (let k = 0; k < sz.length; k++) sz[k] = sz[k]! - gAcross * st[k]!;

  // Note: bins must hold a few points each. Where the slab is sparse (far side of the street, thinned data) the
  // bin grows to 2.5 point spacings of the sparser quarter of the slab (at most 12 cm); kerb faces and all line
  // fits use the raw points, so coarser bins do not blur the steps.
  if (options.binM === undefined && sd.length > 0) {
    const win = 0.5;
    const counts = new Uint32Array(Math.ceil(lengthM / win) + 1);
    for (const d of sd) counts[Math.floor(d / win)]!++;
    const occupied = Array.from(counts).filter((c) => c > 0).sort((a, b) => a - b);
    const q = occupied[Math.floor(occupied.length * 0.25)] ?? 1;
    binM = Math.min(0.12, Math.max(binM, (2.5 * win) / q));
  }

  // 2. Bins (counting sort by bin).
  const nb = Math.max(1, Math.ceil(lengthM / binM));
  const count = new Uint32Array(nb + 1);
  const binOf = new Uint32Array(sd.length);
  for (let k = 0; k < sd.length; k++) {
    const b = Math.min(nb - 1, Math.floor(sd[k]! / binM));
    binOf[k] = b;
    count[b + 1]!++;
  }
  for (let b = 0; b < nb; b++) count[b + 1]! += count[b]!;
  const fill = count.slice(0, nb);
  const bz = new Float64Array(sd.length);
  const bd = new Float64Array(sd.length);
  const bp = new Float64Array(sd.length);
  for (let k = 0; k < sd.length; k++) {
    const j = fill[binOf[k]!]!++;
    bz[j] = sz[k]!;
    bd[j] = sd[k]!;
    bp[j] = sp[k]!;
  }
  const value = new Float64Array(nb).fill(NaN);
  for (let b = 0; b < nb; b++) {
    const s = count[b]!;
    const e = count[b + 1]!;
    if (e - s < 2) continue;
    const zs = bz.slice(s, e).sort();
    const win = lowestDenseWindow(zs, 0.03, Math.max(2, Math.min(5, Math.ceil((e - s) * 0.2))));
    if (!win) continue;
    value[b] = percentileSorted(zs.subarray(win[0], win[1]), 50);
  }

  // Objects on the surface: higher than the lower envelope by more than a kerb step (plus 6 % slope).
  const w = Math.max(1, Math.round(objWin / binM));
  const envelope = new Float64Array(nb).fill(NaN);
  for (let b = 0; b < nb; b++) {
    let m = Infinity;
    for (let k = Math.max(0, b - w); k <= Math.min(nb - 1, b + w); k++) if (value[k]! < m) m = value[k]!;
    envelope[b] = m;
  }
  let rejected = 0;
  for (let b = 0; b < nb; b++) {
    if (value[b]! > envelope[b]! + maxStep + 0.06 * objWin) {
      value[b] = NaN;
      rejected++;
    }
  }
  // Narrow raised islands (a bag, a leftover vehicle edge): shorter than 0.25 m and above both neighbours.
  {
    const maxIsland = Math.round(0.25 / binM);
    let b = 0;
    while (b < nb) {
      if (Number.isNaN(value[b]!)) {
        b++;
        continue;
      }
      let e = b;
      while (e + 1 < nb && !Number.isNaN(value[e + 1]!) && Math.abs(value[e + 1]! - value[e]!) < minStep) e++;
      if (e - b + 1 <= maxIsland) {
        let lvl = 0;
        for (let k = b; k <= e; k++) lvl += value[k]!;
        lvl /= e - b + 1;
        const before = b > 0 && !Number.isNaN(value[b - 1]!) ? value[b - 1]! : findNeighbour(value, b, -1, w);
        const after = e + 1 < nb && !Number.isNaN(value[e + 1]!) ? value[e + 1]! : findNeighbour(value, e, 1, w);
        if (before !== undefined && after !== undefined && lvl > before + minStep && lvl > after + minStep) {
          for (let k = b; k <= e; k++) value[k] = NaN;
          rejected += e - b + 1;
        }
      }
      b = e + 1;
    }
  }
  if (rejected > 0) {
    warnings.push(measureWarning('section-objects', { lengthM: rejected * binM }));
  }

  // Ground points: the raw points within 2.5 cm of their bin's ground level.
  const gStart = new Uint32Array(nb + 1);
  const gdArr: number[] = [];
  const gzArr: number[] = [];
  const gpArr: number[] = [];
  for (let b = 0; b < nb; b++) {
    gStart[b] = gdArr.length;
    const v = value[b]!;
    if (Number.isNaN(v)) continue;
    for (let j = count[b]!; j < count[b + 1]!; j++) {
      if (Math.abs(bz[j]! - v) <= 0.025) {
        gdArr.push(bd[j]!);
        gzArr.push(bz[j]!);
        gpArr.push(bp[j]!);
      }
    }
  }
  gStart[nb] = gdArr.length;
  const ground: Ground = {
    binM,
    start: gStart,
    d: Float64Array.from(gdArr),
    z: Float64Array.from(gzArr),
    pass: points.passId ? Float64Array.from(gpArr) : undefined,
  };

  const quick = binSums(ground);

  // Gaps: short ones interpolated, long ones split the line into runs.
  const real = Uint8Array.from(value, (v) => (Number.isNaN(v) ? 0 : 1));
  const runs: [number, number][] = [];
  {
    let b = 0;
    while (b < nb && !real[b]) b++;
    if (b > 0 && b < nb) warnings.push(measureWarning('section-no-ground', { fromM: 0, toM: b * binM }));
    let runStart = b;
    while (b < nb) {
      let e = b + 1;
      while (e < nb && !real[e]) e++;
      if (e >= nb) {
        runs.push([runStart, b]);
        if (b < nb - 1) warnings.push(measureWarning('section-no-ground', { fromM: (b + 1) * binM, toM: lengthM }));
        break;
      }
      const gap = (e - b - 1) * binM;
      if (gap <= maxFill) {
        for (let k = b + 1; k < e; k++) value[k] = value[b]! + ((value[e]! - value[b]!) * (k - b)) / (e - b);
      } else {
        runs.push([runStart, b]);
        runStart = e;
        warnings.push(measureWarning('section-gap', { fromM: (b + 1) * binM, toM: e * binM }));
      }
      b = e;
    }
    if (runs.length === 0) throw new Error(`Invalid section (core/measure/cross-section.ts): no ground points in the slab`);
  }
  const centre = (b: number): number => (b + 0.5) * binM;

  // 3. Kerbs.
  const kerbs: { d: number; lower: number; upper: number; rising: boolean; sigma: number }[] = [];
  const candidates: { d: number; score: number; rising: boolean; a: number; z: number }[] = [];
  for (const [r0, r1] of runs) {
    const a = centre(r0);
    const z = centre(r1);
    const step = new Float64Array(r1 - r0 + 1).fill(NaN);
    for (let b = r0; b <= r1; b++) {
      if (!real[b]) continue;
      const d = centre(b);
      if (d - FACE_HALF_M - KERB_FIT_M * 0.6 < a || d + FACE_HALF_M + KERB_FIT_M * 0.6 > z) continue;
      const l = quick.fit(Math.max(a, d - FACE_HALF_M - KERB_FIT_M), d - FACE_HALF_M);
      const r = quick.fit(d + FACE_HALF_M, Math.min(z, d + FACE_HALF_M + KERB_FIT_M));
      if (!l || !r) continue;
      step[b - r0] = lineValueAt(r, d) - lineValueAt(l, d);
    }
    let b = 0;
    while (b < step.length) {
      const s = step[b]!;
      if (!(Math.abs(s) >= minStep && Math.abs(s) <= maxStep)) {
        b++;
        continue;
      }
      let e = b;
      let best = b;
      while (e + 1 < step.length && Math.sign(step[e + 1]!) === Math.sign(s) && Math.abs(step[e + 1]!) >= minStep * 0.5) {
        e++;
        if (Math.abs(step[e]!) > Math.abs(step[best]!)) best = e;
      }
      candidates.push({ d: centre(r0 + best), score: Math.abs(step[best]!), rising: s > 0, a, z });
      b = e + 1;
    }
  }

  // Non-maximum suppression: a strong kerb makes weaker phantom steps where a side window reaches over its face.
  candidates.sort((p, q) => q.score - p.score);
  for (let i = 0; i < candidates.length; i++) {
    for (let j = candidates.length - 1; j > i; j--) {
      if (Math.abs(candidates[j]!.d - candidates[i]!.d) < FACE_HALF_M + KERB_FIT_M + binM) candidates.splice(j, 1);
    }
  }
  for (const { d: dBest, rising, a, z } of candidates) {
    // Face position from the raw points, then the two side lines evaluated at the face.
    const lo = fitGround(ground, dBest - FACE_HALF_M - KERB_FIT_M, dBest - FACE_HALF_M);
    const hi = fitGround(ground, dBest + FACE_HALF_M, dBest + FACE_HALF_M + KERB_FIT_M);
    const dFace = lo && hi ? locateFace(bd, bz, dBest, lo, hi, rising) : dBest;
    // Note: on sparse data a side window grows (up to 0.6 m) until it holds 40 points: the fitted line is
    // extrapolated to the face, and too few points there turn 1 cm noise into a 1 cm kerb error.
    const grow = (side: -1 | 1): LineFit1 | undefined => {
      let f: LineFit1 | undefined;
      for (let len = KERB_FIT_M; len <= 0.6 + 1e-9; len += 0.1) {
        f = side < 0
          ? fitGround(ground, Math.max(a - binM, dFace - FACE_HALF_M - len), dFace - FACE_HALF_M)
          : fitGround(ground, dFace + FACE_HALF_M, Math.min(z + binM, dFace + FACE_HALF_M + len));
        if (f && f.count >= 40) break;
      }
      return f;
    };
    const left = grow(-1);
    const right = grow(1);
    if (!left || !right) continue;
    const zl = lineValueAt(left, dFace);
    const zr = lineValueAt(right, dFace);
    if (Math.abs(zr - zl) < minStep || (zr > zl) !== rising) continue;
    kerbs.push({
      d: dFace,
      lower: Math.min(zl, zr),
      upper: Math.max(zl, zr),
      rising,
      sigma: Math.hypot(lineSigmaAt(left, dFace), lineSigmaAt(right, dFace)),
    });
  }
  kerbs.sort((p, q) => p.d - q.d);

  // Smoothed ground line: a local line fit on the raw ground points within ±0.1 m, never across a kerb face,
  // so that the simplification sees the surface and not the per-bin noise.
  for (const [r0, r1] of runs) {
    const a = centre(r0) - binM / 2;
    const z = centre(r1) + binM / 2;
    const smooth = new Float64Array(r1 - r0 + 1);
    for (let b = r0; b <= r1; b++) {
      const d = centre(b);
      let lo = Math.max(a, d - 0.1);
      let hi = Math.min(z, d + 0.1);
      for (const k of kerbs) {
        if (k.d + FACE_HALF_M <= d) lo = Math.max(lo, k.d + FACE_HALF_M);
        if (k.d - FACE_HALF_M >= d) hi = Math.min(hi, k.d - FACE_HALF_M);
      }
      const f = hi - lo >= 0.06 ? quick.fit(lo, hi) : undefined;
      smooth[b - r0] = f ? lineValueAt(f, d) : value[b]!;
    }
    value.set(smooth, r0);
  }

  // Gutters: at the foot of each kerb, a short line whose slope differs from the surface further out; the
  // gutter edge is where the two lines meet.
  const gutterEdges: number[] = [];
  for (const k of kerbs) {
    const dir = k.rising ? -1 : 1;
    const near = fitGround(ground, ...span(k.d + dir * (FACE_HALF_M + 0.01), k.d + dir * 0.22));
    const far = fitGround(ground, ...span(k.d + dir * 0.6, k.d + dir * 1.6));
    if (!near || !far || Math.abs(near.slope - far.slope) < 0.015) continue;
    // Intersection of the two lines.
    const dx = (lineValueAt(far, 0) - lineValueAt(near, 0)) / (near.slope - far.slope);
    const w = (dx - k.d) * dir;
    if (w >= 0.12 && w <= 0.7) gutterEdges.push(dx);
  }

  // 4. Profile with kerb faces as kept vertical breaklines.
  const profileD: number[] = [];
  const profileH: number[] = [];
  const runOfVertex: number[] = [];
  for (let ri = 0; ri < runs.length; ri++) {
    const [r0, r1] = runs[ri]!;
    const xs: number[] = [];
    const ys: number[] = [];
    const keep: boolean[] = [];
    const runKerbs = kerbs.filter((k) => k.d >= centre(r0) && k.d <= centre(r1));
    for (let b = r0; b <= r1; b++) {
      const d = centre(b);
      const k = runKerbs.find((kk) => Math.abs(kk.d - d) < FACE_HALF_M);
      if (k) {
        if (!(xs.length > 0 && xs[xs.length - 1] === k.d)) {
          // Close the approach to the face with a fitted vertex at the face's foot/top, then the other level.
          const first = k.rising ? k.lower : k.upper;
          const second = k.rising ? k.upper : k.lower;
          xs.push(k.d, k.d);
          ys.push(first, second);
          keep.push(true, true);
        }
        continue;
      }
      xs.push(d);
      ys.push(value[b]!);
      keep.push(gutterEdges.some((g) => Math.abs(g - d) <= binM / 2));
    }
    const kept = simplifyDouglasPeucker(xs, ys, tolM, keep);
    for (const k of kept) {
      profileD.push(xs[k]!);
      profileH.push(ys[k]!);
      runOfVertex.push(ri);
    }
  }
  const vertex = (d: number, h: number): SectionVertex => ({
    distM: d,
    offsetM: d - lengthM / 2,
    e: e0 + ux * d,
    n: n0 + uy * d,
    h,
  });
  const profile = profileD.map((d, k) => vertex(d, profileH[k]!));

  // 5. Segments.
  const faces: [number, number][] = kerbs.map((k) => [k.d - FACE_HALF_M, k.d + FACE_HALF_M]);
  interface Raw {
    from: number;
    to: number;
    slope: number;
    kerb?: (typeof kerbs)[number];
  }
  const raw: Raw[] = [];
  for (let k = 0; k + 1 < profileD.length; k++) {
    if (runOfVertex[k] !== runOfVertex[k + 1]) continue;
    const a = profileD[k]!;
    const b = profileD[k + 1]!;
    if (b - a <= 1e-9) continue;
    const f = fitGround(ground, a, b, faces);
    const slope = f ? f.slope : (profileH[k + 1]! - profileH[k]!) / (b - a);
    raw.push({ from: a, to: b, slope });
  }
  // Merge neighbours whose slopes agree within 0.75 percentage points (noise-split pieces).
  const merged: Raw[] = [];
  for (const s of raw) {
    const last = merged[merged.length - 1];
    if (last && Math.abs(last.to - s.from) < 1e-9 && Math.abs(last.slope - s.slope) < 0.0075 &&
      !kerbs.some((k) => Math.abs(k.d - s.from) < 1e-9)) {
      const f = fitGround(ground, last.from, s.to, faces);
      last.to = s.to;
      if (f) last.slope = f.slope;
    } else merged.push({ ...s });
  }
  // Kerb faces as their own short segments (the ±5 cm face zone), cut out of their neighbours.
  const pieces: Raw[] = [];
  for (const s of merged) {
    let from = s.from;
    let to = s.to;
    for (const k of kerbs) {
      if (Math.abs(k.d - from) < 1e-9) from = Math.min(to, from + FACE_HALF_M);
      if (Math.abs(k.d - to) < 1e-9) to = Math.max(from, to - FACE_HALF_M);
    }
    if (to - from > 1e-6) pieces.push({ from, to, slope: s.slope });
  }
  for (const k of kerbs) {
    const h = k.upper - k.lower;
    pieces.push({ from: k.d - FACE_HALF_M, to: k.d + FACE_HALF_M, slope: (k.rising ? h : -h) / (2 * FACE_HALF_M), kerb: k });
  }
  pieces.sort((p, q) => p.from - q.from);

  // Carriageway: widest pair of a falling kerb followed by a rising kerb.
  const sortedKerbs = [...kerbs].sort((p, q) => p.d - q.d);
  let cwFrom: number | undefined;
  let cwTo: number | undefined;
  {
    // Note: only neighbouring kerbs qualify (no kerb inside a carriageway); a step at a front garden beyond
    // the footpath must not widen it.
    let bestW = -1;
    for (let j = 1; j < sortedKerbs.length; j++) {
      const i = j - 1;
      if (sortedKerbs[i]!.rising || !sortedKerbs[j]!.rising) continue;
      const wdt = sortedKerbs[j]!.d - sortedKerbs[i]!.d;
      if (wdt > bestW) {
        bestW = wdt;
        cwFrom = sortedKerbs[i]!.d;
        cwTo = sortedKerbs[j]!.d;
      }
    }
    if (cwFrom === undefined) {
      const firstRising = sortedKerbs.find((k) => k.rising);
      const lastFalling = [...sortedKerbs].reverse().find((k) => !k.rising);
      if (lastFalling && !firstRising) {
        cwFrom = lastFalling.d;
        cwTo = profileD[profileD.length - 1];
        warnings.push(measureWarning('section-only-from-kerb'));
      } else if (firstRising && !lastFalling) {
        cwFrom = profileD[0];
        cwTo = firstRising.d;
        warnings.push(measureWarning('section-only-to-kerb'));
      } else {
        warnings.push(measureWarning(kerbs.length === 0 ? 'section-no-kerbs' : 'section-no-kerb-pair'));
      }
    }
  }

  const kinds: SegmentKind[] = pieces.map((p) => (p.kerb ? 'kerb' : 'other'));
  if (cwFrom !== undefined && cwTo !== undefined) {
    const inCw: number[] = [];
    pieces.forEach((p, i) => {
      if (!p.kerb && p.from >= cwFrom! - 1e-6 && p.to <= cwTo! + 1e-6) {
        kinds[i] = 'carriageway';
        inCw.push(i);
      }
    });
    // Gutters: a narrow first/last carriageway piece at a kerb foot with a slope of its own.
    const gutterAt = (ii: number, neighbour: number | undefined): void => {
      const p = pieces[ii]!;
      if (p.to - p.from > 0.75 || neighbour === undefined) return;
      const edge = ii === inCw[0] ? p.to : p.from;
      if (gutterEdges.some((g) => Math.abs(g - edge) <= binM * 1.5)) kinds[ii] = 'gutter';
    };
    if (inCw.length >= 2) {
      if (kerbs.some((k) => Math.abs(k.d - cwFrom!) < 1e-9)) gutterAt(inCw[0]!, inCw[1]);
      if (kerbs.some((k) => Math.abs(k.d - cwTo!) < 1e-9)) gutterAt(inCw[inCw.length - 1]!, inCw[inCw.length - 2]);
    }
    // Footpaths: beyond each kerb of the carriageway, outward while flat (<= 8 %) and contiguous.
    const walk = (startIdx: number, dir: 1 | -1): void => {
      let edge = dir === 1 ? pieces[startIdx]!.to : pieces[startIdx]!.from;
      let first: number | undefined;
      for (let i = startIdx + dir; i >= 0 && i < pieces.length; i += dir) {
        const p = pieces[i]!;
        const touching = dir === 1 ? Math.abs(p.from - edge) < 1e-6 : Math.abs(p.to - edge) < 1e-6;
        if (p.kerb || !touching || Math.abs(p.slope) > 0.08) break;
        // Note: a footpath keeps one cross-fall; a change of more than 1 pp starts the verge.
        if (first !== undefined && Math.abs(p.slope - first) > 0.01) break;
        first ??= p.slope;
        kinds[i] = 'footpath';
        edge = dir === 1 ? p.to : p.from;
      }
    };
    const kf = pieces.findIndex((p) => p.kerb && Math.abs(p.kerb.d - cwFrom!) < 1e-9);
    const kt = pieces.findIndex((p) => p.kerb && Math.abs(p.kerb.d - cwTo!) < 1e-9);
    if (kf >= 0) walk(kf, -1);
    if (kt >= 0) walk(kt, 1);
    // Whatever lies beyond a footpath is verge.
    for (let i = 0; i < pieces.length; i++) {
      if (kinds[i] !== 'other') continue;
      const p = pieces[i]!;
      if ((kf >= 0 && p.to <= cwFrom! && kinds.slice(i + 1, kf).includes('footpath')) ||
        (kt >= 0 && p.from >= cwTo! && kinds.slice(kt + 1, i).includes('footpath'))) kinds[i] = 'verge';
    }
  }
  const segments: SectionSegment[] = pieces.map((p, i) => ({
    kind: kinds[i]!,
    fromDistM: p.from,
    toDistM: p.to,
    widthM: p.to - p.from,
    slopePercent: p.slope * 100,
  }));

  let carriageway: SectionCarriageway | null = null;
  if (cwFrom !== undefined && cwTo !== undefined) {
    const skip: [number, number][] = [...faces];
    pieces.forEach((p, i) => {
      if (kinds[i] === 'gutter') skip.push([p.from - 1e-6, p.to + 1e-6]);
    });
    const gutterFromW = Math.max(0, ...pieces.filter((p, i) => kinds[i] === 'gutter' && p.from < (cwFrom! + cwTo!) / 2).map((p) => p.to - cwFrom!));
    const gutterToW = Math.max(0, ...pieces.filter((p, i) => kinds[i] === 'gutter' && p.from >= (cwFrom! + cwTo!) / 2).map((p) => cwTo! - p.from));
    // Note: at least 0.5 m at each kerb foot (the usual gutter width) stay out of the cross-fall fit, also
    // when no gutter or a too narrow one was detected: a gutter whose slope differs by 1-2 pp is hard to
    // delimit but biases the fit.
    const a = cwFrom + Math.max(0.5, gutterFromW + 0.1);
    const b = cwTo - Math.max(0.5, gutterToW + 0.1);
    // Note: passes found from GPS time serve the carriageway's cross-fall only. Its halves are seen by the two
    // passes in unequal shares (each vehicle body hides the road beneath it), so a millimetre-scale offset
    // between passes tilts a common fit by 0.2-0.4 pp; kerb and footpath fits span a few decimetres to metres
    // where a pass's own slope is noisier than that offset.
    const cfGround: Ground = hasPasses && !ground.pass ? { ...ground, pass: Float64Array.from(gpArr) } : ground;
    const cf = carriagewayCrossfall(cfGround, quick, a, b, skip);
    if (cf) {
      carriageway = { fromDistM: cwFrom, toDistM: cwTo, widthM: cwTo - cwFrom, crossfallPercent: { nearFrom: cf.nearFrom, nearTo: cf.nearTo } };
      // Note: a half of the carriageway that the vehicle's own blind spot (or a parked car) leaves mostly
      // unseen gets its cross-fall from a short base: ±0.3-0.9 pp from one cut to the next on the sample.
      for (const [side, [h0, h1]] of [['from', cf.halves[0]], ['to', cf.halves[1]]] as const) {
        const coveredM = groundCoverM(cfGround, h0, h1, skip);
        if (coveredM < Math.max(CROSSFALL_MIN_BASE_M, CROSSFALL_MIN_COVER * (h1 - h0))) {
          warnings.push(measureWarning('section-crossfall-sparse', { side, coveredM, lengthM: h1 - h0 }));
        }
      }
    } else warnings.push(measureWarning('section-no-crossfall'));
  }

  // Footpaths: grown outward from the kerb face along the raw ground points. The first metre seeds a line; it
  // extends in 0.25 m steps while the next step's points stay within 8 mm (median) of it, and stops at the
  // next kerb or step, at a gap, or where the surface turns (verge, driveway, front garden).
  const footpaths: SectionFootpath[] = [];
  const runOf = (d: number): [number, number] | undefined => {
    const r = runs.find(([r0, r1]) => d >= centre(r0) - binM && d <= centre(r1) + binM);
    return r ? [centre(r[0]) - binM / 2, centre(r[1]) + binM / 2] : undefined;
  };
  for (const side of ['from', 'to'] as const) {
    const kerbD = side === 'from' ? cwFrom : cwTo;
    if (kerbD === undefined || !kerbs.some((k) => Math.abs(k.d - kerbD) < 1e-9)) continue;
    const dir = side === 'from' ? -1 : 1;
    const run = runOf(kerbD + dir * 0.2);
    if (!run) continue;
    const nextKerb = kerbs
      .filter((k) => (k.d - kerbD) * dir > 1e-6)
      .reduce((m, k) => Math.min(m, Math.abs(k.d - kerbD)), Infinity);
    const limit = Math.min(nextKerb - FACE_HALF_M, dir < 0 ? kerbD - run[0] : run[1] - kerbD);
    const near = FACE_HALF_M + 0.05;
    if (limit < near + 0.3) continue;
    const seg = (u0: number, u1: number): [number, number] => span(kerbD + dir * u0, kerbD + dir * u1);
    let reach = Math.min(limit, 1.0);
    let f = fitGround(ground, ...seg(near, reach), faces);
    if (!f) continue;
    while (reach < limit - 1e-9) {
      const next = Math.min(limit, reach + 0.25);
      const [s0, s1] = seg(reach, next);
      const res: number[] = [];
      const jEnd = ground.start[Math.min(nb, Math.floor(s1 / binM) + 1)]!;
      for (let j = ground.start[Math.max(0, Math.min(nb, Math.floor(s0 / binM)))]!; j < jEnd; j++) {
        const d = ground.d[j]!;
        if (d >= s0 && d <= s1) res.push(ground.z[j]! - lineValueAt(f, d));
      }
      if (res.length >= 3) {
        res.sort((p, q) => p - q);
        if (Math.abs(res[res.length >> 1]!) > 0.008) break;
      }
      reach = next;
      f = fitGround(ground, ...seg(near, reach), faces) ?? f;
    }
    // The growth above tolerates 8 mm per step, so it runs on into a front yard whose slope differs by 1-2 pp
    // (0.3-0.5 mm per 2.5 cm, hidden in the noise of one step) and that yard biases the cross-fall by several
    // tenths of a percent. A two-line split of the grown span finds such an edge.
    const edge = footpathEdge(ground, (u) => kerbD + dir * u, near, reach, faces);
    if (edge !== undefined) {
      reach = edge;
      f = fitGround(ground, ...seg(near, reach), faces) ?? f;
    }
    const outer = kerbD + dir * reach;
    const fromD = Math.min(outer, kerbD);
    const toD = Math.max(outer, kerbD);
    footpaths.push({
      side,
      fromDistM: fromD,
      toDistM: toD,
      widthM: toD - fromD,
      crossfallPercent: (side === 'from' ? -f.slope : f.slope) * 100,
    });
  }

  return {
    schemaVersion: 1,
    lengthM,
    profile,
    kerbs: sortedKerbs.map((k) => {
      const v = vertex(k.d, k.lower);
      return {
        distM: v.distM,
        offsetM: v.offsetM,
        e: v.e,
        n: v.n,
        heightM: k.upper - k.lower,
        gutterNhn: k.lower,
        topNhn: k.upper,
        side: k.rising ? 'to' : 'from',
        sigmaM: k.sigma,
      };
    }),
    segments,
    carriageway,
    footpaths,
    warnings: warningTexts(warnings),
    warningDetails: warnings,
  };
}

/**
 * Cumulative sums of the ground points sorted by distance: an ordinary line fit over any range in O(log n),
 * for the scans that fit at every bin (step detection, smoothing). The final kerb, segment and cross-fall fits use
 * fitGround on the exact ranges with per-pass offsets.
 */
function binSums(g: Ground): { fit: (a: number, b: number) => LineFit1 | undefined } {
  const n = g.d.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => g.d[p]! - g.d[q]!);
  const ds = Float64Array.from(order, (i) => g.d[i]!);
  const zRef = n ? g.z[0]! : 0;
  const cx = new Float64Array(n + 1);
  const cy = new Float64Array(n + 1);
  const cxx = new Float64Array(n + 1);
  const cxy = new Float64Array(n + 1);
  const cyy = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    const x = ds[k]!;
    const y = g.z[order[k]!]! - zRef;
    cx[k + 1] = cx[k]! + x;
    cy[k + 1] = cy[k]! + y;
    cxx[k + 1] = cxx[k]! + x * x;
    cxy[k + 1] = cxy[k]! + x * y;
    cyy[k + 1] = cyy[k]! + y * y;
  }
  const lowerBound = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ds[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    fit: (a, b) => {
      const k0 = lowerBound(a);
      const k1 = lowerBound(b + 1e-12);
      const m = k1 - k0;
      if (m < 4) return undefined;
      const mx = (cx[k1]! - cx[k0]!) / m;
      const my = (cy[k1]! - cy[k0]!) / m;
      const vxx = cxx[k1]! - cxx[k0]! - m * mx * mx;
      const vxy = cxy[k1]! - cxy[k0]! - m * mx * my;
      const vyy = cyy[k1]! - cyy[k0]! - m * my * my;
      if (!(vxx > 1e-9)) return undefined;
      const slope = vxy / vxx;
      const ss = Math.max(0, vyy - slope * vxy);
      const sd = Math.sqrt(ss / Math.max(1, m - 2));
      return { x0: mx, y0: my + zRef, slope, rms: Math.sqrt(ss / m), count: m, sigmaY0: sd / Math.sqrt(m), sigmaSlope: sd / Math.sqrt(vxx) };
    },
  };
}

/**
 * Kerb face position from the raw slab points near dGuess: each point is assigned to the lower or the upper
 * level (points in between - the face itself - are left out), and the face is put where the fewest points lie
 * on the wrong side.
 */
function locateFace(d: Float64Array, z: Float64Array, dGuess: number, lower: LineFit1, upper: LineFit1, rising: boolean): number {
  const cand: [number, number][] = [];
  for (let j = 0; j < d.length; j++) {
    const dj = d[j]!;
    if (dj < dGuess - 0.12 || dj > dGuess + 0.12) continue;
    const zl = lineValueAt(rising ? lower : upper, dj);
    const zu = lineValueAt(rising ? upper : lower, dj);
    const h = zu - zl;
    const t = (z[j]! - zl) / h;
    if (t < 0.3 && t > -1) cand.push([dj, rising ? 0 : 1]);
    else if (t > 0.7 && t < 2) cand.push([dj, rising ? 1 : 0]);
  }
  if (cand.length < 4) return dGuess;
  cand.sort((p, q) => p[0] - q[0]);
  // errors(k) = ones before k + zeros from k on; the face lies between cand[k-1] and cand[k].
  let zerosAfter = cand.reduce((s, c) => s + (c[1] === 0 ? 1 : 0), 0);
  let onesBefore = 0;
  let best = zerosAfter;
  let bestK = 0;
  for (let k = 1; k <= cand.length; k++) {
    if (cand[k - 1]![1] === 1) onesBefore++;
    else zerosAfter--;
    const err = onesBefore + zerosAfter;
    if (err < best) {
      best = err;
      bestK = k;
    }
  }
  if (bestK === 0) return cand[0]![0];
  if (bestK === cand.length) return cand[cand.length - 1]![0];
  return (cand[bestK - 1]![0] + cand[bestK]![0]) / 2;
}

/**
 * Height gradient across the section line (along the road) within the slab: per 0.5 m of distance a plane
 * z = a + b·d + g·t on the lower half of the points (the surface, not what stands on it), median of g.
 */
function slabGradient(sd: number[], sz: number[], st: number[], lengthM: number): number {
  const win = 0.5;
  const nb = Math.ceil(lengthM / win) + 1;
  const groups: number[][] = Array.from({ length: nb }, () => []);
  for (let k = 0; k < sd.length; k++) groups[Math.floor(sd[k]! / win)]!.push(k);
  const gs: number[] = [];
  for (const g of groups) {
    if (g.length < 12) continue;
    const zs = g.map((k) => sz[k]!).sort((a, b) => a - b);
    const cut = zs[Math.floor(zs.length / 2)]! + 0.02;
    const use = g.filter((k) => sz[k]! <= cut);
    if (use.length < 8) continue;
    let md = 0;
    let mt = 0;
    let mz = 0;
    for (const k of use) {
      md += sd[k]!;
      mt += st[k]!;
      mz += sz[k]!;
    }
    md /= use.length;
    mt /= use.length;
    mz /= use.length;
    let sdd = 0;
    let sdt = 0;
    let stt = 0;
    let sdz = 0;
    let stz = 0;
    for (const k of use) {
      const a = sd[k]! - md;
      const b = st[k]! - mt;
      const c = sz[k]! - mz;
      sdd += a * a;
      sdt += a * b;
      stt += b * b;
      sdz += a * c;
      stz += b * c;
    }
    const det = sdd * stt - sdt * sdt;
    if (!(det > 1e-12) || stt < use.length * 0.0025) continue;
    gs.push((stz * sdd - sdz * sdt) / det);
  }
  if (gs.length < 3) return 0;
  gs.sort((a, b) => a - b);
  const g = gs[Math.floor(gs.length / 2)]!;
  // Only a clear gradient is removed (slopes beyond 15 % are not roads).
  return Math.abs(g) < 0.15 ? g : 0;
}

function span(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}

function findNeighbour(value: Float64Array, b: number, dir: 1 | -1, maxSteps: number): number | undefined {
  for (let k = b + dir, s = 0; k >= 0 && k < value.length && s < maxSteps; k += dir, s++) {
    if (!Number.isNaN(value[k]!)) return value[k]!;
  }
  return undefined;
}

/** Smallest footpath kept in front of a detected edge, metres (footpaths are 1.5 m and wider). */
const FOOTPATH_MIN_M = 1.0;
/** Smallest change of slope at a footpath's outer edge that counts, as a fraction (0.3 pp). */
const FOOTPATH_EDGE_MIN_SLOPE_CHANGE = 0.003;
/**
 * F statistic (1 and n - passes - 2 degrees of freedom) a footpath edge must reach: above what a straight,
 * noisy surface reaches over the ~100 hinge positions tried (a chi-square with 1 degree of freedom exceeds 12
 * with probability 5e-4 per independent position).
 */
const FOOTPATH_EDGE_MIN_F = 12;

/**
 * The outer edge of a footpath grown from a kerb: the distance u from the kerb (the ground point at distance
 * `at(u)` along the section) where the surface over [near, reach] bends, or undefined when one line explains it.
 * Method: a hinge model z = a_pass + b·u + c·max(0, u − h) (continuous surface, one height offset per scanner
 * pass) is fitted by least squares on pass-centred sums for every hinge h every 2.5 cm (at least
 * FOOTPATH_MIN_M of footpath, 0.2 m beyond); the best hinge is kept when its bend c is at least 0.3 pp and
 * the drop in squared residuals against one line passes an F test.
 */
function footpathEdge(g: Ground, at: (u: number) => number, near: number, reach: number, skip: [number, number][]): number | undefined {
  const [d0, d1] = span(at(near), at(reach));
  const base = at(0);
  const us: number[] = [];
  const zs: number[] = [];
  const passes: number[] = [];
  for (let j = 0; j < g.d.length; j++) {
    const d = g.d[j]!;
    if (d < d0 || d > d1 || skip.some(([s0, s1]) => d > s0 && d < s1)) continue;
    us.push(Math.abs(d - base));
    zs.push(g.z[j]!);
    passes.push(g.pass ? g.pass[j]! : 0);
  }
  const n = us.length;
  if (n < 20) return undefined;
  // Pass-centred u and z (removes each pass's own height offset); h is centred per hinge below.
  const groups = new Map<number, { n: number; u: number; z: number }>();
  for (let k = 0; k < n; k++) {
    let q = groups.get(passes[k]!);
    if (!q) groups.set(passes[k]!, (q = { n: 0, u: 0, z: 0 }));
    q.n++;
    q.u += us[k]!;
    q.z += zs[k]!;
  }
  const uc = us.map((u, k) => u - groups.get(passes[k]!)!.u / groups.get(passes[k]!)!.n);
  const zc = zs.map((z, k) => z - groups.get(passes[k]!)!.z / groups.get(passes[k]!)!.n);
  let suu = 0;
  let suz = 0;
  let szz = 0;
  for (let k = 0; k < n; k++) {
    suu += uc[k]! * uc[k]!;
    suz += uc[k]! * zc[k]!;
    szz += zc[k]! * zc[k]!;
  }
  if (!(suu > 1e-9)) return undefined;
  const sseOne = Math.max(0, szz - (suz * suz) / suu);
  const dof = n - groups.size - 2;
  if (dof < 10) return undefined;
  let best: { h: number; sse: number; c: number } | undefined;
  const hmean = new Map<number, number>();
  for (let h = near + FOOTPATH_MIN_M; h <= reach - 0.2 + 1e-9; h += 0.025) {
    hmean.clear();
    for (const [key, q] of groups) hmean.set(key, 0 * q.n);
    for (let k = 0; k < n; k++) hmean.set(passes[k]!, hmean.get(passes[k]!)! + Math.max(0, us[k]! - h));
    let suh = 0;
    let shh = 0;
    let shz = 0;
    for (let k = 0; k < n; k++) {
      const q = groups.get(passes[k]!)!;
      const hc = Math.max(0, us[k]! - h) - hmean.get(passes[k]!)! / q.n;
      suh += uc[k]! * hc;
      shh += hc * hc;
      shz += hc * zc[k]!;
    }
    const det = suu * shh - suh * suh;
    if (!(det > 1e-12)) continue;
    const b = (suz * shh - shz * suh) / det;
    const c = (shz * suu - suz * suh) / det;
    const sse = Math.max(0, szz - b * suz - c * shz);
    if (!best || sse < best.sse) best = { h, sse, c };
  }
  if (!best || Math.abs(best.c) < FOOTPATH_EDGE_MIN_SLOPE_CHANGE || !(best.sse > 0)) return undefined;
  const f = (sseOne - best.sse) / (best.sse / dof);
  return f >= FOOTPATH_EDGE_MIN_F ? best.h : undefined;
}

/**
 * Cross-falls of the carriageway between a and b: a single line, or two lines meeting at a crown when that
 * explains the surface clearly better (slopes differ by more than 1 pp and the residual drops by 30 %).
 */
function carriagewayCrossfall(
  g: Ground,
  quick: { fit: (a: number, b: number) => LineFit1 | undefined },
  a: number,
  b: number,
  skip: [number, number][],
): { nearFrom: number; nearTo: number; halves: [[number, number], [number, number]] } | undefined {
  const one = fitGround(g, a, b, skip);
  if (!one) return undefined;
  const sse = (f: LineFit1 | undefined): number => (f ? f.rms * f.rms * f.count : Infinity);
  let best: { c: number; l: LineFit1; r: LineFit1; sse: number } | undefined;
  const crownGap = 0.15;
  // Note: the crown is searched with plain line fits from cumulative sums (fast); the slopes reported come
  // from the pass-aware fits at the chosen crown.
  const tryCrown = (c: number): void => {
    const l = quick.fit(a, c - crownGap);
    const r = quick.fit(c + crownGap, b);
    if (!l || !r) return;
    const s = sse(l) + sse(r);
    if (!best || s < best.sse) best = { c, l, r, sse: s };
  };
  // Coarse search every 0.25 m, then every 0.05 m around the best crown.
  for (let c = a + 0.5; c <= b - 0.5; c += 0.25) tryCrown(c);
  if (best) {
    const c0 = (best as { c: number }).c;
    for (let c = Math.max(a + 0.5, c0 - 0.25); c <= Math.min(b - 0.5, c0 + 0.25); c += 0.05) tryCrown(c);
  }
  if (best) {
    const cb = (best as { c: number }).c;
    const l = fitGround(g, a, cb - crownGap, skip);
    const r = fitGround(g, cb + crownGap, b, skip);
    if (l && r) best = { c: cb, l, r, sse: sse(l) + sse(r) };
  }
  if (best) {
    // Compare on the same points: the single line refitted without the crown zone.
    const oneSame = fitGround(g, a, b, [...skip, [best.c - crownGap, best.c + crownGap]]);
    if (oneSame && Math.abs(best.l.slope - best.r.slope) > 0.01 && best.sse < 0.7 * sse(oneSame)) {
      return { nearFrom: best.l.slope * 100, nearTo: -best.r.slope * 100, halves: [[a, best.c - crownGap], [best.c + crownGap, b]] };
    }
  }
  const mid = (a + b) / 2;
  return { nearFrom: one.slope * 100, nearTo: -one.slope * 100, halves: [[a, mid], [mid, b]] };
}

/**
 * A carriageway half's cross-fall is flagged as sparse when ground points cover less than this share of it or
 * less than CROSSFALL_MIN_BASE_M in all.
 */
const CROSSFALL_MIN_COVER = 0.6;
const CROSSFALL_MIN_BASE_M = 1.5;

/** Length of [a, b] covered by ground points, metres: the occupied bins outside `skip`. */
function groundCoverM(g: Ground, a: number, b: number, skip: readonly [number, number][]): number {
  const nb = g.start.length - 1;
  let covered = 0;
  for (let k = Math.max(0, Math.floor(a / g.binM)); k <= Math.min(nb - 1, Math.floor(b / g.binM)); k++) {
    const c = (k + 0.5) * g.binM;
    if (c < a || c > b || g.start[k + 1]! <= g.start[k]!) continue;
    if (skip.some(([s0, s1]) => c > s0 && c < s1)) continue;
    covered += g.binM;
  }
  return covered;
}
