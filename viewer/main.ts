/**
 * Entry of the placeholder viewer: shows the points of the `?url=` LAS/LAZ/COPC file (same origin) as a static
 * point display with orbit controls, a status line and German/English UI.
 *
 * The page reports its state for tests and scripts in `document.body.dataset`: `state` is `loading`, `ready` or
 * `error` (or `empty` without `?url=`); when ready, `pointCount` (shown), `totalCount` (in the file), `colourMode`
 * and for COPC `nodeCount`; on error, `errorKind`; `decoder` says whether decoding ran in a `worker` or on the `main`
 * thread (`?worker=off` forces the main thread).
 */
import './ui/style.css';
import { Box3 } from 'three';
import { LocalFrame } from '../core/crs/LocalFrame.ts';
import { createDecodeClient } from '../workers/client.ts';
import type { LoadedCloud } from '../workers/decode-api.ts';
import type { LoadFailure, LoadFailureKind } from '../workers/load-failure.ts';
import { buildPoints } from './pointcloud/build-points.ts';
import { languageFromSearch, Translator, type TextKey, type TextParams } from './ui/i18n.ts';
import { Viewer } from './Viewer.ts';

type Line = { key: TextKey; params?: TextParams } | undefined;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`Invalid page: element #${id} is missing from index.html`);
  return found as T;
}

const ui = {
  title: element('title'),
  canvas: element<HTMLCanvasElement>('view'),
  status: element('status'),
  centre: element('centre'),
  colour: element('colour'),
  language: element<HTMLButtonElement>('language'),
  error: element('error'),
  errorTitle: element('error-title'),
  errorMessage: element('error-message'),
};

let translator = new Translator(languageFromSearch(location.search));
const lines: { status: Line; centre: Line; colour: Line; error: Line } = {
  status: undefined,
  centre: undefined,
  colour: undefined,
  error: undefined,
};

/** Writes every visible text in the current language. */
function renderTexts(): void {
  const text = (line: Line): string => (line ? translator.t(line.key, line.params) : '');
  document.documentElement.lang = translator.language;
  document.title = translator.t('title');
  ui.title.textContent = translator.t('title');
  ui.canvas.setAttribute('aria-label', translator.t('canvasLabel'));
  ui.status.textContent = text(lines.status);
  ui.centre.textContent = text(lines.centre);
  ui.colour.textContent = text(lines.colour);
  ui.language.textContent = translator.t('switchLanguage');
  ui.language.title = translator.t('switchLanguageLabel');
  ui.errorTitle.textContent = translator.t('errorTitle');
  ui.errorMessage.textContent = text(lines.error);
  ui.error.hidden = lines.error === undefined;
}

ui.language.addEventListener('click', () => {
  translator = new Translator(translator.language === 'de' ? 'en' : 'de');
  const url = new URL(location.href);
  url.searchParams.set('lang', translator.language);
  history.replaceState(null, '', url);
  renderTexts();
});

/** The message of each kind of loading failure. */
const FAILURE_TEXTS: Record<LoadFailureKind, TextKey> = {
  notFound: 'errorNotFound',
  http: 'errorHttp',
  noRange: 'errorNoRange',
  notLas: 'errorNotLas',
  network: 'errorNetwork',
  foreignOrigin: 'errorForeignOrigin',
  noPoints: 'errorNoPoints',
  other: 'errorOther',
};

function showError(failure: LoadFailure): void {
  lines.error = {
    key: FAILURE_TEXTS[failure.kind],
    params: { url: failure.url, status: failure.status ?? '', detail: failure.detail },
  };
  lines.status = undefined;
  document.body.dataset.errorKind = failure.kind;
  document.body.dataset.state = 'error';
  renderTexts();
  console.warn(`twinview: ${failure.kind}: ${failure.detail}`);
}

/**
 * The data centre, world metres: the middle of the header bounds, or of the points themselves when the header
 * bounds are unusable (not finite).
 */
function dataCentre(cloud: LoadedCloud): [number, number, number] {
  const fromHeader = [0, 1, 2].map((i) => (cloud.min[i]! + cloud.max[i]!) / 2);
  if (fromHeader.every(Number.isFinite)) return fromHeader as [number, number, number];
  const { x, y, z } = cloud.columns;
  return [x, y, z].map((column) => {
    let min = Infinity;
    let max = -Infinity;
    for (const v of column) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return (min + max) / 2;
  }) as [number, number, number];
}

function showCloud(viewer: Viewer, cloud: LoadedCloud, url: string): void {
  if (cloud.columns.count === 0) {
    showError({ kind: 'noPoints', url, detail: '' });
    return;
  }
  const centre = dataCentre(cloud);
  const { points, colourMode } = buildPoints(cloud.columns, { frame: new LocalFrame(centre) });
  viewer.add(points);
  viewer.frame(points.geometry.boundingBox ?? new Box3());
  viewer.renderNow();
  const shown = cloud.columns.count;
  lines.status =
    cloud.nodeCount !== undefined
      ? { key: 'copcPoints', params: { shown, count: cloud.totalCount, nodes: cloud.nodeCount } }
      : shown === cloud.totalCount
      ? { key: 'points', params: { count: cloud.totalCount } }
      : { key: 'pointsOf', params: { shown, count: cloud.totalCount } };
  lines.centre = {
    key: 'centre',
    params: { e: centre[0], n: centre[1], h: centre[2] },
  };
  lines.colour = { key: colourMode === 'rgb' ? 'colourRgb' : 'colourElevation' };
  document.body.dataset.pointCount = String(shown);
  document.body.dataset.totalCount = String(cloud.totalCount);
  document.body.dataset.colourMode = colourMode;
  if (cloud.nodeCount !== undefined) document.body.dataset.nodeCount = String(cloud.nodeCount);
  document.body.dataset.state = 'ready';
  renderTexts();
}

async function start(): Promise<void> {
  renderTexts();
  const url = new URLSearchParams(location.search).get('url');
  let viewer: Viewer;
  try {
    viewer = new Viewer(ui.canvas);
  } catch (error) {
    // Not a loading failure: the browser cannot draw at all. Say so in the page, never leave it blank.
    lines.error = { key: 'errorWebGl' };
    lines.status = undefined;
    document.body.dataset.errorKind = 'webgl';
    document.body.dataset.state = 'error';
    renderTexts();
    console.warn('twinview: no WebGL 2:', error);
    return;
  }
  if (!url) {
    lines.status = { key: 'noUrl' };
    document.body.dataset.state = 'empty';
    renderTexts();
    return;
  }
  lines.status = { key: 'loading', params: { url } };
  renderTexts();
  let absolute: URL;
  try {
    absolute = new URL(url, location.href);
  } catch {
    showError({ kind: 'other', url, detail: `Invalid URL: ${url}` });
    return;
  }
  // Note: the server's CSP allows connections to this origin only (tiling/server/static-server.ts); say so plainly
  // instead of letting the browser block the request.
  if (absolute.origin !== location.origin) {
    showError({ kind: 'foreignOrigin', url, detail: absolute.origin });
    return;
  }
  const decoder = createDecodeClient({ useWorker: new URLSearchParams(location.search).get('worker') !== 'off' });
  const result = await decoder.loadPointCloud(absolute.href, { name: url }, (count) => {
    lines.status = { key: 'decoding', params: { count } };
    renderTexts();
  });
  document.body.dataset.decoder = decoder.mode;
  decoder.dispose();
  if (!result.ok) {
    showError(result.failure);
    return;
  }
  try {
    showCloud(viewer, result.cloud, url);
  } catch (error) {
    showError({ kind: 'other', url, detail: error instanceof Error ? error.message : String(error) });
  }
}

start().catch((error: unknown) => {
  showError({ kind: 'other', url: '', detail: error instanceof Error ? error.message : String(error) });
});
