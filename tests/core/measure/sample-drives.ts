/**
 * The sample drives the measurement acceptance tests read: generated points of the 2023 epoch for a few seeds,
 * as a classified copy and as an unclassified one (every point class 1, as many mobile-mapping deliveries), with
 * the seed's truth.json. Passes are told apart by GPS time (as the CLI reads a file) or, on request, by the pass
 * number the sample stores in userData (as a vendor's pass id).
 */
import type { MeasurePoints } from '../../../core/measure/measure-points.ts';
import { generateSample } from '../../../samples/generator/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- truth.json is read field by field */
export interface SampleDrive {
  readonly seed: number;
  readonly truth: any;
  readonly classified: MeasurePoints;
  readonly unclassified: MeasurePoints;
}

/** Generates the drives (seconds per seed at density 0.5). */
export function sampleDrives(seeds: readonly number[], density: number, passes: 'gpsTime' | 'passId' = 'gpsTime'): SampleDrive[] {
  return seeds.map((seed) => {
    const s = generateSample({ seed, density, epochs: ['2023'] });
    const p = s.epochs[0]!.points;
    const pass = passes === 'gpsTime' ? { gpsTime: p.gpsTime! } : { passId: p.userData! };
    return {
      seed,
      truth: JSON.parse(JSON.stringify(s.truth)),
      classified: { x: p.x, y: p.y, z: p.z, classification: p.classification, ...pass },
      unclassified: { x: p.x, y: p.y, z: p.z, classification: new Uint8Array(p.count).fill(1), ...pass },
    };
  });
}
