/**
 * The written sample folder: both drives open with the project's LAS reader as LAS 1.4 point format 7 with the
 * compound WKT, hold the generated points to the millimetre, and the trajectories and truth.json parse; writing
 * twice gives the same bytes.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBytesGetter } from '../../core/io/getter.ts';
import { openLas } from '../../core/las/las-file.ts';
import { generateSample } from '../../samples/generator/index.ts';
import { writeSampleFiles } from '../../samples/write-sample.ts';

const SEED = 9;
const DENSITY = 0.03;
let dirA = '';
let dirB = '';

beforeAll(async () => {
  dirA = await mkdtemp(join(tmpdir(), 'twinview-sample-a-'));
  dirB = await mkdtemp(join(tmpdir(), 'twinview-sample-b-'));
  await writeSampleFiles(dirA, SEED, { density: DENSITY });
  await writeSampleFiles(dirB, SEED, { density: DENSITY });
});

afterAll(async () => {
  await rm(dirA, { recursive: true, force: true });
  await rm(dirB, { recursive: true, force: true });
});

describe('writeSampleFiles', () => {
  it('writes both drives, both trajectories and truth.json, byte-identical on a second run', async () => {
    const names = (await readdir(dirA)).sort();
    expect(names).toEqual(['drive-2023.las', 'drive-2025.las', 'trajectory-2023.csv', 'trajectory-2025.csv', 'truth.json']);
    for (const name of names) {
      const a = await readFile(join(dirA, name));
      const b = await readFile(join(dirB, name));
      expect(a.equals(b), name).toBe(true);
    }
  });

  it('writes LAS 1.4 point format 7 with the compound WKT that the reader decodes back to the points', async () => {
    const sample = generateSample({ seed: SEED, density: DENSITY });
    for (const epoch of sample.epochs) {
      const bytes = new Uint8Array(await readFile(join(dirA, `drive-${epoch.name}.las`)));
      const las = await openLas(createBytesGetter(bytes, `drive-${epoch.name}.las`));
      expect(las.header.version).toBe('1.4');
      expect(las.header.pointFormat).toBe(7);
      expect(las.header.scale).toEqual([0.001, 0.001, 0.001]);
      expect(las.header.pointCount).toBe(epoch.points.count);
      expect(las.header.globalEncoding & 1).toBe(1);
      expect(las.header.creationYear).toBe(Number(epoch.name));
      expect(las.wkt).toMatch(/COMPD_CS|COMPOUNDCRS/);
      expect(las.wkt).toMatch(/DHHN2016/);
      expect(las.wkt).toMatch(/25832/);
      const points = await las.readPoints();
      const expected = epoch.points;
      let worst = 0;
      for (let i = 0; i < points.count; i += 7) {
        worst = Math.max(worst, Math.abs(points.x[i]! - expected.x[i]!), Math.abs(points.y[i]! - expected.y[i]!), Math.abs(points.z[i]! - expected.z[i]!));
        expect(points.pointSourceId![i]).toBe(epoch.pointSourceId);
        expect(points.gpsTime![i]).toBe(expected.gpsTime![i]);
        expect(points.classification![i]).toBe(expected.classification![i]);
        expect(points.red![i]).toBe(expected.red![i]);
        expect(points.intensity![i]).toBe(expected.intensity![i]);
        expect(points.userData![i]).toBe(expected.userData![i]);
      }
      expect(worst).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
  });

  it('writes the trajectory with units in the header and the truth as JSON', async () => {
    const csv = await readFile(join(dirA, 'trajectory-2023.csv'), 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('time_gps_adjusted_s,E_m,N_m,H_m_NHN,heading_deg,pitch_deg,roll_deg');
    const truth = JSON.parse(await readFile(join(dirA, 'truth.json'), 'utf8'));
    const pass1 = truth.epochs[0].passes[0];
    const first = lines[1]!.split(',').map(Number);
    expect(first).toHaveLength(7);
    expect(first[0]).toBeCloseTo(pass1.startTime, 3);
    // Driving towards increasing station: the heading is the street bearing (plus a small wander).
    const dh = ((first[4]! - truth.frame.bearingDeg + 540) % 360) - 180;
    expect(Math.abs(dh)).toBeLessThan(3);
    expect(first[3]).toBeGreaterThan(truth.street.crownZAtStation0 - 5);
    expect(truth.seed).toBe(SEED);
  });
});
