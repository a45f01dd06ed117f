/**
 * UI texts, German first with an English switch. Every visible string of the viewer comes from this table, so a
 * missing translation is a compile error (both languages share the key type).
 */

/** Languages of the UI; German is the default. */
export type Language = 'de' | 'en';

/**
 * The text table of one language; `{name}` placeholders are filled by {@link Translator}, numbers in the
 * language's format, `{name:2}` with two decimals.
 */
const DE = {
  title: 'twinview – Punktwolke',
  canvasLabel: 'Punktwolke: ziehen zum Drehen, rechts ziehen zum Verschieben, Mausrad zum Zoomen',
  loading: 'Lade {url} …',
  decoding: 'Dekodiere {count} Punkte …',
  points: '{count} Punkte',
  pointsOf: '{shown} von {count} Punkten',
  copcPoints: '{shown} von {count} Punkten aus {nodes} COPC-Knoten',
  centre: 'Mitte: O {e:2} · N {n:2} · H {h:2} m',
  noUrl: 'Keine Datei angegeben. Öffnen Sie z. B. ?url=/data/drive-2023.copc.laz',
  errorTitle: 'Die Punktwolke kann nicht angezeigt werden',
  errorNotFound: 'Datei nicht gefunden (HTTP 404): {url}',
  errorHttp: 'Der Server antwortete mit HTTP {status} für {url}',
  errorNoRange: 'Der Server unterstützt keine Range-Anfragen (HTTP {status} statt 206): {url}',
  errorNotLas: 'Keine LAS/LAZ/COPC-Datei: {url} ({detail})',
  errorNetwork: 'Netzwerkfehler beim Laden von {url}: {detail}',
  errorForeignOrigin:
    'Dateien von anderen Servern ({detail}) sind nicht freigegeben: der Viewer lädt nur von diesem Server. Legen Sie die Datei in den Datenordner (/data/): {url}',
  errorNoPoints: 'Die Datei enthält keine Punkte: {url}',
  errorWebGl: 'WebGL 2 ist in diesem Browser nicht verfügbar.',
  errorOther: '{detail}',
  colourRgb: 'Farbe: RGB',
  colourElevation: 'Farbe: Höhe',
  switchLanguage: 'English',
  switchLanguageLabel: 'Switch to English',
  errorNotCopc: 'Keine COPC-Datei: {url}. Der Viewer streamt nur COPC (.copc.laz); erzeugen Sie sie mit „twinview tile“.',
  errorCorruptNode: 'Knoten {key} von {source} ist beschädigt und wird ausgelassen; der Rest wird weiter gezeichnet. ({detail})',
  errorSource: '{source}: {message}',
  dismiss: 'Meldung schließen',
  notices: 'Meldungen',
  cursor: 'O {e:3} · N {n:3} · H {h:3} m NHN',
  cursorNone: 'O – · N – · H – (Zeiger über die Punkte bewegen)',
  cursorLabel: 'Position unter dem Zeiger',
  loadingIdle: 'Geladen: {points} Punkte in {nodes} Knoten',
  loadingBusy: 'Lädt: {nodes} Knoten, {bytes} MB unterwegs · {points} Punkte sichtbar',
  navigation: 'Navigation',
  navOrbit: 'Drehen',
  navOrbitHint: 'Um den Punkt unter dem Zeiger drehen (Maus ziehen, Pfeiltasten verschieben, Umschalt+Pfeile drehen, +/− zoomen)',
  navWalk: 'Gehen',
  navWalkHint: 'Auf Straßenhöhe gehen (W/A/S/D oder Pfeiltasten, Q/E hoch/runter, ziehen zum Umsehen)',
  navTop: 'Draufsicht',
  navTopHint: 'Orthogonale Draufsicht, Norden oben',
  navFrame: 'Alles zeigen',
  flyTo: 'Fliegen zu',
  flyEasting: 'Ostwert E (m)',
  flyNorthing: 'Nordwert N (m)',
  flyGo: 'Los',
  flyInvalid: 'Ungültige Koordinate: {value}',
  settings: 'Einstellungen',
  sources: 'Quellen (Befahrungen/Epochen)',
  sourceLabel: '{name} ({index})',
  epochs: 'Epochen vergleichen',
  swipe: 'Wischen (geteilter Bildschirm)',
  swipeDivider: 'Teiler: links {left}, rechts {right}',
  swipeLeft: 'Links',
  swipeRight: 'Rechts',
  changeColouring: 'Änderungen zur anderen Epoche einfärben',
  colourMode: 'Farbmodus',
  mode_rgb: 'RGB',
  mode_intensity: 'Intensität',
  mode_elevation: 'Höhe',
  mode_classification: 'Klassifizierung',
  mode_gpsTime: 'GPS-Zeit',
  mode_source: 'Befahrung/Epoche',
  mode_change: 'Änderung (Abstand zur anderen Epoche)',
  elevationLow: 'Höhe unten (m NHN)',
  elevationHigh: 'Höhe oben (m NHN)',
  brightness: 'Helligkeit',
  contrast: 'Kontrast',
  pointSize: 'Punktgröße',
  classes: 'Klassen anzeigen',
  pointBudget: 'Punktbudget',
  pointBudgetValue: '{count} Punkte',
  edl: 'Eye-Dome-Lighting (Kantenschattierung)',
  edlAutoOff: 'Eye-Dome-Lighting ausgeschaltet: Bilder zu langsam ({ms} ms).',
  copyLink: 'Link kopieren',
  linkCopied: 'Link kopiert',
  openFile: 'Lokale COPC-Datei öffnen',
  localFileMissing:
    'Lokale Datei „{name}“: ein Link kann ihre Daten nicht mitnehmen – bitte erneut öffnen („Lokale COPC-Datei öffnen“ oder per Ziehen und Ablegen).',
};

type Texts = typeof DE;

/** Keys of the text table. */
export type TextKey = keyof Texts;

const EN: Texts = {
  title: 'twinview – point cloud',
  canvasLabel: 'Point cloud: drag to orbit, right-drag to pan, wheel to zoom',
  loading: 'Loading {url} …',
  decoding: 'Decoding {count} points …',
  points: '{count} points',
  pointsOf: '{shown} of {count} points',
  copcPoints: '{shown} of {count} points from {nodes} COPC nodes',
  centre: 'Centre: E {e:2} · N {n:2} · H {h:2} m',
  noUrl: 'No file given. Open e.g. ?url=/data/drive-2023.copc.laz',
  errorTitle: 'The point cloud cannot be shown',
  errorNotFound: 'File not found (HTTP 404): {url}',
  errorHttp: 'The server answered HTTP {status} for {url}',
  errorNoRange: 'The server does not support range requests (HTTP {status} instead of 206): {url}',
  errorNotLas: 'Not a LAS/LAZ/COPC file: {url} ({detail})',
  errorNetwork: 'Network error while loading {url}: {detail}',
  errorForeignOrigin:
    'Files from other servers ({detail}) are not allowed: the viewer loads from this server only. Put the file into the data folder (/data/): {url}',
  errorNoPoints: 'The file holds no points: {url}',
  errorWebGl: 'WebGL 2 is not available in this browser.',
  errorOther: '{detail}',
  colourRgb: 'Colour: RGB',
  colourElevation: 'Colour: elevation',
  switchLanguage: 'Deutsch',
  switchLanguageLabel: 'Auf Deutsch umschalten',
  errorNotCopc: 'Not a COPC file: {url}. The viewer streams COPC only (.copc.laz); make one with "twinview tile".',
  errorCorruptNode: 'Node {key} of {source} is corrupt and left out; the rest keeps drawing. ({detail})',
  errorSource: '{source}: {message}',
  dismiss: 'Close message',
  notices: 'Messages',
  cursor: 'E {e:3} · N {n:3} · H {h:3} m NHN',
  cursorNone: 'E – · N – · H – (move the pointer over the points)',
  cursorLabel: 'Position under the pointer',
  loadingIdle: 'Loaded: {points} points in {nodes} nodes',
  loadingBusy: 'Loading: {nodes} nodes, {bytes} MB in flight · {points} points visible',
  navigation: 'Navigation',
  navOrbit: 'Orbit',
  navOrbitHint: 'Orbit around the point under the pointer (drag; arrow keys pan, Shift+arrows orbit, +/− zoom)',
  navWalk: 'Walk',
  navWalkHint: 'Walk at street level (W/A/S/D or arrow keys, Q/E up/down, drag to look around)',
  navTop: 'Top view',
  navTopHint: 'Orthographic top view, north up',
  navFrame: 'Show all',
  flyTo: 'Fly to',
  flyEasting: 'Easting E (m)',
  flyNorthing: 'Northing N (m)',
  flyGo: 'Go',
  flyInvalid: 'Invalid coordinate: {value}',
  settings: 'Settings',
  sources: 'Sources (drives/epochs)',
  sourceLabel: '{name} ({index})',
  epochs: 'Compare epochs',
  swipe: 'Swipe (split screen)',
  swipeDivider: 'Divider: left {left}, right {right}',
  swipeLeft: 'Left',
  swipeRight: 'Right',
  changeColouring: 'Colour changes against the other epoch',
  colourMode: 'Colour mode',
  mode_rgb: 'RGB',
  mode_intensity: 'Intensity',
  mode_elevation: 'Elevation',
  mode_classification: 'Classification',
  mode_gpsTime: 'GPS time',
  mode_source: 'Drive/epoch',
  mode_change: 'Change (distance to the other epoch)',
  elevationLow: 'Elevation low (m NHN)',
  elevationHigh: 'Elevation high (m NHN)',
  brightness: 'Brightness',
  contrast: 'Contrast',
  pointSize: 'Point size',
  classes: 'Show classes',
  pointBudget: 'Point budget',
  pointBudgetValue: '{count} points',
  edl: 'Eye-dome lighting (edge shading)',
  edlAutoOff: 'Eye-dome lighting switched off: frames too slow ({ms} ms).',
  copyLink: 'Copy link',
  linkCopied: 'Link copied',
  openFile: 'Open a local COPC file',
  localFileMissing:
    'Local file "{name}": a link cannot carry its data – please open it again ("Open a local COPC file" or drag and drop).',
};

const TABLES: Record<Language, Texts> = { de: DE, en: EN };

/** Parameters filled into a text. */
export type TextParams = Readonly<Record<string, string | number>>;

/** Looks up texts of one language and formats numbers in that language's convention. */
export class Translator {
  constructor(readonly language: Language) {}

  /**
   * The text for `key` with `{name}` and `{name:digits}` placeholders replaced; numbers are formatted with
   * {@link formatNumber}, so texts follow a language switch without reloading their data.
   */
  t(key: TextKey, params: TextParams = {}): string {
    return TABLES[this.language][key].replace(/\{(\w+)(?::(\d))?\}/g, (whole, name: string, digits?: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? this.formatNumber(value, Number(digits ?? 0)) : value;
    });
  }

  /** A number in the language's convention (`1.234.567,89` in German), with `digits` decimals. */
  formatNumber(value: number, digits = 0): string {
    return value.toLocaleString(this.language === 'de' ? 'de-DE' : 'en-GB', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  }
}

/** Reads the language from `?lang=`, defaulting to German. */
export function languageFromSearch(search: string): Language {
  return new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'de';
}
