/**
 * The viewer in headless Chromium (SwiftShader WebGL2, no GPU), served from localhost by the range server, on the
 * tiled sample drive and the real NRW COPC tile:
 * - time from the first data request to the first points drawn (warm: the page, its worker and the laz-perf wasm
 *   were loaded once before, so they come from the browser cache);
 * - bytes fetched vs bytes of the nodes drawn after a scripted camera path;
 * - decode throughput of the worker pool (2 workers) vs one worker: points decoded per second of wall time for the
 *   NRW tile's nodes to depth 3, with the chunks already read (the target row) and with the range reads timed too;
 * - JS heap (after a forced GC) after a 10-minute scripted fly-through vs after its first minute, with the array
 *   buffers (node data lives there, outside the JS heap) and the entity's cache; TWINVIEW_FLY_S shortens the
 *   flight (the first reading then comes after a tenth of it);
 * - frame time at 1 M and 2 M drawn points (synchronous draws with gl.finish(), so CPU rasterisation in SwiftShader
 *   is included: a real GPU is far faster).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_SAMPLE_SEED, writeSampleFiles } from '../samples/write-sample.ts';
import type { RunningViewer } from '../tiling/server/serve-viewer.ts';
import { tile } from '../tiling/tile/tile.ts';
import { launchBrowser, openLoggedPage, waitForViewerState, type TestBrowser } from '../tests/e2e/browser.ts';
import { snapshotViewer, type ViewerSnapshot } from '../tests/e2e/snapshot-server.ts';
import type { Bench, BenchRow } from './bench-types.ts';

const NRW = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';

type Dataset = Record<string, string | undefined>;

async function dataset(page: Page): Promise<Dataset> {
  return page.evaluate(() => ({ ...document.body.dataset }));
}

/** Waits until no node is in flight for 500 ms; returns the time it became quiet (ms since the call). */
async function settle(page: Page, timeoutMs = 300_000): Promise<number> {
  const started = Date.now();
  let quietSince = 0;
  while (Date.now() - started < timeoutMs) {
    const d = await dataset(page);
    if (d.state === 'ready' && d.idle === 'true' && d.nodesInFlight === '0') {
      quietSince ||= Date.now();
      if (Date.now() - quietSince > 500) return quietSince - started;
    } else quietSince = 0;
    await page.waitForTimeout(50);
  }
  throw new Error('Invalid page: the viewer did not settle');
}

/**
 * Opens a page and waits for the first drawn points; returns the page's own first-points time and its
 * `twinview:*` performance marks as ms after the first data request (where the first-points time goes).
 */
async function openViewer(browser: TestBrowser, url: string): Promise<{ page: Page; firstPointsMs: number; marks: string }> {
  const { page } = await openLoggedPage(browser.context);
  await page.goto(url);
  const state = await waitForViewerState(page, 300_000);
  if (state !== 'ready') throw new Error(`Invalid page: ${url} ended in ${state} (${(await dataset(page)).errorKind})`);
  await page.waitForFunction(() => document.body.dataset.firstPointsMs !== undefined, undefined, { timeout: 60_000 });
  const marks = await page.evaluate(() => {
    const all = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('twinview:'));
    const t0 = all.find((m) => m.name === 'twinview:first-request')?.startTime ?? 0;
    return all.map((m) => `${m.name.slice(9)} ${Math.round(m.startTime - t0)}`).join(', ');
  });
  return { page, firstPointsMs: Number((await dataset(page)).firstPointsMs), marks };
}

/** Fields of /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat after the command name (field 3 = index 0). */
function statFields(path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * CPU time (ms, user + system) of every Web Worker thread ("DedicatedWorker" in Chromium) of the browsers this
 * process launched (descendants of this process, so other jobs' browsers on the machine do not count), by thread.
 * Linux only (/proc); empty elsewhere. Note: thread CPU time does not grow while a thread waits for a core, so it
 * shows what the pool would do on free cores when the machine is shared.
 */
function workerThreadCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  const parent = new Map(pids.map((pid) => [pid, statFields(`/proc/${pid}/stat`)?.[1]]));
  const ours = (pid: string): boolean => {
    for (let at: string | undefined = pid, hops = 0; at && at !== '0' && hops < 20; at = parent.get(at), hops++) {
      if (at === String(process.pid)) return true;
    }
    return false;
  };
  for (const pid of pids) {
    if (!ours(pid)) continue;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      let comm = '';
      try {
        comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8');
      } catch {
        continue;
      }
      if (!comm.startsWith('DedicatedWorker')) continue;
      const f = statFields(`/proc/${pid}/task/${tid}/stat`);
      // proc(5): utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
      if (f) out.set(`${pid}/${tid}`, (Number(f[11]) + Number(f[12])) * 10);
    }
  }
  return out;
}

/** CPU ms each worker thread spent between two {@link workerThreadCpuMs} readings, largest first (busy ones only). */
function cpuSpent(before: Map<string, number>, after: Map<string, number>): number[] {
  return [...after].map(([id, ms]) => ms - (before.get(id) ?? 0)).filter((ms) => ms >= 20).sort((a, b) => b - a);
}

/** Parts of this bench to run (TWINVIEW_VIEWER_PARTS=first,bytes,pool,heap,frame; default all). */
const PARTS = new Set((process.env.TWINVIEW_VIEWER_PARTS ?? 'first,bytes,pool,heap,frame').split(','));

/** Sets the camera (world eye and target) in the page. */
async function setView(page: Page, eye: number[], target: number[]): Promise<void> {
  await page.evaluate(
    ([e, t]) => {
      const tv = (window as unknown as { twinview: { setWorldView(e: number[], t: number[]): void } }).twinview;
      tv.setWorldView(e, t);
    },
    [eye, target] as const,
  );
}

/** Mean time of synchronous full draws with gl.finish(), ms. */
async function frameTimeMs(page: Page, frames = 5): Promise<number> {
  return page.evaluate((n) => {
    const viewer = (window as unknown as { twinview: { viewer: { renderNow(): void; renderer: { getContext(): WebGLRenderingContext } } } }).twinview.viewer;
    const gl = viewer.renderer.getContext();
    const pixel = new Uint8Array(4);
    // Note: reading a pixel waits for the GPU process to finish the frame (gl.finish alone returns early in
    // Chromium). No named helper here: tsx would wrap it in a __name() call that does not exist in the page.
    viewer.renderNow();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      viewer.renderNow();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    }
    return (performance.now() - t0) / n;
  }, frames);
}

/**
 * Used JS heap after a forced garbage collection, and the array-buffer backing stores outside it (where node data
 * lives), MB; plus the entity caches' bytes (CPU copies and GPU buffers as the cache counts them).
 */
async function heapMb(page: Page): Promise<{ heap: number; buffers: number; cache: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  await cdp.detach();
  const cache = await page.evaluate(() => {
    const tv = (window as unknown as { twinview: { sources: Array<{ stats: { cacheBytes: number } }> } }).twinview;
    return tv.sources.reduce((n, s) => n + s.stats.cacheBytes, 0);
  });
  return { heap: usage.usedSize / 1e6, buffers: (usage.backingStorageSize ?? NaN) / 1e6, cache: cache / 1e6 };
}

/** A camera path over a box (world metres): a ring of oblique views around it, then two closer passes. */
function cameraPath(b: number[], steps: number): Array<{ eye: number[]; target: number[] }> {
  const cx = (b[0]! + b[3]!) / 2;
  const cy = (b[1]! + b[4]!) / 2;
  const cz = (b[2]! + b[5]!) / 2;
  const radius = Math.hypot(b[3]! - b[0]!, b[4]! - b[1]!) / 2;
  const path: Array<{ eye: number[]; target: number[] }> = [];
  for (let i = 0; i < steps; i++) {
    const a = (i / steps) * Math.PI * 4;
    const near = 0.25 + 0.75 * Math.abs(Math.cos(i / 7));
    const target = [cx + Math.cos(a * 0.5) * radius * 0.4, cy + Math.sin(a * 0.5) * radius * 0.4, cz];
    const eye = [target[0]! - Math.cos(a) * radius * near, target[1]! - Math.sin(a) * radius * near, cz + radius * near * 0.6];
    path.push({ eye, target });
  }
  return path;
}

async function bounds(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const tv = (window as unknown as { twinview: { sources: Array<{ bounds: number[] }> } }).twinview;
    return tv.sources[0]!.bounds;
  });
}

const bench: Bench = async ({ sharedData, log }) => {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'twinview-viewer-bench-'));
  let sampleServer: RunningViewer | undefined;
  let nrwServer: RunningViewer | undefined;
  let browser: TestBrowser | undefined;
  let snapshot: ViewerSnapshot | undefined;
  try {
    log('writing and tiling the sample drive (density 0.3) …');
    await writeSampleFiles(dir, DEFAULT_SAMPLE_SEED, { density: 0.3 });
    await tile({ inputs: [join(dir, 'drive-2023.las')], output: join(dir, 'drive-2023.copc.laz'), quiet: true });
    // A private copy of dist/: other runs in this working tree may rebuild it meanwhile.
    snapshot = await snapshotViewer();
    sampleServer = await snapshot.serve({ dataDir: dir });
    nrwServer = await snapshot.serve({ dataDir: sharedData });
    browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
    const sampleUrl = `${sampleServer.url}?url=/data/drive-2023.copc.laz&edl=0`;
    const nrwUrl = `${nrwServer.url}?url=/data/${NRW}&edl=0`;

    // 1. First points, warm (the first load fills the browser cache with the page, worker and wasm).
    for (const [name, url] of (PARTS.has('first') ? [
      ['sample', sampleUrl],
      ['NRW tile', nrwUrl],
    ] : []) as ReadonlyArray<readonly [string, string]>) {
      const warm = await openViewer(browser, url);
      await warm.page.close();
      const times: number[] = [];
      for (let run = 0; run < 3; run++) {
        const { page, firstPointsMs, marks } = await openViewer(browser, url);
        times.push(firstPointsMs);
        log(`  ${name} run ${run + 1}: ${marks} (ms after the first request; load ${loadavg()[0]!.toFixed(1)})`);
        await page.close();
      }
      const median = [...times].sort((a, b) => a - b)[1]!;
      log(`first points ${name}: ${times.join(', ')} ms`);
      rows.push({ name: `first data request to first points (${name})`, value: median, unit: 'ms', target: '<= 300', met: median <= 300, notes: 'median of 3 warm loads, localhost' });
    }

    // 2. Bytes fetched vs bytes of drawn nodes after a camera path over the NRW tile.
    if (PARTS.has('bytes')) {
      const { page } = await openViewer(browser, nrwUrl);
      await settle(page);
      const b = await bounds(page);
      for (const { eye, target } of cameraPath(b, 6)) {
        await setView(page, eye, target);
        await settle(page);
      }
      const d = await dataset(page);
      // Which fetched nodes were never drawn in any view of the path (fetching them was wasted).
      const waste = await page.evaluate(() => {
        type Entity = { fetchedNeverDrawn(): Array<{ key: string; bytes: number }> };
        const tv = (window as unknown as { twinview: { sources: Array<{ entity: Entity }> } }).twinview;
        return tv.sources.flatMap((s) => s.entity.fetchedNeverDrawn());
      });
      const wasted = waste.reduce((n, w) => n + w.bytes, 0);
      log(`fetched, never drawn: ${waste.length} nodes, ${(wasted / 1e6).toFixed(2)} MB: ${waste.map((w) => `${w.key} ${(w.bytes / 1e3).toFixed(0)} kB`).join(', ')}`);
      const fetched = Number(d.bytesFetched);
      const ratio = fetched / Number(d.bytesOfEverDrawnNodes);
      rows.push({ name: 'bytes fetched / bytes of nodes drawn (NRW, 6-view path)', value: ratio, unit: 'x', target: '<= 1.1', met: ratio <= 1.1, notes: `${(fetched / 1e6).toFixed(1)} MB fetched, ${(Number(d.bytesOfEverDrawnNodes) / 1e6).toFixed(1)} MB of nodes drawn in some view, ${waste.length} nodes (${(wasted / 1e6).toFixed(2)} MB) fetched and never drawn` });
      const endRatio = fetched / Number(d.bytesOfDrawnNodes);
      rows.push({ name: 'bytes fetched / bytes of nodes drawn in the last view', value: endRatio, unit: 'x', notes: `${(Number(d.bytesOfDrawnNodes) / 1e6).toFixed(1)} MB drawn at the end; nodes of earlier views count as overhead here` });
      await page.close();
    }

    // 3. Pool vs one worker: the NRW tile's nodes to depth 3 decoded through the page's pool at once
    // (CopcSource.getNodeData), after the page settled; points per second of wall time. Two figures: with the
    // localhost range reads inside the timed part (fetch + decode), and with every chunk read beforehand and handed
    // to getNodeData from memory (decode only: the pool's own scaling). Note: the range server runs in this Node
    // process and Chromium's network service on the same 2 cores, so the first figure charges their CPU to the pool.
    const throughput: Record<string, number> = {};
    const busy: Record<string, string> = {};
    // Time inside decodeNode per million points: equal in both modes when each worker had a core of its own.
    const perMpts: Record<string, string> = {};
    // CPU time of each worker thread over the in-memory passes (see workerThreadCpuMs).
    const threadCpu: Record<string, number[]> = {};
    for (const workers of PARTS.has('pool') ? [1, 2] : []) {
      for (const prefetch of [false, true]) {
        const { page } = await openViewer(browser, `${nrwUrl}&workers=${workers}`);
        await settle(page);
        const cpuBefore = workerThreadCpuMs();
        const result = await page.evaluate(async (fromMemory) => {
          type Node = { key: string; depth: number; pointCount: number; pointDataOffset: number; pointDataLength: number };
          type Source = {
            getHierarchy(): Promise<{ root: Node; findChildren(n: Node): readonly Node[] | undefined; loadChildren(n: Node): Promise<void> }>;
            getNodeData(r: { node: Node }): Promise<{ count: number; decodeMs: number }>;
            readRange: (begin: number, end: number, signal?: AbortSignal) => Promise<Uint8Array>;
          };
          const source = (window as unknown as { twinview: { sources: Array<{ source: Source }> } }).twinview.sources[0]!.source;
          const hierarchy = await source.getHierarchy();
          const nodes: Node[] = [];
          const queue: Node[] = [hierarchy.root];
          while (queue.length) {
            const node = queue.shift()!;
            nodes.push(node);
            if (node.depth >= 3) continue;
            let children = hierarchy.findChildren(node);
            if (!children) {
              await hierarchy.loadChildren(node);
              children = hierarchy.findChildren(node) ?? [];
            }
            queue.push(...children);
          }
          if (fromMemory) {
            // The source's (private) range reader, swapped for one answering from chunks read before the clock starts.
            const read = source.readRange;
            const chunks = new Map<number, Uint8Array>();
            for (const n of nodes) if (n.pointCount > 0) chunks.set(n.pointDataOffset, await read(n.pointDataOffset, n.pointDataOffset + n.pointDataLength));
            // A copy per call: the pool transfers (detaches) what it is given.
            source.readRange = async (begin, end, signal) => chunks.get(begin)?.slice() ?? read(begin, end, signal);
          }
          // Largest first (longest-processing-time order): the pool hands tasks out in order, and nodes range from
          // a few to 100 000 points, so a big node last would leave one worker alone at the end.
          nodes.sort((a, b) => b.pointCount - a.pointCount);
          // Note: from memory, the fastest of three passes (a shared machine's other jobs slow single passes at
          // random); with the range reads, one pass (a second would be served differently).
          let best: { points: number; nodes: number; ms: number; decodeMs: number } | undefined;
          for (let pass = 0; pass < (fromMemory ? 3 : 1); pass++) {
            const t0 = performance.now();
            const decoded = await Promise.all(nodes.map((node) => source.getNodeData({ node })));
            const ms = performance.now() - t0;
            if (!best || ms < best.ms) best = { points: decoded.reduce((n, d) => n + d.count, 0), nodes: nodes.length, ms, decodeMs: decoded.reduce((n, d) => n + d.decodeMs, 0) };
          }
          return best!;
        }, prefetch);
        const key = `${workers}${prefetch ? ' decode' : ''}`;
        threadCpu[key] = cpuSpent(cpuBefore, workerThreadCpuMs()).slice(0, workers);
        throughput[key] = result.points / (result.ms / 1000);
        // Share of the wall time the workers spent inside decodeNode (1 = never idle); the load average says how
        // much else ran on the machine meanwhile.
        busy[key] = `${((result.decodeMs / result.ms / workers) * 100).toFixed(0)} %`;
        perMpts[key] = `${((result.decodeMs / result.points) * 1e6).toFixed(0)} ms`;
        log(`${workers} worker(s)${prefetch ? ', chunks in memory' : ''}: ${result.points} points in ${result.nodes} nodes, ${result.ms.toFixed(0)} ms, workers busy ${busy[key]}, ${perMpts[key]} decoding per M points, worker threads' CPU ${threadCpu[key]!.join(' + ')} ms, load ${loadavg()[0]!.toFixed(1)}`);
        await page.close();
      }
    }
    if (PARTS.has('pool')) {
    const speedup = throughput['2 decode']! / throughput['1 decode']!;
    rows.push({ name: 'decode throughput, pool (2 workers) vs 1 worker', value: speedup, unit: 'x', target: '>= 1.8', met: speedup >= 1.8, notes: `${(throughput['1 decode']! / 1e6).toFixed(2)} vs ${(throughput['2 decode']! / 1e6).toFixed(2)} Mpts/s, NRW nodes to depth 3, chunks read beforehand; workers busy ${busy['1 decode']} / ${busy['2 decode']}, decoding per M points ${perMpts['1 decode']} / ${perMpts['2 decode']}; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores` });
    // On free cores the pool's wall time would be its busiest worker's CPU time (the three passes in both modes).
    const one = threadCpu['1 decode']![0];
    const two = threadCpu['2 decode']!;
    if (one !== undefined && two.length === 2) {
      const cpuSpeedup = one / two[0]!;
      rows.push({ name: 'decode pool (2 workers) vs 1 worker, by worker CPU time', value: cpuSpeedup, unit: 'x', notes: `1 worker ${one} ms CPU; 2 workers ${two.join(' + ')} ms (the busier one bounds the wall time on 2 free cores); ${((two[0]! + two[1]!) / one).toFixed(2)}x the CPU in total` });
    }
    const withFetch = throughput['2']! / throughput['1']!;
    rows.push({ name: 'fetch + decode throughput, pool (2 workers) vs 1 worker', value: withFetch, unit: 'x', notes: `${(throughput['1']! / 1e6).toFixed(2)} vs ${(throughput['2']! / 1e6).toFixed(2)} Mpts/s, localhost range reads in the timed part (their server shares the cores); workers busy ${busy['1']} / ${busy['2']}` });
    }

    // 4. Heap over a fly-through.
    if (PARTS.has('heap')) {
      const flySeconds = Number(process.env.TWINVIEW_FLY_S ?? 600);
      const firstPartS = Math.min(60, flySeconds / 10);
      const { page } = await openViewer(browser, `${nrwUrl}&budget=2000000`);
      await settle(page);
      const cacheBoundMb = await page.evaluate(() => {
        const tv = (window as unknown as { twinview: { sources: Array<{ entity: { cacheBytes: number } }> } }).twinview;
        return tv.sources.reduce((n, s) => n + s.entity.cacheBytes, 0) / 1e6;
      });
      const b = await bounds(page);
      const path = cameraPath(b, 400);
      const started = Date.now();
      let first: { heap: number; buffers: number; cache: number } | undefined;
      let i = 0;
      while (Date.now() - started < flySeconds * 1000) {
        const { eye, target } = path[i++ % path.length]!;
        await setView(page, eye, target);
        await page.waitForTimeout(250);
        if (first === undefined && Date.now() - started > firstPartS * 1000) {
          first = await heapMb(page);
          log(`fly-through after ${firstPartS} s: heap ${first.heap.toFixed(1)} MB, array buffers ${first.buffers.toFixed(1)} MB, cache ${first.cache.toFixed(1)} MB, ${i} views`);
        }
      }
      await settle(page);
      const end = await heapMb(page);
      const d = await dataset(page);
      log(`fly-through after ${flySeconds} s: heap ${end.heap.toFixed(1)} MB, array buffers ${end.buffers.toFixed(1)} MB, cache ${end.cache.toFixed(1)} MB, ${i} views; fetched ${(Number(d.bytesFetched) / 1e6).toFixed(1)} MB for ${(Number(d.bytesOfEverDrawnNodes) / 1e6).toFixed(1)} MB of nodes drawn`);
      first ??= end;
      rows.push({ name: `JS heap after a ${flySeconds} s fly-through`, value: end.heap, unit: 'MB', notes: `after the first ${firstPartS} s ${first.heap.toFixed(1)} MB; array buffers ${first.buffers.toFixed(1)} -> ${end.buffers.toFixed(1)} MB; ${i} views, 250 ms each` });
      // The JS heap holds no node data (typed arrays live in array buffers), so its growth must stay far below the
      // cache bound; heap plus buffers may grow up to the bound as the cache fills.
      const growth = end.heap - first.heap;
      const totalGrowth = growth + (end.buffers - first.buffers);
      rows.push({ name: 'JS heap growth, first minute to the end of the fly-through', value: growth, unit: 'MB', target: `<= cache bound (${cacheBoundMb.toFixed(0)} MB)`, met: growth <= cacheBoundMb && totalGrowth <= cacheBoundMb, notes: `heap + array buffers ${totalGrowth.toFixed(1)} MB; cache ${first.cache.toFixed(1)} -> ${end.cache.toFixed(1)} MB` });
      rows.push({ name: 'bytes fetched / bytes of nodes drawn over the fly-through', value: Number(d.bytesFetched) / Number(d.bytesOfEverDrawnNodes), unit: 'x', notes: `camera moved every 250 ms, nodes drawn in some view; ${(Number(d.bytesFetched) / 1e6).toFixed(1)} MB fetched` });
      await page.close();
    }

    // 5. Frame time at 1 M and 2 M points (NRW, top view of the whole tile).
    for (const budget of PARTS.has('frame') ? [1_000_000, 2_000_000] : []) {
      const { page } = await openViewer(browser, `${nrwUrl}&budget=${budget}`);
      await settle(page);
      // Closer than the framing view, so the entity wants more points than the budget allows.
      const b = await bounds(page);
      const cx = (b[0]! + b[3]!) / 2;
      const cy = (b[1]! + b[4]!) / 2;
      const cz = (b[2]! + b[5]!) / 2;
      await setView(page, [cx - 120, cy - 260, cz + 220], [cx, cy, cz]);
      await settle(page);
      const d = await dataset(page);
      const ms = await frameTimeMs(page);
      rows.push({ name: `frame time at ${(budget / 1e6).toFixed(0)} M budget`, value: ms, unit: 'ms', notes: `${d.pointsVisible} points drawn, 1280x800, SwiftShader (CPU rasteriser), EDL off` });
      await page.evaluate(() => {
        (document.getElementById('edl') as HTMLInputElement).click();
      });
      const msEdl = await frameTimeMs(page);
      rows.push({ name: `frame time at ${(budget / 1e6).toFixed(0)} M budget with EDL`, value: msEdl, unit: 'ms', notes: 'same view, eye-dome lighting on' });
      await page.close();
    }
  } finally {
    await browser?.close();
    await sampleServer?.close();
    await nrwServer?.close();
    snapshot?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
};

export default bench;
