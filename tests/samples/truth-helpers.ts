/**
 * Small measurement helpers for the sample tests, written independently of the generator: the street frame from
 * truth.json, robust statistics and least-squares fits on centroid-shifted coordinates.
 */

/** The street frame as truth.json states it. */
export interface TruthFrame {
  readonly originE: number;
  readonly originN: number;
  readonly bearingDeg: number;
}

/** Local (station u, offset v; right positive) of world (E, N) following truth.frame.formula. */
export function worldToStreet(frame: TruthFrame, e: number, n: number): [number, number] {
  const b = (frame.bearingDeg * Math.PI) / 180;
  const de = e - frame.originE;
  const dn = n - frame.originN;
  return [de * Math.sin(b) + dn * Math.cos(b), de * Math.cos(b) - dn * Math.sin(b)];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Robust standard deviation: 1.4826 × median absolute deviation. */
export function robustSigma(values: readonly number[]): number {
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

/** Solves a 3×3 linear system by Cramer's rule. */
function solve3(m: number[][], r: number[]): [number, number, number] {
  const det = (a: number[][]): number =>
    a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) -
    a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) +
    a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const d = det(m);
  const out: number[] = [];
  for (let c = 0; c < 3; c++) {
    const mc = m.map((row, i) => row.map((v, j) => (j === c ? r[i]! : v)));
    out.push(det(mc) / d);
  }
  return out as [number, number, number];
}

/**
 * Fits w = c0 + c1·p + c2·q by least squares on coordinates shifted to their centroid, then drops points whose
 * residual exceeds 3 robust sigmas and fits again. Returns the coefficients in the unshifted coordinates.
 */
export function fitLinear2(p: readonly number[], q: readonly number[], w: readonly number[]): { c: [number, number, number]; sigma: number; count: number } {
  let keep = p.map(() => true);
  let c: [number, number, number] = [0, 0, 0];
  let sigma = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    let mp = 0;
    let mq = 0;
    let mw = 0;
    for (let i = 0; i < p.length; i++) {
      if (!keep[i]) continue;
      n++;
      mp += p[i]!;
      mq += q[i]!;
      mw += w[i]!;
    }
    mp /= n;
    mq /= n;
    mw /= n;
    let spp = 0, spq = 0, sqq = 0, spw = 0, sqw = 0;
    for (let i = 0; i < p.length; i++) {
      if (!keep[i]) continue;
      const a = p[i]! - mp;
      const b = q[i]! - mq;
      const d = w[i]! - mw;
      spp += a * a;
      spq += a * b;
      sqq += b * b;
      spw += a * d;
      sqw += b * d;
    }
    const [, c1, c2] = solve3([[n, 0, 0], [0, spp, spq], [0, spq, sqq]], [0, spw, sqw]);
    c = [mw - c1 * mp - c2 * mq, c1, c2];
    const residuals = p.map((_, i) => w[i]! - (c[0] + c[1] * p[i]! + c[2] * q[i]!));
    sigma = robustSigma(residuals.filter((_, i) => keep[i]));
    keep = residuals.map((r) => Math.abs(r) <= 3 * sigma + 1e-9);
  }
  return { c, sigma, count: keep.filter(Boolean).length };
}

/** Fits w = c0 + c1·p by least squares (for short cross-section lines). */
export function fitLine(p: readonly number[], w: readonly number[]): [number, number] {
  const n = p.length;
  const mp = p.reduce((s, x) => s + x, 0) / n;
  const mw = w.reduce((s, x) => s + x, 0) / n;
  let spp = 0;
  let spw = 0;
  for (let i = 0; i < n; i++) {
    spp += (p[i]! - mp) ** 2;
    spw += (p[i]! - mp) * (w[i]! - mw);
  }
  const b = spw / spp;
  return [mw - b * mp, b];
}

/** Height of the street surface at (u, v) from truth.street (cross-section nodes, crown height and gradient). */
export function streetSurfaceZ(street: { crownZAtStation0: number; gradient: number; crossSection: { offsetM: number; zBeforeM: number; zAfterM: number }[] }, u: number, v: number): number {
  const nodes = street.crossSection;
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i]!;
    const b = nodes[i + 1]!;
    if (v >= a.offsetM && v < b.offsetM) {
      return street.crownZAtStation0 + street.gradient * u + a.zAfterM + ((b.zBeforeM - a.zAfterM) * (v - a.offsetM)) / (b.offsetM - a.offsetM);
    }
  }
  return NaN;
}
