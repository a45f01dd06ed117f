import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCopc } from '../../../core/copc/copc-file.ts';
import { createBytesGetter } from '../../../core/io/getter.ts';
import { getDefaultLazPerf } from '../../../core/las/laz.ts';
import { createFileGetter, type FileGetter } from '../../../tiling/file-getter.ts';
import { createStaticServer, listen } from '../../../tiling/server/static-server.ts';
import { CopcSource } from '../../../viewer/sources/CopcSource.ts';
import { createBlobGetter, createHttpRangeReader, HEAD_BYTES, withReadAhead } from '../../../viewer/sources/range-readers.ts';
import type { PointCloudHierarchy, PointCloudNode } from '../../../viewer/sources/PointCloudSource.ts';
import { createWorkerPool, type WorkerPool } from '../../../workers/client.ts';
import type { LazPerfSource } from '../../../workers/decode-api.ts';
import { pdalSummary, rawHeaderTruth, SHARED_DATA, sharedPath } from '../../helpers/shared-data.ts';

const NRW = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';
const PAGED = 'laspy/tests/data/simple_with_page.copc.laz';

let pool: WorkerPool;
const getters: FileGetter[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  pool = createWorkerPool({ lazPerf: getDefaultLazPerf as unknown as LazPerfSource });
  server = createStaticServer({ appDir: SHARED_DATA, dataDir: SHARED_DATA });
  base = (await listen(server, { port: 0, host: '127.0.0.1' })).url;
});

afterAll(async () => {
  for (const g of getters) await g.close();
  pool.dispose();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

async function fileSource(file: string): Promise<CopcSource> {
  const getter = await createFileGetter(sharedPath(file));
  getters.push(getter);
  return new CopcSource(getter, { pool, name: file });
}

/** Every node of the hierarchy, reading pages as needed. */
async function allNodes(hierarchy: PointCloudHierarchy): Promise<PointCloudNode[]> {
  const out: PointCloudNode[] = [];
  const queue = [hierarchy.root];
  while (queue.length > 0) {
    const node = queue.shift()!;
    out.push(node);
    let children = hierarchy.findChildren(node);
    if (!children) {
      await hierarchy.loadChildren(node);
      children = hierarchy.findChildren(node);
    }
    queue.push(...children!);
  }
  return out;
}

describe('CopcSource', () => {
  it('gives the metadata of the NRW tile as PDAL and the raw header parse see it', async () => {
    const source = await fileSource(NRW);
    const meta = await source.getMetadata();
    const summary = pdalSummary(NRW).summary;
    const raw = rawHeaderTruth(NRW);
    const info = raw.vlrs.find((v: { userId: string }) => v.userId === 'copc').copc;
    expect(meta.pointCount).toBe(summary.num_points);
    expect(meta.bounds).toEqual([summary.bounds.minx, summary.bounds.miny, summary.bounds.minz, summary.bounds.maxx, summary.bounds.maxy, summary.bounds.maxz]);
    expect(meta.spacing).toBeCloseTo(info.spacing, 12);
    expect((meta.cube[0] + meta.cube[3]) / 2).toBeCloseTo(info.center[0], 6);
    expect((meta.cube[4] - meta.cube[1]) / 2).toBeCloseTo(info.halfsize, 6);
    expect(meta.scale).toEqual(raw.scale);
    expect(meta.offset).toEqual(raw.offset);
    expect(meta.hasRgb).toBe(true);
    expect(meta.hasGpsTime).toBe(true);
    // The writer left the COPC time range at 0, 0 and every point's time is 0 too: no range.
    expect(rawHeaderTruth(NRW).vlrs[0].copc.gpstimeMin).toBe(0);
    expect(meta.gpsTimeRange).toBeUndefined();
    expect(meta.crsWkt).toContain('EPSG","25832');
  });

  it('takes the GPS time range from the root node when the COPC info leaves it at 0, 0, reading the root once', async () => {
    const file = 'derived/autzen_trim.copc.laz';
    const bytes = new Uint8Array(readFileSync(sharedPath(file)));
    // COPC 1.0 info VLR payload (after the 375-byte header and the 54-byte VLR header): gpstime min/max at 56/64.
    const info = rawHeaderTruth(file).vlrs.find((v: { userId: string }) => v.userId === 'copc').copc;
    const view = new DataView(bytes.buffer);
    expect(view.getFloat64(375 + 54 + 56, true)).toBe(info.gpstimeMin);
    view.setFloat64(375 + 54 + 56, 0, true);
    view.setFloat64(375 + 54 + 64, 0, true);
    const reads: number[] = [];
    const inner = createBytesGetter(bytes, 'no-time-range.copc.laz');
    const source = new CopcSource({ ...inner, get: (b, e) => (reads.push(b), inner.get(b, e)) }, { pool });
    const meta = await source.getMetadata();
    const copc = await openCopc(createBytesGetter(bytes, 'copy'));
    await copc.loadHierarchyPage();
    const root = await copc.loadNode('0-0-0-0');
    let [t0, t1] = [Infinity, -Infinity];
    for (const t of root.gpsTime!) [t0, t1] = [Math.min(t0, t), Math.max(t1, t)];
    expect(t1).toBeGreaterThan(t0);
    expect(meta.gpsTimeRange).toEqual([t0, t1]);
    expect(t0).toBeGreaterThanOrEqual(info.gpstimeMin);
    const hierarchy = await source.getHierarchy();
    const before = reads.length;
    const data = await source.getNodeData({ node: hierarchy.root });
    expect(reads.length).toBe(before); // handed over, not fetched again
    expect(Math.min(...data.gpsTime!)).toBe(0);
    for (let i = 0; i < data.count; i += 101) expect(data.gpsTime![i]! + t0).toBeCloseTo(root.gpsTime![i]!, 3);
    const again = await source.getNodeData({ node: hierarchy.root });
    expect(reads.length).toBe(before + 1);
    expect(again.gpsTime).toEqual(data.gpsTime);
  });

  it('prefetches the root once: the first getNodeData of the root takes it without a read, equal to a fresh read', async () => {
    const bytes = new Uint8Array(readFileSync(sharedPath(NRW)));
    const reads: number[] = [];
    const inner = createBytesGetter(bytes, 'nrw.copc.laz');
    const source = new CopcSource({ ...inner, get: (b, e) => (reads.push(b), inner.get(b, e)) }, { pool });
    const hierarchy = await source.getHierarchy();
    source.prefetchRoot();
    source.prefetchRoot(); // a second call starts nothing
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rootReads = (): number => reads.filter((b) => b === hierarchy.root.pointDataOffset).length;
    expect(rootReads()).toBe(1);
    const data = await source.getNodeData({ node: hierarchy.root });
    expect(rootReads()).toBe(1);
    const fresh = await (await fileSource(NRW)).getNodeData({ node: hierarchy.root });
    expect(data.count).toBe(hierarchy.root.pointCount);
    expect(data.raw).toEqual(fresh.raw);
    expect(data.gpsTime).toEqual(fresh.gpsTime);
    await source.getNodeData({ node: hierarchy.root });
    expect(rootReads()).toBe(2); // handed out once, then read as usual
  });

  it('walks a paged hierarchy (laspy simple_with_page) and its node counts add up to the file', async () => {
    for (const file of [NRW, PAGED]) {
      const source = await fileSource(file);
      const nodes = await allNodes(await source.getHierarchy());
      expect(nodes.reduce((n, node) => n + node.pointCount, 0), file).toBe(pdalSummary(file).summary.num_points);
      expect(new Set(nodes.map((n) => n.key)).size).toBe(nodes.length);
    }
    // The paged file really has a page below the root page: its children are unknown before loadChildren.
    const paged = await (await fileSource(PAGED)).getHierarchy();
    const unknown = [];
    const queue: PointCloudNode[] = [paged.root];
    while (queue.length > 0) {
      const node = queue.shift()!;
      const children = paged.findChildren(node);
      if (children) queue.push(...children);
      else unknown.push(node.key);
    }
    expect(unknown.length).toBeGreaterThan(0);
  });

  it('decodes every node of the paged file like core/copc, inside its cell', async () => {
    const source = await fileSource(PAGED);
    const getter = await createFileGetter(sharedPath(PAGED));
    getters.push(getter);
    const copc = await openCopc(getter);
    await copc.loadHierarchy();
    for (const node of await allNodes(await source.getHierarchy())) {
      const data = await source.getNodeData({ node });
      const truth = await copc.loadNode(node.key);
      expect(data.count).toBe(truth.count);
      for (let i = 0; i < data.count; i++) {
        expect(data.raw[i * 3]! * data.scale[0] + data.offset[0]).toBe(truth.x[i]);
        expect(data.raw[i * 3 + 1]! * data.scale[1] + data.offset[1]).toBe(truth.y[i]);
        expect(data.positions[i * 3 + 2]! + data.centre[2]).toBeCloseTo(truth.z[i]!, 3);
        expect(data.classification[i]).toBe(truth.classification![i]);
      }
      const [x0, y0, z0, x1, y1, z1] = node.bounds;
      expect(data.centre).toEqual([(x0 + x1) / 2, (y0 + y1) / 2, (z0 + z1) / 2]);
    }
  });

  it('reads the same node over HTTP ranges (with request headers) and from a Blob', async () => {
    const file = await fileSource(NRW);
    const seen: Array<Record<string, string> | undefined> = [];
    const http = await CopcSource.fromUrl(`${base}data/${NRW}`, {
      pool,
      headers: { Authorization: 'Bearer test' },
      fetch: (url, init) => {
        seen.push(init.headers);
        return fetch(url, init as RequestInit);
      },
    });
    const blob = CopcSource.fromFile(new Blob([readFileSync(sharedPath(NRW))]), { pool, name: 'nrw.copc.laz' });
    const hierarchy = await file.getHierarchy();
    const node = hierarchy.findChildren(hierarchy.root)![0]!;
    const a = await file.getNodeData({ node });
    const b = await http.getNodeData({ node: (await http.getHierarchy()).findNode(node.key)! });
    const c = await blob.getNodeData({ node: (await blob.getHierarchy()).findNode(node.key)! });
    expect(a.byteSize).toBe(node.byteSize);
    for (const other of [b, c]) {
      expect(other.count).toBe(a.count);
      expect(other.raw).toEqual(a.raw);
      expect(other.color).toEqual(a.color);
    }
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every((h) => h?.Authorization === 'Bearer test' && /^bytes=\d+-\d+$/.test(h.Range ?? ''))).toBe(true);
  });

  it('opens a URL with head and tail read next to the size probe: no further request inside them, same metadata', async () => {
    const ranges: string[] = [];
    const http = await CopcSource.fromUrl(`${base}data/${NRW}`, {
      pool,
      fetch: (url, init) => {
        ranges.push(init.headers?.Range ?? '');
        // Note: Node's fetch may reuse a keep-alive socket the server is just closing (ECONNRESET): ask once more.
        return fetch(url, init as RequestInit).catch(() => fetch(url, init as RequestInit));
      },
    });
    const fromHttp = await http.getMetadata();
    const fromFile = await (await fileSource(NRW)).getMetadata();
    expect(fromHttp).toEqual(fromFile);
    const size = readFileSync(sharedPath(NRW)).byteLength;
    expect(ranges.slice(0, 3).sort()).toEqual(['bytes=0-0', `bytes=0-${HEAD_BYTES - 1}`, `bytes=${size - HEAD_BYTES}-${size - 1}`].sort());
    // Opening and the root hierarchy page (whose entries equal the file source's) need no further request.
    const hierarchy = await http.getHierarchy();
    expect(hierarchy.root).toEqual((await (await fileSource(NRW)).getHierarchy()).root);
    const inBlocks = ranges.slice(3).filter((r) => {
      const [, b, e] = /^bytes=(\d+)-(\d+)$/.exec(r)!;
      return Number(e) < HEAD_BYTES || Number(b) >= size - HEAD_BYTES;
    });
    expect(inBlocks).toEqual([]);
    // A head that never came (a failed or non-range answer) falls back to the getter's own reads.
    const bytes = new Uint8Array(readFileSync(sharedPath(PAGED)));
    const inner = createBytesGetter(bytes, 'paged.copc.laz');
    const fallback = withReadAhead(inner, [Promise.resolve(undefined)]);
    expect(await fallback.get(10, 400)).toEqual(bytes.subarray(10, 400));
    const n = bytes.byteLength;
    const ahead = withReadAhead(inner, [Promise.resolve({ offset: 0, bytes: bytes.slice(0, 1000) }), Promise.resolve({ offset: n - 500, bytes: bytes.slice(n - 500) })]);
    expect(await ahead.get(10, 400)).toEqual(bytes.subarray(10, 400));
    expect(await ahead.get(900, 1200)).toEqual(bytes.subarray(900, 1200));
    expect(await ahead.get(n - 300, n)).toEqual(bytes.subarray(n - 300, n));
    expect(await ahead.get(n - 600, n - 100)).toEqual(bytes.subarray(n - 600, n - 100));
  });

  it('rejects an aborted node request, a LAS file without COPC info and a 404', async () => {
    const source = await fileSource(NRW);
    const hierarchy = await source.getHierarchy();
    const controller = new AbortController();
    controller.abort();
    await expect(source.getNodeData({ node: hierarchy.root, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const las = await fileSource('PDAL/test/data/laz/autzen_trim.laz');
    await expect(las.getMetadata()).rejects.toThrow(/^Invalid COPC file: no COPC info VLR/);
    await expect(CopcSource.fromUrl(`${base}data/missing.copc.laz`, { pool })).rejects.toThrow(/404/);
  });

  it('reads ranges from a Blob and over HTTP, where aborting stops the fetch', async () => {
    const bytes = readFileSync(sharedPath(PAGED));
    const blob = createBlobGetter(new Blob([bytes]), 'paged.copc.laz');
    expect(blob.size).toBe(bytes.byteLength);
    expect(await blob.get(100, 400)).toEqual(new Uint8Array(bytes.subarray(100, 400)));
    await expect(blob.get(0, bytes.byteLength + 1)).rejects.toThrow(/^Invalid range/);
    const read = createHttpRangeReader(`${base}data/${PAGED}`, { fetch: (url, init) => fetch(url, init as RequestInit) });
    expect(await read(1000, 1375)).toEqual(new Uint8Array(bytes.subarray(1000, 1375)));
    const controller = new AbortController();
    controller.abort();
    await expect(read(0, 5000, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    const missing = createHttpRangeReader(`${base}data/none.copc.laz`, { fetch: (url, init) => fetch(url, init as RequestInit) });
    await expect(missing(0, 10)).rejects.toThrow(/^Invalid server: .* answered HTTP 404/);
  });
});
