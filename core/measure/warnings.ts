/**
 * Measurement warnings as data: a stable code, its parameters (numbers in SI units, unrounded) and, for a
 * warning passed on from a nested measurement (the spot of a reference, the relative-to spot), its context. The
 * English text (CLI JSON, exports) is formatted from the code's template here, and so is the German one (the
 * viewer's German UI, the German measurement protocol), so no UI ever parses English text.
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
  'section-crossfall-sparse': 'carriageway cross-fall near the {side} kerb from only {coveredM:2} m of surface over {lengthM:2} m (occluded); uncertain',
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

/** German templates by warning code (the viewer's German UI, the German measurement protocol). */
export const WARNING_TEXTS_DE: Readonly<Record<MeasureWarningCode, string>> = {
  'terrain-missing': 'kein Gelände an den Wänden gefunden; Höhen über Gelände sind unsicher',
  'wall-unfitted': 'Wand {wall}: zu wenige Fassadenpunkte; die Grundrisskante dient als Wandebene',
  'terrain-wall-sparse': 'Gelände an Wand {wall}: nur {cells} Geländezellen; nicht verwendet',
  'terrain-wall-high': 'Gelände an Wand {wall} liegt {aboveM:2} m über den übrigen: nicht verwendet',
  'wall-top-uneven': 'Wand {wall}: Oberkante ungleichmäßig; nicht für die Attika verwendet',
  'flat-roof-assumed': 'Dachfläche nicht erfasst: Flachdach angenommen, Höhe von der Fassadenoberkante (Attika); im Panorama prüfen',
  'wall-top-low': 'eine Wandoberkante liegt {belowM:2} m unter der Attika: nicht bis oben erfasst, nicht verwendet',
  'far-slope-asymmetric': 'abgewandte Dachfläche nicht erfasst: First von der Oberkante der sichtbaren Fläche (asymmetrisches Dach)',
  'far-slope-symmetric': 'abgewandte Dachfläche nicht erfasst: First aus symmetrischem Dach, durch die sichtbare Fläche bestätigt',
  'ridge-occluded-symmetric':
    'abgewandte Dachfläche und First nicht erfasst (verdeckt): First aus symmetrischem Dach ({aboveM:2} m über den höchsten sichtbaren Dachpunkten); im Panorama prüfen',
  'ridge-occluded-hip':
    'abgewandte Dachfläche und First nicht erfasst (verdeckt): First aus symmetrischem Walmdach ({aboveM:2} m über den höchsten sichtbaren Dachpunkten); im Panorama prüfen',
  'hip-completed':
    'Dachflächen über {walls} Wand/Wänden und First nicht erfasst (verdeckt): Walmdach mit gemessener Neigung und Traufe ergänzt, First {aboveM:2} m über den höchsten sichtbaren Dachpunkten; im Panorama prüfen',
  'no-eave': 'keine Wand mit zu ihr fallender Dachfläche: keine Traufe gefunden',
  'roof-plane-sparse': 'wenige Punkte auf der Dachfläche Richtung {azimuthDeg:0}°: {points} Punkte, {areaM2:1} m² (verdeckt?)',
  'ridge-not-observed': 'First nicht erfasst: die höchsten Dachpunkte liegen {belowM:2} m unter dem Schnitt der Dachflächen',
  'roof-above-ridge': 'Dachpunkte reichen {aboveM:2} m über den berechneten First',
  'flat-roof-structure': 'Dachfläche nicht erfasst, ein Bauteil ragt {riseM:2} m über die angenommene Attika: möglicherweise ein geneigtes Dach (verdeckt)',
  superstructure: 'Dachaufbau bei {e:2},{n:2}: Oberkante {topNhn:2} m NHN, {aboveM:2} m über dem Dach (nicht berücksichtigt)',
  'reference-no-facing-wall': 'keine Wand ist dem Straßenpunkt zugewandt; mittleres Gelände verwendet',
  'reference-no-facade-terrain': 'kein Gelände an der Straßenfassade gefunden; mittleres Gelände verwendet',
  'reference-no-street-points': 'keine Straßenpunkte vor der Fassade übergeben; mittleres Gelände verwendet',
  'reference-no-kerb': 'kein Bord zwischen Fassade und Straßenpunkt; Oberfläche am Straßenpunkt verwendet',
  'reference-no-section': 'kein Schnitt zwischen Fassade und Straßenpunkt möglich; Oberfläche am Straßenpunkt verwendet',
  'reference-no-footpath-edge': 'Gehweghinterkante nicht gefunden; Gehwegoberfläche 0,3 m hinter dem Bord verwendet',
  'section-objects': '{lengthM:2} m des Streifens liegen auf Objekten über der Oberfläche (Fahrzeuge, Personen, Bewuchs); nicht verwendet',
  'section-no-ground': 'kein Boden von {fromM:2} bis {toM:2} m',
  'section-gap': 'kein Boden von {fromM:2} bis {toM:2} m (verdeckt oder Objekt); nicht interpoliert',
  'section-only-from-kerb': 'nur der Bord auf der Anfangsseite gefunden; die Fahrbahn reicht bis zum Schnittende',
  'section-only-to-kerb': 'nur der Bord auf der Endseite gefunden; die Fahrbahn beginnt am Schnittanfang',
  'section-no-kerbs': 'keine Borde gefunden',
  'section-no-kerb-pair': 'kein Bordpaar begrenzt eine Fahrbahn',
  'section-no-crossfall': 'zu wenige Bodenpunkte auf der Fahrbahn für eine Querneigung',
  'section-crossfall-sparse': 'Querneigung der Fahrbahn am Bord {side} aus nur {coveredM:2} m Oberfläche auf {lengthM:2} m (verdeckt); unsicher',
  'section-too-sparse': 'zu dünn: mittlerer Punktabstand {spacingM:3} m im Streifen (Borde brauchen <= {maxM} m)',
  'spot-layer-below-used': 'eine steile oder übereinanderliegende Schicht über dem Punkt (Dachüberstand, Ortgang) nicht verwendet: die Oberfläche darunter gilt',
  'spot-sparse': 'dünn: {points} Oberflächenpunkte im Radius {radiusM:3} m (Abstand {spacingM:3} m)',
  'spot-unresolved': 'dünn: die Oberfläche ist nicht aufgelöst ({points} Punkt(e) in ihrem Höhenband)',
  'spot-occlusion-edge': 'Verdeckungskante: die Punkte liegen auf einer Seite des Punkts (Schwerpunkt {offsetM:3} m daneben)',
  'spot-rough': 'raue oder gemischte Oberfläche: Restfehler (RMS) {rmsM:3} m',
  'spot-isolated-below': '{points} einzelne Punkt(e) unter der Oberfläche nicht verwendet',
  'spot-layer-above': 'eine höhere Schicht (Überstand, Vordach, Objekt) über dem Punkt nicht verwendet: {points} Punkte',
  'spot-widened': 'dünn: Radius von {fromM} m auf {toM:3} m vergrößert',
  'pick-too-sparse': 'zu dünn: {points} Punkte im Radius {radiusM:2} m (Abstand {spacingM:3} m)',
  'pick-occlusion-edge': 'Verdeckungskante: keine Punkte auf {degrees} Grad um den Messpunkt',
};

/** German names of the contexts. */
export const WARNING_CONTEXTS_DE: Readonly<Record<WarningContext, string>> = {
  'reference-point': 'Bezugspunkt',
  'street-reference': 'Straßenbezug',
  'relative-to': 'Vergleichspunkt',
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

/** Options that format a warning in German (decimal comma). */
export const WARNING_FORMAT_DE: FormatWarningOptions = { texts: WARNING_TEXTS_DE, contexts: WARNING_CONTEXTS_DE, decimal: ',' };

/** The English texts of warnings (the CLI JSON's `warnings`). */
export function warningTexts(warnings: readonly MeasureWarning[]): string[] {
  return warnings.map((w) => formatWarning(w));
}
