/**
 * The mobile-mapping scanner: a vehicle driving the street in two passes (one per direction) carrying two
 * profile scanners whose scan planes contain the vehicle's up axis and are yawed ±β against the across-track
 * direction (the "X" or butterfly layout of MMS systems). Every ray is cast into the analytic scene; the return
 * gets range noise along the ray, a rigid per-pass misalignment, and at depth discontinuities a fraction of rays
 * become mixed pixels (a range between foreground and background).
 */
import type { SceneLayout } from './layout.ts';
import { groundZ, profileNodes } from './layout.ts';
import type { Rng } from './Rng.ts';
import type { Scene } from './scene.ts';
import { REFLECTANCE, castRay, createHit } from './scene.ts';
import type { PointBuffer } from './PointBuffer.ts';

/** Scanner and vehicle settings of one epoch. */
export interface ScannerSettings {
  /** Profiles per second of each of the two scanners. */
  readonly profileRateHz: number;
  /** Angular step within a profile, degrees. */
  readonly angularStepDeg: number;
  /** Half-angle around straight down that the vehicle body hides, degrees. */
  readonly blockedHalfAngleDeg: number;
  /** Yaw of the scan planes against the across-track direction, degrees (±). */
  readonly planeYawDeg: number;
  readonly maxRangeM: number;
  /** Range noise standard deviation along the ray, m. */
  readonly rangeNoiseM: number;
  /** Probability that a ray at an edge (another surface, range jump > 0.3 m) becomes a mixed pixel. */
  readonly mixedPixelRate: number;
  /** Scanner centre above the road surface, m. */
  readonly sensorHeightM: number;
}

/** One pass of the vehicle. */
export interface PassPlan {
  /** 1 or 2. */
  readonly index: number;
  /** +1: driving towards increasing station; -1: decreasing. */
  readonly direction: 1 | -1;
  /** Lane offset, m. */
  readonly laneV: number;
  readonly speedMps: number;
  readonly startU: number;
  readonly endU: number;
  /** Start time, adjusted standard GPS seconds. */
  readonly startTime: number;
  readonly wanderAmpM: number;
  readonly wanderPeriodS: number;
  readonly wanderPhase: number;
  /** Rigid misalignment added to every point of this pass, local (du, dv, dz), m. */
  readonly offsetLocal: readonly [number, number, number];
  /** Phase of the angular grid, fraction of a step. */
  readonly anglePhase: number;
}

/** Vehicle pose at a time: position in the local frame and angles (local yaw from +u towards +v, pitch, roll). */
export interface Pose {
  u: number;
  v: number;
  z: number;
  yaw: number;
  pitch: number;
  roll: number;
}

const TRACK_HALF_M = 0.8;

/** Pose of the scanner centre of a pass at time t (analytic trajectory). */
export function passPose(layout: SceneLayout, settings: ScannerSettings, pass: PassPlan, t: number, out: Pose, nodes = profileNodes(layout)): Pose {
  const s = t - pass.startTime;
  const w = (2 * Math.PI) / pass.wanderPeriodS;
  const u = pass.startU + pass.direction * pass.speedMps * s;
  const v = pass.laneV + pass.wanderAmpM * Math.sin(w * s + pass.wanderPhase);
  const dv = pass.wanderAmpM * w * Math.cos(w * s + pass.wanderPhase);
  const yaw = Math.atan2(dv, pass.direction * pass.speedMps);
  // Wheels on the road surface: roll from the heights under the left and right wheels (right side down > 0).
  const rightV = v + pass.direction * TRACK_HALF_M;
  const leftV = v - pass.direction * TRACK_HALF_M;
  const zRight = groundZ(layout, u, rightV, nodes);
  const zLeft = groundZ(layout, u, leftV, nodes);
  out.u = u;
  out.v = v;
  out.z = (zRight + zLeft) / 2 + settings.sensorHeightM;
  out.yaw = yaw;
  out.pitch = Math.atan(layout.gradient * pass.direction);
  out.roll = Math.atan((zLeft - zRight) / (2 * TRACK_HALF_M));
  return out;
}

/** Time span of a pass, s. */
export function passDuration(pass: PassPlan): number {
  return Math.abs(pass.endU - pass.startU) / pass.speedMps;
}

const clamp16 = (x: number): number => (x < 0 ? 0 : x > 65535 ? 65535 : Math.round(x));

/**
 * Scans one pass into `out`: for every profile of both scanners, casts the rays, applies mixed pixels, range
 * noise and the pass misalignment. `rng` drives noise, mixing and crown porosity.
 */
export function scanPass(layout: SceneLayout, scene: Scene, settings: ScannerSettings, pass: PassPlan, rng: Rng, out: PointBuffer): void {
  const nodes = profileNodes(layout);
  const duration = passDuration(pass);
  const period = 1 / settings.profileRateHz;
  const step = (settings.angularStepDeg * Math.PI) / 180;
  const raysPerProfile = Math.floor((2 * Math.PI) / step);
  const blocked = (settings.blockedHalfAngleDeg * Math.PI) / 180;
  const beta = (settings.planeYawDeg * Math.PI) / 180;
  const hit = createHit();
  const p0: Pose = { u: 0, v: 0, z: 0, yaw: 0, pitch: 0, roll: 0 };
  const p1: Pose = { u: 0, v: 0, z: 0, yaw: 0, pitch: 0, roll: 0 };
  const [offU, offV, offZ] = pass.offsetLocal;
  const profiles = Math.floor(duration / period);
  // Profiles in time order; the second scanner runs half a period behind the first.
  for (let pi = 0; pi < profiles; pi++) {
    for (let scanner = 0; scanner < 2; scanner++) {
      const sideSign = scanner === 0 ? 1 : -1;
      const tp = pass.startTime + pi * period + scanner * period * 0.5;
      passPose(layout, settings, pass, tp, p0, nodes);
      passPose(layout, settings, pass, tp + period, p1, nodes);
      const cy = Math.cos(p0.yaw);
      const sy = Math.sin(p0.yaw);
      const cp = Math.cos(p0.pitch);
      const sp = Math.sin(p0.pitch);
      const cr = Math.cos(p0.roll);
      const sr = Math.sin(p0.roll);
      // Vehicle axes in the local frame: forward F (the yaw already holds the driving direction), right R, up U.
      const fx = cp * cy;
      const fy = cp * sy;
      const fz = sp;
      // Horizontal right of F (rotate F's heading by +90° towards +v).
      const hx0 = Math.hypot(fx, fy);
      const r0x = -fy / hx0;
      const r0y = fx / hx0;
      const r0z = 0;
      // U0 = F × R0 (right-handed in the (u, v, z) components).
      const u0x = fy * r0z - fz * r0y;
      const u0y = fz * r0x - fx * r0z;
      const u0z = fx * r0y - fy * r0x;
      // Roll about F, right side down for positive roll.
      const rx = cr * r0x - sr * u0x;
      const ry = cr * r0y - sr * u0y;
      const rz = cr * r0z - sr * u0z;
      const ux = sr * r0x + cr * u0x;
      const uy = sr * r0y + cr * u0y;
      const uz = sr * r0z + cr * u0z;
      const cb = Math.cos(beta);
      const sb = Math.sin(beta) * sideSign;
      const hx = cb * rx + sb * fx;
      const hy = cb * ry + sb * fy;
      const hz = cb * rz + sb * fz;
      out.ensure(raysPerProfile);
      let previous = NaN;
      let previousId = -2;
      for (let k = 0; k < raysPerProfile; k++) {
        const theta = (k + pass.anglePhase) * step;
        if (Math.abs(theta - Math.PI) < blocked) {
          previous = NaN;
          continue;
        }
        const ct = Math.cos(theta);
        const st = Math.sin(theta);
        let dx = ct * ux + st * hx;
        let dy = ct * uy + st * hy;
        let dz = ct * uz + st * hz;
        const dl = Math.hypot(dx, dy, dz);
        dx /= dl;
        dy /= dl;
        dz /= dl;
        const frac = theta / (2 * Math.PI);
        const ou = p0.u + (p1.u - p0.u) * frac;
        const ov = p0.v + (p1.v - p0.v) * frac;
        const oz = p0.z + (p1.z - p0.z) * frac;
        if (!castRay(scene, ou, ov, oz, dx, dy, dz, settings.maxRangeM, rng, hit)) {
          previous = NaN;
          continue;
        }
        let range = hit.t;
        let cls = hit.cls;
        let reflect = REFLECTANCE[hit.material]!;
        let cosInc = Math.abs(hit.nx * dx + hit.ny * dy + hit.nz * dz);
        let cr8 = hit.r;
        let cg8 = hit.g;
        let cb8 = hit.b;
        // Note: only a change of surface counts as an edge; a continuous surface seen at grazing incidence also
        // has large range steps between neighbouring rays but no mixed pixels.
        if (!Number.isNaN(previous) && hit.id !== previousId && Math.abs(range - previous) > 0.3 && rng.chance(settings.mixedPixelRate)) {
          // Mixed pixel: the footprint straddles the edge and the range lands between both surfaces.
          const near = Math.min(range, previous);
          range = near + rng.uniform(0.15, 0.85) * Math.abs(range - previous);
          cls = 7;
          reflect *= 0.5;
          cosInc = 0.5;
          cr8 = cg8 = cb8 = 90;
        }
        previous = hit.t;
        previousId = hit.id;
        const measured = range + rng.normal(settings.rangeNoiseM);
        const n = out.count;
        out.u[n] = ou + measured * dx + offU;
        out.v[n] = ov + measured * dy + offV;
        out.z[n] = oz + measured * dz + offZ;
        out.gpsTime[n] = tp + frac * period;
        const falloff = 1 / Math.sqrt(1 + (range / 40) * (range / 40));
        out.intensity[n] = clamp16(65535 * reflect * (0.2 + 0.8 * cosInc) * falloff * (1 + rng.normal(0.04)));
        const shade = 1 + rng.normal(0.05);
        out.red[n] = clamp16(cr8 * 257 * shade);
        out.green[n] = clamp16(cg8 * 257 * shade);
        out.blue[n] = clamp16(cb8 * 257 * shade);
        out.classification[n] = cls;
        out.scannerChannel[n] = scanner;
        out.userData[n] = pass.index;
        // LAS 1.4 scan angle in 0.006° units, 0 = straight down, positive towards the scan-plane axis h.
        out.scanAngle[n] = Math.round(((theta - Math.PI) * 180) / Math.PI / 0.006);
        out.count = n + 1;
      }
    }
  }
}

/** Draws the two passes of an epoch (lanes, speeds, wander, misalignment) from the epoch's random stream. */
export function planPasses(layout: SceneLayout, rng: Rng, startTime: number): PassPlan[] {
  const laneRight = layout.right.kerbOffsetM / 2 + rng.uniform(-0.15, 0.15);
  const laneLeft = -rng.uniform(0.1, 0.4);
  // Misalignment: the two passes differ by a vector of 1-2 cm; each pass carries half of it with opposite signs.
  const mag = rng.uniform(0.011, 0.019);
  const az = rng.uniform(0, 2 * Math.PI);
  const el = rng.uniform(-0.6, 0.6);
  const delta: [number, number, number] = [mag * Math.cos(el) * Math.cos(az), mag * Math.cos(el) * Math.sin(az), mag * Math.sin(el)];
  const plans: PassPlan[] = [];
  let t = startTime;
  for (const index of [1, 2]) {
    const direction: 1 | -1 = index === 1 ? 1 : -1;
    const startU = direction > 0 ? -15 : layout.lengthM + 15;
    const endU = direction > 0 ? layout.lengthM + 15 : -15;
    const half = index === 1 ? 0.5 : -0.5;
    const plan: PassPlan = {
      index,
      direction,
      laneV: index === 1 ? laneRight : laneLeft,
      speedMps: rng.uniform(6, 9),
      startU,
      endU,
      startTime: t,
      wanderAmpM: rng.uniform(0.02, 0.08),
      wanderPeriodS: rng.uniform(8, 15),
      wanderPhase: rng.uniform(0, 2 * Math.PI),
      offsetLocal: [delta[0] * half, delta[1] * half, delta[2] * half],
      anglePhase: rng.next(),
    };
    plans.push(plan);
    t += passDuration(plan) + rng.uniform(40, 90);
  }
  return plans;
}
