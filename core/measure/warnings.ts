/**
 * Measurement warnings as data: a stable code, its parameters (numbers in SI units, unrounded) and, for a
 * warning passed on from a nested measurement (the spot of a reference, the relative-to spot), its context. The
 * English text (CLI JSON, exports) is formatted from the code's template here; the viewer formats the same
 * warning from its German or English table (viewer/tools/tool-texts.ts), so no UI ever parses English text.
 *
 * Templates: `{name}` inserts a parameter as is, `{name:2}` a number with 2 decimals.
 *
 * @example
 * const w = measureWarning('wall-unfitted', { wall: 2 });
 * formatWarning(w); // 'wall 2: too few facade points; the footprint edge is used as wall plane'
 */

/** English templates by warning code; the codes are stable (the viewer's tables and tests key on them). */
export const WARNING_TEXTS_EN = {
  // Buildings (building-height.ts).
  'terrain-missing': 'no terrain found around the walls; heights above terrain are unreliable',
  'wall-unfitted': 'wall {wall}: too few facade points; the footprint edge is used as wall plane',
  'terrain-wall-sparse': 'terrain at wall {wall}: only {cells} terrain cells; left out',
  'terrain-wall-high': 'terrain at wall {wall} reads {aboveM:2} m above the others: left out',
  'wall-top-uneven': 'wall {wall}: its top edge is not uniform; not used for the parapet',
  'flat-roof-assumed': 'roof surface not observed: flat roof assumed, height from the top of the facade (parapet); confirm in the panorama',
  'wall-top-low': 'a wall top reads {belowM:2} m below the parapet: not observed up to the top, left out',
  'far-slope-asymmetric': 'far roof slope not observed: ridge from the upper edge of the visible slope (asymmetric roof)',
  'far-slope-symmetric': 'far roof slope not observed: ridge from a symmetric roof, confirmed by the visible slope',
  'ridge-occluded-symmetric':
    'far roof slope and ridge not observed (occluded): ridge from a symmetric roof ({aboveM:2} m above the highest visible roof points); confirm in the panorama',
  'ridge-occluded-hip':
    'far roof slope and ridge not observed (occluded): ridge from a symmetric hip roof ({aboveM:2} m above the highest visible roof points); confirm in the panorama',
  'hip-completed':
    'roof slopes over {walls} wall(s) and the ridge not observed (occluded): hip roof completed with the observed pitch and eave, ridge {aboveM:2} m above the highest visible roof points; confirm in the panorama',
  'no-eave': 'no wall with a roof plane falling towards it: no eave line found',
  'roof-plane-sparse': 'low support for the roof plane facing {azimuthDeg:0}°: {points} points, {areaM2:1} m² (occluded?)',
  'ridge-not-observed': 'ridge not observed: the highest roof points lie {belowM:2} m below the plane intersection',
  'roof-above-ridge': 'roof points reach {aboveM:2} m above the computed ridge',
  'flat-roof-structure': 'roof surface not observed and a structure rises {riseM:2} m above the assumed parapet: possibly a pitched roof (occluded)',
  superstructure: 'superstructure at {e:2},{n:2}: top {topNhn:2} m NHN, {aboveM:2} m above the roof (not counted)',
  // References (building-height.ts).
  'reference-no-facing-wall': 'no wall faces the street point; mean terrain used',
  'reference-no-facade-terrain': 'no terrain found at the street facade; mean terrain used',
  'reference-no-street-points': 'no street points in front of the facade were passed; mean terrain used',
  'reference-no-kerb': 'no kerb between facade and street point; surface at the street point used',
  'reference-no-section': 'no section between facade and street point; surface at the street point used',
  'reference-no-footpath-edge': 'footpath edge not found; footpath surface 0.3 m behind the kerb used',
  // Sections (cross-section.ts).
  'section-objects': '{lengthM:2} m of the slab lie on objects above the surface (vehicles, people, vegetation); ignored',
  'section-no-ground': 'no ground from {fromM:2} to {toM:2} m',
  'section-gap': 'no ground from {fromM:2} to {toM:2} m (occluded or object); not interpolated',
  'section-only-from-kerb': 'only the from-side kerb was found; the carriageway runs to the end of the section',
  'section-only-to-kerb': 'only the to-side kerb was found; the carriageway starts at the beginning of the section',
  'section-no-kerbs': 'no kerbs found',
  'section-no-kerb-pair': 'no kerb pair bounds a carriageway',
  'section-no-crossfall': 'too few ground points on the carriageway for a cross-fall',
  'section-too-sparse': 'too sparse: mean spacing {spacingM:3} m in the slab (kerbs need <= {maxM} m)',
  // Spots (spot-height.ts) and picks (workers/measure-api.ts).
  'spot-layer-below-used': 'a steep or stacked layer above the spot (roof overhang, verge) ignored: the surface below it was used',
  'spot-sparse': 'sparse: {points} surface points within {radiusM:3} m (spacing {spacingM:3} m)',
  'spot-unresolved': 'sparse: the surface is not resolved ({points} point(s) in its height band)',
  'spot-occlusion-edge': 'occlusion edge: the points lie on one side of the spot (centroid {offsetM:3} m off)',
  'spot-rough': 'rough or mixed surface: residual rms {rmsM:3} m',
  'spot-isolated-below': '{points} isolated point(s) below the surface ignored',
  'spot-layer-above': 'a higher layer (overhang, canopy, object) above the spot ignored: {points} points',
  'spot-widened': 'sparse: radius widened from {fromM} m to {toM:3} m',
  'pick-too-sparse': 'too sparse: {points} points within {radiusM:2} m (spacing {spacingM:3} m)',
  'pick-occlusion-edge': 'occlusion edge: no points on {degrees} degrees around the pick',
} as const;

/** A stable warning code. */
export type MeasureWarningCode = keyof typeof WARNING_TEXTS_EN;

/** Where a passed-on warning comes from. */
export type WarningContext = 'reference-point' | 'street-reference' | 'relative-to';

/** English names of the contexts (the prefix of the English text). */
export const WARNING_CONTEXTS_EN: Readonly<Record<WarningContext, string>> = {
  'reference-point': 'reference point',
  'street-reference': 'street reference',
  'relative-to': 'relative-to',
};

/** One warning as data. */
export interface MeasureWarning {
  readonly code: MeasureWarningCode;
  /** Values the text names: numbers in SI units (metres, degrees, counts), unrounded. */
  readonly params: Readonly<Record<string, number | string>>;
  readonly context?: WarningContext;
}

/** Makes a warning. */
export function measureWarning(code: MeasureWarningCode, params: Readonly<Record<string, number | string>> = {}): MeasureWarning {
  return { code, params };
}

/** The same warnings, passed on from a nested measurement (keeps an existing context). */
export function inContext(warnings: readonly MeasureWarning[], context: WarningContext): MeasureWarning[] {
  return warnings.map((w) => (w.context ? w : { ...w, context }));
}

/** Options of {@link formatWarning}. */
export interface FormatWarningOptions {
  /** Templates by code (default English). */
  readonly texts?: Readonly<Record<MeasureWarningCode, string>>;
  /** Context prefixes (default English). */
  readonly contexts?: Readonly<Record<WarningContext, string>>;
  /** Decimal separator of numbers (default '.'). */
  readonly decimal?: string;
}

/** The text of a warning: its template with the parameters filled, behind `context: ` when it has one. */
export function formatWarning(warning: MeasureWarning, options: FormatWarningOptions = {}): string {
  const texts = options.texts ?? WARNING_TEXTS_EN;
  const template = texts[warning.code] ?? warning.code;
  const text = template.replace(/\{(\w+)(?::(\d))?\}/g, (whole, name: string, decimals: string | undefined) => {
    const v = warning.params[name];
    if (v === undefined) return whole;
    if (typeof v === 'number' && !Number.isFinite(v)) return '-';
    let s = typeof v === 'number' && decimals !== undefined ? v.toFixed(Number(decimals)) : String(v);
    if (typeof v === 'number' && options.decimal && options.decimal !== '.') s = s.replace('.', options.decimal);
    return s;
  });
  return warning.context ? `${(options.contexts ?? WARNING_CONTEXTS_EN)[warning.context]}: ${text}` : text;
}

/** The English texts of warnings (the CLI JSON's `warnings`). */
export function warningTexts(warnings: readonly MeasureWarning[]): string[] {
  return warnings.map((w) => formatWarning(w));
}
