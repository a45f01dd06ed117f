/**
 * Line fits: y = a + b·x by ordinary least squares (for profiles: height over distance) and the orthogonal
 * (total least squares) fit of a 2D line (for wall traces in plan).
 */

/** An OLS line y = y0 + slope·(x - x0), with x0 the mean abscissa of the fitted points. */
export interface LineFit1 {
  readonly x0: number;
  readonly y0: number;
  readonly slope: number;
  /** RMS of the vertical residuals. */
  readonly rms: number;
  readonly count: number;
  /** Standard error of y at x0 (rms / sqrt(count)). */
  readonly sigmaY0: number;
  /** Standard error of the slope. */
  readonly sigmaSlope: number;
}

/** Value of an OLS line at x. */
export function lineValueAt(line: LineFit1, x: number): number {
  return line.y0 + line.slope * (x - line.x0);
}

/** Standard error of an OLS line's value at x. */
export function lineSigmaAt(line: LineFit1, x: number): number {
  return Math.hypot(line.sigmaY0, line.sigmaSlope * (x - line.x0));
}

/**
 * Fits y = a + b·x by least squares on the points (xs[k], ys[k]) for k in [from, to) (all when omitted).
 * Undefined with fewer than 2 points or no x spread.
 */
export function fitLine1(xs: ArrayLike<number>, ys: ArrayLike<number>, from = 0, to = xs.length): LineFit1 | undefined {
  const n = to - from;
  if (n < 2) return undefined;
  let mx = 0;
  let my = 0;
  for (let k = from; k < to; k++) {
    mx += xs[k]!;
    my += ys[k]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let k = from; k < to; k++) {
    const dx = xs[k]! - mx;
    sxx += dx * dx;
    sxy += dx * (ys[k]! - my);
  }
  if (!(sxx > 0)) return undefined;
  const slope = sxy / sxx;
  let ss = 0;
  for (let k = from; k < to; k++) {
    const r = ys[k]! - my - slope * (xs[k]! - mx);
    ss += r * r;
  }
  const rms = Math.sqrt(ss / n);
  const s = n > 2 ? Math.sqrt(ss / (n - 2)) : rms;
  return { x0: mx, y0: my, slope, rms, count: n, sigmaY0: s / Math.sqrt(n), sigmaSlope: s / Math.sqrt(sxx) };
}

/** A 2D line through (x0, y0) with unit direction (dx, dy), fitted orthogonally. */
export interface LineFit2 {
  readonly x0: number;
  readonly y0: number;
  readonly dx: number;
  readonly dy: number;
  /** RMS of orthogonal residuals. */
  readonly rms: number;
  readonly count: number;
}

/** Orthogonal 2D line fit (principal axis of the points shifted to their centroid). */
export function fitLine2(xs: ArrayLike<number>, ys: ArrayLike<number>): LineFit2 | undefined {
  const n = xs.length;
  if (n < 2) return undefined;
  const ox = xs[0]!;
  const oy = ys[0]!;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < n; k++) {
    mx += xs[k]! - ox;
    my += ys[k]! - oy;
  }
  mx = mx / n + ox;
  my = my / n + oy;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = xs[k]! - mx;
    const dy = ys[k]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const dx = Math.cos(theta);
  const dy = Math.sin(theta);
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const r = -(xs[k]! - mx) * dy + (ys[k]! - my) * dx;
    ss += r * r;
  }
  return { x0: mx, y0: my, dx, dy, rms: Math.sqrt(ss / n), count: n };
}
