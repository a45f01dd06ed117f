/**
 * Ridge and eave heights on further seeds of the sample drive (7, 9, 27 at half density, classified and
 * unclassified), beyond the seeds the other acceptance tests use. On these, the Traufpunkt of an eave under a
 * roof face seen only in fragments from the street used to come from a twisted plane fit: one eave line 3-13 cm
 * high, with a stated sigma of 1-2 cm and no warning (seed 9 R5, seed 27 R7 and R8, seed 7 R7).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureBuildingHeight, type BuildingMeasurement } from '../../../core/measure/building-height.ts';
import type { MeasurePoints } from '../../../core/measure/measure-points.ts';
import { generateSample } from '../../../samples/generator/index.ts';

const SEEDS = [7, 9, 27];
const DENSITY = 0.5;

/* eslint-disable @typescript-eslint/no-explicit-any -- truth.json is read field by field */
interface Case {
  readonly seed: number;
  readonly truth: any;
  readonly classified: MeasurePoints;
  readonly unclassified: MeasurePoints;
}
const cases: Case[] = [];

beforeAll(() => {
  for (const seed of SEEDS) {
    const s = generateSample({ seed, density: DENSITY, epochs: ['2023'] });
    const p = s.epochs[0]!.points;
    const passes = { gpsTime: p.gpsTime! };
    cases.push({
      seed,
      truth: s.truth,
      classified: { x: p.x, y: p.y, z: p.z, classification: p.classification, ...passes },
      unclassified: { x: p.x, y: p.y, z: p.z, classification: new Uint8Array(p.count).fill(1), ...passes },
    });
  }
}, 300_000);

/** A miss is only acceptable where the tool says the roof was not seen, and its sigma covers the error. */
function flaggedUnseen(r: BuildingMeasurement): boolean {
  return r.warnings.some((w) => /not observed|occluded/.test(w));
}

describe.each(SEEDS)('seed %i, half density', (seed) => {
  for (const variant of ['classified', 'unclassified'] as const) {
    it(`every eave line within 3 cm of its Traufpunkt; ridges within 3 cm unless reported unseen (${variant})`, () => {
      const c = cases.find((k) => k.seed === seed)!;
      const misses: string[] = [];
      let eaveLines = 0;
      for (const b of c.truth.buildings) {
        const r = measureBuildingHeight(c[variant], b.footprint, { bufferM: 1.0 });
        if (b.parapet) {
          const err = r.eaveNhn - b.parapet.topZ;
          if (!(Math.abs(err) < 0.03)) misses.push(`${b.id} parapet ${err.toFixed(3)}`);
          if (!(Math.abs(err) < 0.03)) expect(flaggedUnseen(r), `${b.id} parapet miss without a warning`).toBe(true);
          continue;
        }
        // Each truth eave against the measured eave line along the same wall (the nearest line midpoint).
        for (const e of b.eaves) {
          const [[ax, ay], [bx, by]] = e.line;
          const mid = [(ax + bx) / 2, (ay + by) / 2];
          const line = [...r.eaves].sort(
            (p, q) => Math.hypot((p.from[0] + p.to[0]) / 2 - mid[0]!, (p.from[1] + p.to[1]) / 2 - mid[1]!) - Math.hypot((q.from[0] + q.to[0]) / 2 - mid[0]!, (q.from[1] + q.to[1]) / 2 - mid[1]!),
          )[0];
          if (!line || Math.hypot((line.from[0] + line.to[0]) / 2 - mid[0]!, (line.from[1] + line.to[1]) / 2 - mid[1]!) > 1.5) {
            // No eave line measured along this wall: only acceptable when the tool says what it could not see.
            expect(r.warnings.length, `${b.id} eave ${e.wall} missing without a warning`).toBeGreaterThan(0);
            continue;
          }
          eaveLines++;
          const err = line.nhn - e.heightZ;
          if (!(Math.abs(err) < 0.03)) misses.push(`${b.id} eave ${e.wall} ${err.toFixed(3)} ± ${line.sigmaM.toFixed(3)} ${r.warnings.join(' | ')}`);
          expect(Math.abs(err) < 0.03 || (flaggedUnseen(r) && Math.abs(err) <= 2 * Math.max(line.sigmaM, r.sigmaM)), `${b.id} eave ${e.wall}: ${err.toFixed(3)} m`).toBe(true);
        }
        const ridgeErr = r.ridgeNhn - b.ridge.heightZ;
        if (!(Math.abs(ridgeErr) < 0.03)) {
          misses.push(`${b.id} ridge ${ridgeErr.toFixed(3)} ± ${r.sigmaM.toFixed(3)}`);
          expect(flaggedUnseen(r), `${b.id} ridge miss without a warning`).toBe(true);
          expect(Math.abs(ridgeErr), `${b.id} ridge error beyond 2 sigma`).toBeLessThanOrEqual(2 * Math.max(r.sigmaM, r.sigmaNhnM));
        }
      }
      if (misses.length) console.info(`seed ${seed} ${variant}: reported misses (flagged):\n${misses.join('\n')}`);
      expect(eaveLines).toBeGreaterThan(10);
    });
  }
});
