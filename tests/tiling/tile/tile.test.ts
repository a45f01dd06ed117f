import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UTM32N_DHHN2016_WKT } from '../../../core/crs/known-wkt.ts';
import { writeSampleFiles } from '../../../samples/write-sample.ts';
import { main } from '../../../tiling/cli.ts';
import { tile } from '../../../tiling/tile/tile.ts';
import { listPointCloudFiles, pdalStats, sharedPath } from '../../helpers/shared-data.ts';
import { expectedRecords, multiset, readCopc, recordDigests } from './verify-copc.ts';

const work = mkdtempSync(join(tmpdir(), 'twinview-tile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const COMPRESSED_WAVEFORM = /(fullwave\.laz|pdrf(4|5|9|10)-1\.\d\.laz)$/;
const EMPTY = /no-points\.las$/;
// The NRW files are covered by the bench and by the overview test below; the rest run here one by one.
const files = listPointCloudFiles().filter((f) => !f.startsWith('derived/nrw_') && !COMPRESSED_WAVEFORM.test(f) && !EMPTY.test(f));

/** Tiles, then checks every acceptance property that a single file can show. */
async function tileAndCheck(
  inputs: string[],
  name: string,
  options: { maxNodePoints?: number; threads?: number; memoryBudgetBytes?: number } = {},
): Promise<Awaited<ReturnType<typeof readCopc>> & { spilled: boolean }> {
  const output = join(work, `${name}.copc.laz`);
  const summary = await tile({
    inputs,
    output,
    threads: options.threads ?? 0,
    quiet: true,
    warn: () => undefined,
    maxNodePoints: options.maxNodePoints ?? 2_000,
    ...(options.memoryBudgetBytes ? { memoryBudgetBytes: options.memoryBudgetBytes } : {}),
  });
  const copc = await readCopc(output);
  const expected = await Promise.all(inputs.map(expectedRecords));
  const expectedCount = expected.reduce((s, e) => s + e.count, 0);
  // Counts: header = hierarchy sum = chunk-table decode = input.
  expect(Number(copc.copc.header.pointCount)).toBe(expectedCount);
  expect(copc.count).toBe(expectedCount);
  expect(copc.lasZip.count).toBe(expectedCount);
  expect(summary.pointCount).toBe(expectedCount);
  expect(copc.outside).toBe(0);
  // Every input point exactly once, byte for byte (integer X/Y/Z and every attribute).
  const want = expected.flatMap((e) => multiset(e.records, e.count, e.recordLength)).sort();
  expect(multiset(copc.records, copc.count, copc.recordLength)).toEqual(want);
  expect(multiset(copc.lasZip.records, copc.lasZip.count, copc.recordLength)).toEqual(want);
  // Header bounds are the bounds of the stored points.
  const h = copc.copc.header;
  const view = new DataView(copc.records.buffer);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < copc.count; i++) {
    for (let k = 0; k < 3; k++) {
      const v = view.getInt32(i * copc.recordLength + 4 * k, true) * h.scale[k]! + h.offset[k]!;
      min[k] = Math.min(min[k]!, v);
      max[k] = Math.max(max[k]!, v);
    }
  }
  expect(h.min).toEqual(min);
  expect(h.max).toEqual(max);
  return { ...copc, spilled: summary.spilled };
}

describe('tile: every shared-data file with points', () => {
  it.each(files)('%s', async (file) => {
    const copc = await tileAndCheck([sharedPath(file)], file.replaceAll('/', '__'));
    let truth: any;
    try {
      truth = pdalStats(file);
    } catch {
      truth = undefined; // PDAL could not read the waveform formats: its truth file is empty
    }
    if (truth) expect(copc.count).toBe(truth.stats.statistic[0].count);
  });
});

describe("tile: the NRW tile (3.57 M points) and PDAL's COPC of it", () => {
  it.each(['derived/nrw_3dm_32_291_5744_subset_epsg25832.laz', 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz'])(
    '%s: every point exactly once, node bounds, counts',
    async (file) => {
      const output = join(work, `${file.replaceAll('/', '__')}.copc.laz`);
      const summary = await tile({ inputs: [sharedPath(file)], output, threads: 2, quiet: true, warn: () => undefined });
      const copc = await readCopc(output);
      const expected = await expectedRecords(sharedPath(file));
      expect(summary.pointCount).toBe(3_570_117);
      expect(Number(copc.copc.header.pointCount)).toBe(3_570_117);
      expect(copc.count).toBe(3_570_117);
      expect(copc.outside).toBe(0);
      const want = recordDigests(expected.records, expected.count, expected.recordLength);
      expect(recordDigests(copc.records, copc.count, copc.recordLength)).toEqual(want);
      expect(recordDigests(copc.lasZip.records, copc.lasZip.count, copc.recordLength)).toEqual(want);
    },
    600_000,
  );
});

describe('tile: merging, threads, paging, CRS', () => {
  it('merges the four Lower-Saxony tiles into one drive', async () => {
    const inputs = listPointCloudFiles().filter((f) => f.startsWith('managelidar/') && f.endsWith('.laz')).map(sharedPath);
    expect(inputs.length).toBe(4);
    const copc = await tileAndCheck(inputs, 'merged', { maxNodePoints: 3_000, threads: 2 });
    expect(copc.copc.wkt).toContain('UTM zone 32N');
    expect(copc.copc.eb.map((e) => e.name)).toEqual(['Amplitude', 'Reflectance', 'Deviation']);
  });

  it('writes the same bytes with worker threads as without', async () => {
    const input = sharedPath('PDAL/test/data/laz/autzen_trim.laz');
    await tileAndCheck([input], 'threads', { threads: 2, maxNodePoints: 5_000 });
    await tile({ inputs: [input], output: join(work, 'nothreads.copc.laz'), threads: 0, quiet: true, warn: () => undefined, maxNodePoints: 5_000 });
    const a = readFileSync(join(work, 'threads.copc.laz'));
    const b = readFileSync(join(work, 'nothreads.copc.laz'));
    // The header holds the creation date only; everything else must match.
    expect(a.byteLength).toBe(b.byteLength);
    expect(Buffer.compare(a.subarray(94), b.subarray(94))).toBe(0);
  });

  it('splits a deep hierarchy into pages that copc follows', async () => {
    const output = join(work, 'paged.copc.laz');
    await tile({
      inputs: [sharedPath('PDAL/test/data/las/autzen_trim.las')],
      output,
      threads: 0,
      quiet: true,
      warn: () => undefined,
      maxNodePoints: 300,
      hierarchy: { pageDepth: 1, minPageEntries: 2 },
    });
    const copc = await readCopc(output);
    expect(copc.pages).toBeGreaterThan(5);
    expect(copc.count).toBe(110_000);
  });

  it('takes --srs and --vertical over the file CRS', async () => {
    const output = join(work, 'srs.copc.laz');
    const code = await main(['tile', sharedPath('PDAL/test/data/las/100-points.las'), '-o', output, '--srs', 'EPSG:25832', '--vertical', 'EPSG:7837', '--quiet']);
    expect(code).toBe(0);
    const copc = await readCopc(output);
    expect(copc.copc.wkt).toMatch(/^COMPD_CS\["ETRS89 \/ UTM zone 32N \+ DHHN2016 height"/);
  });

  it("adds --vertical alone to the inputs' own UTM CRS", async () => {
    const output = join(work, 'vertical.copc.laz');
    const input = sharedPath('managelidar/inst/extdata/3dm_32_547_5724_1_ni_20240327.laz');
    expect(await main(['tile', input, '-o', output, '--vertical', 'DHHN2016', '--quiet'])).toBe(0);
    expect((await readCopc(output)).copc.wkt).toMatch(/^COMPD_CS\["ETRS89 \/ UTM zone 32N \+ DHHN2016 height"/);
  });
});

describe('tile: bounded memory through spill files', () => {
  it('tiles autzen_trim with a 2 MB budget: buckets split, subtrees merged bottom-up, every point once', async () => {
    const copc = await tileAndCheck([sharedPath('PDAL/test/data/las/autzen_trim.las')], 'spill-las', { memoryBudgetBytes: 2_000_000, threads: 2, maxNodePoints: 5_000 });
    expect(copc.spilled).toBe(true);
    expect(copc.nodes.size).toBeGreaterThan(30);
    // The root still holds an overview drawn from every bucket, not one bucket's points.
    expect(copc.nodes.get('0-0-0-0')!.count).toBeGreaterThan(1_000);
  });

  it('merges LAZ tiles with extra bytes through spill files', async () => {
    const inputs = listPointCloudFiles().filter((f) => f.startsWith('managelidar/') && f.endsWith('.laz')).map(sharedPath);
    const copc = await tileAndCheck(inputs, 'spill-merged', { memoryBudgetBytes: 500_000, threads: 0, maxNodePoints: 1_000 });
    expect(copc.spilled).toBe(true);
  });
});

/**
 * Measures how evenly the root node covers the data: columns of 2 x 2 root grid cells (2 x spacing) occupied
 * by any point vs by a root point, the most root points in one column, and the columns a random subset of the
 * same size reaches.
 */
function measureOverview(copc: Awaited<ReturnType<typeof readCopc>>): { coverage: number; maxPerColumn: number; zCells: number; randomColumns: number; rootColumns: number } {
  const root = copc.nodes.get('0-0-0-0')!;
  const h = copc.copc.header;
  const cell = 2 * copc.copc.info.spacing;
  const [x0, y0] = copc.copc.info.cube;
  const columns = (records: Uint8Array, count: number): Map<number, number> => {
    const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
    const out = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      const x = view.getInt32(i * copc.recordLength, true) * h.scale[0]! + h.offset[0]!;
      const y = view.getInt32(i * copc.recordLength + 4, true) * h.scale[1]! + h.offset[1]!;
      const key = Math.floor((x - x0!) / cell) * 100_000 + Math.floor((y - y0!) / cell);
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  };
  const all = columns(copc.records, copc.count);
  const rootColumns = columns(root.records, root.count);
  let seed = 7;
  const pick = new Uint8Array(copc.count);
  let picked = 0;
  while (picked < root.count) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const i = seed % copc.count;
    if (!pick[i]) {
      pick[i] = 1;
      picked++;
    }
  }
  const randomRecords = new Uint8Array(root.count * copc.recordLength);
  for (let i = 0, k = 0; i < copc.count; i++) {
    if (pick[i]) randomRecords.set(copc.records.subarray(i * copc.recordLength, (i + 1) * copc.recordLength), copc.recordLength * k++);
  }
  return {
    coverage: rootColumns.size / all.size,
    maxPerColumn: Math.max(...rootColumns.values()),
    zCells: Math.ceil((h.max[2]! - h.min[2]!) / copc.copc.info.spacing) + 1,
    randomColumns: columns(randomRecords, root.count).size,
    rootColumns: rootColumns.size,
  };
}

describe('tile: the root node is an even overview', () => {
  it('on autzen_trim: reaches every occupied column, never clumps, beats a random subset', async () => {
    const copc = await tileAndCheck([sharedPath('PDAL/test/data/las/autzen_trim.las')], 'overview', { maxNodePoints: 20_000 });
    const m = measureOverview(copc);
    expect(m.coverage).toBeGreaterThan(0.97);
    // A column of 2 x 2 root cells holds at most one root point per root cell of its height.
    expect(m.maxPerColumn).toBeLessThanOrEqual(4 * m.zCells);
    expect(m.rootColumns).toBeGreaterThan(1.1 * m.randomColumns);
    expect(copc.nodes.get('0-0-0-0')!.count).toBeLessThan(copc.count / 4);
  });

  it('on the sample drive (both epochs merged, through spill files too)', async () => {
    const dir = mkdtempSync(join(work, 'sample-'));
    await writeSampleFiles(dir, 1, { density: 0.05 });
    const inputs = [join(dir, 'drive-2023.las'), join(dir, 'drive-2025.las')];
    for (const memoryBudgetBytes of [undefined, 4_000_000]) {
      const copc = await tileAndCheck(inputs, `sample-${memoryBudgetBytes ?? 'memory'}`, { maxNodePoints: 10_000, threads: 2, ...(memoryBudgetBytes ? { memoryBudgetBytes } : {}) });
      expect(copc.spilled).toBe(memoryBudgetBytes !== undefined);
      expect(copc.copc.wkt).toBe(UTM32N_DHHN2016_WKT);
      const m = measureOverview(copc);
      expect(m.coverage).toBeGreaterThan(0.95);
      expect(m.maxPerColumn).toBeLessThanOrEqual(4 * m.zCells);
      expect(m.rootColumns).toBeGreaterThan(1.1 * m.randomColumns);
    }
  });
});

describe('tile: round trip through twinview info --json --stats', () => {
  it.each(['PDAL/test/data/laz/autzen_trim.laz', 'PDAL/test/data/filters/hexbin-crop.las'])('%s matches the PDAL ground truth', async (file) => {
    const output = join(work, `${file.replaceAll('/', '__')}.info.copc.laz`);
    await tile({ inputs: [sharedPath(file)], output, threads: 0, quiet: true, warn: () => undefined });
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    let code: number;
    let printed: string;
    try {
      code = await main(['info', output, '--json', '--stats']);
      printed = String(spy.mock.calls.at(-1)?.[0]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const info = JSON.parse(printed);
    const truth = pdalStats(file).stats;
    const stat = (name: string): { minimum: number; maximum: number; count: number; values?: number[]; counts?: string[] } =>
      truth.statistic.find((s: { name: string }) => s.name === name);
    expect(info.pointCount).toBe(stat('X').count);
    expect(info.stats.pointCount).toBe(stat('X').count);
    // 8-bit colour is stretched (x 257), scan angle ranks become 0.006° steps (within half a step).
    const rgbFactor = stat('Red') && stat('Red').maximum <= 255 && stat('Red').maximum > 0 ? 257 : 1;
    for (const [name, dim] of Object.entries(info.stats.dimensions) as Array<[string, { min: number; max: number }]>) {
      const s = stat(name);
      if (!s) continue;
      const factor = name === 'Red' || name === 'Green' || name === 'Blue' ? rgbFactor : 1;
      // PDAL prints coordinates with 3 decimals and GPS time with 4.
      const tolerance = name === 'ScanAngleRank' ? 0.003 : name === 'GpsTime' ? 1e-4 : 'XYZ'.includes(name) ? 5e-4 : 1e-9;
      expect(Math.abs(dim.min - s.minimum * factor), `${name} min`).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(dim.max - s.maximum * factor), `${name} max`).toBeLessThanOrEqual(tolerance);
    }
    expect(Math.abs(info.bounds.min[0] - stat('X').minimum)).toBeLessThanOrEqual(5e-4);
    expect(Math.abs(info.bounds.max[2] - stat('Z').maximum)).toBeLessThanOrEqual(5e-4);
    const classTotal = Object.values(info.stats.classCounts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(classTotal).toBe(stat('X').count);
  });
});

describe('tile: bad input gives exit code 2, names the file and writes nothing', () => {
  const run = async (args: string[]): Promise<{ code: number; err: string }> => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const code = await main(['tile', ...args, '--quiet']);
      return { code, err: spy.mock.calls.map((c) => String(c[0])).join('\n') };
    } finally {
      spy.mockRestore();
    }
  };
  const las = readFileSync(sharedPath('PDAL/test/data/las/1.2-with-color.las'));

  it.each([
    ['truncated file', (): string[] => {
      const path = join(work, 'truncated.las');
      writeFileSync(path, las.subarray(0, las.byteLength - 500));
      return [path];
    }],
    ['header count that lies', (): string[] => {
      const path = join(work, 'lying.las');
      const copy = Buffer.from(las);
      copy.writeUInt32LE(5000, 107);
      writeFileSync(path, copy);
      return [path];
    }],
    ['header count that is too small', (): string[] => {
      const path = join(work, 'lying-small.las');
      const copy = Buffer.from(las);
      copy.writeUInt32LE(1000, 107);
      writeFileSync(path, copy);
      return [path];
    }],
    ['LAZ header count that lies about its last chunk', (): string[] => {
      const path = join(work, 'lying.laz');
      const copy = Buffer.from(readFileSync(sharedPath('managelidar/inst/extdata/3dm_32_547_5724_1_ni_20240327.laz')));
      copy.writeBigUInt64LE(2937n, 247);
      if (copy.readUInt32LE(107) !== 0) copy.writeUInt32LE(2937, 107);
      writeFileSync(path, copy);
      return [path];
    }],
    ['zero points', (): string[] => [sharedPath('PDAL/test/data/las/no-points.las')]],
    ['mixed point formats', (): string[] => [sharedPath('PDAL/test/data/las/permutations/1.2_0.las'), sharedPath('PDAL/test/data/las/permutations/1.2_3.las')]],
    ['mixed CRS', (): string[] => [sharedPath('PDAL/test/data/autzen/autzen-utm.las'), sharedPath('managelidar/inst/extdata/3dm_32_547_5724_1_ni_20240327.laz')]],
    ['compressed waveform', (): string[] => [sharedPath('laspy/tests/data/fullwave.laz')]],
  ])('%s', async (_what, make) => {
    const inputs = make();
    const dir = mkdtempSync(join(work, 'bad-'));
    const output = join(dir, 'out.copc.laz');
    const { code, err } = await run([...inputs, '-o', output]);
    expect(code).toBe(2);
    expect(err).toMatch(/Invalid /);
    expect(inputs.some((p) => err.includes(p))).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(output)).toBe(false);
  });
});
