/**
 * The placeholder viewer in real Chromium (SwiftShader WebGL2), served by the real range server: it shows real
 * LAS, LAZ and COPC files as points, reports the right point count and data centre, explains failures visibly,
 * and makes no request to another origin.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_SEED, writeSampleFiles } from '../../samples/write-sample.ts';
import { serveViewer, type RunningViewer } from '../../tiling/server/serve-viewer.ts';
import { pdalSummary, REPO_ROOT, SHARED_DATA, sharedPath } from '../helpers/shared-data.ts';
import { cspViolations, launchBrowser, openLoggedPage, waitForViewerState, type PageLog, type TestBrowser } from './browser.ts';
import { decodePng, foregroundShare, type RgbaImage } from './png.ts';

/** The viewer's background (viewer/Viewer.ts BACKGROUND_COLOUR 0x1b1f27). */
const BACKGROUND: [number, number, number] = [0x1b, 0x1f, 0x27];
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');

let viewer: RunningViewer;
let noRangeServer: RunningViewer;
let browser: TestBrowser;

beforeAll(async () => {
  viewer = await serveViewer({ port: 0, host: '127.0.0.1', dataDir: SHARED_DATA });
  noRangeServer = await serveViewer({ port: 0, host: '127.0.0.1', dataDir: SHARED_DATA, skipBuild: true, ranges: false });
  browser = await launchBrowser({ viewport: { width: 1024, height: 768 } });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  await noRangeServer?.close();
});

/** Opens the viewer on a data file and waits for its final state. */
async function open(query: string, base = viewer.url): Promise<{ page: Page; log: PageLog; state: string }> {
  const { page, log } = await openLoggedPage(browser.context);
  await page.goto(`${base}?${query}`);
  const state = await waitForViewerState(page);
  return { page, log, state };
}

/** Saves a screenshot for people to look at and returns it decoded. */
async function screenshot(page: Page, name: string): Promise<RgbaImage> {
  const png = await page.screenshot();
  writeFileSync(join(SCREENSHOTS, `${name}.png`), png);
  return decodePng(png);
}

/** The middle of the canvas, clear of the status panel (top left) and the language button (top right). */
function middle(image: RgbaImage): { x: number; y: number; width: number; height: number } {
  return {
    x: Math.round(image.width * 0.2),
    y: Math.round(image.height * 0.25),
    width: Math.round(image.width * 0.6),
    height: Math.round(image.height * 0.6),
  };
}

/** Asserts that every request went to the viewer's own origin (or was a data:/blob: URL). */
function expectSameOrigin(log: PageLog, base: string): void {
  const origin = new URL(base).origin;
  expect(log.requests.length).toBeGreaterThan(0);
  const foreign = log.requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin);
  expect(foreign).toEqual([]);
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

describe('viewer on real files', () => {
  it('shows every point of an RGB LAS file, its count and its centre, with same-origin requests only', async () => {
    const file = 'PDAL/test/data/las/autzen_trim.las';
    const truth = pdalSummary(file).summary;
    const { page, log, state } = await open(`url=/data/${file}`);
    expect(state).toBe('ready');
    const data = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(Number(data.pointCount)).toBe(truth.num_points);
    expect(Number(data.totalCount)).toBe(truth.num_points);
    expect(data.colourMode).toBe('rgb');
    expect(data.decoder).toBe('worker');

    // German first: the status line and the E/N/H centre of the header bounds in German number format.
    const fmt = (v: number): string => v.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const b = truth.bounds;
    expect(await page.textContent('#status')).toBe(`${truth.num_points.toLocaleString('de-DE')} Punkte`);
    expect(await page.textContent('#centre')).toBe(
      `Mitte: O ${fmt((b.minx + b.maxx) / 2)} · N ${fmt((b.miny + b.maxy) / 2)} · H ${fmt((b.minz + b.maxz) / 2)} m`,
    );
    expect(await page.isVisible('#error')).toBe(false);

    const image = await screenshot(page, 'autzen-las');
    expect(foregroundShare(image, BACKGROUND, middle(image))).toBeGreaterThan(0.25);
    // The corners far from the framed data stay background: the points are placed, not smeared over the canvas.
    expect(foregroundShare(image, BACKGROUND, { x: 0, y: image.height - 40, width: 40, height: 40 })).toBe(0);
    expectSameOrigin(log, viewer.url);
    await expectClean(page, log);
    // The file was read with range requests, never whole in a 200: the server log is in the page's network log.
    expect(log.requests.filter((url) => url.endsWith(file)).length).toBeGreaterThanOrEqual(2);
    await page.close();
  });

  it('decodes LAZ with the bundled laz-perf wasm from the same origin', async () => {
    const file = 'PDAL/test/data/laz/autzen_trim.laz';
    const truth = pdalSummary(file).summary;
    const { page, log, state } = await open(`url=/data/${file}`);
    expect(state).toBe('ready');
    expect(Number(await page.evaluate(() => document.body.dataset.pointCount))).toBe(truth.num_points);
    expect(log.requests.some((url) => /\/assets\/[^/]*\.wasm$/.test(url))).toBe(true);
    expect(await page.evaluate(() => document.body.dataset.decoder)).toBe('worker');
    expect(log.requests.some((url) => /\/assets\/decode\.worker[^/]*\.js$/.test(url))).toBe(true);
    const image = await screenshot(page, 'autzen-laz');
    expect(foregroundShare(image, BACKGROUND, middle(image))).toBeGreaterThan(0.25);
    expectSameOrigin(log, viewer.url);
    await expectClean(page, log);
    await page.close();
  });

  it('decodes on the main thread when asked to, with the same result', async () => {
    const file = 'PDAL/test/data/laz/autzen_trim.laz';
    const truth = pdalSummary(file).summary;
    const { page, log, state } = await open(`url=/data/${file}&worker=off`);
    expect(state).toBe('ready');
    const data = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(data.decoder).toBe('main');
    expect(Number(data.pointCount)).toBe(truth.num_points);
    expectSameOrigin(log, viewer.url);
    await expectClean(page, log);
    await page.close();
  });

  it('shows the first levels of a COPC file through range requests', async () => {
    const file = 'derived/autzen_trim.copc.laz';
    const truth = pdalSummary(file).summary;
    const { page, log, state } = await open(`url=/data/${file}`);
    expect(state).toBe('ready');
    const data = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(Number(data.totalCount)).toBe(truth.num_points);
    expect(Number(data.pointCount)).toBeGreaterThan(0);
    expect(Number(data.pointCount)).toBeLessThanOrEqual(truth.num_points);
    expect(Number(data.nodeCount)).toBeGreaterThan(1); // the root and deeper levels
    expect(await page.textContent('#status')).toBe(
      `${Number(data.pointCount).toLocaleString('de-DE')} von ${truth.num_points.toLocaleString('de-DE')} Punkten aus ${data.nodeCount} COPC-Knoten`,
    );
    const image = await screenshot(page, 'autzen-copc');
    expect(foregroundShare(image, BACKGROUND, middle(image))).toBeGreaterThan(0.2);
    expectSameOrigin(log, viewer.url);
    await expectClean(page, log);
    await page.close();
  });

  it('colours a file without RGB by elevation, with more than one colour', async () => {
    const file = 'Urban_PointCloud_Processing/datasets/ahn/ahn_2386_9702.laz';
    sharedPath(file);
    const truth = pdalSummary(file).summary;
    const { page, log, state } = await open(`url=/data/${file}`);
    expect(state).toBe('ready');
    const data = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(Number(data.pointCount)).toBe(truth.num_points);
    expect(data.colourMode).toBe('elevation');
    const image = await screenshot(page, 'ahn-elevation');
    const rect = middle(image);
    expect(foregroundShare(image, BACKGROUND, rect)).toBeGreaterThan(0.2);
    // Elevation colours: distinct hue buckets among the foreground pixels (ground blue, roofs and trees warmer).
    const hues = new Set<number>();
    for (let y = rect.y; y < rect.y + rect.height; y += 2) {
      for (let x = rect.x; x < rect.x + rect.width; x += 2) {
        const i = (y * image.width + x) * 4;
        const [r, g, bl] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
        if (Math.max(Math.abs(r - BACKGROUND[0]), Math.abs(g - BACKGROUND[1]), Math.abs(bl - BACKGROUND[2])) > 24) {
          hues.add((r >> 6) * 16 + (g >> 6) * 4 + (bl >> 6));
        }
      }
    }
    expect(hues.size).toBeGreaterThanOrEqual(4);
    expectSameOrigin(log, viewer.url);
    await expectClean(page, log);
    await page.close();
  });

  it('orbits the camera when the canvas is dragged', async () => {
    const { page, state } = await open('url=/data/PDAL/test/data/las/autzen_trim.las');
    expect(state).toBe('ready');
    const before = await screenshot(page, 'orbit-before');
    await page.mouse.move(512, 500);
    await page.mouse.down();
    await page.mouse.move(700, 420, { steps: 8 });
    await page.mouse.up();
    // Render-on-demand draws on the next animation frame after the controls change.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const after = await screenshot(page, 'orbit-after');
    let changed = 0;
    for (let i = 0; i < before.data.length; i += 4) {
      if (Math.abs(before.data[i]! - after.data[i]!) + Math.abs(before.data[i + 1]! - after.data[i + 1]!) > 30) changed++;
    }
    expect(changed / (before.width * before.height)).toBeGreaterThan(0.05);
    expect(foregroundShare(after, BACKGROUND, middle(after))).toBeGreaterThan(0.1);
    await page.close();
  });

  it('switches the UI to English and back', async () => {
    const { page, state } = await open('url=/data/PDAL/test/data/las/autzen_trim.las');
    expect(state).toBe('ready');
    expect(await page.textContent('#language')).toBe('English');
    await page.click('#language');
    expect(await page.textContent('#status')).toBe('110,000 points');
    expect(await page.textContent('#centre')).toMatch(/^Centre: E 636,590\.49 · N 849,216\.55 · H 463\.39 m$/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    await page.click('#language');
    expect(await page.textContent('#status')).toBe('110.000 Punkte');
    await page.close();
  });
});

describe('viewer on the generated sample drive', () => {
  let sampleDir: string;
  let sampleServer: RunningViewer;

  beforeAll(async () => {
    // The sample behind `npm start`, at a tenth of its density so the test stays quick; same generator, same seed.
    sampleDir = mkdtempSync(join(tmpdir(), 'twinview-sample-'));
    await writeSampleFiles(sampleDir, DEFAULT_SAMPLE_SEED, { density: 0.1 });
    sampleServer = await serveViewer({ port: 0, host: '127.0.0.1', dataDir: sampleDir, skipBuild: true });
  });

  afterAll(async () => {
    await sampleServer?.close();
    if (sampleDir) rmSync(sampleDir, { recursive: true, force: true });
  });

  it('shows drive-2023.las with the point count of truth.json and the centre of its header bounds', async () => {
    const truth = JSON.parse(readFileSync(join(sampleDir, 'truth.json'), 'utf8'));
    const epoch = truth.epochs.find((e: { name: string }) => e.name === '2023');
    // LAS 1.4 R15 §2.4: max/min X, Y, Z as float64 at offsets 179-226.
    const header = readFileSync(join(sampleDir, 'drive-2023.las')).subarray(0, 375);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const centre = [0, 1, 2].map((axis) => (view.getFloat64(179 + axis * 16, true) + view.getFloat64(187 + axis * 16, true)) / 2);

    const { page, log, state } = await open('url=/data/drive-2023.las&lang=en', sampleServer.url);
    expect(state).toBe('ready');
    const data = await page.evaluate(() => ({ ...document.body.dataset }));
    expect(Number(data.totalCount)).toBe(epoch.pointCount);
    expect(Number(data.pointCount)).toBe(epoch.pointCount);
    expect(data.colourMode).toBe('rgb');
    const fmt = (v: number): string => v.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(await page.textContent('#centre')).toBe(`Centre: E ${fmt(centre[0]!)} · N ${fmt(centre[1]!)} · H ${fmt(centre[2]!)} m`);
    // EPSG:25832 around the frame origin of truth.json (metres): the centre is the drive, not a float32 artefact.
    expect(Math.abs(centre[0]! - truth.frame.originE)).toBeLessThan(500);
    expect(Math.abs(centre[1]! - truth.frame.originN)).toBeLessThan(500);

    const image = await screenshot(page, 'sample-drive-2023');
    expect(foregroundShare(image, BACKGROUND, middle(image))).toBeGreaterThan(0.05);
    expectSameOrigin(log, sampleServer.url);
    await expectClean(page, log);
    await page.close();
  });
});

describe('viewer errors are visible', () => {
  it('explains a 404 in a visible message', async () => {
    const { page, log, state } = await open('url=/data/does-not-exist.las');
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('notFound');
    expect(await page.isVisible('#error')).toBe(true);
    expect(await page.textContent('#error-message')).toBe('Datei nicht gefunden (HTTP 404): /data/does-not-exist.las');
    const image = await screenshot(page, 'error-404');
    // The message box (dark red) covers part of the middle of the screen.
    expect(foregroundShare(image, BACKGROUND, middle(image))).toBeGreaterThan(0.05);
    expectSameOrigin(log, viewer.url);
    expect(log.pageErrors).toEqual([]);
    await page.close();
  });

  it('says when a file is not LAS', async () => {
    const { page, state } = await open('url=/data/MANIFEST.md&lang=en');
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('notLas');
    expect(await page.isVisible('#error')).toBe(true);
    expect(await page.textContent('#error-message')).toBe(
      'Not a LAS/LAZ/COPC file: /data/MANIFEST.md (signature "# Po" instead of "LASF")',
    );
    await page.close();
  });

  it('says when the server does not answer range requests', async () => {
    const { page, state } = await open('url=/data/PDAL/test/data/las/autzen_trim.las', noRangeServer.url);
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('noRange');
    expect(await page.textContent('#error-message')).toBe(
      'Der Server unterstützt keine Range-Anfragen (HTTP 200 statt 206): /data/PDAL/test/data/las/autzen_trim.las',
    );
    await page.close();
  });

  it('refuses a file on another origin with a message, without sending it a request', async () => {
    const foreign = 'http://127.0.0.1:9/drive.copc.laz'; // another origin (port), on loopback in any case
    const { page, log, state } = await open(`url=${encodeURIComponent(foreign)}&lang=en`);
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('foreignOrigin');
    expect(await page.textContent('#error-message')).toBe(
      `Files from other servers (http://127.0.0.1:9) are not allowed: the viewer loads from this server only. Put the file into the data folder (/data/): ${foreign}`,
    );
    expectSameOrigin(log, viewer.url);
    await expectClean(page, log);
    await page.close();
  });

  it('says so when the browser has no WebGL, instead of a blank page', async () => {
    const noGl = await launchBrowser({ extraArgs: ['--disable-3d-apis'] });
    try {
      const { page, log } = await openLoggedPage(noGl.context);
      await page.goto(`${viewer.url}?url=/data/PDAL/test/data/las/autzen_trim.las`);
      expect(await waitForViewerState(page)).toBe('error');
      expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('webgl');
      expect(await page.isVisible('#error')).toBe(true);
      expect(await page.textContent('#error-message')).toBe('WebGL 2 ist in diesem Browser nicht verfügbar.');
      // Nothing was downloaded for a page that cannot draw it.
      expect(log.requests.filter((url) => new URL(url).pathname.startsWith('/data/'))).toEqual([]);
      await screenshot(page, 'error-no-webgl');
    } finally {
      await noGl.close();
    }
  });

  it('says when a valid file holds no points', async () => {
    const file = 'PDAL/test/data/las/no-points.las';
    expect(pdalSummary(file).summary.num_points).toBe(0);
    const { page, state } = await open(`url=/data/${file}`);
    expect(state).toBe('error');
    expect(await page.evaluate(() => document.body.dataset.errorKind)).toBe('noPoints');
    expect(await page.textContent('#error-message')).toBe(`Die Datei enthält keine Punkte: /data/${file}`);
    await page.close();
  });

  it('runs under a CSP that blocks connections to other origins (and the harness sees violations)', async () => {
    const { page, state } = await open('');
    expect(state).toBe('empty');
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

  it('asks for a file when no ?url= is given', async () => {
    const { page, state } = await open('');
    expect(state).toBe('empty');
    expect(await page.textContent('#status')).toBe('Keine Datei angegeben. Öffnen Sie z. B. ?url=/data/drive-2023.las');
    await page.close();
  });
});
