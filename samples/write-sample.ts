/**
 * Writes the sample drive to a folder: drive-2023.las, drive-2025.las (LAS 1.4, point format 7, scale 0.001,
 * compound WKT), trajectory-2023.csv, trajectory-2025.csv and truth.json. Node code; the generator is pure.
 *
 * @example
 * await writeSampleFiles('samples/data', 1);
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeLas } from '../core/las/writer.ts';
import { GLOBAL_ENCODING_ADJUSTED_GPS_TIME } from '../core/las/header.ts';
import { UTM32N_DHHN2016_WKT } from '../core/crs/known-wkt.ts';
import type { SampleEpoch } from './generator/index.ts';
import { formatTrajectoryCsv, generateSample } from './generator/index.ts';

/** Default seed of the sample behind `npm start`. */
export const DEFAULT_SAMPLE_SEED = 1;

/** Options of {@link writeSampleFiles}. */
export interface WriteSampleOptions {
  /** Fraction of the full scan density (default 1: a few million points per epoch). */
  readonly density?: number;
}

/** Paths written by {@link writeSampleFiles}. */
export interface WrittenSample {
  readonly files: readonly string[];
  readonly pointCounts: Readonly<Record<string, number>>;
}

/** Encodes one epoch as LAS 1.4 point format 7 bytes (deterministic: fixed creation date, fixed offsets). */
export function encodeEpochLas(epoch: SampleEpoch): Uint8Array {
  const p = epoch.points;
  // Note: a fixed offset per axis (whole hundreds of metres) keeps the bytes independent of the point extent's rounding.
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (let i = 0; i < p.count; i += 1000) {
    sx += p.x[i]!;
    sy += p.y[i]!;
    sz += p.z[i]!;
  }
  const k = Math.max(1, Math.ceil(p.count / 1000));
  const offset: [number, number, number] = [Math.round(sx / k / 100) * 100, Math.round(sy / k / 100) * 100, Math.round(sz / k / 10) * 10];
  return writeLas(p, {
    version: '1.4',
    pointFormat: 7,
    scale: [0.001, 0.001, 0.001],
    offset,
    wkt: UTM32N_DHHN2016_WKT,
    globalEncoding: GLOBAL_ENCODING_ADJUSTED_GPS_TIME,
    fileSourceId: epoch.pointSourceId,
    creationDate: new Date(`${epoch.date}T12:00:00Z`),
    systemIdentifier: 'twinview synthetic MMS',
    generatingSoftware: 'twinview samples',
  });
}

/**
 * Generates the sample for `seed` and writes its files into `outDir` (created when missing). Every file is
 * written under a temporary name first and renamed at the end, drive-2023.las last, so a folder holding
 * drive-2023.las is complete even when an earlier run was interrupted.
 */
export async function writeSampleFiles(outDir: string, seed: number, options: WriteSampleOptions = {}): Promise<WrittenSample> {
  const sample = generateSample({ seed, ...(options.density !== undefined ? { density: options.density } : {}) });
  await mkdir(outDir, { recursive: true });
  const contents: [string, Uint8Array | string][] = [['truth.json', JSON.stringify(sample.truth, null, 1) + '\n']];
  const pointCounts: Record<string, number> = {};
  for (const epoch of [...sample.epochs].reverse()) {
    contents.push([`trajectory-${epoch.name}.csv`, formatTrajectoryCsv(epoch.trajectory)]);
    contents.push([`drive-${epoch.name}.las`, encodeEpochLas(epoch)]);
    pointCounts[epoch.name] = epoch.points.count;
  }
  for (const [name, data] of contents) await writeFile(join(outDir, `${name}.tmp`), data);
  const files: string[] = [];
  for (const [name] of contents) {
    await rename(join(outDir, `${name}.tmp`), join(outDir, name));
    files.push(join(outDir, name));
  }
  return { files, pointCounts };
}
