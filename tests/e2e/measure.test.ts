/**
 * The measuring tools in real Chromium (SwiftShader WebGL2) on a tiled sample drive: a reduced-density sample is
 * generated, tiled by the real tiler into a COPC in a temp data folder and served by the real range server; the
 * test draws a section across the street at a truth.json station and measures buildings by their truth
 * footprint corners typed into the tool panel, reads the values from the panel's DOM (the text a user sees),
 * and compares them with truth.json (kerb heights within 1 cm, ridge/eave within 3 cm) and with the CLI's code
 * path on the same file (the browser path gives the same answers as `twinview section` / `measure-building`).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../samples/generator/index.ts';
import { encodeEpochLas } from '../../samples/write-sample.ts';
import { sectionFromSource } from '../../tiling/commands/section.ts';
import { measureBuildingFromSource } from '../../tiling/measure/building-query.ts';
import { openInput, type CliInput } from '../../tiling/measure/cli-input.ts';
import { spotHeightFromSource } from '../../tiling/commands/spot-height.ts';
import { createBytesGetter } from '../../core/io/getter.ts';
import { getDefaultLazPerf } from '../../core/las/laz.ts';
import { openLas } from '../../core/las/las-file.ts';
import { Region } from '../../core/query/region.ts';
import { serveViewer, type RunningViewer } from '../../tiling/server/serve-viewer.ts';
import { tile } from '../../tiling/tile/tile.ts';
import { REPO_ROOT } from '../helpers/shared-data.ts';
import { cspViolations, launchBrowser, openLoggedPage, waitForViewerState, type PageLog, type TestBrowser } from './browser.ts';

const SEED = 3;
// Note: half the full profile rate, as the CLI acceptance test: kerb faces and eaves hold enough points for the
// 1 cm / 3 cm tolerances, and generating plus tiling stays near 20 s.
const DENSITY = 0.5;
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');

/* eslint-disable @typescript-eslint/no-explicit-any -- truth.json is read field by field */
let truth: any;
let work: string;
let copcPath: string;
let viewer: RunningViewer;
let browser: TestBrowser;
let cli: CliInput;
let page: Page;
let log: PageLog;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'twinview-e2e-measure-'));
  const sample = generateSample({ seed: SEED, density: DENSITY, epochs: ['2023'] });
  truth = JSON.parse(JSON.stringify(sample.truth));
  const las = join(work, 'drive-2023.las');
  writeFileSync(las, encodeEpochLas(sample.epochs[0]!));
  const data = join(work, 'data');
  mkdirSync(data);
  copcPath = join(data, 'drive-2023.copc.laz');
  await tile({ inputs: [las], output: copcPath, quiet: true, threads: 1 });
  cli = await openInput(copcPath);
  viewer = await serveViewer({ port: 0, host: '127.0.0.1', dataDir: data });
  browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SCREENSHOTS, { recursive: true });
  ({ page, log } = await openLoggedPage(browser.context));
  await page.goto(`${viewer.url}?url=/data/drive-2023.copc.laz`);
  expect(await waitForViewerState(page)).toBe('ready');
  await page.waitForFunction(() => document.body.dataset.tools === 'ready', undefined, { timeout: 10_000 });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  await cli?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** World [E, N] of street-frame (station u, offset v) per truth.frame.formula. */
function world(u: number, v: number): [number, number] {
  const b = (truth.frame.bearingDeg * Math.PI) / 180;
  return [truth.frame.originE + u * Math.sin(b) + v * Math.cos(b), truth.frame.originN + u * Math.cos(b) - v * Math.sin(b)];
}

/** A coordinate as the test types it (0.1 mm), so the CLI gets exactly the numbers the panel got. */
function typed(p: readonly number[]): [number, number] {
  return [Number(p[0]!.toFixed(4)), Number(p[1]!.toFixed(4))];
}

/** Typed coordinates as a surveyor would enter them: `E N` per line, decimal points. */
function coordinateLines(points: readonly (readonly number[])[]): string {
  return points.map((p) => `${p[0]!.toFixed(4)} ${p[1]!.toFixed(4)}`).join('\n');
}

/** Chooses a tool, types its points, adds them (button, or Ctrl+Enter in the field) and waits for the measurement to end; returns the final phase. */
async function measureWith(tool: string, points: readonly (readonly number[])[], options: { keyboard?: boolean } = {}): Promise<string> {
  await page.selectOption('[data-control="tool"]', tool);
  await page.fill('[data-control="coordinates"]', coordinateLines(points));
  if (options.keyboard) await page.press('[data-control="coordinates"]', 'Control+Enter');
  else await page.click('[data-action="add"]');
  await page.waitForFunction(() => ['measured', 'failed'].includes(document.body.dataset.toolPhase ?? ''), undefined, { timeout: 120_000, polling: 100 });
  return page.evaluate(() => document.body.dataset.toolPhase ?? '');
}

/** The text the panel shows for a value (its `<dd>`), or undefined when the row is absent. */
async function shown(key: string): Promise<string | undefined> {
  const row = page.locator(`[data-panel="tools"] [data-value="${key}"] dd`);
  return (await row.count()) === 0 ? undefined : row.first().innerText();
}

/** The full-precision number behind a panel value (`data-raw`). */
async function raw(key: string): Promise<number> {
  return Number(await page.locator(`[data-panel="tools"] [data-value="${key}"]`).first().getAttribute('data-raw'));
}

/** The first number in a panel text, German decimal comma ("0,084 m (…)" -> 0.084). */
function firstNumber(text: string | undefined): number | null {
  const match = text ? /[-+]?\d+(,\d+)?/.exec(text) : null;
  return match ? Number(match[0].replace(',', '.')) : null;
}

/** Formats like the panel (three decimals, decimal comma). */
function asShown(value: number): string {
  return value.toFixed(3).replace('.', ',');
}

describe('measuring tools in the browser against truth.json and the CLI', () => {
  it('section across the street: kerb heights within 1 cm of truth, equal to the CLI; the profile measures', async () => {
    const st = truth.stations[0];
    const from = world(st.station, -7.5);
    const to = world(st.station, 7.5);
    expect(await measureWith('section', [from, to])).toBe('measured');
    const status = await page.locator('[data-panel="tools"] [data-list="status"]').innerText();
    expect(status).toBe('');
    const left = await shown('kerb-from');
    const right = await shown('kerb-to');
    const width = await shown('carriageway-width');
    await page.screenshot({ path: join(SCREENSHOTS, 'measure-section.png') });

    // Truth: left kerb (offset < 0) bounds the carriageway on the `from` side.
    expect(Math.abs(firstNumber(left)! - st.left.kerbHeightM), `left kerb ${left} vs ${st.left.kerbHeightM}`).toBeLessThanOrEqual(0.01);
    expect(Math.abs(firstNumber(right)! - st.right.kerbHeightM), `right kerb ${right} vs ${st.right.kerbHeightM}`).toBeLessThanOrEqual(0.01);
    expect(Math.abs(firstNumber(width)! - st.carriagewayWidthM), `carriageway ${width} vs ${st.carriagewayWidthM}`).toBeLessThanOrEqual(0.05);

    // The CLI's code path on the same COPC file shows the same numbers.
    const { section } = await sectionFromSource(cli.source, typed(from), typed(to), 0.1);
    const kerb = (side: string) => section.kerbs.find((k) => k.side === side)!;
    expect(left).toContain(asShown(kerb('from').heightM));
    expect(await raw('kerb-from')).toBe(kerb('from').heightM);
    expect(await raw('kerb-to')).toBe(kerb('to').heightM);
    // Measured in the Web Worker, not on the main thread.
    expect(await page.evaluate(() => document.body.dataset.toolsMeasureMode)).toBe('worker');
    expect(right).toContain(asShown(kerb('to').heightM));
    expect(width).toContain(asShown(section.carriageway!.widthM));

    // The profile panel is up, unexaggerated, and measures between two clicked points.
    const profile = page.locator('[data-panel="profile"]');
    await expect.poll(() => profile.isVisible()).toBe(true);
    expect(await profile.locator('[data-control="exaggeration"]').inputValue()).toBe('1');
    const box = (await profile.locator('svg').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height / 2);
    const readout = profile.locator('[data-value="profile-measure"]');
    const distance = Number(await readout.getAttribute('data-distance-m'));
    // 40 % of the drawing width; the profile spans the 15 m cut inside the padding.
    expect(distance).toBeGreaterThan(4);
    expect(distance).toBeLessThan(7);
    const slope = Number(await readout.getAttribute('data-slope-percent'));
    expect(Number.isFinite(slope)).toBe(true);

    // The CSV exporter downloads the profile from a Blob URL.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="section-csv"]')]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('dist_m');
    expect(csv.trim().split('\n').length).toBeGreaterThan(section.profile.length / 2);
  }, 180_000);

  it('point tool: a click on the drawn points becomes a world pick (E, N, H) with its point spacing', async () => {
    await page.selectOption('[data-control="tool"]', 'point');
    const canvas = (await page.locator('#view').boundingBox())!;
    // Try a few spots around the middle of the view until one hits a drawn point.
    let picked = false;
    for (const [fx, fy] of [[0.5, 0.5], [0.48, 0.52], [0.52, 0.48], [0.45, 0.55], [0.55, 0.45], [0.5, 0.6]] as const) {
      await page.mouse.click(canvas.x + canvas.width * fx, canvas.y + canvas.height * fy);
      if ((await page.locator('[data-panel="tools"] [data-pick]').count()) > 0) {
        picked = true;
        break;
      }
    }
    expect(picked).toBe(true);
    // The worker finds the nearest full-resolution point and the pick snaps to it (the file's own coordinates).
    await page.locator('[data-panel="tools"] [data-pick="0"][data-snapped="true"]').waitFor({ timeout: 30_000 });
    const [e, n, h] = await Promise.all(['e', 'n', 'h'].map(async (k) => Number(await page.locator(`[data-value="${k}"]`).getAttribute('data-raw'))));
    const { points } = await cli.source.query(Region.disc([e, n], 0.0005, { zmin: h - 0.0005, zmax: h + 0.0005 }));
    expect(points.count, `a file point at ${e}, ${n}, ${h}`).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-panel="tools"] [data-value="h"] dd').innerText()).toBe(`${asShown(h)} m NHN`);
    const pickItem = page.locator('[data-panel="tools"] [data-pick="0"]');
    expect(await pickItem.innerText()).toContain('Punktabstand');
    expect(Number(await pickItem.getAttribute('data-support-points'))).toBeGreaterThanOrEqual(1);
    expect(Number(await pickItem.getAttribute('data-spacing-m'))).toBeLessThan(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'measure-point.png') });
  }, 120_000);

  it('buildings by typed footprint corners: ridge and eave within 3 cm of truth, equal to the CLI; limit verdicts', async () => {
    const gable = truth.buildings.find((b: any) => !b.parapet);
    const flat = truth.buildings.find((b: any) => b.parapet);
    for (const b of [gable, flat].filter(Boolean)) {
      expect(await measureWith('building', b.footprint), `${b.id}: ${await page.locator('[data-list="status"]').innerText()}`).toBe('measured');
      const ridge = await shown('ridge-nhn');
      const eave = await shown('eave-nhn');
      // Fly to the building (the chrome's fly-to) so the overlay's roof planes and eave lines can be looked at.
      const centre = b.footprint.reduce((s: number[], p: number[]) => [s[0]! + p[0]! / b.footprint.length, s[1]! + p[1]! / b.footprint.length], [0, 0]);
      await page.fill('#fly-e', centre[0].toFixed(2));
      await page.fill('#fly-n', centre[1].toFixed(2));
      await page.click('#fly-go');
      await page.waitForTimeout(1500);
      await page.screenshot({ path: join(SCREENSHOTS, `measure-building-${b.id}.png`) });
      const wantRidge = b.parapet ? b.parapet.topZ : b.ridge.heightZ;
      const wantEave = b.parapet ? b.parapet.topZ : Math.max(...b.eaves.map((e: any) => e.heightZ));
      expect(Math.abs(firstNumber(ridge)! - wantRidge), `${b.id} ridge ${ridge} vs ${wantRidge}`).toBeLessThanOrEqual(0.03);
      expect(Math.abs(firstNumber(eave)! - wantEave), `${b.id} eave ${eave} vs ${wantEave}`).toBeLessThanOrEqual(0.03);

      const { result } = await measureBuildingFromSource(cli.source, b.footprint.map(typed), { bufferM: 1 });
      const roofNames: Record<string, string> = { flat: 'Flachdach', shed: 'Pultdach', gable: 'Satteldach', hip: 'Walmdach', other: 'andere' };
      expect(await shown('roof-type')).toBe(roofNames[result.roofType]);
      if (b.parapet) expect(result.roofType).toBe('flat');
      expect(ridge).toContain(asShown(result.ridgeNhn));
      expect(await raw('ridge-nhn')).toBe(result.ridgeNhn);
      expect(await raw('eave-nhn')).toBe(result.eaveNhn);
      expect(eave).toContain(asShown(result.eaveNhn));
      expect(await shown('ridge-height')).toContain(asShown(result.ridgeHeightM));

      // Limits: clearly above, clearly below, and at the value (within the uncertainty).
      const verdict = async (limitM: number): Promise<string | undefined> => {
        await page.fill('[data-control="limit-ridge"]', limitM.toFixed(3).replace('.', ','));
        return shown('verdict-ridge');
      };
      expect(await verdict(result.ridgeHeightM + 1)).toMatch(/^eingehalten/);
      expect(await verdict(result.ridgeHeightM - 1)).toMatch(/^überschritten/);
      expect(await verdict(result.ridgeHeightM)).toMatch(/^innerhalb der Messunsicherheit/);
      await page.fill('[data-control="limit-ridge"]', '');
      if (b === gable) {
        // GeoJSON and GeoPackage (sql.js from this origin) downloads carry the measured values.
        const [geojson] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="buildings-geojson"]')]);
        const fc = JSON.parse(readFileSync((await geojson.path())!, 'utf8'));
        expect(fc.features[0].properties.ridge_nhn).toBeCloseTo(result.ridgeNhn, 3);
        const [gpkg] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="buildings-gpkg"]')]);
        expect(readFileSync((await gpkg.path())!).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
        const [protocol] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="protocol-html"]')]);
        expect(readFileSync((await protocol.path())!, 'utf8')).toContain(asShown(result.ridgeNhn));
      }
    }
    expect(await cspViolations(page)).toEqual([]);
    expect(log.pageErrors).toEqual([]);
    const origin = new URL(viewer.url).origin;
    expect(log.requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin)).toEqual([]);
  }, 240_000);

  it('spot height relative to the footpath: a light-well rim within 1 cm of truth, equal to the CLI', async () => {
    const b = truth.buildings.find((x: any) => x.lightWells.length > 0);
    const w = b.lightWells[0];
    const side = b.side === 'left' ? truth.stations[0].left : truth.stations[0].right;
    const footpath = world(w.station, side.footpathOuterOffsetM - Math.sign(side.footpathOuterOffsetM) * 0.1);
    expect(await measureWith('spot-relative', [w.center, footpath], { keyboard: true })).toBe('measured');
    const rim = await shown('spot-nhn');
    const delta = await shown('spot-delta');
    expect(Math.abs(firstNumber(rim)! - w.rimZ), `rim ${rim} vs ${w.rimZ}`).toBeLessThanOrEqual(0.01);
    expect(Math.abs(firstNumber(delta)! - w.rimAboveFootpathM), `rim above footpath ${delta} vs ${w.rimAboveFootpathM}`).toBeLessThanOrEqual(0.01);
    const cliSpot = await spotHeightFromSource(cli.source, typed(w.center), 0.1);
    expect(rim).toBe(`${asShown(cliSpot.nhn)} m NHN`);
    expect(await raw('spot-nhn')).toBe(cliSpot.nhn);
    // The protocol of the spot names the footpath level and the difference.
    const [protocol] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="protocol-html"]')]);
    expect(readFileSync((await protocol.path())!, 'utf8')).toContain(asShown(cliSpot.nhn));
    // The drive's absolute accuracy entered (German decimal comma): a row with the NHN height's uncertainty,
    // equal to the CLI's --accuracy; the difference's sigma (the accuracy cancels) stays as it was.
    expect(await shown('sigma-nhn')).toBeUndefined();
    const sigmaDelta = await raw('sigma');
    await page.fill('[data-control="accuracy"]', '0,03');
    expect(await measureWith('spot-relative', [w.center, footpath], { keyboard: true })).toBe('measured');
    const cliAccurate = await spotHeightFromSource(cli.source, typed(w.center), 0.1, 0.03);
    expect(await raw('sigma-nhn')).toBe(cliAccurate.sigmaM);
    expect(cliAccurate.sigmaM).toBeGreaterThan(0.03);
    expect(await raw('sigma')).toBe(sigmaDelta);
    await page.fill('[data-control="accuracy"]', '');
  }, 120_000);

  it('clip a polygon: the LAS download holds exactly the points of the region, the LAZ download the same records', async () => {
    const ring: [number, number][] = truth.buildings[0].footprint;
    expect(await measureWith('clip-polygon', ring)).toBe('measured');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="clip-las"]')]);
    const bytes = new Uint8Array(readFileSync((await download.path())!));
    const clipped = await (await openLas(createBytesGetter(bytes, 'ausschnitt.las'))).readPoints();
    // Note: compare with the ring as typed (0.1 mm): the sample's walls stand exactly on the footprint edges, so
    // rounding the corners moves wall points across the edge.
    const want = (await cli.source.query(Region.polygon(ring.map(typed), 0))).points;
    expect(clipped.count).toBe(want.count);
    expect(Number(await page.locator('[data-value="clip-points"]').getAttribute('data-raw'))).toBe(want.count);
    // The same clip as LAZ (format select): laz-perf decodes the download to the LAS download's records.
    await page.selectOption('[data-control="tool"]', 'clip-polygon');
    await page.selectOption('[data-control="clip-format"]', 'laz');
    expect(await measureWith('clip-polygon', ring)).toBe('measured');
    const [lazDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="clip-laz"]')]);
    expect(lazDownload.suggestedFilename()).toBe('ausschnitt.laz');
    const laz = await openLas(createBytesGetter(new Uint8Array(readFileSync((await lazDownload.path())!)), 'ausschnitt.laz'), { lazPerf: getDefaultLazPerf() });
    expect(laz.compressed).toBe(true);
    const decoded = await laz.readPoints();
    expect(decoded.count).toBe(clipped.count);
    expect(Array.from(decoded.z)).toEqual(Array.from(clipped.z));
    expect(Array.from(decoded.gpsTime!)).toEqual(Array.from(clipped.gpsTime!));
    await page.selectOption('[data-control="clip-format"]', 'las');
  }, 120_000);

  it('sections along an axis: one cut every N m, stepping through them; English texts; no serious accessibility issue', async () => {
    await page.selectOption('[data-control="tool"]', 'section-axis');
    await page.fill('[data-control="step"]', '3');
    const st = truth.stations[0];
    expect(await measureWith('section-axis', [world(st.station, 0), world(st.station + 6, 0)])).toBe('measured');
    expect(await page.locator('[data-value="station"]').innerText()).toContain('1 von 3');
    await page.click('[data-export="next"]');
    expect(await page.locator('[data-value="station"]').innerText()).toContain('2 von 3');
    expect(firstNumber(await shown('kerb-from'))).toBeGreaterThan(0.03);
    await page.screenshot({ path: join(SCREENSHOTS, 'measure-axis.png') });
    // Note: page.evaluate runs outside the page's CSP, so axe needs no inline script.
    await page.evaluate(readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
      const result = await axe.run({ include: [['[data-panel="tools"]'], ['[data-panel="profile"]']] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.click('#language');
    await expect.poll(() => page.locator('[data-panel="tools"] h2').innerText()).toBe('Measure');
    expect(await page.locator('[data-value="kerb-from"] dt').innerText()).toBe('Kerb height, start side');
    expect(await shown('kerb-from')).toMatch(/^\d+\.\d{3} m/);
    expect(await page.locator('[data-panel="profile"] h3').innerText()).toBe('Cut 2 of 3 (station 3.0 m)');
    await page.screenshot({ path: join(SCREENSHOTS, 'measure-axis-en.png') });
  }, 180_000);

  it('a drive opened as a local file is measured from the file (no HTTP request), equal to the CLI', async () => {
    // A page whose served drive is hidden (hide=0): the file opened by the file picker is the first visible
    // drive, and the tools measure it through File.slice in the measure worker.
    const main = page;
    const opened = await openLoggedPage(browser.context);
    page = opened.page;
    try {
      await page.goto(`${viewer.url}?url=/data/drive-2023.copc.laz&hide=0`);
      expect(await waitForViewerState(page)).toBe('ready');
      await page.waitForFunction(() => document.body.dataset.tools === 'ready', undefined, { timeout: 10_000 });
      await page.setInputFiles('#open-file', copcPath);
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/data/')) requests.push(r.url());
      });
      const w = truth.buildings.flatMap((b: any) => b.lightWells)[0];
      // The file opens asynchronously (its header and hierarchy are read first): measure once it is there.
      let phase = '';
      for (let attempt = 0; attempt < 10 && phase !== 'measured'; attempt++) {
        if (attempt > 0) await page.waitForTimeout(1000);
        phase = await measureWith('spot', [w.center]);
      }
      expect(phase, await page.locator('[data-list="status"]').innerText()).toBe('measured');
      const cliSpot = await spotHeightFromSource(cli.source, typed(w.center), 0.1);
      expect(await raw('spot-nhn')).toBe(cliSpot.nhn);
      expect(requests).toEqual([]);
    } finally {
      page = main;
      await opened.page.close();
    }
  }, 120_000);
});

