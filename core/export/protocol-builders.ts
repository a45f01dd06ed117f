/**
 * Measurement protocols filled from core/measure results: building heights (Firsthöhe, Traufhöhe per eave
 * line, roof planes, limits), street cross-sections (Bordhöhen, widths, cross-falls) and spot heights (light-well
 * rims, thresholds, relative to the footpath or gutter). protocol-html.ts `writeProtocolHtml` renders them.
 *
 * @example
 * const html = writeProtocolHtml(buildingProtocol(row, { driveDate: '2026-05-04', createdAt: new Date(),
 *   limits: [{ label: 'Traufhöhe', field: 'eaveHeightM', limitM: 6.5 }] }));
 */
import type { Point2 } from '../geometry/point3.ts';
import type { CrossSection } from '../measure/cross-section.ts';
import { spotDifferenceSigma, type SpotHeight } from '../measure/spot-height.ts';
import { formatWarning, WARNING_CONTEXTS_DE, WARNING_FORMAT_DE, type MeasureWarning } from '../measure/warnings.ts';
import { finiteOrNull, type BuildingRow } from './building-record.ts';
import type { MeasurementProtocol, ProtocolLimit, ProtocolValue } from './protocol-html.ts';
import { fitSectionScale } from './section-svg.ts';
import { formatFixed } from './text-format.ts';

/** The protocol is German: warnings with codes in German, older plain texts as they are. */
function germanWarnings(texts: readonly string[], details: readonly MeasureWarning[] | undefined): string[] {
  return details ? details.map((w) => formatWarning(w, WARNING_FORMAT_DE)) : [...texts];
}

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

/** A value row (German label, English label, value, unit, 1-sigma, decimals). */
function val(
  label: string,
  labelEn: string,
  value: number | null,
  unit: string,
  sigma?: number,
  decimals?: number,
): ProtocolValue {
  return { label, labelEn, value, unit, sigma, decimals };
}

/** Decimal-comma metres. */
function f3(x: number): string {
  return Number.isFinite(x) ? formatFixed(x, 3, ',') : '–';
}

/** "E / N" with decimal commas. */
function where(p: Point2): string {
  return `${f3(p[0])} / ${f3(p[1])}`;
}

function metaFields(meta: ProtocolMeta): Pick<
  MeasurementProtocol,
  'createdAt' | 'driveDate' | 'dataSource' | 'screenshotDataUrl' | 'viewUrl' | 'operator'
> {
  const { createdAt, driveDate, dataSource, screenshotDataUrl, viewUrl, operator } = meta;
  return { createdAt, driveDate, dataSource, screenshotDataUrl, viewUrl, operator };
}

/** Protocol of a building height measurement (Firsthöhe, Traufhöhe, per eave line, roof planes, limits). */
export function buildingProtocol(
  row: BuildingRow,
  meta: ProtocolMeta & { readonly limits?: readonly BuildingLimit[] },
): MeasurementProtocol {
  const r = row.result;
  const s = r.sigmaM;
  // Absolute heights carry the stated accuracy of the data set as well (sigmaNhnM); older results lack it.
  const sNhn = finiteOrNull(r.sigmaNhnM) ?? s;
  const flat = r.roofType === 'flat';
  const values: ProtocolValue[] = [
    val(`${flat ? 'Gebäudehöhe (OK Attika)' : 'Firsthöhe'} über Bezugspunkt`, 'ridge height', r.ridgeHeightM, 'm', s),
    val(flat ? 'Oberkante Attika' : 'First', 'ridge', r.ridgeNhn, 'm NHN', sNhn),
    val('Traufhöhe über Bezugspunkt', 'eave height', r.eaveHeightM, 'm', s),
    val('Traufpunkt (höchste Trauflinie)', 'eave', r.eaveNhn, 'm NHN', sNhn),
  ];
  r.eaves.forEach((eave, i) => {
    values.push(val(`Trauflinie ${i + 1} (Mittel)`, `eave line ${i + 1}`, eave.nhn, 'm NHN', eave.sigmaM));
  });
  r.planes.forEach((pl, i) => {
    values.push(val(`Dachfläche ${i + 1}: Neigung`, `roof plane ${i + 1} pitch`, pl.pitchDeg, '°', undefined, 1));
  });
  const limits: ProtocolLimit[] = [];
  for (const l of meta.limits ?? []) {
    const v = finiteOrNull(r[l.field]);
    if (v === null || !Number.isFinite(s)) continue;
    limits.push({ label: l.label, valueM: v, limitM: l.limitM, sigmaM: s, kind: l.kind ?? 'max' });
  }
  return {
    ...metaFields(meta),
    title: 'Messprotokoll Gebäudehöhe',
    subject: meta.subject ?? `Gebäude ${row.id}`,
    values,
    reference: r.reference,
    method: [
      'Punkte im Grundriss zuzüglich Puffer aus der Mobile-Mapping-Punktwolke in voller Auflösung ' +
        `(${r.pointsUsed} Punkte, mittlerer Punktabstand ${f3(r.pointSpacingM)} m).`,
      'Wand- und Dachflächen als robust geschätzte Ebenen (Ausgleich auf den Inliern); Aufbauten wie ' +
        'Schornsteine und Antennen werden nicht berücksichtigt.',
      'Traufpunkt je Trauflinie als Schnitt der Außenwandebene mit der Dachhaut (BVerwG 4 B 28.22), nicht Rinne ' +
        'oder Überstand; First als höchster Punkt der Dachhaut, bei Flachdach Oberkante Attika.',
      `Dachform: ${ROOF_TYPE_LABELS[r.roofType] ?? r.roofType}.`,
    ],
    uncertainty: {
      sigmaM: s,
      note:
        'Höhen über Bezugspunkt: aus Ebenenresiduen, Punktanzahl und Punktabstand sowie dem Höhenversatz der ' +
        'Scannerfahrten (aus den Daten geschätzt); absolute NHN-Höhen zusätzlich mit der angegebenen Genauigkeit ' +
        `des Datensatzes (σ NHN ${f3(sNhn)} m)`,
    },
    limits,
    warnings: germanWarnings(r.warnings, r.warningDetails),
  };
}

/** Protocol of a street cross-section (Bordhöhen, Fahrbahnbreite, Querneigungen). */
export function sectionProtocol(
  section: CrossSection,
  meta: ProtocolMeta & { readonly from?: Point2; readonly to?: Point2; readonly verticalExaggeration?: number },
): MeasurementProtocol {
  const values: ProtocolValue[] = [val('Länge des Schnitts', 'section length', section.lengthM, 'm')];
  section.kerbs.forEach((k, i) => {
    const at = formatFixed(k.distM, 2, ',');
    values.push(val(`Bordhöhe ${i + 1} (bei ${at} m)`, `kerb ${i + 1} upstand`, k.heightM, 'm', k.sigmaM));
    values.push(val(`Rinne ${i + 1}`, `gutter ${i + 1}`, k.gutterNhn, 'm NHN'));
    values.push(val(`Bordoberkante ${i + 1}`, `kerb top ${i + 1}`, k.topNhn, 'm NHN'));
  });
  const cw = section.carriageway;
  if (cw) {
    values.push(val('Fahrbahnbreite', 'carriageway width', cw.widthM, 'm'));
    values.push(val('Querneigung Fahrbahn (Seite Anfang)', 'cross-fall near from', cw.crossfallPercent.nearFrom, '%'));
    values.push(val('Querneigung Fahrbahn (Seite Ende)', 'cross-fall near to', cw.crossfallPercent.nearTo, '%'));
  }
  for (const f of section.footpaths) {
    const side = f.side === 'from' ? 'Anfang' : 'Ende';
    values.push(val(`Gehwegbreite (Seite ${side})`, `footpath width (${f.side})`, f.widthM, 'm'));
    values.push(val(`Querneigung Gehweg (Seite ${side})`, `footpath cross-fall (${f.side})`, f.crossfallPercent, '%'));
  }
  const sigma = section.kerbs.length > 0 ? Math.max(...section.kerbs.map((k) => k.sigmaM)) : 0;
  const line = meta.from && meta.to ? ` von ${where(meta.from)} nach ${where(meta.to)}` : '';
  return {
    ...metaFields(meta),
    title: 'Messprotokoll Querprofil',
    subject: meta.subject,
    values,
    sectionFigure: {
      section,
      options: { scale: fitSectionScale(section.lengthM), verticalExaggeration: meta.verticalExaggeration ?? 1 },
    },
    method: [
      `Schnitt${line}; Punkte in einer Scheibe beiderseits der Schnittebene, projiziert auf (Abstand, Höhe); ` +
        'Darstellung unüberhöht.',
      'Bodenlinie aus der untersten dichten Höhenlage je Abschnitt; Fahrzeuge, Personen und Bewuchs werden ' +
        'verworfen; längere Lücken werden nicht interpoliert.',
      'Bordhöhe = Bordoberkante minus Rinne, beide aus kurzen Ausgleichsgeraden beiderseits der Bordkante; ' +
        'Querneigungen aus Ausgleichsgeraden je Abschnitt.',
    ],
    uncertainty: { sigmaM: sigma, note: 'größte Standardabweichung der Bordhöhen aus den Ausgleichsgeraden' },
    warnings: germanWarnings(section.warnings, section.warningDetails),
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
  const values: ProtocolValue[] = [val(input.what, 'spot height', spot.nhn, 'm NHN', spot.sigmaM)];
  const limits: ProtocolLimit[] = [];
  const method = [
    `Oberflächenhöhe bei E/N ${where(input.at)} aus ${spot.pointsUsed} Punkten (mittlerer Abstand ` +
      `${f3(spot.pointSpacingM)} m).`,
    'Verfahren: unterste dichte Höhenlage im Suchradius als Startwert, dann ausgleichende Ebene auf den ' +
      'Oberflächenpunkten, an der Stelle ausgewertet; nicht der tiefste Einzelpunkt.',
  ];
  let sigma = spot.sigmaM;
  if (relative) {
    const delta = spot.nhn - relative.spot.nhn;
    // Note: both spots come from the same drive: the stated absolute accuracy cancels, and the passes' offset
    // only as far as the two spots were seen by the same passes.
    sigma = spotDifferenceSigma(spot, relative.spot);
    values.push(val(relative.what, 'reference level', relative.spot.nhn, 'm NHN', relative.spot.sigmaM));
    values.push(val(`Höhenunterschied zu ${relative.what}`, 'height difference', delta, 'm', sigma));
    if (input.limit && Number.isFinite(delta) && Number.isFinite(sigma)) {
      const { label, limitM, kind } = input.limit;
      limits.push({ label, valueM: delta, limitM, sigmaM: sigma, kind });
    }
    method.push(`Bezugshöhe ${relative.what} bei E/N ${where(relative.at)} nach demselben Verfahren ` +
      `(${relative.spot.pointsUsed} Punkte).`);
  }
  return {
    ...metaFields(meta),
    title: 'Messprotokoll Punkthöhe',
    subject: meta.subject ?? `${input.what} bei ${where(input.at)}`,
    values,
    method,
    uncertainty: {
      sigmaM: sigma,
      note: relative
        ? 'Unsicherheit des Höhenunterschieds aus beiden Punkthöhen'
        : 'aus den Ebenenresiduen und der Punktanzahl',
    },
    limits,
    warnings: [
      ...germanWarnings(spot.warnings, spot.warningDetails),
      ...(relative ? germanWarnings(relative.spot.warnings, relative.spot.warningDetails).map((w) => `${WARNING_CONTEXTS_DE['relative-to']}: ${w}`) : []),
    ],
  };
}
