/**
 * A printable measurement protocol (Messprotokoll) as one self-contained HTML document: values with their
 * uncertainty, the height reference (Bezugspunkt) and where it was taken, the method, verdicts against entered
 * limits, the drive date, the CRS, an embedded screenshot and the link back to the view. German labels first
 * (English in small type), decimal comma, print CSS for A4 so "print to PDF" gives the file for the record.
 *
 * protocol-builders.ts fills the protocol from core/measure results (buildings, sections, spot heights); any
 * other measurement can pass its own values.
 *
 * @example
 * const html = writeProtocolHtml({ title: 'Messprotokoll Abstand', driveDate: '2026-05-04', values: [
 *   { label: 'Abstand', value: 12.345, unit: 'm', sigma: 0.01 }], method: ['...'], uncertainty: { sigmaM: 0.01 } });
 */
import type { CrossSection } from '../measure/cross-section.ts';
import { judgeAgainstLimit, type LimitVerdict } from '../measure/verdict.ts';
import { finiteOrNull, type MeasuredReference } from './building-record.ts';
import { writeSectionSvg, type SectionSvgOptions } from './section-svg.ts';
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
  /** A section drawn as SVG from its numbers (unexaggerated unless verticalExaggeration says otherwise). */
  readonly sectionFigure?: { readonly section: CrossSection; readonly options?: SectionSvgOptions };
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
  const th = (de: string, en?: string): string => `<th>${label(de, en)}</th>`;
  const td = (html: string, cls?: string): string => (cls ? `<td class="${cls}">${html}</td>` : `<td>${html}</td>`);
  const tr = (...cells: string[]): string => `<tr>${cells.join('')}</tr>`;
  const section = (de: string, en: string): string => `<h2>${label(de, en)}</h2>`;

  const h: string[] = ['<!DOCTYPE html>', '<html lang="de">', '<head>', '<meta charset="utf-8">'];
  h.push(`<title>${e(p.title)}</title>`, `<style>${PRINT_CSS}</style>`, '</head>', '<body>');
  h.push(`<h1>${e(p.title)}</h1>`);
  if (p.subject) h.push(`<p class="subject">${e(p.subject)}</p>`);

  h.push('<table class="meta">');
  h.push(tr(th('Erstellt', 'created'), td(created.toISOString().replace('T', ' ').slice(0, 19) + ' UTC')));
  h.push(tr(th('Befahrungsdatum', 'drive date'), td(e(p.driveDate))));
  h.push(tr(th('Koordinatenreferenzsystem', 'CRS'), td(e(p.crs ?? PROTOCOL_DEFAULT_CRS))));
  if (p.dataSource) h.push(tr(th('Datengrundlage', 'data'), td(e(p.dataSource))));
  if (p.operator) h.push(tr(th('Bearbeitung', 'operator'), td(e(p.operator))));
  if (p.viewUrl) h.push(tr(th('Ansicht', 'view link'), td(`<a href="${e(p.viewUrl)}">${e(p.viewUrl)}</a>`)));
  h.push('</table>');

  h.push(section('Messwerte', 'values'), '<table class="values">');
  h.push(tr(th('Größe', 'quantity'), th('Wert', 'value'), th('Unsicherheit (1σ)', 'uncertainty')));
  for (const v of p.values) {
    const d = v.decimals ?? (v.unit.startsWith('m') ? 3 : 2);
    const val = finiteOrNull(v.value);
    const sig = val === null ? null : finiteOrNull(v.sigma);
    const value = val === null ? '–' : `${num(val, d)} ${e(v.unit)}`;
    const sigma = sig === null ? '' : `± ${num(sig, d)} ${e(v.unit.startsWith('m') ? 'm' : v.unit)}`;
    h.push(tr(td(label(v.label, v.labelEn)), td(value, 'num'), td(sigma, 'num')));
  }
  h.push('</table>');

  if (p.sectionFigure) {
    // Note: the SVG is generated here from numbers (texts escaped), never taken from the caller as markup.
    h.push(section('Querprofil', 'section'));
    h.push(`<figure class="section">${writeSectionSvg(p.sectionFigure.section, p.sectionFigure.options)}</figure>`);
  }

  if (p.reference) {
    const r = p.reference;
    const nhn = finiteOrNull(r.nhn);
    h.push(section('Bezugspunkt', 'height reference'), '<table class="meta">');
    h.push(tr(th('Definition', 'definition'), td(`${e(REFERENCE_LABELS[r.kind] ?? r.kind)} (${e(r.kind)})`)));
    h.push(tr(th('Höhe', 'height'), td(nhn === null ? '–' : `${num(nhn)} m NHN`, 'num')));
    if (r.at) h.push(tr(th('Lage (E, N)', 'position'), td(`${num(r.at[0])} / ${num(r.at[1])}`, 'num')));
    h.push('</table>');
  }

  if (p.limits && p.limits.length > 0) {
    h.push(section('Prüfung gegen Festsetzungen', 'check against limits'), '<table class="values">');
    h.push(
      tr(
        th('Größe', 'quantity'),
        th('Messwert', 'value'),
        th('Grenzwert', 'limit'),
        th('Erw. Unsicherheit', 'expanded uncertainty'),
        th('Ergebnis', 'verdict'),
      ),
    );
    for (const l of p.limits) {
      const verdict = judgeLimit(l);
      const k = l.coverageK ?? 2;
      const cls = verdict === 'eingehalten' ? 'ok' : verdict === 'überschritten' ? 'bad' : 'open';
      const rel = (l.kind ?? 'max') === 'max' ? 'max.' : 'min.';
      h.push(
        tr(
          td(e(l.label)),
          td(`${num(l.valueM)} m`, 'num'),
          td(`${rel} ${num(l.limitM)} m`, 'num'),
          td(`± ${num(k * l.sigmaM)} m (k = ${num(k, 0)})`, 'num'),
          td(e(verdict), `verdict ${cls}`),
        ),
      );
    }
    h.push('</table>');
  }

  h.push(section('Messunsicherheit', 'uncertainty'));
  const sigmaAll = finiteOrNull(p.uncertainty.sigmaM);
  const note = p.uncertainty.note ? `; ${e(p.uncertainty.note)}` : '';
  h.push(`<p>Standardunsicherheit σ = ${sigmaAll === null ? '–' : num(sigmaAll)} m${note}</p>`);

  h.push(section('Verfahren', 'method'));
  for (const m of p.method) h.push(`<p>${e(m)}</p>`);

  if (p.warnings && p.warnings.length > 0) {
    h.push(section('Hinweise', 'warnings'), '<ul class="warnings">');
    for (const w of p.warnings) h.push(`<li>${e(w)}</li>`);
    h.push('</ul>');
  }

  if (p.screenshotDataUrl) {
    h.push(section('Ansicht', 'screenshot'));
    h.push(`<figure><img src="${p.screenshotDataUrl}" alt="Ansicht der Messung"></figure>`);
  }
  h.push('</body>', '</html>');
  return h.join('\n') + '\n';
}

const PRINT_CSS = [
  '@page { size: A4 portrait; margin: 15mm 15mm 18mm 20mm; }',
  'body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #000; max-width: 180mm;',
  '  margin: 0 auto; }',
  'h1 { font-size: 16pt; margin: 0 0 2mm; }',
  'h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 0.3mm solid #000; }',
  '.subject { font-size: 11pt; margin: 0 0 4mm; } .en { font-size: 7.5pt; color: #555; font-weight: normal; }',
  'table { border-collapse: collapse; width: 100%; }',
  'th, td { border: 0.2mm solid #888; padding: 1mm 2mm; text-align: left; vertical-align: top; }',
  'th { background: #eee; width: 35%; } .values th { width: auto; }',
  'td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }',
  '.verdict.ok { font-weight: bold; } .verdict.bad { font-weight: bold; text-decoration: underline; }',
  '.verdict.open { font-style: italic; }',
  'figure { margin: 0; } img { max-width: 100%; max-height: 110mm; border: 0.2mm solid #888; }',
  'figure.section svg { max-width: 100%; height: auto; }',
  'table, figure, ul { break-inside: avoid; } h2 { break-after: avoid; }',
  '@media screen { body { margin: 10mm auto; } }',
].join('\n');
