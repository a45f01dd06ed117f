/**
 * The synthetic mobile-mapping drive: a Meerbusch-like street in EPSG:25832 scanned in two epochs (2023 and 2025)
 * with ground truth. Pure and deterministic: the same seed and options give the same points and truth.
 *
 * @example
 * const sample = generateSample({ seed: 7, density: 0.1 });
 * const drive2023 = sample.epochs[0].points; // PointColumns, float64 world coordinates
 * const eave = sample.truth.buildings[0].eaves[0].heightZ;
 */
import type { PointColumns } from '../../core/las/point-columns.ts';
import { UTM32N_DHHN2016_WKT } from '../../core/crs/known-wkt.ts';
import type { SceneLayout } from './layout.ts';
import { applyChange, drawLayout, profileNodes } from './layout.ts';
import { Rng } from './Rng.ts';
import { buildScene } from './scene.ts';
import type { PassPlan, ScannerSettings } from './scanner.ts';
import { passDuration, passPose, planPasses, scanPass } from './scanner.ts';
import { PointBuffer } from './PointBuffer.ts';
import type { EpochTruthInput } from './truth.ts';
import { buildTruth } from './truth.ts';

export { toLocal, toWorld } from './frame.ts';
export type { StreetFrame } from './frame.ts';
export { drawLayout } from './layout.ts';
export type { SceneLayout } from './layout.ts';

/** Generator version written into truth.json; bump it whenever the output bytes change for a seed. */
export const GENERATOR_VERSION = '1.0.0';

/** Epoch names. */
export type EpochName = '2023' | '2025';

/** Options of {@link generateSample}. */
export interface GenerateSampleOptions {
  /** Integer seed; every layout parameter and all noise follow from it. */
  readonly seed: number;
  /**
   * Fraction of the full profile rate (default 1 = a few million points per epoch). 0.05-0.2 gives small drives
   * for tests; the scene and truth do not depend on it.
   */
  readonly density?: number;
  /** Epochs to scan, default both. The truth always describes both. */
  readonly epochs?: readonly EpochName[];
}

/** The vehicle trajectory of an epoch as columns (scanner centre; angles in degrees). */
export interface Trajectory {
  readonly count: number;
  /** Adjusted standard GPS time (GPS seconds - 1e9), s. */
  readonly time: Float64Array;
  readonly e: Float64Array;
  readonly n: Float64Array;
  /** Height of the scanner centre, m NHN. */
  readonly h: Float64Array;
  /** Heading, degrees clockwise from grid north. */
  readonly headingDeg: Float64Array;
  /** Pitch, degrees, nose up positive. */
  readonly pitchDeg: Float64Array;
  /** Roll, degrees, right side down positive. */
  readonly rollDeg: Float64Array;
}

/** One scanned epoch. */
export interface SampleEpoch {
  readonly name: EpochName;
  /** Point source ID of every point: 1 for 2023, 2 for 2025. */
  readonly pointSourceId: number;
  /** Acquisition date (fixed), YYYY-MM-DD; also the LAS creation date. */
  readonly date: string;
  readonly points: PointColumns;
  readonly trajectory: Trajectory;
}

/** Result of {@link generateSample}: the scanned epochs and the truth object written as truth.json. */
export interface Sample {
  readonly seed: number;
  readonly epochs: readonly SampleEpoch[];
  // Note: the truth is plain JSON data; its shape is documented in samples/README.md.
  readonly truth: SampleTruth;
  readonly layout: SceneLayout;
}

/** truth.json content (see samples/README.md for every field). */
export type SampleTruth = Record<string, unknown> & { readonly seed: number; readonly version: string };

const EPOCHS: Readonly<Record<EpochName, { pointSourceId: number; date: string; startUtc: number; stream: number }>> = {
  '2023': { pointSourceId: 1, date: '2023-06-14', startUtc: Date.UTC(2023, 5, 14, 8, 30, 0), stream: 2023 },
  '2025': { pointSourceId: 2, date: '2025-05-20', startUtc: Date.UTC(2025, 4, 20, 9, 10, 0), stream: 2025 },
};

/** Adjusted standard GPS time (s) of a UTC instant in ms: GPS epoch 1980-01-06, 18 leap seconds since 2017. */
export function utcToAdjustedGpsTime(utcMs: number): number {
  return utcMs / 1000 - 315964800 + 18 - 1e9;
}

const TRAJECTORY_RATE_HZ = 100;

function drawSettings(rng: Rng, density: number): ScannerSettings {
  return {
    profileRateHz: 100 * density,
    angularStepDeg: 0.4,
    blockedHalfAngleDeg: 35,
    planeYawDeg: rng.uniform(35, 45),
    maxRangeM: 70,
    rangeNoiseM: rng.uniform(0.008, 0.01),
    mixedPixelRate: 0.3,
    sensorHeightM: rng.uniform(2.5, 2.9),
  };
}

function sampleTrajectory(layout: SceneLayout, settings: ScannerSettings, passes: readonly PassPlan[]): Trajectory {
  const nodes = profileNodes(layout);
  const times: number[] = [];
  const owner: PassPlan[] = [];
  for (const pass of passes) {
    const steps = Math.floor(passDuration(pass) * TRAJECTORY_RATE_HZ);
    for (let k = 0; k <= steps; k++) {
      times.push(pass.startTime + k / TRAJECTORY_RATE_HZ);
      owner.push(pass);
    }
  }
  const count = times.length;
  const t: Trajectory = {
    count,
    time: Float64Array.from(times),
    e: new Float64Array(count),
    n: new Float64Array(count),
    h: new Float64Array(count),
    headingDeg: new Float64Array(count),
    pitchDeg: new Float64Array(count),
    rollDeg: new Float64Array(count),
  };
  const pose = { u: 0, v: 0, z: 0, yaw: 0, pitch: 0, roll: 0 };
  const b = (layout.bearingDeg * Math.PI) / 180;
  for (let i = 0; i < count; i++) {
    passPose(layout, settings, owner[i]!, times[i]!, pose, nodes);
    t.e[i] = layout.originE + pose.u * Math.sin(b) + pose.v * Math.cos(b);
    t.n[i] = layout.originN + pose.u * Math.cos(b) - pose.v * Math.sin(b);
    t.h[i] = pose.z;
    const heading = layout.bearingDeg + (pose.yaw * 180) / Math.PI;
    t.headingDeg[i] = ((heading % 360) + 360) % 360;
    t.pitchDeg[i] = (pose.pitch * 180) / Math.PI;
    t.rollDeg[i] = (pose.roll * 180) / Math.PI;
  }
  return t;
}

/** Trajectory as CSV text: a header naming units, then time,E,N,H,heading,pitch,roll per line. */
export function formatTrajectoryCsv(t: Trajectory): string {
  const lines = ['time_gps_adjusted_s,E_m,N_m,H_m_NHN,heading_deg,pitch_deg,roll_deg'];
  for (let i = 0; i < t.count; i++) {
    lines.push(
      `${t.time[i]!.toFixed(4)},${t.e[i]!.toFixed(4)},${t.n[i]!.toFixed(4)},${t.h[i]!.toFixed(4)},${t.headingDeg[i]!.toFixed(5)},${t.pitchDeg[i]!.toFixed(5)},${t.rollDeg[i]!.toFixed(5)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Generates the sample drive: layout from the seed, both epochs scanned, truth computed. */
export function generateSample(options: GenerateSampleOptions): Sample {
  const { seed } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`Invalid seed: ${seed} (an integer 0-4294967295)`);
  const density = options.density ?? 1;
  if (!(density > 0 && density <= 4)) throw new Error(`Invalid density: ${density} (0 < density <= 4)`);
  const wanted = options.epochs ?? ['2023', '2025'];
  const layout = drawLayout(seed);
  const epochs: SampleEpoch[] = [];
  const epochTruth: EpochTruthInput[] = [];
  for (const name of ['2023', '2025'] as const) {
    const info = EPOCHS[name];
    const rng = new Rng(seed, info.stream);
    const settings = drawSettings(rng, density);
    const passes = planPasses(layout, rng, utcToAdjustedGpsTime(info.startUtc));
    const epochLayout = name === '2025' ? applyChange(layout) : layout;
    let pointCount = 0;
    if (wanted.includes(name)) {
      const scene = buildScene(epochLayout, name === '2025');
      const buffer = new PointBuffer();
      const scanRng = new Rng(seed, info.stream + 1);
      for (const pass of passes) scanPass(epochLayout, scene, settings, pass, scanRng, buffer);
      const points = toWorldColumns(layout, buffer, info.pointSourceId);
      pointCount = points.count;
      epochs.push({ name, pointSourceId: info.pointSourceId, date: info.date, points, trajectory: sampleTrajectory(layout, settings, passes) });
    }
    const b = (layout.bearingDeg * Math.PI) / 180;
    epochTruth.push({
      name,
      pointSourceId: info.pointSourceId,
      date: info.date,
      pointCount,
      scanner: { ...settings, density },
      passes: passes.map((p) => {
        const [du, dv, dz] = p.offsetLocal;
        return {
          index: p.index,
          userData: p.index,
          direction: p.direction > 0 ? 'increasing station' : 'decreasing station',
          startTime: p.startTime,
          endTime: p.startTime + passDuration(p),
          laneOffsetM: p.laneV,
          speedMps: p.speedMps,
          offsetLocal: { du, dv, dz },
          offset: { dE: du * Math.sin(b) + dv * Math.cos(b), dN: du * Math.cos(b) - dv * Math.sin(b), dZ: dz },
        };
      }),
    });
  }
  const truth = buildTruth(layout, { generator: 'twinview samples', version: GENERATOR_VERSION, crsWkt: UTM32N_DHHN2016_WKT }, epochTruth) as SampleTruth;
  return { seed, epochs, truth, layout };
}

function toWorldColumns(layout: SceneLayout, buffer: PointBuffer, pointSourceId: number): PointColumns {
  const count = buffer.count;
  const b = (layout.bearingDeg * Math.PI) / 180;
  const s = Math.sin(b);
  const c = Math.cos(b);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = buffer.u[i]!;
    const v = buffer.v[i]!;
    x[i] = layout.originE + u * s + v * c;
    y[i] = layout.originN + u * c - v * s;
  }
  return {
    count,
    x,
    y,
    z: buffer.z.slice(0, count),
    intensity: buffer.intensity.slice(0, count),
    returnNumber: new Uint8Array(count).fill(1),
    numberOfReturns: new Uint8Array(count).fill(1),
    classification: buffer.classification.slice(0, count),
    classificationFlags: new Uint8Array(count),
    scannerChannel: buffer.scannerChannel.slice(0, count),
    scanDirectionFlag: new Uint8Array(count),
    edgeOfFlightLine: new Uint8Array(count),
    userData: buffer.userData.slice(0, count),
    scanAngle: buffer.scanAngle.slice(0, count),
    pointSourceId: new Uint16Array(count).fill(pointSourceId),
    gpsTime: buffer.gpsTime.slice(0, count),
    red: buffer.red.slice(0, count),
    green: buffer.green.slice(0, count),
    blue: buffer.blue.slice(0, count),
  };
}
