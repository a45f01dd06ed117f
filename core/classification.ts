/**
 * Names of LAS point classes (LAS 1.4 R15 §2.6, table 17 "ASPRS Standard Point Classes") in English and
 * German, with the class profile of the NRW state LiDAR (Geobasis NRW 3D-Messdaten).
 *
 * Note: Geobasis NRW uses class 20 for "Nicht-Geländepunkte" (non-ground points, DOM-relevant: buildings,
 * cars and other objects above the terrain), not for the ASPRS meaning "Ignored Ground". Pick the profile
 * from the data source, not from the file: the LAS header cannot tell them apart.
 *
 * @example
 * classificationName(20, { profile: 'nrw', language: 'de' }); // 'Nicht-Geländepunkte'
 * classificationName(20);                                      // 'Ignored Ground'
 */

/** A class table: 'asprs' = LAS 1.4 R15 standard; 'nrw' = ASPRS with the Geobasis NRW meaning of class 20. */
export type ClassificationProfile = 'asprs' | 'nrw';

/** Language of a class name. */
export type ClassificationLanguage = 'en' | 'de';

/** Options for {@link classificationName}. */
export interface ClassificationNameOptions {
  readonly profile?: ClassificationProfile;
  readonly language?: ClassificationLanguage;
}

// LAS 1.4 R15 §2.6 table 17.
const ASPRS: Readonly<Record<number, readonly [en: string, de: string]>> = {
  0: ['Created, Never Classified', 'Erzeugt, nie klassifiziert'],
  1: ['Unclassified', 'Unklassifiziert'],
  2: ['Ground', 'Boden'],
  3: ['Low Vegetation', 'Niedrige Vegetation'],
  4: ['Medium Vegetation', 'Mittlere Vegetation'],
  5: ['High Vegetation', 'Hohe Vegetation'],
  6: ['Building', 'Gebäude'],
  7: ['Low Point (Noise)', 'Tiefpunkt (Rauschen)'],
  8: ['Reserved', 'Reserviert'],
  9: ['Water', 'Wasser'],
  10: ['Rail', 'Schiene'],
  11: ['Road Surface', 'Straßenoberfläche'],
  12: ['Reserved', 'Reserviert'],
  13: ['Wire - Guard (Shield)', 'Leitung - Erdseil'],
  14: ['Wire - Conductor (Phase)', 'Leitung - Leiterseil'],
  15: ['Transmission Tower', 'Strommast'],
  16: ['Wire-Structure Connector (Insulator)', 'Leitungsverbinder (Isolator)'],
  17: ['Bridge Deck', 'Brückendeck'],
  18: ['High Noise', 'Hochpunkt (Rauschen)'],
  19: ['Overhead Structure', 'Überkopfbauwerk'],
  20: ['Ignored Ground', 'Ignorierter Boden'],
  21: ['Snow', 'Schnee'],
  22: ['Temporal Exclusion', 'Zeitlicher Ausschluss'],
};

const NRW_OVERRIDES: Readonly<Record<number, readonly [en: string, de: string]>> = {
  2: ['Ground (DGM-relevant)', 'Geländepunkte (DGM-relevant)'],
  20: ['Non-Ground (DOM-relevant)', 'Nicht-Geländepunkte'],
};

/**
 * The name of a classification value 0-255: ASPRS names for 0-22, "Reserved" for 23-63 and "User Definable"
 * for 64-255; with profile 'nrw' classes 2 and 20 take their Geobasis NRW meaning. Throws
 * `Invalid classification: …` for values outside 0-255.
 */
export function classificationName(code: number, options: ClassificationNameOptions = {}): string {
  if (!Number.isInteger(code) || code < 0 || code > 255) throw new Error(`Invalid classification: ${code}`);
  const lang = options.language === 'de' ? 1 : 0;
  const entry = (options.profile === 'nrw' ? NRW_OVERRIDES[code] : undefined) ?? ASPRS[code];
  if (entry) return entry[lang];
  if (code <= 63) return lang ? 'Reserviert' : 'Reserved';
  return lang ? 'Benutzerdefiniert' : 'User Definable';
}
