/**
 * A printable measurement protocol (Messprotokoll) as one self-contained HTML document: values with their
 * uncertainty, the height reference (Bezugspunkt) and where it was taken, the method, verdicts against entered
 * limits, the drive date, the CRS, an embedded screenshot and the link back to the view. German labels first
 * (English in small type), decimal comma, print CSS for A4 so "print to PDF" gives the file for the record.
 *
 * {@link buildingProtocol} and {@link sectionProtocol} fill the values from core/measure results; any other
 * measurement can pass its own values.
 *
 * @example
 * const html = writeProtocolHtml(buildingProtocol(row, { driveDate: '2026-05-04', createdAt: new Date(),
 *   limits: [{ label: 'Traufhöhe', field: 'eaveHeightM', limitM: 6.5 }] }));
 */
import type { Point2 } from '../geometry/point3.ts';
import type { CrossSection } from '../measure/cross-section.ts';
import type { SpotHeight } from '../measure/spot-height.ts';
import { judgeAgainstLimit, type LimitVerdict } from '../measure/verdict.ts';
import { finiteOrNull, type BuildingRow, type MeasuredReference } from './building-record.ts';
import { escapeXml, formatFixed } from './text-format.ts';

/** The three-way verdict against a limit (core/measure/verdict.ts). */
export type Verdict = LimitVerdict;

/** One measured value of the protocol. */
export interface ProtocolValue {
  /** German label, e.g. "Traufhöhe". */
  readonly label: string;
  /** English label shown in small type. */
  readonly labelEn?: string;
  /** The value (null: not measurable, shown as "–"). */
  readonly value: number | null;
  /** Unit text, e.g. "m NHN", "m", "%". */
  readonly unit: string;
  /** Standard uncertainty (1 sigma) in the value's unit. */
  readonly sigma?: number;
  /** Decimals (default 3 for metres, 2 otherwise). */
  readonly decimals?: number;
}

/** A value checked against a limit. */
export interface ProtocolLimit {
  readonly label: string;
  readonly valueM: number;
  readonly limitM: number;
  /** Standard uncertainty of the value, metres. */
  readonly sigmaM: number;
  /** `max` (default): the value must not exceed the limit; `min`: must not fall below. */
  readonly kind?: 'max' | 'min';
  /** Coverage factor of the expanded uncertainty U = k * sigma (default 2, about 95 %). */
  readonly coverageK?: number;
}

/** Everything the protocol shows. */
export interface MeasurementProtocol {
  /** Title, e.g. "Messprotokoll Gebäudehöhe". */
  readonly title: string;
  /** What was measured (address, building id, section name). */
  readonly subject?: string;
  /** When the protocol was made (default: now). */
  readonly createdAt?: Date | string;
  /** Date of the mobile-mapping drive (the data's acquisition date), e.g. "2026-05-04". */
  readonly driveDate: string;
  /** Data set / drive name. */
  readonly dataSource?: string;
  /** CRS text (default ETRS89 / UTM 32N (EPSG:25832), heights m NHN DHHN2016 (EPSG:7837)). */
  readonly crs?: string;
  readonly values: readonly ProtocolValue[];
  readonly reference?: MeasuredReference;
  /** Method description, one paragraph per entry. */
  readonly method: readonly string[];
  /** Overall standard uncertainty (1 sigma), metres, and how it was obtained. */
  readonly uncertainty: { readonly sigmaM: number; readonly note?: string };
  readonly limits?: readonly ProtocolLimit[];
  readonly warnings?: readonly string[];
  /** A `data:image/png|jpeg|webp;base64,...` URL of the view. */
  readonly screenshotDataUrl?: string;
  /** Link that reopens the view (http or https). */
  readonly viewUrl?: string;
  readonly operator?: string;
}

/** Default CRS text of the protocol. */
export const PROTOCOL_DEFAULT_CRS =
  'ETRS89 / UTM Zone 32N (EPSG:25832), Höhen m NHN im DHHN2016 (EPSG:7837)';

/** German descriptions of the reference kinds of issue 5. */
export const REFERENCE_LABELS: Readonly<Record<string, string>> = {
  'mean-terrain': 'Mittel aus höchstem und niedrigstem Geländepunkt entlang der Außenwände',
  'street-facade': 'Oberfläche der Straße bzw. des Gehwegs in der Mitte der straßenseitigen Fassade',
  'facade-terrain': 'Gelände in der Mitte der straßenseitigen Fassade',
  nhn: 'absoluter Höhenwert (m NHN)',
  point: 'gewählter Punkt',
};

/**
 * Three-way verdict by core/measure's judgeAgainstLimit (U = k * sigma): a maximum is `eingehalten` when
 * value + U <= limit, `überschritten` when value - U > limit, otherwise `innerhalb der Messunsicherheit`; a
 * minimum is judged as the maximum of the negated values.
 */
export function judgeLimit(limit: ProtocolLimit): Verdict {
  const opts = { coverage: limit.coverageK ?? 2 };
  return (limit.kind ?? 'max') === 'max'
    ? judgeAgainstLimit(limit.valueM, limit.limitM, limit.sigmaM, opts).verdict
    : judgeAgainstLimit(-limit.valueM, -limit.limitM, limit.sigmaM, opts).verdict;
}

const DATA_URL = /^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/** Writes the protocol as a complete HTML document (UTF-8, A4 print CSS, no external resources). */
export function writeProtocolHtml(p: MeasurementProtocol): string {
  const created = p.createdAt === undefined ? new Date() : new Date(p.createdAt);
  if (Number.isNaN(created.getTime())) throw new Error(`Invalid protocol createdAt: ${String(p.createdAt)}`);
  if (p.screenshotDataUrl !== undefined && !DATA_URL.test(p.screenshotDataUrl)) {
    throw new Error(`Invalid screenshot data URL: ${p.screenshotDataUrl.slice(0, 40)}...`);
  }
  if (p.viewUrl !== undefined && !/^https?:\/\//i.test(p.viewUrl)) throw new Error(`Invalid view link: ${p.viewUrl}`);
  const e = escapeXml;
  const num = (x: number, d = 3): string => formatFixed(x, d, ',');
  const label = (de: string, en?: string): string => (en ? `${e(de)} <span class="en">${e(en)}</span>` : e(de));
  const h: string[] = [];
  h.push('<!DOCTYPE html>', '<html lang="de">', '<head>', '<meta charset="utf-8">');
  h.push(`<title>${e(p.title)}</title>`);
  h.push(`<style>${PRINT_CSS}</style>`, '</head>', '<body>');
  h.push(`<h1>${e(p.title)}</h1>`);
  if (p.subject) h.push(`<p class="subject">${e(p.subject)}</p>`);

  h.push('<table class="meta">');
  const meta: [string, string, string][] = [
    ['Erstellt', 'created', created.toISOString().replace('T', ' ').slice(0, 19) + ' UTC'],
    ['Befahrungsdatum', 'drive date', p.driveDate],
    ['Koordinatenreferenzsystem', 'CRS', p.crs ?? PROTOCOL_DEFAULT_CRS],
  ];
  if (p.dataSource) meta.push(['Datengrundlage', 'data', p.dataSource]);
  if (p.operator) meta.push(['Bearbeitung', 'operator', p.operator]);
  for (const [de, en, v] of meta) h.push(`<tr><th>${label(de, en)}</th><td>${e(v)}</td></tr>`);
  if (p.viewUrl) h.push(`<tr><th>${label('Ansicht', 'view link')}</th><td><a href="${e(p.viewUrl)}">${e(p.viewUrl)}</a></td></tr>`);
  h.push('</table>');

  h.push(`<h2>${label('Messwerte', 'values')}</h2>`, '<table class="values">');
  h.push(`<tr><th>${label('Größe', 'quantity')}</th><th>${label('Wert', 'value')}</th><th>${label('Unsicherheit (1σ)', 'uncertainty')}</th></tr>`);
  for (const v of p.values) {
    const d = v.decimals ?? (v.unit.startsWith('m') ? 3 : 2);
    const val = finiteOrNull(v.value);
    const value = val === null ? '–' : `${num(val, d)} ${e(v.unit)}`;
    const sigma = v.sigma === undefined || val === null || !Number.isFinite(v.sigma) ? '' : `± ${num(v.sigma, d)} ${e(v.unit.startsWith('m') ? 'm' : v.unit)}`;
    h.push(`<tr><td>${label(v.label, v.labelEn)}</td><td class="num">${value}</td><td class="num">${sigma}</td></tr>`);
  }
  h.push('</table>');

  if (p.reference) {
    const r = p.reference;
    h.push(`<h2>${label('Bezugspunkt', 'height reference')}</h2>`, '<table class="meta">');
    h.push(`<tr><th>${label('Definition', 'definition')}</th><td>${e(REFERENCE_LABELS[r.kind] ?? r.kind)} (${e(r.kind)})</td></tr>`);
    const nhn = finiteOrNull(r.nhn);
    h.push(`<tr><th>${label('Höhe', 'height')}</th><td class="num">${nhn === null ? '–' : `${num(nhn)} m NHN`}</td></tr>`);
    if (r.at) h.push(`<tr><th>${label('Lage (E, N)', 'position')}</th><td class="num">${num(r.at[0])} / ${num(r.at[1])}</td></tr>`);
    h.push('</table>');
  }

  if (p.limits && p.limits.length > 0) {
    h.push(`<h2>${label('Prüfung gegen Festsetzungen', 'check against limits')}</h2>`, '<table class="values">');
    h.push(`<tr><th>${label('Größe', 'quantity')}</th><th>${label('Messwert', 'value')}</th><th>${label('Grenzwert', 'limit')}</th><th>${label('Erw. Unsicherheit', 'expanded uncertainty')}</th><th>${label('Ergebnis', 'verdict')}</th></tr>`);
    for (const l of p.limits) {
      const verdict = judgeLimit(l);
      const k = l.coverageK ?? 2;
      const cls = verdict === 'eingehalten' ? 'ok' : verdict === 'überschritten' ? 'bad' : 'open';
      const rel = (l.kind ?? 'max') === 'max' ? 'max.' : 'min.';
      h.push(
        `<tr><td>${e(l.label)}</td><td class="num">${num(l.valueM)} m</td><td class="num">${rel} ${num(l.limitM)} m</td>` +
          `<td class="num">± ${num(k * l.sigmaM)} m (k = ${num(k, 0)})</td><td class="verdict ${cls}">${e(verdict)}</td></tr>`,
      );
    }
    h.push('</table>');
  }

  h.push(`<h2>${label('Messunsicherheit', 'uncertainty')}</h2>`);
  const sigmaAll = finiteOrNull(p.uncertainty.sigmaM);
  h.push(`<p>Standardunsicherheit σ = ${sigmaAll === null ? '–' : num(sigmaAll)} m${p.uncertainty.note ? `; ${e(p.uncertainty.note)}` : ''}</p>`);

  h.push(`<h2>${label('Verfahren', 'method')}</h2>`);
  for (const m of p.method) h.push(`<p>${e(m)}</p>`);

  if (p.warnings && p.warnings.length > 0) {
    h.push(`<h2>${label('Hinweise', 'warnings')}</h2>`, '<ul class="warnings">');
    for (const w of p.warnings) h.push(`<li>${e(w)}</li>`);
    h.push('</ul>');
  }

  if (p.screenshotDataUrl) {
    h.push(`<h2>${label('Ansicht', 'screenshot')}</h2>`);
    h.push(`<figure><img src="${p.screenshotDataUrl}" alt="Ansicht der Messung"></figure>`);
  }
  h.push('</body>', '</html>');
  return h.join('\n') + '\n';
}

const PRINT_CSS = [
  '@page { size: A4 portrait; margin: 15mm 15mm 18mm 20mm; }',
  'body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #000; max-width: 180mm; margin: 0 auto; }',
  'h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 0.3mm solid #000; }',
  '.subject { font-size: 11pt; margin: 0 0 4mm; } .en { font-size: 7.5pt; color: #555; font-weight: normal; }',
  'table { border-collapse: collapse; width: 100%; } th, td { border: 0.2mm solid #888; padding: 1mm 2mm; text-align: left; vertical-align: top; }',
  'th { background: #eee; width: 35%; } .values th { width: auto; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }',
  '.verdict.ok { font-weight: bold; } .verdict.bad { font-weight: bold; text-decoration: underline; } .verdict.open { font-style: italic; }',
  'figure { margin: 0; } img { max-width: 100%; max-height: 110mm; border: 0.2mm solid #888; }',
  'table, figure, ul { break-inside: avoid; } h2 { break-after: avoid; }',
  '@media screen { body { margin: 10mm auto; } }',
].join('\n');

/** German names of the roof types. */
export const ROOF_TYPE_LABELS: Readonly<Record<string, string>> = {
  flat: 'Flachdach',
  shed: 'Pultdach',
  gable: 'Satteldach',
  hip: 'Walmdach',
  other: 'sonstige',
};

/** Metadata the protocol builders need besides the measurement. */
export interface ProtocolMeta {
  readonly driveDate: string;
  readonly createdAt?: Date | string;
  readonly subject?: string;
  readonly dataSource?: string;
  readonly screenshotDataUrl?: string;
  readonly viewUrl?: string;
  readonly operator?: string;
}

/** A building limit: which height it applies to and the limit, metres above the reference. */
export interface BuildingLimit {
  readonly label: string;
  readonly field: 'ridgeHeightM' | 'eaveHeightM';
  readonly limitM: number;
  readonly kind?: 'max' | 'min';
}

/** Protocol of a building height measurement (Firsthöhe, Traufhöhe, per eave line, roof planes). */
export function buildingProtocol(row: BuildingRow, meta: ProtocolMeta & { readonly limits?: readonly BuildingLimit[] }): MeasurementProtocol {
  const r = row.result;
  const s = r.sigmaM;
  const flat = r.roofType === 'flat';
  const values: ProtocolValue[] = [
    { label: flat ? 'Gebäudehöhe (OK Attika) über Bezugspunkt' : 'Firsthöhe über Bezugspunkt', labelEn: 'ridge height', value: r.ridgeHeightM, unit: 'm', sigma: s },
    { label: flat ? 'Oberkante Attika' : 'First', labelEn: 'ridge', value: r.ridgeNhn, unit: 'm NHN', sigma: s },
    { label: 'Traufhöhe über Bezugspunkt', labelEn: 'eave height', value: r.eaveHeightM, unit: 'm', sigma: s },
    { label: 'Traufpunkt (höchste Trauflinie)', labelEn: 'eave', value: r.eaveNhn, unit: 'm NHN', sigma: s },
  ];
  r.eaves.forEach((eave, i) => {
    values.push({ label: `Trauflinie ${i + 1} (Mittel)`, labelEn: `eave line ${i + 1}`, value: eave.nhn, unit: 'm NHN', sigma: eave.sigmaM });
  });
  r.planes.forEach((pl, i) => {
    values.push({ label: `Dachfläche ${i + 1}: Neigung`, labelEn: `roof plane ${i + 1} pitch`, value: pl.pitchDeg, unit: '°', decimals: 1 });
  });
  const limits: ProtocolLimit[] = [];
  for (const l of meta.limits ?? []) {
    const v = finiteOrNull(r[l.field]);
    if (v !== null && Number.isFinite(s)) limits.push({ label: l.label, valueM: v, limitM: l.limitM, sigmaM: s, kind: l.kind ?? 'max' });
  }
  return {
    title: 'Messprotokoll Gebäudehöhe',
    subject: meta.subject ?? `Gebäude ${row.id}`,
    createdAt: meta.createdAt,
    driveDate: meta.driveDate,
    dataSource: meta.dataSource,
    values,
    reference: r.reference,
    method: [
      `Punkte im Grundriss zuzüglich Puffer aus der Mobile-Mapping-Punktwolke in voller Auflösung (${r.pointsUsed} Punkte, mittlerer Punktabstand ${Number.isFinite(r.pointSpacingM) ? formatFixed(r.pointSpacingM, 3, ',') : '–'} m).`,
      'Wand- und Dachflächen als robust geschätzte Ebenen (Ausgleich auf den Inliern); Aufbauten wie Schornsteine und Antennen werden nicht berücksichtigt.',
      'Traufpunkt je Trauflinie als Schnitt der Außenwandebene mit der Dachhaut (BVerwG 4 B 28.22), nicht Rinne oder Überstand; First als höchster Punkt der Dachhaut, bei Flachdach Oberkante Attika.',
      `Dachform: ${ROOF_TYPE_LABELS[r.roofType] ?? r.roofType}.`,
    ],
    uncertainty: { sigmaM: s, note: 'aus Ebenenresiduen, Punktanzahl und Punktabstand' },
    limits,
    warnings: r.warnings,
    screenshotDataUrl: meta.screenshotDataUrl,
    viewUrl: meta.viewUrl,
    operator: meta.operator,
  };
}

/** Protocol of a street cross-section (Bordhöhen, Fahrbahnbreite, Querneigungen). */
export function sectionProtocol(section: CrossSection, meta: ProtocolMeta & { readonly from?: Point2; readonly to?: Point2 }): MeasurementProtocol {
  const values: ProtocolValue[] = [{ label: 'Länge des Schnitts', labelEn: 'section length', value: section.lengthM, unit: 'm' }];
  section.kerbs.forEach((k, i) => {
    values.push({ label: `Bordhöhe ${i + 1} (bei ${formatFixed(k.distM, 2, ',')} m)`, labelEn: `kerb ${i + 1} upstand`, value: k.heightM, unit: 'm', sigma: k.sigmaM });
    values.push({ label: `Rinne ${i + 1}`, labelEn: `gutter ${i + 1}`, value: k.gutterNhn, unit: 'm NHN' });
    values.push({ label: `Bordoberkante ${i + 1}`, labelEn: `kerb top ${i + 1}`, value: k.topNhn, unit: 'm NHN' });
  });
  const cw = section.carriageway;
  if (cw) {
    values.push({ label: 'Fahrbahnbreite', labelEn: 'carriageway width', value: cw.widthM, unit: 'm' });
    values.push({ label: 'Querneigung Fahrbahn (Seite Anfang)', labelEn: 'cross-fall near from', value: cw.crossfallPercent.nearFrom, unit: '%' });
    values.push({ label: 'Querneigung Fahrbahn (Seite Ende)', labelEn: 'cross-fall near to', value: cw.crossfallPercent.nearTo, unit: '%' });
  }
  for (const f of section.footpaths) {
    const side = f.side === 'from' ? 'Anfang' : 'Ende';
    values.push({ label: `Gehwegbreite (Seite ${side})`, labelEn: `footpath width (${f.side})`, value: f.widthM, unit: 'm' });
    values.push({ label: `Querneigung Gehweg (Seite ${side})`, labelEn: `footpath cross-fall (${f.side})`, value: f.crossfallPercent, unit: '%' });
  }
  const sigma = section.kerbs.length > 0 ? Math.max(...section.kerbs.map((k) => k.sigmaM)) : 0;
  const line = meta.from && meta.to ? ` von ${formatFixed(meta.from[0], 3, ',')} / ${formatFixed(meta.from[1], 3, ',')} nach ${formatFixed(meta.to[0], 3, ',')} / ${formatFixed(meta.to[1], 3, ',')}` : '';
  return {
    title: 'Messprotokoll Querprofil',
    subject: meta.subject,
    createdAt: meta.createdAt,
    driveDate: meta.driveDate,
    dataSource: meta.dataSource,
    values,
    method: [
      `Schnitt${line}; Punkte in einer Scheibe beiderseits der Schnittebene, projiziert auf (Abstand, Höhe); Darstellung unüberhöht.`,
      'Bodenlinie aus der untersten dichten Höhenlage je Abschnitt; Fahrzeuge, Personen und Bewuchs werden verworfen; längere Lücken werden nicht interpoliert.',
      'Bordhöhe = Bordoberkante minus Rinne, beide aus kurzen Ausgleichsgeraden beiderseits der Bordkante; Querneigungen aus Ausgleichsgeraden je Abschnitt.',
    ],
    uncertainty: { sigmaM: sigma, note: 'größte Standardabweichung der Bordhöhen aus den Ausgleichsgeraden' },
    warnings: section.warnings,
    screenshotDataUrl: meta.screenshotDataUrl,
    viewUrl: meta.viewUrl,
    operator: meta.operator,
  };
}

/** A spot height to protocol: what it is, where, and optionally the level it is compared with. */
export interface SpotProtocolInput {
  /** What was measured, e.g. "Oberkante Lichtschacht" or "Schwelle Hauseingang". */
  readonly what: string;
  readonly at: Point2;
  readonly spot: SpotHeight;
  /** The adjacent level (footpath, gutter) the spot is related to. */
  readonly relative?: { readonly what: string; readonly at: Point2; readonly spot: SpotHeight };
  /** Limit for the height difference spot - relative, metres (e.g. a rim at least 0.15 m above the footpath). */
  readonly limit?: { readonly label: string; readonly limitM: number; readonly kind: 'max' | 'min' };
}

/** Protocol of a spot height (light-well rim, step threshold) and its difference to the adjacent level. */
export function spotProtocol(input: SpotProtocolInput, meta: ProtocolMeta): MeasurementProtocol {
  const { spot, relative } = input;
  const f3 = (x: number): string => formatFixed(x, 3, ',');
  const values: ProtocolValue[] = [{ label: input.what, labelEn: 'spot height', value: spot.nhn, unit: 'm NHN', sigma: spot.sigmaM }];
  const limits: ProtocolLimit[] = [];
  let sigma = spot.sigmaM;
  if (relative) {
    const delta = spot.nhn - relative.spot.nhn;
    sigma = Math.hypot(spot.sigmaM, relative.spot.sigmaM);
    values.push({ label: relative.what, labelEn: 'reference level', value: relative.spot.nhn, unit: 'm NHN', sigma: relative.spot.sigmaM });
    values.push({ label: `Höhenunterschied zu ${relative.what}`, labelEn: 'height difference', value: delta, unit: 'm', sigma });
    if (input.limit && Number.isFinite(delta) && Number.isFinite(sigma)) {
      limits.push({ label: input.limit.label, valueM: delta, limitM: input.limit.limitM, sigmaM: sigma, kind: input.limit.kind });
    }
  }
  const where = (p: Point2): string => `${f3(p[0])} / ${f3(p[1])}`;
  return {
    title: 'Messprotokoll Punkthöhe',
    subject: meta.subject ?? `${input.what} bei ${where(input.at)}`,
    createdAt: meta.createdAt,
    driveDate: meta.driveDate,
    dataSource: meta.dataSource,
    values,
    method: [
      `Oberflächenhöhe bei E/N ${where(input.at)} aus ${spot.pointsUsed} Punkten (mittlerer Abstand ${Number.isFinite(spot.pointSpacingM) ? f3(spot.pointSpacingM) : '–'} m).`,
      'Verfahren: unterste dichte Höhenlage im Suchradius als Startwert, dann ausgleichende Ebene auf den Oberflächenpunkten, an der Stelle ausgewertet; nicht der tiefste Einzelpunkt.',
      ...(relative ? [`Bezugshöhe ${relative.what} bei E/N ${where(relative.at)} nach demselben Verfahren (${relative.spot.pointsUsed} Punkte).`] : []),
    ],
    uncertainty: { sigmaM: sigma, note: relative ? 'Unsicherheit des Höhenunterschieds aus beiden Punkthöhen' : 'aus den Ebenenresiduen und der Punktanzahl' },
    limits,
    warnings: [...spot.warnings, ...(relative ? relative.spot.warnings : [])],
    screenshotDataUrl: meta.screenshotDataUrl,
    viewUrl: meta.viewUrl,
    operator: meta.operator,
  };
}
