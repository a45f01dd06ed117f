/**
 * The view state kept in the page URL, so a copied link reopens the same view: sources (one per drive/epoch, with
 * visibility), camera (float64 world E/N/H of eye and target, to the millimetre), navigation mode, colour mode,
 * point budget, eye-dome lighting, swipe divider and the two sources it compares, hidden classes, elevation range,
 * brightness/contrast, point size and language. Local files (file picker, drag and drop) cannot travel in a link;
 * only their names are kept, so a page opened from such a link can say which file to open again.
 *
 * @example
 * const { state } = parseViewState(location.search);
 * history.replaceState(null, '', `?${serializeViewState({ ...state, colourMode: 'elevation' })}`);
 */
import { isColourMode, type ColourMode } from '../render/colour-modes.ts';

/** A float64 world point: [easting, northing, height], metres (EPSG:25832, m NHN). */
export type WorldPoint = readonly [number, number, number];

/** Navigation modes. */
export type NavigationMode = 'orbit' | 'walk' | 'top';

const NAVIGATION_MODES: readonly NavigationMode[] = ['orbit', 'walk', 'top'];

/** One source (drive/epoch). */
export interface SourceState {
  /** URL as given (same-origin path such as `/data/drive-2023.copc.laz`). */
  readonly url: string;
  readonly visible: boolean;
}

/** Eye and target of the camera, world metres. */
export interface CameraState {
  readonly position: WorldPoint;
  readonly target: WorldPoint;
}

/** The whole view state. */
export interface ViewState {
  readonly sources: readonly SourceState[];
  /** Undefined: frame the data when it arrives. */
  readonly camera?: CameraState;
  readonly navigation: NavigationMode;
  readonly colourMode: ColourMode;
  /** Points drawn at most, 100 000 to 10 000 000. */
  readonly pointBudget: number;
  readonly edl: boolean;
  /** Swipe divider as a share of the canvas width (0..1) from the left; undefined when not swiping. */
  readonly swipe?: number;
  /** Swipe: indices of the sources drawn left and right of the divider; undefined: the first two (0 | 1). */
  readonly swipeSources?: readonly [number, number];
  /** Hidden classification values, ascending. */
  readonly hiddenClasses: readonly number[];
  /** Elevation ramp range, m NHN; undefined: from the data. */
  readonly elevationRange?: readonly [number, number];
  /** Brightness -1..1. */
  readonly brightness: number;
  /** Contrast 0..3. */
  readonly contrast: number;
  /** Point size factor 0.25..4. */
  readonly pointSize: number;
  readonly language: 'de' | 'en';
  /** Names of local files that were open (their data is not in the link and must be opened again). */
  readonly localFiles: readonly string[];
}

/** Default point budget (issue 4: 2 M). */
export const DEFAULT_POINT_BUDGET = 2_000_000;
export const MIN_POINT_BUDGET = 100_000;
export const MAX_POINT_BUDGET = 10_000_000;

/** The state of a fresh page. */
export const DEFAULT_VIEW_STATE: ViewState = {
  sources: [],
  navigation: 'orbit',
  colourMode: 'rgb',
  pointBudget: DEFAULT_POINT_BUDGET,
  edl: true,
  hiddenClasses: [],
  brightness: 0,
  contrast: 1,
  pointSize: 1,
  language: 'de',
  localFiles: [],
};

/** Parameters this module owns; others in the URL (e.g. `worker`) are kept as they are. */
const OWN_KEYS = ['local', 'url', 'hide', 'cam', 'nav', 'colour', 'budget', 'edl', 'swipe', 'swipesrc', 'cls', 'elev', 'bc', 'size', 'lang'];

function numbers(text: string, count: number): number[] | undefined {
  const parts = text.split(',');
  if (parts.length !== count) return undefined;
  const values = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  return values.every(Number.isFinite) ? values : undefined;
}

/** Rounds to `digits` decimals without exponent notation and without trailing zeros. */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * Reads the view state from a URL query (`location.search`); unknown or malformed values fall back to the
 * defaults and are reported in `warnings` as `Invalid <param>: <value>`.
 */
export function parseViewState(search: string): { state: ViewState; warnings: string[] } {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  const invalid = (key: string): void => {
    warnings.push(`Invalid ${key}: ${params.get(key)}`);
  };
  const d = DEFAULT_VIEW_STATE;

  const urls = params.getAll('url').filter((u) => u !== '');
  const hidden = new Set<number>();
  const hideText = params.get('hide');
  if (hideText !== null && hideText !== '') {
    const values = hideText.split(',').map(Number);
    if (values.every((v) => Number.isInteger(v) && v >= 0)) values.forEach((v) => hidden.add(v));
    else invalid('hide');
  }
  const sources = urls.map((url, i) => ({ url, visible: !hidden.has(i) }));

  let camera: CameraState | undefined;
  const camText = params.get('cam');
  if (camText !== null) {
    const v = numbers(camText, 6);
    if (v && (v[0] !== v[3] || v[1] !== v[4] || v[2] !== v[5])) {
      camera = { position: [v[0]!, v[1]!, v[2]!], target: [v[3]!, v[4]!, v[5]!] };
    } else invalid('cam');
  }

  let navigation = d.navigation;
  const nav = params.get('nav');
  if (nav !== null) {
    if ((NAVIGATION_MODES as readonly string[]).includes(nav)) navigation = nav as NavigationMode;
    else invalid('nav');
  }

  let colourMode = d.colourMode;
  const colour = params.get('colour');
  if (colour !== null) {
    if (isColourMode(colour)) colourMode = colour;
    else invalid('colour');
  }

  let pointBudget = d.pointBudget;
  const budget = params.get('budget');
  if (budget !== null) {
    const v = Number(budget);
    if (Number.isInteger(v) && v >= MIN_POINT_BUDGET && v <= MAX_POINT_BUDGET) pointBudget = v;
    else invalid('budget');
  }

  let edl = d.edl;
  const edlText = params.get('edl');
  if (edlText !== null) {
    if (edlText === '0' || edlText === '1') edl = edlText === '1';
    else invalid('edl');
  }

  let swipe: number | undefined;
  const swipeText = params.get('swipe');
  if (swipeText !== null) {
    const v = Number(swipeText);
    if (swipeText !== '' && Number.isFinite(v) && v >= 0 && v <= 1) swipe = v;
    else invalid('swipe');
  }

  let swipeSources: [number, number] | undefined;
  const swipeSrc = params.get('swipesrc');
  if (swipeSrc !== null) {
    const v = numbers(swipeSrc, 2);
    if (v && v.every((i) => Number.isInteger(i) && i >= 0 && i < sources.length) && v[0] !== v[1]) swipeSources = [v[0]!, v[1]!];
    else invalid('swipesrc');
  }

  let hiddenClasses: number[] = [];
  const cls = params.get('cls');
  if (cls !== null && cls !== '') {
    const values = cls.split(',').map(Number);
    if (values.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) hiddenClasses = [...new Set(values)].sort((a, b) => a - b);
    else invalid('cls');
  }

  let elevationRange: [number, number] | undefined;
  const elev = params.get('elev');
  if (elev !== null) {
    const v = numbers(elev, 2);
    if (v && v[0]! < v[1]!) elevationRange = [v[0]!, v[1]!];
    else invalid('elev');
  }

  let brightness = d.brightness;
  let contrast = d.contrast;
  const bc = params.get('bc');
  if (bc !== null) {
    const v = numbers(bc, 2);
    if (v && v[0]! >= -1 && v[0]! <= 1 && v[1]! >= 0 && v[1]! <= 3) [brightness, contrast] = [v[0]!, v[1]!];
    else invalid('bc');
  }

  let pointSize = d.pointSize;
  const size = params.get('size');
  if (size !== null) {
    const v = Number(size);
    if (size !== '' && Number.isFinite(v) && v >= 0.25 && v <= 4) pointSize = v;
    else invalid('size');
  }

  const language = params.get('lang') === 'en' ? 'en' : 'de';
  const localFiles = params.getAll('local').filter((name) => name !== '');

  const state: ViewState = {
    sources,
    ...(camera ? { camera } : {}),
    navigation,
    colourMode,
    pointBudget,
    edl,
    ...(swipe !== undefined ? { swipe } : {}),
    ...(swipeSources ? { swipeSources } : {}),
    hiddenClasses,
    ...(elevationRange ? { elevationRange } : {}),
    brightness,
    contrast,
    pointSize,
    language,
    localFiles,
  };
  return { state, warnings };
}

/**
 * Writes the view state as a URL query (without `?`); values equal to the defaults are left out so links stay
 * short, parameters of others in `keep` (e.g. `worker=off`) are carried over. Camera coordinates are written to
 * the millimetre.
 */
export function serializeViewState(state: ViewState, keep: string = ''): string {
  const params = new URLSearchParams();
  for (const source of state.sources) params.append('url', source.url);
  const hidden = state.sources.flatMap((s, i) => (s.visible ? [] : [i]));
  if (hidden.length) params.set('hide', hidden.join(','));
  if (state.camera) {
    params.set('cam', [...state.camera.position, ...state.camera.target].map((v) => fixed(v, 3)).join(','));
  }
  const d = DEFAULT_VIEW_STATE;
  if (state.navigation !== d.navigation) params.set('nav', state.navigation);
  if (state.colourMode !== d.colourMode) params.set('colour', state.colourMode);
  if (state.pointBudget !== d.pointBudget) params.set('budget', String(state.pointBudget));
  if (state.edl !== d.edl) params.set('edl', state.edl ? '1' : '0');
  if (state.swipe !== undefined) params.set('swipe', fixed(state.swipe, 3));
  if (state.swipeSources && (state.swipeSources[0] !== 0 || state.swipeSources[1] !== 1)) params.set('swipesrc', state.swipeSources.join(','));
  if (state.hiddenClasses.length) params.set('cls', [...state.hiddenClasses].sort((a, b) => a - b).join(','));
  if (state.elevationRange) params.set('elev', state.elevationRange.map((v) => fixed(v, 2)).join(','));
  if (state.brightness !== d.brightness || state.contrast !== d.contrast) {
    params.set('bc', `${fixed(state.brightness, 2)},${fixed(state.contrast, 2)}`);
  }
  if (state.pointSize !== d.pointSize) params.set('size', fixed(state.pointSize, 2));
  if (state.language !== d.language) params.set('lang', state.language);
  for (const name of state.localFiles) params.append('local', name);
  for (const [key, value] of new URLSearchParams(keep)) {
    if (!OWN_KEYS.includes(key)) params.append(key, value);
  }
  // Note: keep commas and slashes readable in links; URLSearchParams would escape them.
  return params.toString().replace(/%2C/gi, ',').replace(/%2F/gi, '/');
}
