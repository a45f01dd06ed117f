/**
 * Synthetic buildings from analytic geometry with seeded noise: walls on sloped terrain, a roof skin with eave
 * overhang (soffit and fascia below/at its edge), gable overhang, an optional chimney, ground around. The truth
 * (Traufpunkt = wall face meets roof skin, ridge, parapet top, terrain at the corners) is analytic.
 */
import { createPrng, gaussian } from '../../../core/geometry/prng.ts';
import type { Point2 } from '../../../core/geometry/point3.ts';
import type { MeasurePoints } from '../../../core/measure/measure-points.ts';

export type SyntheticRoof = 'gable' | 'hip' | 'flat';

export interface SyntheticBuildingOptions {
  readonly roof: SyntheticRoof;
  readonly seed: number;
  readonly widthM?: number;
  readonly depthM?: number;
  readonly rotationDeg?: number;
  readonly pitchDeg?: number;
  readonly eaveNhn?: number;
  readonly overhangM?: number;
  readonly chimney?: boolean;
  readonly classified?: boolean;
  readonly noiseM?: number;
  /** Points per m² on roof, walls and ground. */
  readonly density?: number;
  /** Share of the far (v > depth/2) roof slope that is kept (street scanner occlusion), default 1. */
  readonly farSlopeShare?: number;
}

export interface SyntheticBuilding {
  readonly points: MeasurePoints;
  readonly footprint: Point2[];
  readonly truth: {
    readonly ridgeNhn: number;
    readonly eaveNhn: number;
    readonly terrainMin: number;
    readonly terrainMax: number;
    readonly chimneyTop?: number;
    /** Point on the street side (v = -5 m, middle of the front wall). */
    readonly street: Point2;
    readonly streetNhn: number;
    readonly frontFacadeTerrain: number;
  };
}

const E0 = 291512.3;
const N0 = 5744420.7;

export function makeBuilding(o: SyntheticBuildingOptions): SyntheticBuilding {
  const rnd = createPrng(o.seed);
  const W = o.widthM ?? 11;
  const D = o.depthM ?? 8;
  const rot = ((o.rotationDeg ?? 17) * Math.PI) / 180;
  const tanP = Math.tan(((o.pitchDeg ?? 40) * Math.PI) / 180);
  const zE = o.eaveNhn ?? 44.35;
  const oh = o.overhangM ?? 0.6;
  const noise = o.noiseM ?? 0.009;
  const dens = o.density ?? 250;
  const cu = Math.cos(rot);
  const su = Math.sin(rot);
  // Local (u along the width, v across the depth) to world.
  const toE = (u: number, v: number): number => E0 + cu * u - su * v;
  const toN = (u: number, v: number): number => N0 + su * u + cu * v;
  const terrain = (u: number, v: number): number => 38.2 + 0.025 * u - 0.015 * v;
  const parapetTop = zE + 0.55;
  const roofZ = (u: number, v: number): number => {
    if (o.roof === 'gable') return zE + tanP * Math.min(v, D - v);
    if (o.roof === 'hip') return zE + tanP * Math.min(u, W - u, v, D - v);
    return zE - 0.4 + 0.01 * v; // flat roof surface inside the parapet
  };
  const x: number[] = [];
  const y: number[] = [];
  const z: number[] = [];
  const c: number[] = [];
  const push = (u: number, v: number, h: number, cls: number): void => {
    x.push(toE(u, v) + gaussian(rnd) * noise);
    y.push(toN(u, v) + gaussian(rnd) * noise);
    z.push(h + gaussian(rnd) * noise);
    c.push(o.classified ? cls : 1);
  };
  const far = o.farSlopeShare ?? 1;
  // Roof skin.
  if (o.roof === 'flat') {
    const area = W * D;
    for (let k = 0; k < area * dens; k++) {
      const u = rnd() * W;
      const v = rnd() * D;
      const inner = Math.min(u, W - u, v, D - v);
      if (inner < 0.25) push(u, v, parapetTop, 6); // coping
      else push(u, v, roofZ(u, v), 6);
    }
    // Inner parapet faces.
    for (let k = 0; k < 2 * (W + D) * 0.9 * dens; k++) {
      const s = rnd() * 2 * (W + D);
      const h = rnd();
      const [u, v] = s < W ? [s, 0.25] : s < 2 * W ? [s - W, D - 0.25] : s < 2 * W + D ? [0.25, s - 2 * W] : [W - 0.25, s - 2 * W - D];
      const base = roofZ(u, v);
      push(u, v, base + h * (parapetTop - base), 6);
    }
  } else {
    const u0 = o.roof === 'gable' ? -0.4 : -oh;
    const u1 = o.roof === 'gable' ? W + 0.4 : W + oh;
    const area = (u1 - u0) * (D + 2 * oh) * Math.sqrt(1 + tanP * tanP);
    for (let k = 0; k < area * dens; k++) {
      const u = u0 + rnd() * (u1 - u0);
      const v = -oh + rnd() * (D + 2 * oh);
      if (v > D / 2 && rnd() > far) continue;
      push(u, v, roofZ(u, v), 6);
    }
    // Soffit (underside of the overhang, 0.25 m below the skin) and fascia at the eave edges.
    for (let k = 0; k < (u1 - u0) * oh * 2 * dens; k++) {
      const u = u0 + rnd() * (u1 - u0);
      const side = rnd() < 0.5;
      const v = side ? -rnd() * oh : D + rnd() * oh;
      push(u, v, roofZ(u, v) - 0.25, 6);
    }
    for (let k = 0; k < (u1 - u0) * 0.25 * 2 * dens; k++) {
      const u = u0 + rnd() * (u1 - u0);
      const v = rnd() < 0.5 ? -oh : D + oh;
      push(u, v, roofZ(u, v) - rnd() * 0.25, 6);
    }
  }
  // Walls from the terrain up to the roof skin (gable triangles included) or the parapet top.
  const wallTop = (u: number, v: number): number => (o.roof === 'flat' ? parapetTop : roofZ(u, v));
  const per = 2 * (W + D);
  for (let k = 0; k < per * 7 * dens; k++) {
    const s = rnd() * per;
    const [u, v] = s < W ? [s, 0] : s < 2 * W ? [s - W, D] : s < 2 * W + D ? [0, s - 2 * W] : [W, s - 2 * W - D];
    const lo = terrain(u, v);
    const hi = wallTop(u, v);
    const h = lo + rnd() * 7.5;
    if (h > hi) continue;
    // Windows: holes with reveals 0.15 m behind the facade.
    const inWindow = (Math.floor(s / 1.6) % 2 === 0) && ((h - lo) % 2.8) > 1.0 && ((h - lo) % 2.8) < 2.2;
    if (inWindow) {
      const inward = 0.15;
      const uu = v === 0 || v === D ? u : u === 0 ? inward : W - inward;
      const vv = v === 0 ? inward : v === D ? D - inward : v;
      if (rnd() < 0.3) push(uu, vv, h, 6);
      continue;
    }
    push(u, v, h, 6);
  }
  // Chimney on the front slope.
  let chimneyTop: number | undefined;
  if (o.chimney && o.roof !== 'flat') {
    const cu0 = W * 0.3;
    const cv0 = D / 2 - 1.2;
    chimneyTop = zE + tanP * (D / 2) + 0.9;
    for (let k = 0; k < 2500; k++) {
      const f = rnd() * 4;
      const t = rnd() * 0.6;
      const [u, v] = f < 1 ? [cu0 + t, cv0] : f < 2 ? [cu0 + t, cv0 + 0.6] : f < 3 ? [cu0, cv0 + t] : [cu0 + 0.6, cv0 + t];
      const base = roofZ(u, v);
      push(u, v, base + rnd() * (chimneyTop - base), 6);
    }
    for (let k = 0; k < 150; k++) push(cu0 + rnd() * 0.6, cv0 + rnd() * 0.6, chimneyTop, 6);
  }
  // Ground: 3 m around, 6 m on the street side (v < 0); none inside the walls.
  for (let k = 0; k < (W + 6) * (D + 9) * dens * 0.8; k++) {
    const u = -3 + rnd() * (W + 6);
    const v = -6 + rnd() * (D + 9);
    if (u > 0 && u < W && v > 0 && v < D) continue;
    push(u, v, terrain(u, v), 2);
  }
  const corners: [number, number][] = [[0, 0], [W, 0], [W, D], [0, D]];
  const tc = corners.map(([u, v]) => terrain(u, v));
  const ridge = o.roof === 'gable' ? zE + (tanP * D) / 2 : o.roof === 'hip' ? zE + (tanP * D) / 2 : parapetTop;
  const frontMid: [number, number] = [W / 2, -5];
  return {
    points: { x: Float64Array.from(x), y: Float64Array.from(y), z: Float64Array.from(z), classification: Uint8Array.from(c) },
    // Clockwise and closed on purpose: the measurement must not depend on orientation.
    footprint: [...corners].reverse().concat([corners[3]!]).map(([u, v]) => [toE(u, v), toN(u, v)] as Point2),
    truth: {
      ridgeNhn: ridge,
      eaveNhn: o.roof === 'flat' ? parapetTop : zE,
      terrainMin: Math.min(...tc),
      terrainMax: Math.max(...tc),
      ...(chimneyTop !== undefined ? { chimneyTop } : {}),
      street: [toE(frontMid[0], frontMid[1]), toN(frontMid[0], frontMid[1])],
      streetNhn: terrain(frontMid[0], frontMid[1]),
      frontFacadeTerrain: (terrain(0, 0) + terrain(W, 0)) / 2,
    },
  };
}
