/**
 * workers/measure-api.ts in node over real HTTP: a reduced-density sample drive is tiled into a COPC by the real
 * tiler and served by the real range server; the api reads it through core's HTTP getter and answers like the CLI
 * code path on the same file (equal results) and like truth.json (kerbs, light-well rims 1 cm; ridge/eave 3 cm).
 * Pick support, axis cuts and the clip LAS are checked against independent answers (the building query region is
 * core/query/building-ring.ts, shared with the CLI, and has its own unit test).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Point2, Point3 } from '../../core/geometry/point3.ts';
import { createBytesGetter } from '../../core/io/getter.ts';
import { getDefaultLazPerf } from '../../core/las/laz.ts';
import { openLas } from '../../core/las/las-file.ts';
import { writeLas } from '../../core/las/writer.ts';
import { Region } from '../../core/query/region.ts';
import { generateSample } from '../../samples/generator/index.ts';
import { encodeEpochLas } from '../../samples/write-sample.ts';
import { sectionFromSource } from '../../tiling/commands/section.ts';
import { spotHeightFromSource } from '../../tiling/commands/spot-height.ts';
import { measureBuildingFromSource } from '../../tiling/measure/building-query.ts';
import { openInput, type CliInput } from '../../tiling/measure/cli-input.ts';
import { createStaticServer, listen } from '../../tiling/server/static-server.ts';
import { tile } from '../../tiling/tile/tile.ts';
import {
  assessPickSupport,
  createMeasureApi,
  MIN_SUPPORT_POINTS,
  sectionLinesAlongAxis,
  type MeasureApi,
} from '../../workers/measure-api.ts';
import { createMeasureClient } from '../../workers/measure-client.ts';

const SEED = 11;
// Note: half the full profile rate, as the CLI acceptance test (light-well tops need it for 1 cm).
const DENSITY = 0.5;

/* eslint-disable @typescript-eslint/no-explicit-any -- truth.json is read field by field */
let truth: any;
let work: string;
let server: Server;
let url: string;
let copc: CliInput;
let las: CliInput;
let api: MeasureApi;
let copcBytes: Uint8Array;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'twinview-measure-api-'));
  const sample = generateSample({ seed: SEED, density: DENSITY, epochs: ['2023'] });
  truth = JSON.parse(JSON.stringify(sample.truth));
  const data = join(work, 'data');
  mkdirSync(data);
  const lasPath = join(work, 'drive-2023.las');
  writeFileSync(lasPath, encodeEpochLas(sample.epochs[0]!));
  const copcPath = join(data, 'drive-2023.copc.laz');
  await tile({ inputs: [lasPath], output: copcPath, quiet: true, threads: 1 });
  copc = await openInput(copcPath);
  copcBytes = readFileSync(copcPath);
  las = await openInput(lasPath);
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'index.html'), '<!doctype html><title>x</title>');
  server = createStaticServer({ appDir: app, dataDir: data });
  const { url: base } = await listen(server, { port: 0, host: '127.0.0.1' });
  url = new URL('data/drive-2023.copc.laz', base).href;
  api = createMeasureApi({ fetch: globalThis.fetch as never, lazPerf: getDefaultLazPerf });
}, 180_000);

afterAll(async () => {
  await copc?.close();
  await las?.close();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server?.closeAllConnections();
  if (work) rmSync(work, { recursive: true, force: true });
});

function world(u: number, v: number): [number, number] {
  const b = (truth.frame.bearingDeg * Math.PI) / 180;
  return [truth.frame.originE + u * Math.sin(b) + v * Math.cos(b), truth.frame.originN + u * Math.cos(b) - v * Math.sin(b)];
}

describe('pure helpers', () => {
  it('axis cuts: perpendicular, centred on the axis, left to right, every step including the end', () => {
    const from: Point2 = [337300, 5682400];
    const to: Point2 = [337300 + 12, 5682400 + 16]; // 20 m long
    const lines = sectionLinesAlongAxis(from, to, 5, 7.5);
    expect(lines.map((l) => l.station)).toEqual([0, 5, 10, 15, 20]);
    for (const l of lines) {
      const dx = l.to[0] - l.from[0];
      const dy = l.to[1] - l.from[1];
      expect(Math.hypot(dx, dy)).toBeCloseTo(15, 9);
      expect(dx * 12 + dy * 16).toBeCloseTo(0, 6);
      const mid: Point2 = [(l.from[0] + l.to[0]) / 2, (l.from[1] + l.to[1]) / 2];
      expect(mid[0]).toBeCloseTo(from[0] + (12 / 20) * l.station, 9);
      expect(mid[1]).toBeCloseTo(from[1] + (16 / 20) * l.station, 9);
      // `from` lies left of the axis direction: cross(axis, from - mid) > 0.
      expect(12 * (l.from[1] - mid[1]) - 16 * (l.from[0] - mid[0])).toBeGreaterThan(0);
    }
    expect(() => sectionLinesAlongAxis(from, from, 5, 7.5)).toThrow(/Invalid axis/);
    expect(() => sectionLinesAlongAxis(from, to, 0, 7.5)).toThrow(/Invalid cut spacing/);
  });

  it('pick support: spacing of a 2 cm grid, an occlusion edge at its border, too sparse on a 20 cm grid', () => {
    const grid = (stepM: number, halfM: number): { x: Float64Array; y: Float64Array; z: Float64Array } => {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = -halfM; i <= halfM + 1e-9; i += stepM) {
        for (let j = -halfM; j <= halfM + 1e-9; j += stepM) {
          xs.push(337000 + i);
          ys.push(5682000 + j);
        }
      }
      return { x: Float64Array.from(xs), y: Float64Array.from(ys), z: new Float64Array(xs.length).fill(35) };
    };
    const dense = grid(0.02, 1);
    const centre = assessPickSupport(dense, [337000, 5682000, 35], 0.15);
    expect(centre.warnings).toEqual([]);
    expect(Math.abs(centre.pointSpacingM - 0.02) / 0.02).toBeLessThan(0.05);
    const edge = assessPickSupport(dense, [337001, 5682000, 35], 0.15);
    expect(edge.warnings.some((w) => w.startsWith('occlusion edge'))).toBe(true);
    const sparse = assessPickSupport(grid(0.2, 1), [337000, 5682000, 35], 0.15);
    expect(sparse.points).toBeLessThan(MIN_SUPPORT_POINTS);
    expect(sparse.warnings[0]).toMatch(/^too sparse/);
    // A vertical wall: the support lies in the wall plane, so a pick in its middle has no edge.
    const wall = grid(0.02, 1);
    const vertical = { x: wall.x, y: new Float64Array(wall.x.length).fill(5682000), z: Float64Array.from(wall.y, (n) => 35 + (n - 5682000)) };
    expect(assessPickSupport(vertical, [337000, 5682000, 35], 0.15).warnings).toEqual([]);
  });
});

describe('measure api over HTTP against the CLI code path and truth.json', () => {
  it('cutSection: equal to `twinview section` on the same COPC; kerbs within 1 cm of truth; cache on repeat', async () => {
    for (const st of truth.stations.slice(0, 2)) {
      const from = world(st.station, -7.5);
      const to = world(st.station, 7.5);
      const r = await api.cutSection(url, { from, to });
      const cli = await sectionFromSource(copc.source, from, to, 0.1);
      expect(r.section).toEqual(cli.section);
      const left = r.section.kerbs.find((k) => k.side === 'from');
      const right = r.section.kerbs.find((k) => k.side === 'to');
      expect(Math.abs(left!.heightM - st.left.kerbHeightM), `station ${st.station} left`).toBeLessThanOrEqual(0.01);
      expect(Math.abs(right!.heightM - st.right.kerbHeightM), `station ${st.station} right`).toBeLessThanOrEqual(0.01);
      expect(r.pointSpacingM).toBeGreaterThan(0);
      expect(r.pointSpacingM).toBeLessThan(0.1);
      expect(r.stats.nodesTouched).toBe(cli.stats.nodeKeys.length);
      // The same slab again: every node from the api's node cache.
      const again = await api.cutSection(url, { from, to });
      expect(again.stats.nodesFetched).toBe(0);
      expect(again.section).toEqual(r.section);
    }
  }, 120_000);

  it('cutSectionSeries: cuts across the street axis, the first equal to a single cut at the same place', async () => {
    const st = truth.stations[0];
    const series = await api.cutSectionSeries(url, { from: world(st.station, 0), to: world(st.station + 4, 0), stepM: 2, halfLengthM: 7.5 });
    expect(series).toHaveLength(3);
    const single = await api.cutSection(url, { from: series[0]!.from, to: series[0]!.to });
    expect(series[0]!.section).toEqual(single.section);
    // Axis along +u: the cut runs from the left (v = -7.5) to the right, as the station lines of the CLI test.
    const [e, n] = world(st.station, -7.5);
    expect(series[0]!.from[0]).toBeCloseTo(e, 6);
    expect(series[0]!.from[1]).toBeCloseTo(n, 6);
    for (const s of series) expect(s.section.kerbs.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('measureBuilding: equal to `twinview measure-building`; ridge and eave within 3 cm of truth', async () => {
    const picked = [truth.buildings.find((b: any) => !b.parapet), truth.buildings.find((b: any) => b.parapet)].filter(Boolean);
    for (const b of picked) {
      const r = await api.measureBuilding(url, { footprint: b.footprint });
      const cli = await measureBuildingFromSource(copc.source, b.footprint, { bufferM: 1 });
      expect(r.result).toEqual(cli.result);
      const ridge = b.parapet ? b.parapet.topZ : b.ridge.heightZ;
      const eave = b.parapet ? b.parapet.topZ : Math.max(...b.eaves.map((e: any) => e.heightZ));
      expect(Math.abs(r.result.ridgeNhn - ridge), `${b.id} ridge`).toBeLessThanOrEqual(0.03);
      expect(Math.abs(r.result.eaveNhn - eave), `${b.id} eave`).toBeLessThanOrEqual(0.03);
      expect(r.result.pointSpacingM).toBeGreaterThan(0);
    }
    // A street-facade reference reads the street too, as the CLI.
    const b = picked[0];
    const reference = { kind: 'street-facade' as const, street: truth.stations[0].axis as Point2 };
    const r = await api.measureBuilding(url, { footprint: b.footprint, reference });
    const cli = await measureBuildingFromSource(copc.source, b.footprint, { bufferM: 1, reference });
    expect(r.result).toEqual(cli.result);
    expect(r.result.reference.kind).toBe('street-facade');
  }, 180_000);

  it('spotHeight: a light-well rim within 1 cm, relative to the footpath, equal to `twinview spot-height`', async () => {
    const b = truth.buildings.find((x: any) => x.lightWells.length > 0);
    const w = b.lightWells[0];
    const side = b.side === 'left' ? truth.stations[0].left : truth.stations[0].right;
    const v = side.footpathOuterOffsetM - Math.sign(side.footpathOuterOffsetM) * 0.1;
    const footpath = world(w.station, v);
    const r = await api.spotHeight(url, { at: w.center, relativeTo: footpath });
    const cli = await spotHeightFromSource(copc.source, w.center, 0.1);
    expect(r.nhn).toBe(cli.nhn);
    expect(r.sigmaM).toBe(cli.sigmaM);
    expect(Math.abs(r.nhn - w.rimZ)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(r.relative!.deltaM - w.rimAboveFootpathM)).toBeLessThanOrEqual(0.01);
    expect(r.pointSpacingM).toBeGreaterThan(0);
  }, 60_000);

  it('checkPick: a file point snaps to itself with its spacing; a pick in the air finds nothing and says so', async () => {
    const { points } = await las.source.query(Region.disc(world(truth.stations[0].station, 0), 0.3));
    const i = Math.floor(points.count / 2);
    const p: Point3 = [points.x[i]!, points.y[i]!, points.z[i]!];
    const check = await api.checkPick(url, [p[0] + 0.05, p[1] - 0.03, p[2] + 0.2]);
    expect(check.snapped).toBeDefined();
    expect(check.snapDistanceM!).toBeLessThanOrEqual(Math.hypot(0.05, 0.03, 0.2) + 1e-9);
    const exact = await api.checkPick(url, p);
    expect(exact.snapped).toEqual(p);
    expect(exact.snapDistanceM).toBe(0);
    expect(exact.points).toBeGreaterThanOrEqual(MIN_SUPPORT_POINTS);
    expect(exact.warnings.filter((w) => w.startsWith('too sparse'))).toEqual([]);
    const air = await api.checkPick(url, [p[0], p[1], p[2] + 30]);
    expect(air.snapped).toBeUndefined();
    expect(air.warnings[0]).toMatch(/^too sparse: 0 points/);
  }, 60_000);

  it('clipLas: the points inside a polygon and height range, as a LAS with the file scale, equal to a brute-force filter', async () => {
    const b = truth.buildings[0];
    const ring: Point2[] = b.footprint;
    const zmin = b.floorZ as number;
    const zmax = zmin + 3;
    const r = await api.clipLas(url, { ring, zmin, zmax });
    const out = await openLas(createBytesGetter(r.bytes, 'clip.las'));
    const got = await out.readPoints();
    const want = (await las.source.query(Region.polygon(ring, 0, { zmin, zmax }))).points;
    expect(got.count).toBe(want.count);
    expect(r.pointCount).toBe(want.count);
    expect(want.count).toBeGreaterThan(100);
    expect(out.header.scale).toEqual(copc.source.header.scale);
    const key = (x: number, y: number, z: number): string => `${x.toFixed(3)},${y.toFixed(3)},${z.toFixed(3)}`;
    const wanted = new Set(Array.from({ length: want.count }, (_, k) => key(want.x[k]!, want.y[k]!, want.z[k]!)));
    for (let k = 0; k < got.count; k++) expect(wanted.has(key(got.x[k]!, got.y[k]!, got.z[k]!))).toBe(true);
    // A box from two corners.
    const box = await api.clipLas(url, { ring: [[ring[0]![0] - 1, ring[0]![1] - 1], [ring[0]![0] + 1, ring[0]![1] + 1]] });
    const boxWant = await las.source.query(Region.box([ring[0]![0] - 1, ring[0]![1] - 1], [ring[0]![0] + 1, ring[0]![1] + 1]));
    expect(box.pointCount).toBe(boxWant.points.count);
  }, 60_000);

  it('clipLas as LAZ: laz-perf decodes it to the same records as the LAS clip, with the LASzip VLR and the compression bit', async () => {
    const ring: Point2[] = truth.buildings[1].footprint;
    const zmin = (truth.buildings[1].floorZ as number) + 1;
    const plain = await api.clipLas(url, { ring, zmin, format: 'las' });
    const laz = await api.clipLas(url, { ring, zmin, format: 'laz' });
    expect(plain.format).toBe('las');
    expect(laz.format).toBe('laz');
    expect(laz.pointCount).toBe(plain.pointCount);
    expect(laz.pointCount).toBeGreaterThan(1000);
    // Compressed: point format byte with bit 7 set (LAS 1.4 R15 §2.4, LASzip convention) and clearly smaller.
    expect(laz.bytes[104]! & 0x80).toBe(0x80);
    expect(laz.bytes.byteLength).toBeLessThan(plain.bytes.byteLength * 0.6);
    const a = await openLas(createBytesGetter(plain.bytes, 'clip.las'));
    const b = await openLas(createBytesGetter(laz.bytes, 'clip.laz'), { lazPerf: getDefaultLazPerf() });
    expect(a.compressed).toBe(false);
    expect(b.compressed).toBe(true);
    expect(b.header.pointFormat).toBe(a.header.pointFormat);
    expect(b.header.scale).toEqual(a.header.scale);
    expect(b.header.offset).toEqual(a.header.offset);
    expect(b.wkt).toBe(a.wkt);
    const pa = await a.readPoints();
    const pb = await b.readPoints();
    expect(pb.count).toBe(pa.count);
    // Every decoded column equals the uncompressed one, record by record (the LAZ keeps the record order).
    for (const [name, column] of Object.entries(pa)) {
      if (!ArrayBuffer.isView(column)) continue;
      expect(Array.from(pb[name as keyof typeof pb] as ArrayLike<number>), name).toEqual(Array.from(column as unknown as ArrayLike<number>));
    }
  }, 60_000);

  it('a local File or Blob (drag and drop) measures like the URL of the same file, read by ranges, opened once per file', async () => {
    const st = truth.stations[0];
    const from = world(st.station, -7.5);
    const to = world(st.station, 7.5);
    const b = truth.buildings.find((x: any) => !x.parapet);
    const local = createMeasureApi({ lazPerf: getDefaultLazPerf });
    // Note: Node 20's File is a Blob with a name and modification time, as the browser's.
    const file = (): File => new File([copcBytes as Uint8Array<ArrayBuffer>], 'drive-2023.copc.laz', { lastModified: 1_700_000_000_000 });
    const sliced: [number, number][] = [];
    const blob = new Blob([copcBytes as Uint8Array<ArrayBuffer>]);
    const slice = blob.slice.bind(blob);
    blob.slice = (begin?: number, end?: number) => {
      sliced.push([begin ?? 0, end ?? blob.size]);
      return slice(begin, end);
    };
    const byUrl = await api.cutSection(url, { from, to });
    const byFile = await local.cutSection(file(), { from, to });
    const byBlob = await local.cutSection(blob, { from, to });
    expect(byFile.section).toEqual(byUrl.section);
    expect(byBlob.section).toEqual(byUrl.section);
    // Ranges, not the whole file: the header, hierarchy and the slab's nodes.
    const read = sliced.reduce((n, [a, e]) => n + (e - a), 0);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(blob.size / 2);
    expect(sliced.every(([a, e]) => e - a < blob.size)).toBe(true);
    // Each call into a worker brings a fresh structured clone of the File: the same file (name, size, date)
    // keeps its opened source and node cache, so a repeated cut fetches no node again.
    const again = await local.cutSection(file(), { from, to });
    expect(again.stats.nodesFetched).toBe(0);
    expect(again.section).toEqual(byUrl.section);
    const building = await local.measureBuilding(file(), { footprint: b.footprint });
    expect(building.result).toEqual((await api.measureBuilding(url, { footprint: b.footprint })).result);
    const clip = await local.clipLas(file(), { ring: b.footprint, zmin: b.floorZ, zmax: b.floorZ + 3 });
    expect(clip.pointCount).toBe((await api.clipLas(url, { ring: b.footprint, zmin: b.floorZ, zmax: b.floorZ + 3 })).pointCount);
    // A file that is not a point cloud is refused with its name.
    const junk = new File([new Uint8Array(400)], 'notes.laz');
    await expect(local.spotHeight(junk, { at: from })).rejects.toThrow(/Invalid .*notes\.laz/);
    await expect(local.spotHeight(42 as never, { at: from })).rejects.toThrow(/Invalid measure input: 42/);
    // Clip formats: only las/laz; LAZ only from point formats 6-8 (our LAZ writer's), a PDRF 3 file names itself.
    await expect(local.clipLas(file(), { ring: b.footprint, format: 'xyz' as never })).rejects.toThrow(/Invalid clip format: xyz/);
    const ring = b.footprint as Point2[];
    const pdrf3 = writeLas(
      { count: ring.length, x: Float64Array.from(ring, (p) => p[0]), y: Float64Array.from(ring, (p) => p[1]), z: new Float64Array(ring.length).fill(b.floorZ) },
      { version: '1.2', pointFormat: 3, scale: [0.001, 0.001, 0.001], offset: [ring[0]![0], ring[0]![1], 0] },
    );
    const old = new File([pdrf3 as Uint8Array<ArrayBuffer>], 'old-format.las');
    await expect(local.clipLas(old, { ring: b.footprint, format: 'laz' })).rejects.toThrow(/Invalid clip format: laz .*old-format\.las has format 3/);
    expect((await local.clipLas(old, { ring: b.footprint })).format).toBe('las');
  }, 120_000);

  it('the client without a worker calls the same api (node has no Worker)', async () => {
    const client = createMeasureClient({ api });
    expect(client.mode).toBe('main');
    const st = truth.stations[0];
    const from = world(st.station, -7.5);
    const to = world(st.station, 7.5);
    expect((await client.cutSection(url, { from, to })).section).toEqual((await api.cutSection(url, { from, to })).section);
    await expect(client.cutSection(url, { from, to: from })).rejects.toThrow(/Invalid section line/);
    await expect(createMeasureApi({ fetch: globalThis.fetch as never, lazPerf: getDefaultLazPerf }).cutSection(url.replace('drive-2023', 'missing'), { from, to })).rejects.toThrow(/404/);
    client.dispose();
  }, 60_000);
});
