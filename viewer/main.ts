/**
 * Entry of the viewer: opens the `?url=` sources (one per drive/epoch, same origin), draws them with the shared
 * point material, and binds the chrome (navigation, colour mode, classes, budget, EDL, epochs, fly-to, language)
 * to the view state that lives in the URL.
 *
 * The page reports its state for tests and scripts in `document.body.dataset`: `state` is `loading`, `ready`,
 * `error` (nothing can be drawn) or `empty` (no `?url=`); `colourMode`, `navigation`, `edl` (`on`, `off`,
 * `auto-off`), `pointsVisible`, `nodesVisible`, `nodesInFlight`, `bytesFetched`, `bytesOfDrawnNodes`, `bytesOfEverDrawnNodes`,
 * `firstPointsMs` (from the first data request to the first drawn points); on error `errorKind`; `notices`
 * counts non-fatal messages (e.g. a corrupt node) and `noticeKinds` lists their kinds.
 */
import './ui/style.css';
import { Box3, Vector3, type Points } from 'three';
import { LocalFrame } from '../core/crs/LocalFrame.ts';
import { createWorkerPool, type WorkerPool } from '../workers/client.ts';
import type { LoadFailureKind } from '../workers/load-failure.ts';
import { drawnPercentiles, openSource, type OpenedSource, type SourceFailure } from './open-source.ts';
import { createPointPicker, type PointPicker } from './picking/create-point-picker.ts';
import { COLOUR_MODES, listedClasses, type ColourMode } from './render/colour-modes.ts';
import { parseViewState, serializeViewState, type NavigationMode, type ViewState } from './state/view-state.ts';
import { budgetFromSlider, sliderFromBudget } from './ui/budget-scale.ts';
import { Translator, type TextKey, type TextParams } from './ui/i18n.ts';
import { Viewer } from './Viewer.ts';
import { mountMeasureTools } from './tools/mount-tools.ts';

type Line = { key: TextKey; params?: TextParams } | undefined;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`Invalid page: element #${id} is missing from index.html`);
  return found as T;
}

const ui = {
  canvas: element<HTMLCanvasElement>('view'),
  title: element('title'),
  status: element('status'),
  loading: element('loading'),
  cursor: element('cursor'),
  navHint: element('nav-hint'),
  language: element<HTMLButtonElement>('language'),
  navButtons: [...document.querySelectorAll<HTMLButtonElement>('[data-nav]')],
  navFrame: element<HTMLButtonElement>('nav-frame'),
  fly: element<HTMLFormElement>('fly'),
  flyE: element<HTMLInputElement>('fly-e'),
  flyN: element<HTMLInputElement>('fly-n'),
  sourceList: element('source-list'),
  openFile: element<HTMLInputElement>('open-file'),
  epochs: element('epochs'),
  swipe: element<HTMLInputElement>('swipe'),
  swipeDivider: element('swipe-divider'),
  swipeSources: element('swipe-sources'),
  swipeLeft: element<HTMLSelectElement>('swipe-left'),
  swipeRight: element<HTMLSelectElement>('swipe-right'),
  change: element<HTMLInputElement>('change'),
  colourMode: element<HTMLSelectElement>('colour-mode'),
  elevationRange: element('elevation-range'),
  elevLow: element<HTMLInputElement>('elev-low'),
  elevHigh: element<HTMLInputElement>('elev-high'),
  brightness: element<HTMLInputElement>('brightness'),
  contrast: element<HTMLInputElement>('contrast'),
  pointSize: element<HTMLInputElement>('point-size'),
  classList: element('class-list'),
  budget: element<HTMLInputElement>('budget'),
  budgetValue: element<HTMLOutputElement>('budget-value'),
  edl: element<HTMLInputElement>('edl'),
  copyLink: element<HTMLButtonElement>('copy-link'),
  notices: element('notices'),
  error: element('error'),
  errorTitle: element('error-title'),
  errorMessage: element('error-message'),
};

const parsed = parseViewState(location.search);
for (const warning of parsed.warnings) console.warn(`twinview: ${warning}`);
let state: ViewState = parsed.state;
let translator = new Translator(state.language);
const lines: { status: Line; loading: Line; cursor: Line; error: Line } = {
  status: undefined,
  loading: undefined,
  cursor: { key: 'cursorNone' },
  error: undefined,
};
interface Notice {
  readonly kind: string;
  readonly line: NonNullable<Line>;
}
const notices: Notice[] = [];
const sources: OpenedSource[] = [];
/** The File behind each source opened from disk, by source index (the measuring tools read it). */
const localFiles = new Map<number, File>();
let frame: LocalFrame | undefined;
let viewer: Viewer | undefined;
let edlAutoOffMs: number | undefined;
let pool: WorkerPool | undefined;
let changeEnabled = false;

/** Writes every visible text in the current language. */
function renderTexts(): void {
  const text = (line: Line): string => (line ? translator.t(line.key, line.params) : '');
  document.documentElement.lang = translator.language;
  document.title = translator.t('title');
  ui.title.textContent = translator.t('title');
  ui.canvas.setAttribute('aria-label', translator.t('canvasLabel'));
  for (const el of document.querySelectorAll<HTMLElement>('[data-t]')) el.textContent = translator.t(el.dataset.t as TextKey);
  for (const el of document.querySelectorAll<HTMLElement>('[data-t-title]')) el.title = translator.t(el.dataset.tTitle as TextKey);
  for (const el of document.querySelectorAll<HTMLElement>('[data-t-label]')) el.setAttribute('aria-label', translator.t(el.dataset.tLabel as TextKey));
  ui.navHint.textContent = translator.t(state.navigation === 'walk' ? 'navWalkHint' : state.navigation === 'top' ? 'navTopHint' : 'navOrbitHint');
  ui.status.textContent = text(lines.status);
  ui.loading.textContent = text(lines.loading);
  ui.cursor.textContent = text(lines.cursor);
  ui.language.textContent = translator.t('switchLanguage');
  ui.language.setAttribute('aria-label', translator.t('switchLanguageLabel'));
  ui.language.lang = translator.language === 'de' ? 'en' : 'de';
  ui.errorTitle.textContent = translator.t('errorTitle');
  ui.errorMessage.textContent = text(lines.error);
  ui.error.hidden = lines.error === undefined;
  // Colour mode options, classes and sources carry translated labels too.
  for (const option of ui.colourMode.options) option.textContent = translator.t(`mode_${option.value}` as TextKey);
  renderClassList();
  renderSourceList();
  renderNotices();
  renderBudget();
  renderSwipeSources();
  renderSwipeDivider();
}

function renderBudget(): void {
  ui.budget.value = String(sliderFromBudget(state.pointBudget));
  ui.budgetValue.textContent = translator.t('pointBudgetValue', { count: state.pointBudget });
  ui.budget.setAttribute('aria-valuetext', ui.budgetValue.textContent);
}

let classListKey = '';
let sourceListKey = '';

/**
 * The class checkboxes; rebuilt only when the language changes (replacing a checkbox while it is being clicked
 * would lose its focus for keyboard and screen-reader users), otherwise only their states follow the view state.
 */
function renderClassList(): void {
  const hidden = new Set(state.hiddenClasses);
  if (classListKey === translator.language) {
    for (const box of ui.classList.querySelectorAll<HTMLInputElement>('input[data-class]')) box.checked = !hidden.has(Number(box.dataset.class));
    return;
  }
  classListKey = translator.language;
  ui.classList.replaceChildren(
    ...listedClasses(translator.language).map(({ code, name }) => {
      const item = document.createElement('li');
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = !hidden.has(code);
      box.dataset.class = String(code);
      box.addEventListener('change', () => {
        const next = new Set(state.hiddenClasses);
        if (box.checked) next.delete(code);
        else next.add(code);
        update({ hiddenClasses: [...next].sort((a, b) => a - b) });
      });
      label.append(box, ` ${code} ${name}`);
      item.append(label);
      return item;
    }),
  );
}

/** The source checkboxes; rebuilt only when the language or the list of sources changes (see renderClassList). */
function renderSourceList(): void {
  const key = `${translator.language} ${state.sources.map((s) => s.url).join(' ')}`;
  ui.epochs.hidden = state.sources.length < 2;
  if (key === sourceListKey) {
    for (const box of ui.sourceList.querySelectorAll<HTMLInputElement>('input[data-source]')) box.checked = state.sources[Number(box.dataset.source)]?.visible ?? false;
    return;
  }
  sourceListKey = key;
  ui.sourceList.replaceChildren(
    ...state.sources.map((source, index) => {
      const item = document.createElement('li');
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = source.visible;
      box.dataset.source = String(index);
      box.addEventListener('change', () => {
        update({ sources: state.sources.map((s, i) => (i === index ? { ...s, visible: box.checked } : s)) });
      });
      const swatch = document.createElement('span');
      swatch.className = `swatch swatch-${index % 8}`;
      swatch.setAttribute('aria-hidden', 'true');
      const name = source.url.split('/').pop() ?? source.url;
      label.append(box, swatch, ` ${translator.t('sourceLabel', { name, index: index + 1 })}`);
      item.append(label);
      return item;
    }),
  );
  ui.epochs.hidden = state.sources.length < 2;
}

function renderNotices(): void {
  ui.notices.replaceChildren(
    ...notices.map((notice, index) => {
      const box = document.createElement('div');
      box.className = 'notice';
      box.setAttribute('role', 'alert');
      box.dataset.kind = notice.kind;
      const text = document.createElement('p');
      text.textContent = translator.t(notice.line.key, notice.line.params);
      const close = document.createElement('button');
      close.type = 'button';
      close.textContent = '×';
      close.setAttribute('aria-label', translator.t('dismiss'));
      close.addEventListener('click', () => {
        notices.splice(index, 1);
        renderNotices();
      });
      box.append(text, close);
      return box;
    }),
  );
  document.body.dataset.notices = String(notices.length);
  document.body.dataset.noticeKinds = notices.map((n) => n.kind).join(',');
}

/** The sources compared by the swipe: [left, right] indices into state.sources. */
function swipePair(): readonly [number, number] {
  return state.swipeSources ?? [0, 1];
}

/** A source's name in the chrome: its file name and its number. */
function sourceName(index: number): string {
  const url = state.sources[index]?.url ?? '';
  return translator.t('sourceLabel', { name: url.split('/').pop() ?? url, index: index + 1 });
}

let swipeSourcesKey = '';
/** The left/right source choice of the swipe (shown while swiping); options rebuilt only when their texts change. */
function renderSwipeSources(): void {
  ui.swipeSources.hidden = state.swipe === undefined || state.sources.length < 2;
  const key = `${translator.language} ${state.sources.map((s) => s.url).join(' ')}`;
  if (key !== swipeSourcesKey) {
    swipeSourcesKey = key;
    for (const select of [ui.swipeLeft, ui.swipeRight]) {
      select.replaceChildren(
        ...state.sources.map((_, index) => {
          const option = document.createElement('option');
          option.value = String(index);
          option.textContent = sourceName(index);
          return option;
        }),
      );
    }
  }
  const [left, right] = swipePair();
  ui.swipeLeft.value = String(left);
  ui.swipeRight.value = String(right);
}

function renderSwipeDivider(): void {
  const swipe = state.swipe;
  ui.swipeDivider.hidden = swipe === undefined;
  if (swipe === undefined) return;
  ui.swipeDivider.style.left = `${swipe * 100}%`;
  const [left, right] = swipePair();
  ui.swipeDivider.setAttribute('aria-valuenow', String(Math.round(swipe * 100)));
  ui.swipeDivider.setAttribute('aria-label', translator.t('swipeDivider', { left: sourceName(left), right: sourceName(right) }));
}

function addNotice(kind: string, line: NonNullable<Line>): void {
  notices.push({ kind, line });
  renderNotices();
}

/** The message of each kind of loading failure. */
const FAILURE_TEXTS: Record<LoadFailureKind | 'notCopc', TextKey> = {
  notFound: 'errorNotFound',
  http: 'errorHttp',
  noRange: 'errorNoRange',
  notLas: 'errorNotLas',
  notCopc: 'errorNotCopc',
  network: 'errorNetwork',
  foreignOrigin: 'errorForeignOrigin',
  noPoints: 'errorNoPoints',
  other: 'errorOther',
};

/** A failure that leaves nothing to draw: a message box in the middle, state `error`. */
function showError(failure: SourceFailure): void {
  lines.error = { key: FAILURE_TEXTS[failure.kind], params: { url: failure.url, status: failure.status ?? '', detail: failure.detail } };
  lines.status = undefined;
  document.body.dataset.errorKind = failure.kind;
  document.body.dataset.state = 'error';
  renderTexts();
  console.warn(`twinview: ${failure.kind}: ${failure.detail}`);
}

// ---- view state -> viewer ------------------------------------------------------------------------------------

let urlTimer: number | undefined;
/** Writes the state into the URL (debounced: camera moves fire often). */
function writeUrl(): void {
  if (urlTimer !== undefined) clearTimeout(urlTimer);
  urlTimer = window.setTimeout(() => {
    urlTimer = undefined;
    history.replaceState(null, '', `?${serializeViewState(currentState(), location.search)}`);
    document.body.dataset.urlWritten = String(Date.now());
  }, 150);
}

/** The state including the live camera (world coordinates). */
function currentState(): ViewState {
  if (!viewer || !frame || document.body.dataset.state !== 'ready') return state;
  const { position, target } = viewer.navigation.getView();
  return {
    ...state,
    camera: { position: frame.toWorld(position.toArray()), target: frame.toWorld(target.toArray()) },
  };
}

function update(change: Partial<ViewState>): void {
  state = { ...state, ...change };
  applyState();
  writeUrl();
}

function applyState(): void {
  document.body.dataset.colourMode = state.colourMode;
  document.body.dataset.navigation = state.navigation;
  ui.colourMode.value = state.colourMode;
  ui.elevationRange.hidden = state.colourMode !== 'elevation';
  ui.change.checked = state.colourMode === 'change';
  ui.swipe.checked = state.swipe !== undefined;
  ui.edl.checked = state.edl;
  ui.brightness.value = String(state.brightness);
  ui.contrast.value = String(state.contrast);
  ui.pointSize.value = String(state.pointSize);
  for (const button of ui.navButtons) button.setAttribute('aria-pressed', String(button.dataset.nav === state.navigation));
  renderTexts();
  if (!viewer) return;
  const material = viewer.material;
  material.setColourMode(state.colourMode);
  material.setBrightnessContrast(state.brightness, state.contrast);
  material.setSizeScale(state.pointSize);
  const hidden = new Set(state.hiddenClasses);
  for (let code = 0; code < 256; code++) material.setClassVisible(code, !hidden.has(code));
  if (state.elevationRange) material.setElevationRange(...state.elevationRange);
  [ui.elevLow.value, ui.elevHigh.value] = material.elevationRange.map((v) => v.toFixed(1));
  if (viewer.edlEnabled !== state.edl && edlAutoOffMs === undefined) viewer.setEdl(state.edl);
  document.body.dataset.edl = viewer.edlEnabled ? 'on' : edlAutoOffMs !== undefined ? 'auto-off' : 'off';
  state.sources.forEach((s, i) => {
    const opened = sources.find((o) => o.index === i);
    if (opened?.entity) opened.entity.visible = s.visible;
  });
  for (const opened of sources) if (opened.entity) opened.entity.pointBudget = state.pointBudget;
  if (state.colourMode === 'change') enableChange();
  const [swipeLeft, swipeRight] = swipePair();
  viewer.setSwipe(state.swipe !== undefined && state.sources.length >= 2 ? { position: state.swipe, left: swipeLeft, right: swipeRight } : undefined);
  viewer.navigation.setMode(state.navigation);
  viewer.requestFrame();
}

// ---- chrome events -------------------------------------------------------------------------------------------

ui.colourMode.replaceChildren(
  ...COLOUR_MODES.map((mode) => {
    const option = document.createElement('option');
    option.value = mode;
    return option;
  }),
);
ui.colourMode.addEventListener('change', () => update({ colourMode: ui.colourMode.value as ColourMode }));
ui.change.addEventListener('change', () => update({ colourMode: ui.change.checked ? 'change' : 'rgb' }));
ui.swipe.addEventListener('change', () => update(ui.swipe.checked ? { swipe: 0.5 } : { swipe: undefined }));
// Choosing for one side the source shown on the other swaps the two, so both sides never show the same source.
for (const [select, side] of [
  [ui.swipeLeft, 0],
  [ui.swipeRight, 1],
] as const) {
  select.addEventListener('change', () => {
    const pair: [number, number] = [...swipePair()];
    const chosen = Number(select.value);
    if (pair[1 - side] === chosen) pair[1 - side] = pair[side];
    pair[side] = chosen;
    update({ swipeSources: pair });
  });
}
ui.edl.addEventListener('change', () => {
  edlAutoOffMs = undefined;
  update({ edl: ui.edl.checked });
});
ui.brightness.addEventListener('input', () => update({ brightness: Number(ui.brightness.value) }));
ui.contrast.addEventListener('input', () => update({ contrast: Number(ui.contrast.value) }));
ui.pointSize.addEventListener('input', () => update({ pointSize: Number(ui.pointSize.value) }));
ui.budget.addEventListener('input', () => update({ pointBudget: budgetFromSlider(Number(ui.budget.value)) }));
for (const input of [ui.elevLow, ui.elevHigh]) {
  input.addEventListener('change', () => {
    const low = Number(ui.elevLow.value);
    const high = Number(ui.elevHigh.value);
    if (Number.isFinite(low) && Number.isFinite(high) && low < high) update({ elevationRange: [low, high] });
  });
}
for (const button of ui.navButtons) {
  button.addEventListener('click', () => update({ navigation: button.dataset.nav as NavigationMode }));
}
ui.navFrame.addEventListener('click', () => frameAll());
ui.language.addEventListener('click', () => {
  translator = new Translator(translator.language === 'de' ? 'en' : 'de');
  update({ language: translator.language });
});
ui.copyLink.addEventListener('click', () => {
  const link = `${location.origin}${location.pathname}?${serializeViewState(currentState(), location.search)}`;
  navigator.clipboard?.writeText(link).then(
    () => addNotice('linkCopied', { key: 'linkCopied' }),
    () => undefined,
  );
});

/** Parses a coordinate as typed, German (`337.512,5`) or English (`337,512.5` / `337512.5`). */
function parseCoordinate(text: string): number {
  const t = text.trim().replace(/\s/g, '');
  if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t) || /^-?\d+,\d+$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  return Number(t.replace(/,/g, ''));
}

ui.fly.addEventListener('submit', (event) => {
  event.preventDefault();
  const e = parseCoordinate(ui.flyE.value);
  const n = parseCoordinate(ui.flyN.value);
  if (!Number.isFinite(e) || !Number.isFinite(n) || !viewer || !frame) {
    addNotice('flyInvalid', { key: 'flyInvalid', params: { value: `${ui.flyE.value} / ${ui.flyN.value}` } });
    return;
  }
  const [x, y] = frame.toLocal([e, n, frame.origin[2]]);
  viewer.navigation.flyTo(x, y);
  writeUrl();
});

// The swipe divider: drag it, or focus it and use the arrow keys (5 % steps, Home/End).
let dividerDrag = false;
ui.swipeDivider.addEventListener('pointerdown', (event) => {
  dividerDrag = true;
  ui.swipeDivider.setPointerCapture(event.pointerId);
});
ui.swipeDivider.addEventListener('pointermove', (event) => {
  if (!dividerDrag) return;
  const rect = ui.canvas.getBoundingClientRect();
  update({ swipe: Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width)) });
});
ui.swipeDivider.addEventListener('pointerup', () => (dividerDrag = false));
ui.swipeDivider.addEventListener('keydown', (event) => {
  const now = state.swipe ?? 0.5;
  const next = event.key === 'ArrowLeft' ? now - 0.05 : event.key === 'ArrowRight' ? now + 0.05 : event.key === 'Home' ? 0 : event.key === 'End' ? 1 : undefined;
  if (next === undefined) return;
  event.preventDefault();
  update({ swipe: Math.min(1, Math.max(0, Math.round(next * 100) / 100)) });
});

// ---- loading -------------------------------------------------------------------------------------------------

/** Change colouring: each of the first two epochs gets, per point, its distance to the other (computed in workers). */
function enableChange(): void {
  if (changeEnabled || sources.length < 2 || !sources[0]!.entity || !sources[1]!.entity) return;
  changeEnabled = true;
  sources[0]!.entity.enableChangeAgainst(sources[1]!.source);
  sources[1]!.entity.enableChangeAgainst(sources[0]!.source);
}

/** True when a source's drawn points carry any colour that is not black. */
function drawnColour(opened: OpenedSource): boolean {
  for (const child of opened.entity.children) {
    const colour = (child as Points).geometry?.getAttribute('color');
    if (!colour) continue;
    const values = colour.array as ArrayLike<number>;
    for (let i = 0; i < values.length; i += 3) if (values[i] || values[i + 1] || values[i + 2]) return true;
  }
  return false;
}

/** Elevation and intensity ranges from the first drawn points (2-98 %), unless the link fixed the elevation. */
function rangesFromData(): void {
  if (!viewer || !frame) return;
  const heights = sources.map((s) => drawnPercentiles(s.entity, 'z')).filter((r) => r !== undefined);
  if (!state.elevationRange && heights.length) {
    const low = Math.min(...heights.map((r) => r[0]));
    const high = Math.max(...heights.map((r) => r[1]));
    // Frame-relative values back to world heights (m NHN) in float64.
    viewer.material.setElevationRange(low + frame.origin[2], Math.max(high, low + 1) + frame.origin[2]);
  }
  // A format with RGB fields that holds only zeros (e.g. the NRW tiles) would draw black: elevation instead.
  if (!new URLSearchParams(location.search).has('colour') && state.colourMode === 'rgb' && !sources.some((s) => drawnColour(s))) {
    update({ colourMode: 'elevation' });
  }
  const intensity = drawnPercentiles(sources[0]!.entity, 'intensity', 0.01, 0.99);
  if (intensity) viewer.material.setIntensityRange(intensity[0], Math.max(intensity[1], intensity[0] + 1));
  [ui.elevLow.value, ui.elevHigh.value] = viewer.material.elevationRange.map((v) => v.toFixed(1));
}

function frameAll(): void {
  if (!viewer || !frame) return;
  const box = new Box3();
  for (const opened of sources) {
    const b = opened.bounds;
    box.expandByPoint(new Vector3(...frame.toLocal([b[0], b[1], b[2]])));
    box.expandByPoint(new Vector3(...frame.toLocal([b[3], b[4], b[5]])));
  }
  if (!box.isEmpty()) viewer.navigation.frame(box);
  writeUrl();
}

let cursorPending = false;
let lastCursor = { x: 0, y: 0 };
function updateCursor(): void {
  cursorPending = false;
  if (!viewer || !frame) return;
  // Float64 world E/N/H from the picked point's LAS integers (viewer/picking), never from float32 positions.
  const hit = picker?.pick(lastCursor.x, lastCursor.y);
  if (!hit) return;
  const [e, n, h] = hit.world;
  lines.cursor = { key: 'cursor', params: { e, n, h } };
  document.body.dataset.cursor = `${e.toFixed(3)},${n.toFixed(3)},${h.toFixed(3)}`;
  ui.cursor.textContent = translator.t(lines.cursor.key, lines.cursor.params);
}
let picker: PointPicker | undefined;

ui.canvas.addEventListener('pointermove', (event) => {
  const rect = ui.canvas.getBoundingClientRect();
  lastCursor = { x: event.clientX - rect.left, y: event.clientY - rect.top };
  if (cursorPending) return;
  cursorPending = true;
  // At most ten picks a second: picking walks the drawn points near the ray.
  setTimeout(updateCursor, 100);
});

let lastLoadingText = '';
function reportFrame(): void {
  let nodes = 0;
  let points = 0;
  let inFlight = 0;
  let bytesInFlight = 0;
  let bytesFetched = 0;
  let bytesDrawn = 0;
  let bytesEverDrawn = 0;
  for (const opened of sources) {
    const s = opened.stats;
    // A hidden entity is not updated, so its counters are stale; the bytes it fetched still count.
    bytesFetched += s.bytesFetched;
    bytesEverDrawn += s.bytesOfEverDrawnNodes;
    if (!opened.entity?.visible) continue;
    nodes += s.nodesVisible;
    points += s.pointsVisible;
    inFlight += s.nodesInFlight;
    bytesInFlight += s.bytesInFlight;
    bytesDrawn += s.bytesOfDrawnNodes;
  }
  lines.loading =
    inFlight > 0
      ? { key: 'loadingBusy', params: { nodes: inFlight, bytes: Math.round((bytesInFlight / 1e6) * 10) / 10, points } }
      : { key: 'loadingIdle', params: { points, nodes } };
  const text = translator.t(lines.loading.key, lines.loading.params);
  if (text !== lastLoadingText) {
    lastLoadingText = text;
    ui.loading.textContent = text;
  }
  const data = document.body.dataset;
  data.pointsVisible = String(points);
  data.nodesVisible = String(nodes);
  data.nodesInFlight = String(inFlight);
  data.bytesFetched = String(bytesFetched);
  data.bytesOfDrawnNodes = String(bytesDrawn);
  data.bytesOfEverDrawnNodes = String(bytesEverDrawn);
  if (data.state === 'ready') data.idle = String(inFlight === 0);
  ui.loading.setAttribute('aria-busy', String(inFlight > 0));
}

/**
 * A link made while local files were open names them (`local=`), but cannot carry their data: say so, per file,
 * until the user opens a file of that name again.
 */
function noticeLocalFiles(): void {
  for (const name of state.localFiles) addNotice('localFileMissing', { key: 'localFileMissing', params: { name } });
}

/** When the first data request went out, and whether a frame has added the first node mesh since (ms, page clock). */
let firstRequestAt = 0;
let firstPointsAdded = false;

/** The decode pool. `?worker=off` decodes on the main thread; `?workers=N` sets the pool size (benchmarks compare 1 and 2). */
function createPool(): WorkerPool {
  const search = new URLSearchParams(location.search);
  const workers = Number(search.get('workers'));
  return createWorkerPool({
    useWorker: search.get('worker') !== 'off',
    ...(Number.isInteger(workers) && workers >= 1 && workers <= 16 ? { size: workers } : {}),
  });
}

async function start(): Promise<void> {
  applyState();
  noticeLocalFiles();
  // Note: the workers start first, so loading their script and instantiating laz-perf overlaps the WebGL set-up
  // and the first requests; started after them, the root node waited for a worker (bench marks: workers ready
  // 250-730 ms after the first request under load, the root's bytes had arrived at 160-750 ms).
  if (state.sources.length > 0) pool = createPool();
  try {
    viewer = new Viewer(ui.canvas, {
      onFrame: () => {
        if (firstPointsAdded && document.body.dataset.firstPointsMs === undefined) {
          performance.mark('twinview:first-points');
          document.body.dataset.firstPointsMs = String(Math.round(performance.now() - firstRequestAt));
        }
        reportFrame();
      },
      onEdlAutoOff: (medianMs) => {
        edlAutoOffMs = Math.round(medianMs);
        document.body.dataset.edl = 'auto-off';
        ui.edl.checked = false;
        addNotice('edlAutoOff', { key: 'edlAutoOff', params: { ms: edlAutoOffMs ?? 0 } });
      },
    });
  } catch (error) {
    // Not a loading failure: the browser cannot draw at all. Say so in the page, never leave it blank.
    lines.error = { key: 'errorWebGl' };
    lines.status = undefined;
    document.body.dataset.errorKind = 'webgl';
    document.body.dataset.state = 'error';
    renderTexts();
    console.warn('twinview: no WebGL 2:', error);
    pool?.dispose();
    pool = undefined;
    return;
  }
  const live = viewer;
  // For scripts, tests and the benchmark: the live objects (read-only use).
  (window as unknown as { twinview: unknown }).twinview = {
    viewer: live,
    sources,
    currentState,
    /** Places the camera at world eye and target (E, N, H metres). */
    setWorldView(eye: readonly [number, number, number], target: readonly [number, number, number]): void {
      if (!frame) return;
      live.navigation.setView(new Vector3(...frame.toLocal(eye)), new Vector3(...frame.toLocal(target)));
    },
    /** World E/N/H to canvas CSS pixels [x, y] and NDC depth, float64 until the frame subtraction. */
    projectWorld(e: number, n: number, h: number): [number, number, number] {
      const local = frame ? frame.toLocal([e, n, h]) : [e, n, h];
      const camera = live.navigation.activeCamera();
      const p = new Vector3(...local).project(camera);
      const { width, height } = live.sizePx;
      return [((p.x + 1) / 2) * width, ((1 - p.y) / 2) * height, p.z];
    },
  };
  picker = createPointPicker({
    entities: () => sources.filter((s) => s.entity?.visible).map((s) => s.entity),
    camera: () => live.navigation.activeCamera(),
    sizePx: () => live.sizePx,
    frame: () => frame,
  });
  live.setPicker(picker);
  live.navigation.orbit.addEventListener('end', () => writeUrl());
  live.navigation.top.addEventListener('end', () => writeUrl());
  ui.canvas.addEventListener('keyup', () => writeUrl());
  ui.canvas.addEventListener('wheel', () => writeUrl(), { passive: true });
  applyState();

  if (state.sources.length === 0) {
    lines.status = { key: 'noUrl' };
    document.body.dataset.state = 'empty';
    renderTexts();
    return;
  }
  lines.status = { key: 'loading', params: { url: state.sources.map((s) => s.url).join(', ') } };
  renderTexts();

  pool ??= createPool();
  const livePool = pool;
  firstRequestAt = performance.now();
  performance.mark('twinview:first-request');
  let firstFailure: SourceFailure | undefined;
  await Promise.all(
    state.sources.map(async (source, index) => {
      let absolute: URL;
      try {
        absolute = new URL(source.url, location.href);
      } catch {
        firstFailure ??= { kind: 'other', url: source.url, detail: `Invalid URL: ${source.url}` };
        return;
      }
      // Note: the server's CSP allows connections to this origin only (tiling/server/static-server.ts); say so
      // plainly instead of letting the browser block the request.
      if (absolute.origin !== location.origin) {
        firstFailure ??= { kind: 'foreignOrigin', url: source.url, detail: absolute.origin };
        return;
      }
      const result = await openSource(absolute.href, {
        name: source.url,
        index,
        pool: livePool,
        pointBudget: state.pointBudget,
        onFirstPoints: () => {
          // Called while the frame that adds the first node mesh is prepared; the time is taken once that frame
          // was drawn (so a shader compiled for it counts too), in onFrame below.
          firstPointsAdded = true;
          performance.mark('twinview:first-mesh');
          live.requestFrame();
        },
        onNodeFailure: (key, detail) => {
          // The decoder's message can be long (laz-perf adds build hints); its first sentence says enough.
          const short = detail.length > 90 ? `${detail.slice(0, 90)}…` : detail;
          addNotice('corruptNode', { key: 'errorCorruptNode', params: { key, source: source.url, detail: short } });
          live.requestFrame();
        },
        onChange: () => live.requestFrame(),
      });
      if (!result.ok) {
        if (state.sources.length === 1) firstFailure ??= result.failure;
        else addNotice(result.failure.kind, { key: 'errorSource', params: { source: source.url, message: translator.t(FAILURE_TEXTS[result.failure.kind], { url: source.url, status: result.failure.status ?? '', detail: result.failure.detail }) } });
        return;
      }
      sources.push(result.source);
    }),
  );
  sources.sort((a, b) => a.index - b.index);
  if (sources.length === 0) {
    showError(firstFailure ?? { kind: 'other', url: '', detail: 'no source' });
    return;
  }

  // One LocalFrame for every source: the middle of the first source's bounds (float64 world).
  const b = sources[0]!.bounds;
  frame = new LocalFrame([(b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2]);
  live.material.setFrameOriginZ(frame.origin[2]);
  live.material.rootSpacingM = sources[0]!.spacingM;
  live.material.setElevationRange(Math.min(...sources.map((s) => s.bounds[2])), Math.max(...sources.map((s) => s.bounds[5])));
  live.material.setTimeRange(...sources[0]!.timeRangeS);
  for (const opened of sources) live.addEntity(opened.attach(frame, livePool), opened.index);
  // Without colour in any source, RGB would be black: start in elevation unless the link asked for a mode.
  if (!new URLSearchParams(location.search).has('colour') && !sources.some((s) => s.hasRgb)) {
    state = { ...state, colourMode: 'elevation' };
  }

  if (state.camera) {
    live.navigation.setView(new Vector3(...frame.toLocal(state.camera.position)), new Vector3(...frame.toLocal(state.camera.target)));
  } else {
    frameAll();
  }
  applyState();
  // A hidden source loads nothing until it is shown, so only the visible ones are waited for.
  await Promise.all(sources.filter((s) => state.sources[s.index]?.visible !== false).map((s) => s.ready()));
  rangesFromData();
  live.renderNow();
  const total = sources.reduce((n, s) => n + s.pointCount, 0);
  lines.status = { key: 'points', params: { count: total } };
  document.body.dataset.totalCount = String(total);
  document.body.dataset.state = 'ready';
  // Measuring tools (viewer/tools): panel, 2D profile, 3D overlay; a click on the canvas is a pick (world E/N/H).
  const toolFrame = frame;
  mountMeasureTools({
    // The first visible drive is measured at full resolution in the measure worker: over HTTP ranges when it
    // has a URL, else through the local File it was opened from (structured-cloned into the worker, read with
    // File.slice).
    dataSource: () => {
      const shown = sources
        .filter((o) => (o.index < state.sources.length ? state.sources[o.index]?.visible !== false : o.entity?.visible !== false))
        .sort((a, b) => a.index - b.index);
      for (const o of shown) {
        const url = state.sources[o.index]?.url;
        if (url !== undefined) return new URL(url, location.href).href;
        const file = localFiles.get(o.index);
        if (file) return file;
      }
      return undefined;
    },
    canvas: ui.canvas,
    pick: (x, y) => picker?.pick(x, y)?.world,
    overlay: { parent: live.scene, frame: toolFrame, requestFrame: () => live.requestFrame() },
  });
  reportFrame();
  renderTexts();
  writeUrl();
}

/**
 * Adds a local COPC file (file picker or drag and drop) as one more source. It is read with File.slice, never
 * uploaded; a link cannot hold its data, so only its name goes into the URL (a page opened from that link asks for
 * the file again, see noticeLocalFiles).
 */
async function addLocalFile(file: File): Promise<void> {
  const live = viewer;
  if (!live) return;
  pool ??= createPool();
  const livePool = pool;
  const index = Math.max(state.sources.length, ...sources.map((s) => s.index + 1));
  const result = await openSource(file, {
    name: file.name,
    index,
    pool: livePool,
    pointBudget: state.pointBudget,
    onFirstPoints: () => live.requestFrame(),
    onNodeFailure: (key, detail) => addNotice('corruptNode', { key: 'errorCorruptNode', params: { key, source: file.name, detail: detail.slice(0, 90) } }),
    onChange: () => live.requestFrame(),
  });
  if (!result.ok) {
    const f = result.failure;
    addNotice(f.kind, { key: 'errorSource', params: { source: file.name, message: translator.t(FAILURE_TEXTS[f.kind], { url: file.name, status: f.status ?? '', detail: f.detail }) } });
    return;
  }
  const opened = result.source;
  sources.push(opened);
  localFiles.set(index, file);
  const missing = notices.findIndex((n) => n.kind === 'localFileMissing' && n.line.params?.name === file.name);
  if (missing >= 0) notices.splice(missing, 1);
  if (!state.localFiles.includes(file.name)) update({ localFiles: [...state.localFiles, file.name] });
  else renderNotices();
  const first = !frame;
  if (!frame) {
    const b = opened.bounds;
    frame = new LocalFrame([(b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2]);
    live.material.setFrameOriginZ(frame.origin[2]);
    live.material.rootSpacingM = opened.spacingM;
    live.material.setElevationRange(b[2], b[5]);
  }
  live.addEntity(opened.attach(frame, livePool), index);
  if (first) frameAll();
  await opened.ready();
  if (first) rangesFromData();
  lines.error = undefined;
  lines.status = { key: 'points', params: { count: sources.reduce((n, s) => n + s.pointCount, 0) } };
  document.body.dataset.state = 'ready';
  renderTexts();
}

ui.openFile.addEventListener('change', () => {
  for (const file of ui.openFile.files ?? []) void addLocalFile(file);
  ui.openFile.value = '';
});
ui.canvas.addEventListener('dragover', (event) => event.preventDefault());
ui.canvas.addEventListener('drop', (event) => {
  event.preventDefault();
  for (const file of event.dataTransfer?.files ?? []) void addLocalFile(file);
});

start().catch((error: unknown) => {
  showError({ kind: 'other', url: '', detail: error instanceof Error ? error.message : String(error) });
});
