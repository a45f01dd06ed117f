/**
 * `twinview tile` end to end, each run a child process under /usr/bin/time (points/s include start-up like PDAL's
 * figure, and the peak RSS is the tiler's alone, worker threads included):
 * - the NRW LAZ (3.57 M points, LAS 1.2 PF2): points/s with all cores, CPU time, peak RSS, and output size against
 *   PDAL's COPC of the same tile (MANIFEST §3: 23.3 MB, 0.69 M points/s with 2 threads);
 * - the sample drive (drive-2023.las, seed 1, full density, LAS 1.4 PF7): points/s, CPU time, peak RSS;
 * - a drive of ≥ 50 M points made of shifted copies of the sample drive: peak RSS (target ≤ 1.5 GB) and points/s.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, statfsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchRow } from './bench-types.ts';
import { sampleDriveLas, writeShiftedCopies } from './sample-drive.ts';

const INPUT = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.laz';
const PDAL_COPC = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';
const PDAL_POINTS_PER_S = 0.685;
const NRW_POINTS = 3_570_117;
const BIG_DRIVE_POINTS = 50_000_000;
/** Gap between shifted copies of the sample drive, metres (on top of its X extent). */
const COPY_MARGIN_M = 100;
const RSS_TARGET_MB = 1500;

/** What the runs of one input measured. */
interface TileRuns {
  /** Median wall time, seconds. */
  readonly seconds: number;
  /** Median user+sys CPU time of the child, seconds (NaN when /usr/bin/time gave none). */
  readonly cpuSeconds: number;
  /** Highest peak RSS over the runs, kB. */
  readonly rssKb: number;
  readonly runs: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[(sorted.length - 1) >> 1]!;
};

/** Runs `twinview tile <inputs> -o <output> --quiet` `runs` times as a child process under /usr/bin/time. */
function runTile(repoRoot: string, inputs: readonly string[], output: string, runs: number, log: (m: string) => void, label: string): TileRuns {
  const wall: number[] = [];
  const cpu: number[] = [];
  let rssKb = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const child = spawnSync('/usr/bin/time', ['-f', 'RSS_KB=%M CPU_S=%U+%S', process.execPath, join(repoRoot, 'bin', 'twinview.mjs'), 'tile', ...inputs, '-o', output, '--quiet'], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`tile failed on ${label}: ${child.stderr}`);
    const seconds = (performance.now() - started) / 1000;
    wall.push(seconds);
    // /usr/bin/time reports on stderr; %M is the peak RSS of the whole process (threads share it).
    rssKb = Math.max(rssKb, Number(/RSS_KB=(\d+)/.exec(child.stderr)?.[1] ?? 0));
    const cpuMatch = /CPU_S=([\d.]+)\+([\d.]+)/.exec(child.stderr);
    if (cpuMatch) cpu.push(Number(cpuMatch[1]) + Number(cpuMatch[2]));
    log(`${label} run ${r + 1}: ${seconds.toFixed(2)} s`);
  }
  return { seconds: median(wall), cpuSeconds: median(cpu), rssKb, runs };
}

/** The throughput, CPU and RSS rows of one measured input. */
function tileRows(label: string, points: number, result: TileRuns, notes: string): BenchRow[] {
  const rate = points / result.seconds / 1e6;
  const mpts = (points / 1e6).toFixed(2);
  return [
    {
      name: `tile ${label} end to end`,
      value: rate,
      unit: 'Mpts/s',
      target: `>= ${PDAL_POINTS_PER_S} (stretch 1.0)`,
      met: rate >= PDAL_POINTS_PER_S,
      notes: `${notes}, ${mpts} M pts, median of ${result.runs}, ${result.seconds.toFixed(2)} s, ${availableParallelism()} cores`,
    },
    {
      name: `tile ${label} CPU time per M points`,
      value: result.cpuSeconds / (points / 1e6),
      unit: 's',
      notes: 'user+sys of the process and its worker threads; wall time suffers when other jobs share the 2 cores, CPU time much less',
    },
    { name: `tile ${label} peak RSS (${mpts} M points)`, value: result.rssKb / 1024, unit: 'MB', notes: 'child process, /usr/bin/time' },
  ];
}

const bench: Bench = async ({ repoRoot, sharedData, log }) => {
  const dir = mkdtempSync(join(tmpdir(), 'twinview-tile-bench-'));
  try {
    const rows: BenchRow[] = [];

    // NRW tile: the figure PDAL's 0.69 M points/s and 23.3 MB refer to.
    const nrwOutput = join(dir, 'nrw.copc.laz');
    const nrw = runTile(repoRoot, [join(sharedData, INPUT)], nrwOutput, 3, log, 'NRW');
    const size = statSync(nrwOutput).size;
    const pdalSize = statSync(join(sharedData, PDAL_COPC)).size;
    const [nrwRate, nrwCpu, nrwRss] = tileRows('NRW LAZ', NRW_POINTS, nrw, INPUT);
    rows.push(
      { ...nrwRate!, name: 'tile NRW LAZ end to end' },
      { ...nrwCpu!, name: 'tile CPU time per M points' },
      { ...nrwRss!, name: 'tile peak RSS (3.57 M points)' },
      { name: 'output size vs PDAL COPC', value: size / pdalSize, unit: 'x', target: '<= 1.05', met: size / pdalSize <= 1.05, notes: `${(size / 1e6).toFixed(1)} MB vs ${(pdalSize / 1e6).toFixed(1)} MB` },
    );
    rmSync(nrwOutput, { force: true });

    // The sample drive, one epoch.
    const drive = await sampleDriveLas(repoRoot, join(dir, 'sample'), log);
    const driveNotes = `drive-2023.las${drive.reused ? '' : ' (generated)'}, LAS 1.4 PF${drive.header.pointFormat}`;
    const sample = runTile(repoRoot, [drive.path], join(dir, 'sample.copc.laz'), 3, log, 'sample drive');
    rows.push(...tileRows('sample drive', drive.header.pointCount, sample, driveNotes));
    rmSync(join(dir, 'sample.copc.laz'), { force: true });

    // ≥ 50 M points: shifted copies of the sample drive side by side along X, tiled as one drive.
    const copies = Math.ceil(BIG_DRIVE_POINTS / drive.header.pointCount);
    const points = copies * drive.header.pointCount;
    const stepM = Math.ceil((drive.header.max[0] - drive.header.min[0] + COPY_MARGIN_M) / 100) * 100;
    // Copies + spill buckets + output: about three times the input's bytes.
    const need = 3 * copies * statSync(drive.path).size;
    const fs = statfsSync(dir);
    if (fs.bavail * fs.bsize < need) throw new Error(`Invalid free space: ${dir} has ${(fs.bavail * fs.bsize / 1e9).toFixed(1)} GB, the 50 M-point run needs ${(need / 1e9).toFixed(1)} GB`);
    const copyDir = join(dir, 'copies');
    mkdirSync(copyDir);
    log(`writing ${copies} copies of drive-2023.las shifted by ${stepM} m: ${points} points`);
    const paths = writeShiftedCopies(drive.path, copyDir, copies, stepM);
    const big = runTile(repoRoot, paths, join(dir, 'big.copc.laz'), 1, log, `${copies} copies`);
    const bigSize = statSync(join(dir, 'big.copc.laz')).size;
    const rssMb = big.rssKb / 1024;
    const bigRate = points / big.seconds / 1e6;
    rows.push(
      {
        name: `tile peak RSS (${(points / 1e6).toFixed(1)} M points)`,
        value: rssMb,
        unit: 'MB',
        target: `<= ${RSS_TARGET_MB}`,
        met: rssMb <= RSS_TARGET_MB,
        notes: `${copies} shifted copies of drive-2023.las (${stepM} m apart), child process, /usr/bin/time`,
      },
      {
        name: `tile ${(points / 1e6).toFixed(1)} M points end to end`,
        value: bigRate,
        unit: 'Mpts/s',
        target: `>= ${PDAL_POINTS_PER_S} (stretch 1.0)`,
        met: bigRate >= PDAL_POINTS_PER_S,
        notes: `1 run, ${big.seconds.toFixed(1)} s, ${(big.cpuSeconds / (points / 1e6)).toFixed(2)} s CPU per M pts, output ${(bigSize / 1e6).toFixed(0)} MB, ${availableParallelism()} cores`,
      },
    );
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
