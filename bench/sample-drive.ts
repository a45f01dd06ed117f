/**
 * The sample drive's 2023 epoch (seed 1, full density) as a LAS file for the benchmarks, and shifted copies of it
 * that make a large multi-file drive. Node code (bench only).
 *
 * @example
 * const drive = await sampleDriveLas(repoRoot, tempDir, log);
 * const copies = writeShiftedCopies(drive.path, tempDir, 15);
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHeader, type LasHeader } from '../core/las/header.ts';
import { GENERATOR_VERSION } from '../samples/generator/index.ts';
import { DEFAULT_SAMPLE_SEED, writeSampleFiles } from '../samples/write-sample.ts';

/** A LAS file on disk and its header. */
export interface SampleDrive {
  readonly path: string;
  readonly header: LasHeader;
  /** True when samples/data held it, false when it was generated into the temp folder. */
  readonly reused: boolean;
}

/** Reads just the header of a LAS file. */
function readHeader(path: string): LasHeader {
  const fd = openSync(path, 'r');
  try {
    const bytes = new Uint8Array(375);
    const n = readSync(fd, bytes, 0, bytes.byteLength, 0);
    return parseHeader(bytes.subarray(0, n), path);
  } finally {
    closeSync(fd);
  }
}

/**
 * samples/data/drive-2023.las when it is there and its truth.json says seed 1 of this generator version,
 * else the sample generated (seed 1, full density) into `tempDir`.
 */
export async function sampleDriveLas(repoRoot: string, tempDir: string, log: (message: string) => void): Promise<SampleDrive> {
  const dataDir = join(repoRoot, 'samples', 'data');
  const existing = join(dataDir, 'drive-2023.las');
  if (existsSync(existing) && existsSync(join(dataDir, 'truth.json'))) {
    const truth = JSON.parse(readFileSync(join(dataDir, 'truth.json'), 'utf8')) as { seed?: number; version?: string };
    if (truth.seed === DEFAULT_SAMPLE_SEED && truth.version === GENERATOR_VERSION) {
      return { path: existing, header: readHeader(existing), reused: true };
    }
  }
  log(`generating the sample drive (seed ${DEFAULT_SAMPLE_SEED}, full density) into ${tempDir}`);
  await writeSampleFiles(tempDir, DEFAULT_SAMPLE_SEED);
  const path = join(tempDir, 'drive-2023.las');
  return { path, header: readHeader(path), reused: false };
}

/**
 * Writes `copies` copies of an uncompressed LAS file into `outDir`, copy k shifted east by k * stepM metres:
 * every record's stored X integer grows by k * stepM / scaleX and the header's X bounds follow, so scale and
 * offset stay shared by all copies (the tiler keeps them) and every point is exact. stepM must be a whole
 * number of X scale units.
 */
export function writeShiftedCopies(path: string, outDir: string, copies: number, stepM: number): string[] {
  const original = new Uint8Array(readFileSync(path));
  const header = parseHeader(original, path);
  if (header.compressedFlag) throw new Error(`Invalid input for shifted copies: ${path} is compressed`);
  const stepUnits = Math.round(stepM / header.scale[0]);
  if (Math.abs(stepUnits * header.scale[0] - stepM) > 1e-9 * Math.max(1, stepM)) {
    throw new Error(`Invalid shift: ${stepM} m is not a whole number of X scale units (${header.scale[0]}) of ${path}`);
  }
  const paths: string[] = [];
  for (let k = 0; k < copies; k++) {
    const bytes = original.slice();
    const view = new DataView(bytes.buffer);
    const delta = k * stepUnits;
    const length = header.pointRecordLength;
    const end = header.pointDataOffset + header.pointCount * length;
    if (end > bytes.byteLength) throw new Error(`Invalid point count: ${path} holds fewer records than its header says`);
    for (let at = header.pointDataOffset; at < end; at += length) {
      const x = view.getInt32(at, true) + delta;
      if (x > 0x7fffffff || x < -0x80000000) throw new Error(`Invalid shift: X overflows int32 in copy ${k} of ${path}`);
      view.setInt32(at, x, true);
    }
    // LAS header: max X at 179, min X at 187 (float64, metres).
    view.setFloat64(179, header.max[0] + k * stepM, true);
    view.setFloat64(187, header.min[0] + k * stepM, true);
    const out = join(outDir, `copy-${String(k).padStart(3, '0')}.las`);
    writeFileSync(out, bytes);
    paths.push(out);
  }
  return paths;
}
