/**
 * The viewer in real Chromium (SwiftShader WebGL2), served by the real range server, on the tiled sample drive
 * (both epochs, `twinview tile` output of the generated sample at a tenth of its density) and on the real NRW COPC
 * tile: drawn points cover the dataset's projected bounding box, colour modes change the pixels, the URL
 * round-trips the view, the change colouring highlights the building truth.json says was raised, failures are
 * visible messages, the network log holds only range requests to the data origin with no node fetched twice, and
 * axe-core finds no serious or critical accessibility violation.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCopc } from '../../core/copc/copc-file.ts';
import { DEFAULT_SAMPLE_SEED, writeSampleFiles } from '../../samples/write-sample.ts';
import { createFileGetter } from '../../tiling/file-getter.ts';
import type { RunningViewer } from '../../tiling/server/serve-viewer.ts';
import { tile } from '../../tiling/tile/tile.ts';
import { REPO_ROOT, SHARED_DATA, sharedPath } from '../helpers/shared-data.ts';
import { cspViolations, launchBrowser, openLoggedPage, waitForViewerState, type PageLog, type TestBrowser } from './browser.ts';
import { decodePng, foregroundShare, type RgbaImage } from './png.ts';
import { snapshotViewer, type ViewerSnapshot } from './snapshot-server.ts';

/** The viewer's background (viewer/Viewer.ts BACKGROUND_COLOUR 0x1b1f27). */
const BACKGROUND: [number, number, number] = [0x1b, 0x1f, 0x27];
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');
const NRW = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';

let viewer: RunningViewer;
let noRangeServer: RunningViewer;
let sampleServer: RunningViewer;
let browser: TestBrowser;
let snapshot: ViewerSnapshot;
let sampleDir: string;
let truth: SampleTruth;

interface SampleTruth {
  frame: { originE: number; originN: number; bearingDeg: number };
  buildings: Array<{ id: string; footprint: Array<[number, number]>; local: { frontOffsetM: number; depthM: number; sign: number } }>;
  changes: Array<{ epoch: string; kind: string; buildingId?: string; deltaZ?: number; before?: { eaves?: Array<{ heightZ: number }> } }>;
  street: { crownZAtStation0: number; lengthM: number };
}

beforeAll(async () => {
  // The sample behind `npm start` at a tenth of its density, tiled to COPC by `twinview tile`; same seed.
  sampleDir = mkdtempSync(join(tmpdir(), 'twinview-e2e-sample-'));
  await writeSampleFiles(sampleDir, DEFAULT_SAMPLE_SEED, { density: 0.1 });
  for (const epoch of ['2023', '2025']) {
    await tile({ inputs: [join(sampleDir, `drive-${epoch}.las`)], output: join(sampleDir, `drive-${epoch}.copc.laz`), quiet: true });
  }
  truth = JSON.parse(readFileSync(join(sampleDir, 'truth.json'), 'utf8')) as SampleTruth;
  await writeCorruptCopy(join(sampleDir, 'drive-2023.copc.laz'), join(sampleDir, 'corrupt.copc.laz'));
  // A third source for the swipe choice: the 2023 drive again under another name (drawn in the third source colour).
  copyFileSync(join(sampleDir, 'drive-2023.copc.laz'), join(sampleDir, 'drive-2023-copy.copc.laz'));
  snapshot = await snapshotViewer();
  viewer = await snapshot.serve({ dataDir: SHARED_DATA });
  noRangeServer = await snapshot.serve({ dataDir: SHARED_DATA, ranges: false });
  sampleServer = await snapshot.serve({ dataDir: sampleDir });
  browser = await launchBrowser({ viewport: { width: 1024, height: 768 } });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  await noRangeServer?.close();
  await sampleServer?.close();
  snapshot?.dispose();
  if (sampleDir) rmSync(sampleDir, { recursive: true, force: true });
});

/**
 * Copies a COPC file and overwrites the point data of its largest depth-1 node with pseudo-random bytes (its
 * first 4 bytes kept), so that node decodes to garbage while the rest of the file stays intact.
 */
async function writeCorruptCopy(from: string, to: string): Promise<string> {
  copyFileSync(from, to);
  const getter = await createFileGetter(from);
  const copc = await openCopc(getter);
  const nodes = [...(await copc.loadHierarchy()).values()].filter((n) => n.key.startsWith('1-') && n.pointCount > 0);
  const node = nodes.sort((a, b) => b.pointCount - a.pointCount)[0]!;
  await getter.close();
  const bytes = readFileSync(to);
  let seed = 12345;
  for (let i = node.pointDataOffset + 4; i < node.pointDataOffset + node.pointDataLength; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  writeFileSync(to, bytes);
  return node.key;
}

/** Opens the viewer and waits for its final state. */
async function open(query: string, base = viewer.url): Promise<{ page: Page; log: PageLog; state: string }> {
  const { page, log } = await openLoggedPage(browser.context);
  await page.goto(`${base}?${query}`);
  const state = await waitForViewerState(page);
  return { page, log, state };
}

/** Waits until no node is in flight for 600 ms (data settled for this view). */
async function settle(page: Page, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince = 0;
  while (Date.now() < deadline) {
    const idle = await page.evaluate(() => document.body.dataset.idle === 'true' && document.body.dataset.nodesInFlight === '0');
    if (idle) {
      quietSince ||= Date.now();
      if (Date.now() - quietSince > 600) return;
    } else quietSince = 0;
    await page.waitForTimeout(100);
  }
  throw new Error('Invalid page: the viewer did not settle');
}

/** Draws a frame and reads the WebGL canvas itself (no DOM overlays), decoded. */
async function canvasImage(page: Page, name?: string): Promise<RgbaImage> {
  const dataUrl = await page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return (document.getElementById('view') as HTMLCanvasElement).toDataURL('image/png');
  });
  const png = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (name) writeFileSync(join(SCREENSHOTS, `${name}.png`), png);
  return decodePng(png);
}

/** Saves a full-page screenshot (with the chrome) for people to look at. */
async function screenshot(page: Page, name: string): Promise<RgbaImage> {
  const png = await page.screenshot();
  writeFileSync(join(SCREENSHOTS, `${name}.png`), png);
  return decodePng(png);
}

/** Projects world points (E, N, H) to canvas pixels in the page. */
function project(page: Page, points: ReadonlyArray<readonly [number, number, number]>): Promise<Array<[number, number, number]>> {
  return page.evaluate((pts) => {
    const tv = (window as unknown as { twinview: { projectWorld(e: number, n: number, h: number): [number, number, number] } }).twinview;
    return pts.map(([e, n, h]) => tv.projectWorld(e, n, h));
  }, points as Array<[number, number, number]>);
}

/** The union of the sources' bounds, world metres. */
function datasetBounds(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const tv = (window as unknown as { twinview: { sources: Array<{ bounds: number[] }> } }).twinview;
    const b = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
    for (const s of tv.sources) for (let i = 0; i < 6; i++) b[i] = i < 3 ? Math.min(b[i]!, s.bounds[i]!) : Math.max(b[i]!, s.bounds[i]!);
    return b;
  });
}

/** The canvas rectangle spanned by the eight projected corners of a box, clipped to the image. */
async function projectedBox(page: Page, image: RgbaImage, b: number[]): Promise<{ x: number; y: number; width: number; height: number }> {
  const corners: Array<[number, number, number]> = [];
  for (let i = 0; i < 8; i++) corners.push([i & 1 ? b[3]! : b[0]!, i & 2 ? b[4]! : b[1]!, i & 4 ? b[5]! : b[2]!]);
  const px = await project(page, corners);
  const x0 = Math.max(0, Math.floor(Math.min(...px.map((p) => p[0]))));
  const y0 = Math.max(0, Math.floor(Math.min(...px.map((p) => p[1]))));
  const x1 = Math.min(image.width, Math.ceil(Math.max(...px.map((p) => p[0]))));
  const y1 = Math.min(image.height, Math.ceil(Math.max(...px.map((p) => p[1]))));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The street scene of truth.json as 8 world corners: stations 0..length, offsets over both building rows, road to roofs. */
function sceneBox(): Array<[number, number, number]> {
  const { originE, originN, bearingDeg } = truth.frame;
  const b = (bearingDeg * Math.PI) / 180;
  const toWorld = (u: number, v: number): [number, number] => [originE + u * Math.sin(b) + v * Math.cos(b), originN + u * Math.cos(b) - v * Math.sin(b)];
  const offsets = truth.buildings.map((x) => x.local.sign * (x.local.frontOffsetM + x.local.depthM));
  const vMin = Math.min(...offsets);
  const vMax = Math.max(...offsets);
  const z0 = truth.street.crownZAtStation0 - 1;
  const z1 = truth.street.crownZAtStation0 + 12;
  const corners: Array<[number, number, number]> = [];
  for (const u of [0, truth.street.lengthM]) for (const v of [vMin, vMax]) for (const z of [z0, z1]) corners.push([...toWorld(u, v), z]);
  return corners;
}

/** The convex hull (canvas pixels) of projected world points. */
async function projectedHull(page: Page, corners: Array<[number, number, number]>): Promise<Array<[number, number]>> {
  const points = (await project(page, corners)).map(([x, y]) => [x, y] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: [number, number], a: [number, number], c: [number, number]): number => (a[0] - o[0]) * (c[1] - o[1]) - (a[1] - o[1]) * (c[0] - o[0]);
  const half = (pts: Array<[number, number]>): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (const p of pts) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(points), ...half([...points].reverse())];
}

/** Share of non-background pixels inside a convex polygon (canvas pixels). */
function polygonForegroundShare(image: RgbaImage, polygon: Array<[number, number]>): number {
  let inside = 0;
  let drawn = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      let isInside = true;
      for (let i = 0; i < polygon.length; i++) {
        const a = polygon[i]!;
        const c = polygon[(i + 1) % polygon.length]!;
        if ((c[0] - a[0]) * (y + 0.5 - a[1]) - (c[1] - a[1]) * (x + 0.5 - a[0]) < 0) {
          isInside = false;
          break;
        }
      }
      if (!isInside) continue;
      inside++;
      const k = (y * image.width + x) * 4;
      if (Math.max(Math.abs(image.data[k]! - BACKGROUND[0]), Math.abs(image.data[k + 1]! - BACKGROUND[1]), Math.abs(image.data[k + 2]! - BACKGROUND[2])) > 24) drawn++;
    }
  }
  expect(inside).toBeGreaterThan(1000);
  return drawn / inside;
}

/**
 * Share of pixels that differ (sum of channel differences > 40) between two images of the same size, among the
 * pixels drawn (not background) in either image.
 */
function changedShare(a: RgbaImage, b: RgbaImage): number {
  let changed = 0;
  let drawn = 0;
  const isDrawn = (img: RgbaImage, i: number): boolean =>
    Math.max(Math.abs(img.data[i]! - BACKGROUND[0]), Math.abs(img.data[i + 1]! - BACKGROUND[1]), Math.abs(img.data[i + 2]! - BACKGROUND[2])) > 24;
  for (let i = 0; i < a.data.length; i += 4) {
    if (!isDrawn(a, i) && !isDrawn(b, i)) continue;
    drawn++;
    const d = Math.abs(a.data[i]! - b.data[i]!) + Math.abs(a.data[i + 1]! - b.data[i + 1]!) + Math.abs(a.data[i + 2]! - b.data[i + 2]!);
    if (d > 40) changed++;
  }
  return changed / Math.max(1, drawn);
}

/** Selects a colour mode in the UI and waits for the frame. */
async function selectColour(page: Page, mode: string): Promise<void> {
  await page.selectOption('#colour-mode', mode);
  expect(await page.evaluate(() => document.body.dataset.colourMode)).toBe(mode);
}

/**
 * Asserts the data traffic: every request to /data/ is a GET with a Range header answered 206 on the viewer's
 * origin, and no byte range was requested twice (nodes stay cached while drawn).
 */
function expectRangeTrafficOnly(log: PageLog, base: string): void {
  const origin = new URL(base).origin;
  const foreign = log.requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin);
  expect(foreign).toEqual([]);
  const data = log.details.filter((d) => new URL(d.url).pathname.startsWith('/data/'));
  expect(data.length).toBeGreaterThan(2);
  for (const d of data) {
    expect(d.method, d.url).toBe('GET');
    expect(d.range, d.url).toMatch(/^bytes=\d+-\d+$/);
    expect(d.status, `${d.url} ${d.range}`).toBe(206);
  }
  const seen = new Map<string, number>();
  for (const d of data) seen.set(`${d.url} ${d.range}`, (seen.get(`${d.url} ${d.range}`) ?? 0) + 1);
  expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
}

/** Asserts a clean page: no uncaught errors, no console errors, no failed requests, no CSP violation. */
async function expectClean(page: Page, log: PageLog): Promise<void> {
  expect(await cspViolations(page)).toEqual([]);
  expect(log.pageErrors).toEqual([]);
  expect(log.console.filter((line) => line.startsWith('error'))).toEqual([]);
  expect(log.failedRequests).toEqual([]);
}

describe('screenshot decoding', () => {
  it('reads the colours Chromium painted, quadrant by quadrant', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 200, height: 100 });
    await page.setContent(
      '<body style="margin:0"><div style="display:grid;grid-template:50px 50px/100px 100px">' +
        '<div style="background:#ff0000"></div><div style="background:#00ff00"></div>' +
        '<div style="background:#0000ff"></div><div style="background:#1b1f27"></div></div></body>',
    );
    const image = decodePng(await page.screenshot());
    expect([image.width, image.height]).toEqual([200, 100]);
    const at = (x: number, y: number): number[] => Array.from(image.data.subarray((y * 200 + x) * 4, (y * 200 + x) * 4 + 4));
    expect(at(50, 25)).toEqual([255, 0, 0, 255]);
    expect(at(150, 25)).toEqual([0, 255, 0, 255]);
    expect(at(50, 75)).toEqual([0, 0, 255, 255]);
    expect(at(150, 75)).toEqual([0x1b, 0x1f, 0x27, 255]);
    expect(foregroundShare(image, BACKGROUND)).toBeCloseTo(0.75, 5);
    await page.close();
  });
});

describe('viewer on the tiled sample drive (2023 and 2025)', { timeout: 180_000 }, () => {
  const both = 'url=/data/drive-2023.copc.laz&url=/data/drive-2025.copc.laz&edl=0';

  it('covers the projected bounding box, changes pixels per colour mode and keeps to range requests', async () => {
    const { page, log, state } = await open(both, sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    const data = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(Number(data.pointsVisible)).toBeGreaterThan(50_000);
    expect(Number(data.firstPointsMs)).toBeGreaterThan(0);
    await screenshot(page, 'sample-page');
    const rgb = await canvasImage(page, 'sample-rgb');
    const box = await projectedBox(page, rgb, await datasetBounds(page));
    expect(box.width * box.height).toBeGreaterThan(0.1 * rgb.width * rgb.height);
    // Note: the drive's bounds include the scanners' far-range fans at both street ends (X-shaped, mostly empty
    // in plan), so the coverage is judged on the street scene's own box from truth.json: station 0 to the
    // street's end, across both building rows, from the road up to the roofs, projected as its 2D hull.
    const hull = await projectedHull(page, sceneBox());
    const share = polygonForegroundShare(rgb, hull);
    expect(share).toBeGreaterThanOrEqual(0.6);

    const images: Record<string, RgbaImage> = { rgb };
    for (const mode of ['elevation', 'classification', 'intensity', 'gpsTime', 'source']) {
      await selectColour(page, mode);
      images[mode] = await canvasImage(page, `sample-${mode}`);
      expect(changedShare(rgb, images[mode]!), mode).toBeGreaterThan(0.3);
    }
    expect(changedShare(images.elevation!, images.classification!)).toBeGreaterThan(0.3);
    // Hiding the ground class (2) removes most of the street and yards.
    await selectColour(page, 'classification');
    await page.click('#classes summary');
    await page.uncheck('input[data-class="2"]');
    const noGround = await canvasImage(page, 'sample-no-ground');
    expect(foregroundShare(noGround, BACKGROUND)).toBeLessThan(0.7 * foregroundShare(images.classification!, BACKGROUND));
    await page.waitForFunction(() => new URL(location.href).searchParams.get('cls') === '2', undefined, { timeout: 5000 });
    await page.check('input[data-class="2"]');
    expectRangeTrafficOnly(log, sampleServer.url);
    await expectClean(page, log);
    await page.close();
  });

  it('colours the raised building of truth.json by change against the other epoch', async () => {
    const change0 = truth.changes.find((c) => c.kind === 'added-storey')!;
    const building0 = truth.buildings.find((b) => b.id === change0.buildingId)!;
    const ce = building0.footprint.reduce((s, p) => s + p[0], 0) / building0.footprint.length;
    const cn = building0.footprint.reduce((s, p) => s + p[1], 0) / building0.footprint.length;
    const cz = truth.street.crownZAtStation0 + 4;
    // A view of the street around the changed building from above the street (60 m away), as a user would look.
    const { originE, originN } = truth.frame;
    const away = Math.hypot(originE - ce, originN - cn) || 1;
    const eye = [ce + ((originE - ce) / away) * 45, cn + ((originN - cn) / away) * 45, cz + 40];
    const cam = [...eye, ce, cn, cz].map((v) => v.toFixed(3)).join(',');
    const { page, log, state } = await open(`${both}&colour=change&cam=${cam}`, sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    await page.evaluate(async () => {
      const tv = (window as unknown as { twinview: { sources: Array<{ entity: { changeIdle(): Promise<void> } }> } }).twinview;
      await Promise.all(tv.sources.map((s) => s.entity.changeIdle()));
    });
    await settle(page);
    const image = await canvasImage(page, 'sample-change');
    await screenshot(page, 'sample-change-page');
    const change = truth.changes.find((c) => c.kind === 'added-storey')!;
    const building = truth.buildings.find((b) => b.id === change.buildingId)!;
    // The changed part: the footprint from the old eave height up to the raised roof (a storey of deltaZ, the roof above).
    const eave = change.before?.eaves?.[0]?.heightZ ?? truth.street.crownZAtStation0 + 3;
    const corners = building.footprint.flatMap(([e, n]) => [[e, n, eave] as const, [e, n, eave + change.deltaZ! + 4] as const]);
    const px = await project(page, corners);
    const rect = {
      x: Math.max(0, Math.floor(Math.min(...px.map((p) => p[0])))),
      y: Math.max(0, Math.floor(Math.min(...px.map((p) => p[1])))),
      width: 0,
      height: 0,
    };
    rect.width = Math.min(image.width, Math.ceil(Math.max(...px.map((p) => p[0])))) - rect.x;
    rect.height = Math.min(image.height, Math.ceil(Math.max(...px.map((p) => p[1])))) - rect.y;
    expect(rect.width * rect.height).toBeGreaterThan(100);
    const hot = (x0: number, y0: number, w: number, h: number): { hot: number; drawn: number } => {
      let hotCount = 0;
      let drawn = 0;
      for (let y = y0; y < y0 + h; y++) {
        for (let x = x0; x < x0 + w; x++) {
          const i = (y * image.width + x) * 4;
          const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
          if (Math.max(Math.abs(r - BACKGROUND[0]), Math.abs(g - BACKGROUND[1]), Math.abs(b - BACKGROUND[2])) <= 24) continue;
          drawn++;
          // The change ramp beyond the threshold: yellow, orange, red, magenta (red channel high, well above blue).
          if (r > 190 && r - b > 60) hotCount++;
        }
      }
      return { hot: hotCount, drawn };
    };
    const inside = hot(rect.x, rect.y, rect.width, rect.height);
    const all = hot(0, 0, image.width, image.height);
    const outsideShare = (all.hot - inside.hot) / Math.max(1, all.drawn - inside.drawn);
    const insideShare = inside.hot / Math.max(1, inside.drawn);
    expect(inside.drawn).toBeGreaterThan(50);
    expect(insideShare).toBeGreaterThan(0.2);
    expect(insideShare).toBeGreaterThan(4 * outsideShare);
    // Most changed pixels of the whole view lie on that building.
    expect(inside.hot / all.hot).toBeGreaterThan(0.3);
    expectRangeTrafficOnly(log, sampleServer.url);
    await expectClean(page, log);
    await page.close();
  });

  it('round-trips the view through the URL', async () => {
    const { page, state } = await open(`${both}&colour=elevation&budget=1500000`, sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    // Orbit, zoom and switch the second epoch off; the URL follows.
    await page.mouse.move(400, 500);
    await page.mouse.down();
    await page.mouse.move(520, 430, { steps: 6 });
    await page.mouse.up();
    await page.mouse.move(450, 400);
    await page.mouse.wheel(0, -300);
    await page.uncheck('input[data-source="1"]');
    await page.waitForTimeout(400);
    await settle(page);
    const link = page.url();
    const params = new URL(link).searchParams;
    expect(params.getAll('url')).toEqual(['/data/drive-2023.copc.laz', '/data/drive-2025.copc.laz']);
    expect(params.get('hide')).toBe('1');
    expect(params.get('colour')).toBe('elevation');
    expect(params.get('budget')).toBe('1500000');
    const cam = params.get('cam')!.split(',').map(Number);
    expect(cam).toHaveLength(6);
    const before = await canvasImage(page, 'sample-url-before');
    const stateBefore = await page.evaluate(() => (window as unknown as { twinview: { currentState(): unknown } }).twinview.currentState());

    const second = await openLoggedPage(browser.context);
    await second.page.goto(link);
    expect(await waitForViewerState(second.page)).toBe('ready');
    await settle(second.page);
    const stateAfter = await second.page.evaluate(() => (window as unknown as { twinview: { currentState(): unknown } }).twinview.currentState());
    const camBefore = (stateBefore as { camera: { position: number[]; target: number[] } }).camera;
    const camAfter = (stateAfter as { camera: { position: number[]; target: number[] } }).camera;
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(camAfter.position[i]! - camBefore.position[i]!)).toBeLessThan(0.002);
      expect(Math.abs(camAfter.target[i]! - camBefore.target[i]!)).toBeLessThan(0.002);
    }
    expect(await second.page.evaluate(() => document.body.dataset.colourMode)).toBe('elevation');
    expect(await second.page.isChecked('input[data-source="1"]')).toBe(false);
    const after = await canvasImage(second.page, 'sample-url-after');
    expect(changedShare(before, after)).toBeLessThan(0.1);
    await second.page.close();
    await page.close();
  });

  it('compares epochs with a swipe divider that the keyboard moves', async () => {
    const { page, state } = await open(`${both}&colour=source`, sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    await page.check('#swipe');
    const divider = page.locator('#swipe-divider');
    expect(await divider.isVisible()).toBe(true);
    expect(await divider.getAttribute('aria-valuenow')).toBe('50');
    await divider.focus();
    await page.keyboard.press('ArrowLeft');
    expect(await divider.getAttribute('aria-valuenow')).toBe('45');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('swipe') === '0.45', undefined, { timeout: 5000 });
    const image = await canvasImage(page, 'sample-swipe');
    // Source colours: epoch 1 blue (80,170,255) left of the divider only, epoch 2 orange (255,150,60) right only.
    const split = Math.round(image.width * 0.45);
    let blueRight = 0;
    let orangeLeft = 0;
    let blueLeft = 0;
    let orangeRight = 0;
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = (y * image.width + x) * 4;
        const [r, b] = [image.data[i]!, image.data[i + 2]!];
        const blue = b > 150 && r < 120;
        const orange = r > 150 && b < 120;
        if (x < split - 2) {
          if (blue) blueLeft++;
          if (orange) orangeLeft++;
        } else if (x > split + 2) {
          if (blue) blueRight++;
          if (orange) orangeRight++;
        }
      }
    }
    expect(blueLeft).toBeGreaterThan(500);
    expect(orangeRight).toBeGreaterThan(500);
    expect(orangeLeft).toBeLessThan(blueLeft * 0.02);
    expect(blueRight).toBeLessThan(orangeRight * 0.02);
    await page.close();
  });

  it('lets the user choose the swiped sources among three, by labelled selects, and keeps the choice in the link', async () => {
    const three = `${both}&url=/data/drive-2023-copy.copc.laz&colour=source&lang=en`;
    const { page, state } = await open(three, sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    expect(await page.isVisible('#swipe-left')).toBe(false);
    await page.check('#swipe');
    // Accessible: each select has a visible label, in the page's language; the options name the sources.
    const left = page.getByLabel('Left', { exact: true });
    const right = page.getByLabel('Right', { exact: true });
    expect(await left.isVisible()).toBe(true);
    expect(await left.inputValue()).toBe('0');
    expect(await right.inputValue()).toBe('1');
    expect(await right.locator('option').allTextContents()).toEqual(['drive-2023.copc.laz (1)', 'drive-2025.copc.laz (2)', 'drive-2023-copy.copc.laz (3)']);
    await left.selectOption('2');
    // Choosing for the right the source on the left swaps them.
    await right.selectOption('2');
    expect(await left.inputValue()).toBe('1');
    await left.selectOption('2');
    await right.selectOption('0');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('swipesrc') === '2,0', undefined, { timeout: 5000 });
    expect(await page.getAttribute('#swipe-divider', 'aria-label')).toBe('Divider: left drive-2023-copy.copc.laz (3), right drive-2023.copc.laz (1)');
    await settle(page);
    // Source colours: 1 blue (80,170,255), 2 orange (255,150,60), 3 green (120,220,120).
    const sides = (image: RgbaImage): Record<string, number> => {
      const split = Math.round(image.width * 0.5);
      const counts: Record<string, number> = { blueLeft: 0, blueRight: 0, greenLeft: 0, greenRight: 0, orange: 0 };
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          if (Math.abs(x - split) <= 2) continue;
          const i = (y * image.width + x) * 4;
          const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
          const side = x < split ? 'Left' : 'Right';
          if (b > 150 && r < 120) counts[`blue${side}`]!++;
          else if (g > 150 && r < 170 && b < 170 && g - r > 40) counts[`green${side}`]!++;
          else if (r > 150 && b < 120 && r - g > 40) counts.orange!++;
        }
      }
      return counts;
    };
    const chosen = sides(await canvasImage(page, 'sample-swipe-three'));
    expect(chosen.greenLeft).toBeGreaterThan(500);
    expect(chosen.blueRight).toBeGreaterThan(500);
    expect(chosen.blueLeft).toBeLessThan(chosen.greenLeft * 0.02);
    expect(chosen.greenRight).toBeLessThan(chosen.blueRight * 0.02);
    expect(chosen.orange).toBeLessThan(chosen.blueRight * 0.02);

    // The link reopens the same pair.
    const link = page.url();
    await page.close();
    const second = await openLoggedPage(browser.context);
    await second.page.goto(link);
    expect(await waitForViewerState(second.page)).toBe('ready');
    await settle(second.page);
    expect(await second.page.inputValue('#swipe-left')).toBe('2');
    expect(await second.page.inputValue('#swipe-right')).toBe('0');
    const reopened = sides(await canvasImage(second.page));
    expect(reopened.greenLeft).toBeGreaterThan(500);
    expect(reopened.blueRight).toBeGreaterThan(500);
    expect(reopened.blueLeft).toBeLessThan(reopened.greenLeft * 0.02);
    await second.page.close();
  });

  it('says visibly that a link cannot carry a local file, until that file is opened again', async () => {
    const { page, log, state } = await open('edl=0&lang=en', sampleServer.url);
    expect(state).toBe('empty');
    await page.setInputFiles('#open-file', join(sampleDir, 'drive-2025.copc.laz'));
    await page.waitForFunction(() => new URL(location.href).searchParams.get('local') === 'drive-2025.copc.laz', undefined, { timeout: 60_000 });
    expect(await page.locator('.notice[data-kind="localFileMissing"]').count()).toBe(0);
    const link = page.url();
    await page.close();

    // The link names the file; the page says in both languages that it has to be opened again.
    const reopened = await openLoggedPage(browser.context);
    await reopened.page.goto(link);
    expect(await waitForViewerState(reopened.page)).toBe('empty');
    const notice = reopened.page.locator('.notice[data-kind="localFileMissing"]');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.textContent()).toMatch(/^Local file "drive-2025\.copc\.laz": a link cannot carry its data – please open it again/);
    await reopened.page.click('#language');
    expect(await notice.textContent()).toMatch(/^Lokale Datei „drive-2025\.copc\.laz“: .* bitte erneut öffnen/);
    await reopened.page.setInputFiles('#open-file', join(sampleDir, 'drive-2025.copc.laz'));
    await reopened.page.waitForFunction(() => document.body.dataset.state === 'ready', undefined, { timeout: 60_000 });
    expect(await notice.count()).toBe(0);
    expect(new URL(reopened.page.url()).searchParams.getAll('local')).toEqual(['drive-2025.copc.laz']);
    expect([...log.requests, ...reopened.log.requests].filter((url) => new URL(url).pathname.startsWith('/data/'))).toEqual([]);
    await reopened.page.close();
  });

  it('walks at street level with the keyboard and looks straight down in top view', async () => {
    const { page, state } = await open(`${both}&lang=en`, sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    type View = { camera: { position: number[]; target: number[] } };
    const view = (): Promise<View> => page.evaluate(() => (window as unknown as { twinview: { currentState(): View } }).twinview.currentState());
    await page.click('#nav-walk');
    expect(await page.evaluate(() => document.body.dataset.navigation)).toBe('walk');
    const before = await view();
    // Street level: the eye 1.7 m above the ground under the orbit centre.
    expect(before.camera.position[2]! - before.camera.target[2]!).toBeLessThan(2);
    await page.focus('#view');
    // Note: walking integrates frame time (capped per frame), and software-rendered frames on a loaded machine can
    // take most of a second, so W is held until the eye has moved rather than for a fixed time.
    await page.keyboard.down('KeyW');
    await page.waitForFunction(
      (start) => {
        const p = (window as unknown as { twinview: { currentState(): View } }).twinview.currentState().camera.position;
        return Math.hypot(p[0]! - start[0]!, p[1]! - start[1]!) > 1.5;
      },
      before.camera.position,
      { timeout: 20_000, polling: 100 },
    );
    await page.keyboard.up('KeyW');
    const after = await view();
    const moved = Math.hypot(after.camera.position[0]! - before.camera.position[0]!, after.camera.position[1]! - before.camera.position[1]!);
    expect(moved).toBeGreaterThan(1);
    expect(Math.abs(after.camera.position[2]! - before.camera.position[2]!)).toBeLessThan(0.01);
    await page.click('#nav-top');
    const top = await view();
    // Top view: the eye straight above the target.
    expect(Math.hypot(top.camera.position[0]! - top.camera.target[0]!, top.camera.position[1]! - top.camera.target[1]!)).toBeLessThan(0.01);
    expect(top.camera.position[2]!).toBeGreaterThan(top.camera.target[2]!);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('nav') === 'top', undefined, { timeout: 5000 });
    expect(foregroundShare(await canvasImage(page, 'sample-top'), BACKGROUND)).toBeGreaterThan(0.03);
    await page.close();
  });

  it('orbits with one finger, zooms with a two-finger pinch and pans with a two-finger drag (CDP touch events)', async () => {
    const { page, state } = await open(`${both}&lang=en`, sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    // Real touch input through Chromium's input pipeline (touch and pointer events as a tablet sends them).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    type Finger = readonly [number, number];
    /** Sends the gesture; returns the page's clock just before the fingers lift (the end writes the link). */
    const gesture = async (from: Finger[], to: Finger[], steps = 12): Promise<number> => {
      const points = (t: number): Array<{ x: number; y: number; id: number }> =>
        from.map(([x, y], id) => ({ x: x + (to[id]![0] - x) * t, y: y + (to[id]![1] - y) * t, id }));
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(0) });
      for (let i = 1; i <= steps; i++) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(i / steps) });
        await page.waitForTimeout(16);
      }
      const lifted = await page.evaluate(() => Date.now());
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      return lifted;
    };
    /**
     * The camera as the link holds it (eye and target, world metres), from the first URL write at or after `since`
     * (page clock, taken before the action that writes it: on a loaded machine the debounced write can land
     * before the action's promise resolves).
     */
    const linkCamera = async (since: number): Promise<{ eye: number[]; target: number[]; dir: number[]; distance: number }> => {
      await page.waitForFunction((t) => Number(document.body.dataset.urlWritten ?? 0) >= t, since, { timeout: 10_000, polling: 50 });
      const v = new URL(page.url()).searchParams.get('cam')!.split(',').map(Number);
      const eye = v.slice(0, 3);
      const target = v.slice(3, 6);
      const d = target.map((t, i) => t - eye[i]!);
      const distance = Math.hypot(...d);
      return { eye, target, dir: d.map((x) => x / distance), distance };
    };
    const angleDeg = (a: number[], b: number[]): number => (Math.acos(Math.min(1, a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!)) * 180) / Math.PI;
    const { width, height } = page.viewportSize()!;
    const [cx, cy] = [width / 2, height / 2];
    const framedAt = await page.evaluate(() => Date.now());
    await page.click('#nav-frame');
    const start = await linkCamera(framedAt);
    expect(start.distance).toBeGreaterThan(10);

    // One finger, 240 px to the right: the view turns around the orbit centre (the eye moves, the direction turns).
    const orbited = await linkCamera(await gesture([[cx - 120, cy]], [[cx + 120, cy]]));
    expect(angleDeg(start.dir, orbited.dir)).toBeGreaterThan(15);
    expect(Math.hypot(...orbited.eye.map((e, i) => e - start.eye[i]!))).toBeGreaterThan(1);

    // Two fingers spreading apart around the centre: the eye moves forward along the view, the direction stays.
    const zoomedAt = await gesture(
      [
        [cx - 50, cy],
        [cx + 50, cy],
      ],
      [
        [cx - 220, cy],
        [cx + 220, cy],
      ],
    );
    const zoomed = await linkCamera(zoomedAt);
    const step = zoomed.eye.map((e, i) => e - orbited.eye[i]!);
    const stepLength = Math.hypot(...step);
    expect(angleDeg(orbited.dir, zoomed.dir)).toBeLessThan(1);
    expect(stepLength).toBeGreaterThan(1);
    expect(step.reduce((s, x, i) => s + x * orbited.dir[i]!, 0)).toBeGreaterThan(0.9 * stepLength);

    // Two fingers moving together (same spacing): the eye shifts across the view, the direction stays. Note: a
    // touch, like a click, first moves the orbit centre along the view axis to the picked depth, so the target's
    // shift also has a part along the axis; the eye's has none.
    const pannedAt = await gesture(
      [
        [cx - 60, cy - 40],
        [cx + 60, cy - 40],
      ],
      [
        [cx + 90, cy + 60],
        [cx + 210, cy + 60],
      ],
    );
    const panned = await linkCamera(pannedAt);
    const shift = panned.eye.map((e, i) => e - zoomed.eye[i]!);
    const shiftLength = Math.hypot(...shift);
    expect(angleDeg(zoomed.dir, panned.dir)).toBeLessThan(1);
    expect(shiftLength).toBeGreaterThan(1);
    expect(Math.abs(shift.reduce((s, x, i) => s + x * zoomed.dir[i]!, 0))).toBeLessThan(0.1 * shiftLength);
    // Fingers moved right and down: the scene follows them, so the eye moves left (against the screen's right).
    const screenRight = [zoomed.dir[1]!, -zoomed.dir[0]!, 0];
    expect(shift.reduce((s, x, i) => s + x * screenRight[i]!, 0)).toBeLessThan(-0.3 * shiftLength);
    await cdp.detach();
    await page.close();
  });

  it('opens a local COPC file from the file picker, reading it in the browser without any data request', async () => {
    const { page, log, state } = await open('edl=0', sampleServer.url);
    expect(state).toBe('empty');
    await page.setInputFiles('#open-file', join(sampleDir, 'drive-2025.copc.laz'));
    await page.waitForFunction(() => document.body.dataset.state === 'ready', undefined, { timeout: 60_000 });
    await settle(page);
    expect(Number(await page.evaluate(() => document.body.dataset.pointsVisible))).toBeGreaterThan(10_000);
    expect(foregroundShare(await canvasImage(page, 'sample-local-file'), BACKGROUND)).toBeGreaterThan(0.03);
    expect(log.requests.filter((url) => new URL(url).pathname.startsWith('/data/'))).toEqual([]);
    await expectClean(page, log);
    await page.close();
  });

  it('has no serious or critical accessibility violation (axe-core) and a keyboard-reachable chrome', async () => {
    const { page, state } = await open(both, sampleServer.url);
    expect(state).toBe('ready');
    // Note: page.evaluate runs outside the page's CSP, so axe needs no inline script.
    await page.evaluate(readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
      const result = await axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    // Tab reaches the canvas, the navigation buttons and the settings in order.
    const order: string[] = [];
    await page.focus('body');
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || ''));
    }
    expect(order.slice(0, 5)).toEqual(['view', 'nav-orbit', 'nav-walk', 'nav-top', 'nav-frame']);
    // Keyboard navigation: the top view button by keyboard, then + zooms in.
    await page.focus('#nav-top');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.body.dataset.navigation)).toBe('top');
    await page.close();
  });

  it('shows the cursor position in E, N and height m NHN, and flies to a typed coordinate', async () => {
    const { page, state } = await open(`${both}&lang=en`, sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    // Move over the middle of the data: the street axis at station 0 projects there.
    const [[x, y]] = await project(page, [[337289.601, 5682380.497, truth.street.crownZAtStation0]]);
    await page.mouse.move(x!, y!);
    await page.waitForFunction(() => document.body.dataset.cursor !== undefined, undefined, { timeout: 10_000 });
    const [e, n, h] = (await page.evaluate(() => document.body.dataset.cursor!)).split(',').map(Number);
    // The picked point lies on the drive near the cursor (within a few metres plan, heights of the street scene).
    expect(Math.hypot(e! - 337289.601, n! - 5682380.497)).toBeLessThan(25);
    expect(h!).toBeGreaterThan(truth.street.crownZAtStation0 - 3);
    expect(h!).toBeLessThan(truth.street.crownZAtStation0 + 20);
    expect(await page.textContent('#cursor')).toMatch(/^E 337,\d{3}\.\d{3} · N 5,682,\d{3}\.\d{3} · H \d+\.\d{3} m NHN$/);

    await page.fill('#fly-e', '337300');
    await page.fill('#fly-n', '5682350');
    await page.click('#fly-go');
    await page.waitForTimeout(900);
    const [[fx, fy]] = await project(page, [[337300, 5682350, truth.street.crownZAtStation0]]);
    // The typed point is now the view centre.
    expect(Math.abs(fx! - 512)).toBeLessThan(30);
    expect(Math.abs(fy! - 384)).toBeLessThan(60);
    await page.close();
  });
});

describe('viewer on the real NRW COPC tile', { timeout: 180_000 }, () => {
  it('covers the projected bounding box and colours by elevation, intensity and class', async () => {
    sharedPath(NRW);
    const { page, log, state } = await open(`url=/data/${NRW}&edl=0`);
    expect(state).toBe('ready');
    await settle(page);
    // No RGB in this file: the viewer starts in elevation colours.
    expect(await page.evaluate(() => document.body.dataset.colourMode)).toBe('elevation');
    await screenshot(page, 'nrw-page');
    const elevation = await canvasImage(page, 'nrw-elevation');
    // The projected bounding box: the 2D hull of the eight projected corners of the tile's bounds.
    const b = await datasetBounds(page);
    const corners: Array<[number, number, number]> = [];
    for (let i = 0; i < 8; i++) corners.push([i & 1 ? b[3]! : b[0]!, i & 2 ? b[4]! : b[1]!, i & 4 ? b[5]! : b[2]!]);
    expect(polygonForegroundShare(elevation, await projectedHull(page, corners))).toBeGreaterThanOrEqual(0.6);
    for (const mode of ['intensity', 'classification']) {
      await selectColour(page, mode);
      const image = await canvasImage(page, `nrw-${mode}`);
      expect(changedShare(elevation, image), mode).toBeGreaterThan(0.3);
    }
    // Eye-dome lighting switched on by the user: edges and depth steps darken, so the pixels change.
    await selectColour(page, 'elevation');
    const plain = await canvasImage(page);
    await page.check('#edl');
    expect(await page.evaluate(() => document.body.dataset.edl)).toBe('on');
    const shaded = await canvasImage(page, 'nrw-edl');
    expect(changedShare(plain, shaded)).toBeGreaterThan(0.05);
    expectRangeTrafficOnly(log, viewer.url);
    await expectClean(page, log);
    await page.close();
  });
});

describe('viewer errors are visible', { timeout: 120_000 }, () => {
  it('keeps drawing around a corrupt node and says which node failed', async () => {
    const { page, state } = await open('url=/data/corrupt.copc.laz&lang=en&edl=0', sampleServer.url);
    expect(state).toBe('ready');
    await settle(page);
    await page.waitForFunction(() => (document.body.dataset.noticeKinds ?? '').includes('corruptNode'), undefined, { timeout: 30_000 });
    const notice = page.locator('.notice[data-kind="corruptNode"]');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toMatch(/^Node 1-\d-\d-\d of \/data\/corrupt\.copc\.laz is corrupt and left out; the rest keeps drawing\./);
    const image = await canvasImage(page, 'error-corrupt-node');
    expect(foregroundShare(image, BACKGROUND)).toBeGreaterThan(0.03);
    await screenshot(page, 'error-corrupt-node-page');
    await page.close();
  });

  it('explains a 404 in a visible message', async () => {
    const { page, log, state } = await open('url=/data/does-not-exist.copc.laz');
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('notFound');
    expect(await page.isVisible('#error')).toBe(true);
    expect(await page.textContent('#error-message')).toBe('Datei nicht gefunden (HTTP 404): /data/does-not-exist.copc.laz');
    await screenshot(page, 'error-404');
    expect(log.pageErrors).toEqual([]);
    await page.close();
  });

  it('says when a file is LAS but not COPC', async () => {
    const { page, state } = await open('url=/data/PDAL/test/data/las/autzen_trim.las&lang=en');
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('notCopc');
    expect(await page.textContent('#error-message')).toBe(
      'Not a COPC file: /data/PDAL/test/data/las/autzen_trim.las. The viewer streams COPC only (.copc.laz); make one with "twinview tile".',
    );
    await page.close();
  });

  it('says when a file is not LAS at all', async () => {
    const { page, state } = await open('url=/data/MANIFEST.md&lang=en');
    expect(state).toBe('error');
    expect(['notLas', 'notCopc']).toContain(await page.evaluate(() => document.body.dataset.errorKind));
    expect(await page.isVisible('#error')).toBe(true);
    expect(await page.textContent('#error-message')).toMatch(/\/data\/MANIFEST\.md/);
    await page.close();
  });

  it('says when the server does not answer range requests', async () => {
    const { page, state } = await open(`url=/data/${NRW}`, noRangeServer.url);
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('noRange');
    expect(await page.textContent('#error-message')).toBe(`Der Server unterstützt keine Range-Anfragen (HTTP 200 statt 206): /data/${NRW}`);
    await page.close();
  });

  it('shows the second epoch when the first is missing, with a message for the missing one', async () => {
    const { page, state } = await open('url=/data/missing.copc.laz&url=/data/drive-2025.copc.laz&lang=en&edl=0', sampleServer.url);
    expect(state).toBe('ready');
    expect(await page.textContent('.notice[data-kind="notFound"]')).toMatch(/\/data\/missing\.copc\.laz: File not found \(HTTP 404\)/);
    await settle(page);
    expect(foregroundShare(await canvasImage(page), BACKGROUND)).toBeGreaterThan(0.03);
    await page.close();
  });

  it('refuses a file on another origin with a message, without sending it a request', async () => {
    const foreign = 'http://127.0.0.1:9/drive.copc.laz';
    const { page, log, state } = await open(`url=${encodeURIComponent(foreign)}&lang=en`);
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('foreignOrigin');
    expect(log.requests.filter((url) => url.startsWith('http://127.0.0.1:9'))).toEqual([]);
    await expectClean(page, log);
    await page.close();
  });

  it('says so when the browser has no WebGL, instead of a blank page', async () => {
    const noGl = await launchBrowser({ extraArgs: ['--disable-3d-apis'] });
    try {
      const { page, log } = await openLoggedPage(noGl.context);
      await page.goto(`${viewer.url}?url=/data/${NRW}`);
      expect(await waitForViewerState(page)).toBe('error');
      expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('webgl');
      expect(await page.textContent('#error-message')).toBe('WebGL 2 ist in diesem Browser nicht verfügbar.');
      expect(log.requests.filter((url) => new URL(url).pathname.startsWith('/data/'))).toEqual([]);
    } finally {
      await noGl.close();
    }
  });

  it('asks for a file when no ?url= is given, and the CSP blocks other origins', async () => {
    const { page, state } = await open('');
    expect(state).toBe('empty');
    expect(await page.textContent('#status')).toBe('Keine Datei angegeben. Öffnen Sie z. B. ?url=/data/drive-2023.copc.laz');
    const outcome = await page.evaluate(() =>
      fetch('http://127.0.0.1:9/x.las').then(
        () => 'fetched',
        (error: Error) => `refused: ${error.name}`,
      ),
    );
    expect(outcome).toBe('refused: TypeError');
    expect(await cspViolations(page)).toEqual(['connect-src http://127.0.0.1:9/x.las']);
    await page.close();
  });
});
