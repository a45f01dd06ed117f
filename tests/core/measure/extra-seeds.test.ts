/**
 * Buildings and sections on further seeds of the sample drive (7, 9, 27 at half density, classified and
 * unclassified), beyond the seeds the other acceptance tests use.
 * - Buildings: the Traufpunkt of an eave under a roof face seen only in fragments from the street used to come
 *   from a twisted plane fit: one eave line 3-13 cm high, with a stated sigma of 1-2 cm and no warning (seed 9
 *   R5, seed 27 R7 and R8, seed 7 R7).
 * - Sections: the carriageway half beside the survey vehicle's blind spot keeps about a metre of surface on
 *   seeds 9 and 27; its cross-fall then varies by up to 0.9 pp between neighbouring cuts, and must say so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureBuildingHeight, type BuildingMeasurement } from '../../../core/measure/building-height.ts';
import { cutSection } from '../../../core/measure/cross-section.ts';
import { sampleDrives, type SampleDrive } from './sample-drives.ts';

const SEEDS = [7, 9, 27];
const DENSITY = 0.5;

/* eslint-disable @typescript-eslint/no-explicit-any -- truth.json is read field by field */
let cases: SampleDrive[] = [];

beforeAll(() => {
  cases = sampleDrives(SEEDS, DENSITY);
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

describe.each(SEEDS)('seed %i, half density: sections', (seed) => {
  it('kerbs within 1 cm and widths within 5 cm at and beside every truth station; cross-falls within 0.2 pp or flagged sparse', () => {
    const c = cases.find((k) => k.seed === seed)!;
    const f = c.truth.frame;
    const bearing = (f.bearingDeg * Math.PI) / 180;
    const toWorld = (u: number, v: number): [number, number] => [f.originE + u * Math.sin(bearing) + v * Math.cos(bearing), f.originN + u * Math.cos(bearing) - v * Math.sin(bearing)];
    const flagged: string[] = [];
    let cuts = 0;
    for (const variant of ['classified', 'unclassified'] as const) {
      for (const st of c.truth.stations) {
        const nearCar = c.truth.vehicles.some((v: any) => st.station > v.stationRange[0] - 2.5 && st.station < v.stationRange[1] + 2.5);
        if (nearCar) continue;
        // The cut at the station and 1 m either side (the cross-section is the same there).
        for (const du of [-1, 0, 1]) {
          const v0 = st.left.footpathOuterOffsetM - 0.3;
          const s = cutSection(c[variant], { from: toWorld(st.station + du, v0), to: toWorld(st.station + du, st.right.footpathOuterOffsetM + 0.3) }, 0.1);
          const tag = `${variant} station ${st.station} ${du >= 0 ? '+' : ''}${du} m`;
          const kl = s.kerbs.find((k) => Math.abs(k.distM + v0 - st.left.kerbOffsetM) < 0.05);
          const kr = s.kerbs.find((k) => Math.abs(k.distM + v0 - st.right.kerbOffsetM) < 0.05);
          expect(Math.abs(kl!.heightM - st.left.kerbHeightM), `${tag} left kerb`).toBeLessThan(0.01);
          expect(Math.abs(kr!.heightM - st.right.kerbHeightM), `${tag} right kerb`).toBeLessThan(0.01);
          expect(Math.abs(s.carriageway!.widthM - st.carriagewayWidthM), `${tag} width`).toBeLessThan(0.05);
          const sparse = (side: string): boolean => s.warningDetails.some((w) => w.code === 'section-crossfall-sparse' && w.params.side === side);
          for (const [side, got, want] of [
            ['from', s.carriageway!.crossfallPercent.nearFrom, st.left.carriagewayCrossFallPct],
            ['to', s.carriageway!.crossfallPercent.nearTo, st.right.carriagewayCrossFallPct],
          ] as const) {
            if (sparse(side)) flagged.push(`${tag} ${side}: ${(got - want).toFixed(2)} pp`);
            else expect(Math.abs(got - want), `${tag} cross-fall near ${side} (not flagged)`).toBeLessThan(0.2);
          }
          cuts++;
        }
      }
    }
    if (flagged.length) console.info(`seed ${seed}: cross-falls flagged sparse:\n${flagged.join('\n')}`);
    expect(cuts).toBeGreaterThanOrEqual(12);
  });
});
