/**
 * A synthetic street cross-section built from analytic geometry, with seeded noise: footpath, kerb, gutter,
 * crowned carriageway, gutter, lower kerb, footpath, verge; a parked car, a pedestrian, a bush and low noise.
 * The truth is analytic, so the tests compare against known values, not against the code's own output.
 */
import { createPrng, gaussian } from '../../../core/geometry/prng.ts';
import type { MeasurePoints } from '../../../core/measure/measure-points.ts';

export const STREET = {
  e0: 291400.0,
  n0: 5744300.0,
  base: 38.0,
  lengthM: 16,
  kerbFromD: 3.0,
  kerbToD: 11.0,
  kerbFromH: 0.12,
  kerbToH: 0.08,
  gutterW: 0.3,
  gutterSlope: 0.05,
  crownD: 7.0,
  carriagewayFall: 0.025,
  footFromFall: 0.02,
  footToFall: 0.015,
  verge: [14.0, 16.0] as const,
  car: [8.5, 10.3] as const,
} as const;

/** Analytic ground height at distance d across the street (without noise). */
export function streetHeight(d: number): number {
  const s = STREET;
  const g1 = s.base; // gutter level at the from kerb face
  const crownH = g1 + s.gutterSlope * s.gutterW + s.carriagewayFall * (s.crownD - s.kerbFromD - s.gutterW);
  const g2Edge = crownH - s.carriagewayFall * (s.kerbToD - s.gutterW - s.crownD);
  const g2 = g2Edge - s.gutterSlope * s.gutterW; // gutter level at the to kerb face
  if (d < s.kerbFromD) return g1 + s.kerbFromH + s.footFromFall * (s.kerbFromD - d);
  if (d < s.kerbFromD + s.gutterW) return g1 + s.gutterSlope * (d - s.kerbFromD);
  if (d < s.crownD) return g1 + s.gutterSlope * s.gutterW + s.carriagewayFall * (d - s.kerbFromD - s.gutterW);
  if (d < s.kerbToD - s.gutterW) return crownH - s.carriagewayFall * (d - s.crownD);
  if (d < s.kerbToD) return g2Edge - s.gutterSlope * (d - (s.kerbToD - s.gutterW));
  const top = g2 + s.kerbToH;
  if (d < s.verge[0]) return top + s.footToFall * (d - s.kerbToD);
  return top + s.footToFall * (s.verge[0] - s.kerbToD) + 0.04 * (d - s.verge[0]);
}

/** Gutter level at each kerb face (analytic). */
export function streetGutterAt(d: number): number {
  return d < STREET.crownD ? streetHeight(d + 1e-9) : streetHeight(d - 1e-9);
}

export interface StreetOptions {
  readonly seed: number;
  /** Rotation of the street frame, degrees (the section runs along the rotated E axis). */
  readonly rotationDeg?: number;
  readonly noiseM?: number;
  readonly density?: number;
  readonly withObjects?: boolean;
}

/** Points of the street in world coordinates, plus the section line and the frame transform. */
export function makeStreet(opts: StreetOptions): { points: MeasurePoints; from: [number, number]; to: [number, number] } {
  const rnd = createPrng(opts.seed);
  const noise = opts.noiseM ?? 0.009;
  const density = opts.density ?? 3000;
  const rot = ((opts.rotationDeg ?? 0) * Math.PI) / 180;
  const ux = Math.cos(rot);
  const uy = Math.sin(rot);
  const x: number[] = [];
  const y: number[] = [];
  const z: number[] = [];
  const cls: number[] = [];
  const push = (d: number, t: number, h: number, c = 1): void => {
    const dd = d + gaussian(rnd) * noise * 0.5;
    const tt = t + gaussian(rnd) * noise * 0.5;
    x.push(STREET.e0 + ux * dd - uy * tt);
    y.push(STREET.n0 + uy * dd + ux * tt);
    z.push(h + gaussian(rnd) * noise);
    cls.push(c);
  };
  const widthT = 0.5;
  const nGround = Math.round(STREET.lengthM * widthT * density);
  const [c0, c1] = STREET.car;
  for (let k = 0; k < nGround; k++) {
    const d = rnd() * STREET.lengthM;
    const t = (rnd() - 0.5) * widthT;
    if (opts.withObjects && d > c0 && d < c1) continue; // occluded under the car
    push(d, t, streetHeight(d));
  }
  // Kerb faces (vertical) as the scanner sees them.
  for (const [kd, fromSide] of [[STREET.kerbFromD, true], [STREET.kerbToD, false]] as const) {
    const lo = streetGutterAt(kd);
    const hi = fromSide ? lo + STREET.kerbFromH : lo + STREET.kerbToH;
    for (let k = 0; k < widthT * 300; k++) push(kd, (rnd() - 0.5) * widthT, lo + rnd() * (hi - lo));
  }
  if (opts.withObjects) {
    const g = streetHeight(c0 - 0.01);
    // Parked car: near side face, roof, bonnet edge.
    for (let k = 0; k < 4000; k++) push(c0 + rnd() * 0.05, (rnd() - 0.5) * widthT, g + 0.3 + rnd() * 1.0);
    for (let k = 0; k < 4000; k++) push(c0 + 0.2 + rnd() * (c1 - c0 - 0.4), (rnd() - 0.5) * widthT, g + 1.45);
    // Pedestrian on the from footpath.
    for (let k = 0; k < 3000; k++) {
      const d = 1.0 + rnd() * 0.3;
      push(d, (rnd() - 0.5) * 0.3, streetHeight(d) + 0.02 + rnd() * 1.75);
    }
    // Bush over the verge.
    for (let k = 0; k < 3000; k++) {
      const d = 14.6 + rnd() * 0.8;
      push(d, (rnd() - 0.5) * widthT, streetHeight(d) + 0.25 + rnd() * 0.9);
    }
    // Low noise (multipath) below the surface.
    for (let k = 0; k < 15; k++) {
      const d = rnd() * STREET.lengthM;
      push(d, (rnd() - 0.5) * 0.2, streetHeight(d) - 0.2 - rnd() * 0.5);
    }
  }
  const from: [number, number] = [STREET.e0, STREET.n0];
  const to: [number, number] = [STREET.e0 + ux * STREET.lengthM, STREET.n0 + uy * STREET.lengthM];
  return {
    points: {
      x: Float64Array.from(x),
      y: Float64Array.from(y),
      z: Float64Array.from(z),
      classification: Uint8Array.from(cls),
    },
    from,
    to,
  };
}
