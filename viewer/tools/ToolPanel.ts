/**
 * The measuring panel: tool choice, parameters (slab width, cut spacing, buffer, reference, limits), coordinate
 * entry, the pick list with each pick's point spacing and warnings, the results (every value in an element with
 * `data-value`), the limit verdicts and the export buttons. It holds a ToolState (tool-state.ts) and turns DOM
 * events into tool events; the numbers come from tool-geometry.ts (picks only) or from the measure client
 * (full-resolution points in a worker). Drawing in 3D is the overlay's job (ToolOverlay.ts).
 *
 * The page reports the panel's phase in `document.body.dataset.toolPhase` (`picking`, `complete`, `measuring`,
 * `measured`, `failed`) for tests and scripts.
 */
import { buildingProtocol, sectionProtocol, spotProtocol, type ProtocolMeta } from '../../core/export/protocol-builders.ts';
import { exportersFor, getExporter } from '../../core/export/registry.ts';
import type { Exporter } from '../../core/export/exporter.ts';
import type { BuildingRow } from '../../core/export/building-record.ts';
import type { Point2, Point3 } from '../../core/geometry/point3.ts';
import type { BuildingReference } from '../../core/measure/building-height.ts';
import type { MeasureWarning } from '../../core/measure/warnings.ts';
import { judgeAgainstLimit } from '../../core/measure/verdict.ts';
import type { BuildingResult, ClipFormat, ClipResult, MeasureInput, PickCheck, SectionResult, SpotResult } from '../../workers/measure-api.ts';
import type { MeasureClient } from '../../workers/measure-client.ts';
import { ProfilePanel } from '../profile/ProfilePanel.ts';
import { downloadFile, runExport } from './downloads.ts';
import { formatMetres, formatNumber, formatPoint, formatSigned, parseCoordinateList, parseNumber } from './format.ts';
import { areaValues, distanceValues, planOf, polylineValues } from './tool-geometry.ts';
import { canFinish, getToolSpec, reduceTool, selectTool, TOOL_SPECS, type ToolEvent, type ToolKind, type ToolState } from './tool-state.ts';
import { exporterLabel, toolLabel, toolText, warningText, type ToolLanguage, type ToolTextKey } from './tool-texts.ts';

/** One shown value: a stable key (the element's data-value), its label and its text. */
export interface ValueRow {
  readonly key: string;
  readonly label: string;
  readonly text: string;
  /** The number behind the text (full precision), when there is one. */
  readonly raw?: number;
}

/** What a measurement produced (kept to redraw texts on a language switch and for the exports). */
export type ToolResult =
  | { readonly kind: 'spot'; readonly spot: SpotResult }
  | { readonly kind: 'building'; readonly building: BuildingResult }
  | { readonly kind: 'section'; readonly sections: readonly SectionResult[]; readonly index: number }
  | { readonly kind: 'clip'; readonly clip: ClipResult };

/** Listeners of the panel (the overlay draws from them). */
export interface ToolPanelEvents {
  onChange?(state: ToolState, result: ToolResult | undefined): void;
}

/** Options of {@link ToolPanel}. */
export interface ToolPanelOptions extends ToolPanelEvents {
  readonly client: MeasureClient;
  /** The point cloud measured (the first visible source): its absolute URL, or the local File it was opened from. */
  readonly dataSource: () => MeasureInput | undefined;
  readonly language: ToolLanguage;
  /** Protocol metadata (drive date, view link). */
  readonly protocolMeta?: () => Partial<ProtocolMeta>;
}

const REFERENCE_KINDS = ['mean-terrain', 'street-facade', 'facade-terrain', 'nhn', 'point'] as const;
const CLIP_FORMATS: readonly ClipFormat[] = ['las', 'laz'];

function el<K extends keyof HTMLElementTagNameMap>(name: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** The measuring panel (DOM). */
export class ToolPanel {
  readonly isToolPanel = true;
  readonly element: HTMLElement;
  readonly profile: ProfilePanel;
  private state: ToolState = selectTool('point');
  private result: ToolResult | undefined;
  private checks: (PickCheck | undefined)[] = [];
  private language: ToolLanguage;
  private message: { key: ToolTextKey; params?: Record<string, string | number> } | undefined;
  private readonly ui;

  constructor(private readonly options: ToolPanelOptions) {
    this.language = options.language;
    this.profile = new ProfilePanel(this.language);
    const input = (id: string, value: string, extra: Record<string, string> = {}): HTMLInputElement =>
      el('input', { id, value, inputmode: 'decimal', autocomplete: 'off', size: '8', ...extra });
    const ui = {
      title: el('h2'),
      toolLabel: el('label', { for: 'tv-tool' }),
      tool: el('select', { id: 'tv-tool', 'data-control': 'tool' }),
      hint: el('p', { class: 'tv-hint' }),
      params: el('div', { class: 'tv-params' }),
      halfWidthLabel: el('label', { for: 'tv-half-width' }),
      halfWidth: input('tv-half-width', '0.1', { 'data-control': 'half-width' }),
      stepLabel: el('label', { for: 'tv-step' }),
      step: input('tv-step', '10', { 'data-control': 'step' }),
      halfLengthLabel: el('label', { for: 'tv-half-length' }),
      halfLength: input('tv-half-length', '7.5', { 'data-control': 'half-length' }),
      bufferLabel: el('label', { for: 'tv-buffer' }),
      buffer: input('tv-buffer', '1.0', { 'data-control': 'buffer' }),
      accuracyLabel: el('label', { for: 'tv-accuracy' }),
      accuracy: input('tv-accuracy', '', { 'data-control': 'accuracy' }),
      referenceLabel: el('label', { for: 'tv-reference' }),
      reference: el('select', { id: 'tv-reference', 'data-control': 'reference' }),
      referenceValueLabel: el('label', { for: 'tv-reference-value' }),
      referenceValue: input('tv-reference-value', '', { 'data-control': 'reference-value', size: '24' }),
      limitRidgeLabel: el('label', { for: 'tv-limit-ridge' }),
      limitRidge: input('tv-limit-ridge', '', { 'data-control': 'limit-ridge' }),
      limitEaveLabel: el('label', { for: 'tv-limit-eave' }),
      limitEave: input('tv-limit-eave', '', { 'data-control': 'limit-eave' }),
      clipFormatLabel: el('label', { for: 'tv-clip-format' }),
      clipFormat: el('select', { id: 'tv-clip-format', 'data-control': 'clip-format' }),
      coordsLabel: el('label', { for: 'tv-coords' }),
      coords: el('textarea', { id: 'tv-coords', rows: '3', cols: '30', 'data-control': 'coordinates', spellcheck: 'false' }),
      add: el('button', { type: 'button', 'data-action': 'add' }),
      picksTitle: el('h3'),
      picks: el('ol', { class: 'tv-picks', 'data-list': 'picks' }),
      undo: el('button', { type: 'button', 'data-action': 'undo' }),
      finish: el('button', { type: 'button', 'data-action': 'finish' }),
      clear: el('button', { type: 'button', 'data-action': 'clear' }),
      measure: el('button', { type: 'button', 'data-action': 'measure' }),
      status: el('p', { role: 'status', 'aria-live': 'polite', 'data-list': 'status' }),
      values: el('dl', { class: 'tv-values', 'data-list': 'values' }),
      warningsTitle: el('h3'),
      warnings: el('ul', { class: 'tv-warnings', 'data-list': 'warnings' }),
      exportsTitle: el('h3'),
      exports: el('div', { class: 'tv-exports', 'data-list': 'exports' }),
    };
    this.ui = ui;
    for (const spec of TOOL_SPECS) ui.tool.append(el('option', { value: spec.kind }));
    for (const kind of REFERENCE_KINDS) ui.reference.append(el('option', { value: kind }));
    for (const format of CLIP_FORMATS) ui.clipFormat.append(el('option', { value: format }));
    const row = (...children: Node[]): HTMLElement => el('div', { class: 'tv-row' }, ...children);
    ui.params.append(
      row(ui.halfWidthLabel, ui.halfWidth),
      row(ui.stepLabel, ui.step),
      row(ui.halfLengthLabel, ui.halfLength),
      row(ui.bufferLabel, ui.buffer),
      row(ui.accuracyLabel, ui.accuracy),
      row(ui.referenceLabel, ui.reference),
      row(ui.referenceValueLabel, ui.referenceValue),
      row(ui.limitRidgeLabel, ui.limitRidge),
      row(ui.limitEaveLabel, ui.limitEave),
      row(ui.clipFormatLabel, ui.clipFormat),
    );
    this.element = el(
      'aside',
      { id: 'tools', class: 'tv-tools', 'data-panel': 'tools' },
      ui.title,
      row(ui.toolLabel, ui.tool),
      ui.hint,
      ui.params,
      ui.coordsLabel,
      ui.coords,
      row(ui.add),
      ui.picksTitle,
      ui.picks,
      row(ui.undo, ui.finish, ui.clear, ui.measure),
      ui.status,
      ui.values,
      ui.warningsTitle,
      ui.warnings,
      ui.exportsTitle,
      ui.exports,
    );

    ui.tool.addEventListener('change', () => this.select(ui.tool.value as ToolKind));
    ui.add.addEventListener('click', () => this.addTyped());
    // Ctrl+Enter in the coordinate field adds the typed points (Enter alone starts a new line).
    ui.coords.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.addTyped();
      }
    });
    ui.undo.addEventListener('click', () => this.dispatch({ type: 'undo' }));
    ui.finish.addEventListener('click', () => this.dispatch({ type: 'finish' }));
    ui.clear.addEventListener('click', () => this.dispatch({ type: 'clear' }));
    ui.measure.addEventListener('click', () => this.dispatch({ type: 'measure' }));
    ui.reference.addEventListener('change', () => this.render());
    for (const limit of [ui.limitRidge, ui.limitEave]) limit.addEventListener('input', () => this.renderResult());
    this.render();
  }

  /** The tool's state. */
  get toolState(): ToolState {
    return this.state;
  }

  /** The last measurement. */
  get lastResult(): ToolResult | undefined {
    return this.result;
  }

  /** Switches to a fresh tool. */
  select(kind: ToolKind): void {
    this.state = selectTool(kind);
    this.result = undefined;
    this.checks = [];
    this.message = undefined;
    this.profile.show(undefined);
    this.render();
  }

  setLanguage(language: ToolLanguage): void {
    this.language = language;
    this.profile.setLanguage(language);
    // The profile's title names the cut in the panel's language: show it again.
    this.profileShown = undefined;
    this.render();
  }

  /**
   * A pick (world E, N, H); its support in the full-resolution points is checked in the worker. With `snap` (a
   * click in the view) the pick then moves to the nearest full-resolution point, so values come from the file's
   * own coordinates, not from a display node or the ray.
   */
  pick(at: Point3, options: { snap?: boolean } = {}): void {
    const before = this.state.picks.length;
    this.dispatch({ type: 'pick', at });
    if (this.state.picks.length === before + 1) this.checkSupport(before, at, options.snap ?? false);
  }

  private checkSupport(index: number, at: Point3, snap: boolean): void {
    const url = this.options.dataSource();
    if (!url || !Number.isFinite(at[2])) return;
    this.options.client.checkPick(url, at).then(
      (check) => {
        if (this.state.picks[index] !== at) return;
        this.checks[index] = check;
        if (snap && check.snapped && this.state.phase !== 'measuring') {
          this.state = reduceTool(this.state, { type: 'move', index, at: check.snapped });
          if (this.state.phase === 'complete' && getToolSpec(this.state.kind).async) this.dispatch({ type: 'measure' });
        }
        this.render();
      },
      () => undefined,
    );
  }

  /** Adds the typed coordinates as picks. */
  addTyped(): void {
    let points: Point3[];
    try {
      points = parseCoordinateList(this.ui.coords.value);
    } catch (error) {
      this.message = { key: 'failed', params: { message: error instanceof Error ? error.message : String(error) } };
      this.render();
      return;
    }
    this.message = undefined;
    for (const p of points) {
      try {
        this.pick(p);
      } catch (error) {
        this.message = { key: 'failed', params: { message: error instanceof Error ? error.message : String(error) } };
        break;
      }
    }
    this.ui.coords.value = '';
    // Open tools with enough typed corners complete right away (a typed footprint is a whole footprint).
    if (points.length >= 2 && canFinish(this.state)) this.dispatch({ type: 'finish' });
    this.render();
  }

  /** Applies a tool event; a tool that becomes complete and needs the points is measured at once. */
  dispatch(event: ToolEvent): void {
    const before = this.state;
    this.state = reduceTool(this.state, event);
    if (event.type === 'undo' || event.type === 'clear') {
      this.checks = this.checks.slice(0, this.state.picks.length);
      this.result = undefined;
      this.profile.show(undefined);
    }
    if (before.phase === 'picking' && this.state.phase === 'complete' && getToolSpec(this.state.kind).async) {
      this.state = reduceTool(this.state, { type: 'measure' });
    }
    if (this.state.phase === 'measuring' && before.request !== this.state.request) void this.runMeasurement(this.state);
    this.render();
  }

  private number(input: HTMLInputElement, fallback: number): number {
    const v = parseNumber(input.value);
    return Number.isFinite(v) ? v : fallback;
  }

  /** The entered absolute accuracy of the drive (1 sigma, metres) as request fields; none when empty or invalid. */
  private accuracyOf(): { accuracyM?: number } {
    const v = parseNumber(this.ui.accuracy.value);
    return Number.isFinite(v) && v >= 0 && v <= 1 ? { accuracyM: v } : {};
  }

  private referenceOf(): BuildingReference {
    const kind = this.ui.reference.value as (typeof REFERENCE_KINDS)[number];
    const text = this.ui.referenceValue.value.trim();
    if (kind === 'mean-terrain') return { kind };
    if (kind === 'nhn') {
      const nhn = parseNumber(text);
      if (!Number.isFinite(nhn)) throw new Error(toolText(this.language, 'invalidNumber', { value: text }));
      return { kind, nhn };
    }
    const [p] = parseCoordinateList(text);
    if (!p) throw new Error(toolText(this.language, 'invalidNumber', { value: text }));
    const at: Point2 = [p[0], p[1]];
    return kind === 'point' ? { kind, at } : { kind, street: at };
  }

  private async runMeasurement(state: ToolState): Promise<void> {
    const url = this.options.dataSource();
    const client = this.options.client;
    const plan = planOf(state.picks);
    try {
      if (!url) throw new Error('no point cloud loaded');
      let result: ToolResult;
      switch (state.kind) {
        case 'spot':
        case 'spot-relative':
          result = { kind: 'spot', spot: await client.spotHeight(url, { at: plan[0]!, ...(plan[1] ? { relativeTo: plan[1] } : {}), ...this.accuracyOf() }) };
          break;
        case 'building':
          result = {
            kind: 'building',
            building: await client.measureBuilding(url, {
              footprint: plan,
              bufferM: this.number(this.ui.buffer, 1),
              reference: this.referenceOf(),
              ...this.accuracyOf(),
            }),
          };
          break;
        case 'section':
          result = { kind: 'section', sections: [await client.cutSection(url, { from: plan[0]!, to: plan[1]!, halfWidthM: this.number(this.ui.halfWidth, 0.1) })], index: 0 };
          break;
        case 'section-axis':
          result = {
            kind: 'section',
            sections: await client.cutSectionSeries(url, {
              from: plan[0]!,
              to: plan[1]!,
              stepM: this.number(this.ui.step, 10),
              halfLengthM: this.number(this.ui.halfLength, 7.5),
              halfWidthM: this.number(this.ui.halfWidth, 0.1),
            }),
            index: 0,
          };
          break;
        case 'clip-box':
        case 'clip-polygon':
          result = { kind: 'clip', clip: await client.clipLas(url, { ring: plan, format: this.ui.clipFormat.value as ClipFormat }) };
          break;
        default:
          return;
      }
      if (this.state.request !== state.request || this.state.kind !== state.kind) return;
      this.result = result;
      this.message = undefined;
      document.body.dataset.toolsMeasureMode = client.mode;
      this.state = reduceTool(this.state, { type: 'measured', request: state.request });
    } catch (error) {
      if (this.state.request !== state.request) return;
      const message = error instanceof Error ? error.message : String(error);
      this.message = { key: 'failed', params: { message } };
      this.state = reduceTool(this.state, { type: 'failed', request: state.request, message });
    }
    this.render();
  }

  // ---- rendering -----------------------------------------------------------------------------------------------

  private t(key: ToolTextKey, params?: Record<string, string | number>): string {
    return toolText(this.language, key, params);
  }

  private render(): void {
    const { ui, state } = this;
    const kind = state.kind;
    ui.title.textContent = this.t('panelTitle');
    ui.toolLabel.textContent = this.t('toolGroup');
    ui.tool.value = kind;
    for (const option of ui.tool.options) option.textContent = toolLabel(this.language, option.value as ToolKind);
    ui.hint.textContent = this.t(
      kind === 'spot-relative' ? 'hint_spotRelative' : kind === 'building' ? 'hint_building' : kind === 'section' ? 'hint_section' : kind === 'section-axis' ? 'hint_axis' : 'hint_picking',
    );
    const show = (label: HTMLElement, on: boolean): void => {
      (label.parentElement as HTMLElement).hidden = !on;
    };
    ui.halfWidthLabel.textContent = this.t('halfWidth');
    ui.stepLabel.textContent = this.t('cutStep');
    ui.halfLengthLabel.textContent = this.t('cutHalfLength');
    ui.bufferLabel.textContent = this.t('buffer');
    ui.accuracyLabel.textContent = this.t('accuracy');
    ui.referenceLabel.textContent = this.t('reference');
    const refKind = ui.reference.value;
    ui.referenceValueLabel.textContent = this.t(refKind === 'nhn' ? 'ref_nhn' : refKind === 'point' ? 'ref_point' : 'streetPoint');
    for (const option of ui.reference.options) option.textContent = this.t(`ref_${option.value.replace(/-/g, '_')}` as ToolTextKey);
    ui.limitRidgeLabel.textContent = this.t('limitRidge');
    ui.limitEaveLabel.textContent = this.t('limitEave');
    const section = kind === 'section' || kind === 'section-axis';
    show(ui.halfWidthLabel, section);
    show(ui.stepLabel, kind === 'section-axis');
    show(ui.halfLengthLabel, kind === 'section-axis');
    for (const label of [ui.bufferLabel, ui.referenceLabel, ui.limitRidgeLabel, ui.limitEaveLabel]) show(label, kind === 'building');
    show(ui.referenceValueLabel, kind === 'building' && refKind !== 'mean-terrain');
    show(ui.accuracyLabel, kind === 'building' || kind === 'spot' || kind === 'spot-relative');
    ui.clipFormatLabel.textContent = this.t('clipFormat');
    for (const option of ui.clipFormat.options) option.textContent = this.t(`clipFormat_${option.value as ClipFormat}`);
    show(ui.clipFormatLabel, kind === 'clip-box' || kind === 'clip-polygon');
    ui.coordsLabel.textContent = this.t('coordinates');
    ui.add.textContent = this.t('addCoordinates');
    ui.picksTitle.textContent = this.t('picks');
    ui.undo.textContent = this.t('undo');
    ui.finish.textContent = this.t('finish');
    ui.clear.textContent = this.t('clear');
    ui.measure.textContent = this.t('measure');
    ui.finish.disabled = !canFinish(state);
    ui.measure.disabled = !getToolSpec(kind).async || state.phase === 'picking' || state.phase === 'measuring';
    ui.undo.disabled = state.picks.length === 0 || state.phase === 'measuring';
    ui.status.textContent = state.phase === 'measuring' ? this.t('measuring') : this.message ? this.t(this.message.key, this.message.params) : '';
    ui.warningsTitle.textContent = this.t('warnings');
    ui.exportsTitle.textContent = this.t('exports');
    document.body.dataset.toolPhase = state.phase;
    document.body.dataset.tool = kind;
    this.renderPicks();
    this.renderResult();
  }

  private renderPicks(): void {
    this.ui.picks.replaceChildren(
      ...this.state.picks.map((p, i) => {
        const check = this.checks[i];
        const extra = check ? ` (${this.t('pickSpacing', { spacing: formatMetres(check.pointSpacingM, this.language) })})${check.warningDetails.length ? ` – ${check.warningDetails.map((w) => warningText(this.language, w)).join('; ')}` : ''}` : '';
        const item = el('li', { 'data-pick': String(i) }, `${formatPoint(p, this.language)}${extra}`);
        if (check) {
          item.dataset.spacingM = String(check.pointSpacingM);
          item.dataset.supportPoints = String(check.points);
          if (check.snapped && this.state.picks[i] === check.snapped) item.dataset.snapped = 'true';
          if (check.snapDistanceM !== undefined) item.dataset.snapDistanceM = String(check.snapDistanceM);
        }
        return item;
      }),
    );
  }

  /** The value rows of the current tool and result. */
  valueRows(): ValueRow[] {
    const L = this.language;
    const rows: ValueRow[] = [];
    const add = (key: string, label: string, text: string, raw?: number): void => {
      rows.push({ key, label, text, ...(raw !== undefined ? { raw } : {}) });
    };
    const m = (v: number | null | undefined, unit = 'm'): string => formatMetres(v, L, unit);
    const picks = this.state.picks;
    const done = this.state.phase !== 'picking';
    switch (this.state.kind) {
      case 'point':
        if (picks[0]) {
          add('e', this.t('v_e'), formatNumber(picks[0][0], 3, L), picks[0][0]);
          add('n', this.t('v_n'), formatNumber(picks[0][1], 3, L), picks[0][1]);
          add('h', this.t('v_h'), m(picks[0][2], 'm NHN'), picks[0][2]);
        }
        break;
      case 'distance':
      case 'height':
        if (picks.length === 2) {
          const d = distanceValues(picks[0]!, picks[1]!);
          if (this.state.kind === 'distance') {
            add('distance-3d', this.t('v_distance3d'), m(d.distance3dM), d.distance3dM);
            add('distance-horizontal', this.t('v_horizontal'), m(d.horizontalM), d.horizontalM);
          }
          add('distance-vertical', this.t('v_vertical'), formatSigned(d.verticalM, L), d.verticalM);
          add('slope', this.t('v_slope'), `${formatNumber(d.slopePercent, 2, L)} %`, d.slopePercent);
        }
        break;
      case 'polyline':
        if (picks.length >= 2) {
          const v = polylineValues(picks);
          add('length-3d', this.t('v_length3d'), m(v.length3dM), v.length3dM);
          add('length-2d', this.t('v_length2d'), m(v.length2dM), v.length2dM);
        }
        break;
      case 'area':
        if (picks.length >= 3) {
          const v = areaValues(picks);
          add('area', this.t('v_area'), `${formatNumber(v.areaM2, 2, L)} m²`, v.areaM2);
          add('perimeter', this.t('v_perimeter'), m(v.perimeterM), v.perimeterM);
        }
        break;
      default:
        break;
    }
    const r = this.result;
    if (!done || !r) return rows;
    const fetched = (s: { nodesFetched: number; bytesFetched: number }): void =>
      add('fetched', '', this.t('v_fetched', { nodes: s.nodesFetched, bytes: formatNumber(s.bytesFetched / 1e6, 2, L) }));
    if (r.kind === 'spot') {
      const s = r.spot;
      add('spot-nhn', this.t('v_spot'), m(s.nhn, 'm NHN'), s.nhn);
      if (s.relative) {
        add('spot-relative-nhn', this.t('v_spotRelative'), m(s.relative.nhn, 'm NHN'), s.relative.nhn);
        add('spot-delta', this.t('v_delta'), formatSigned(s.relative.deltaM, L), s.relative.deltaM);
      }
      add('sigma', this.t('v_sigma'), m(s.relative ? s.relative.sigmaM : s.sigmaM), s.relative ? s.relative.sigmaM : s.sigmaM);
      // With an entered accuracy: the uncertainty of the absolute height (the spot's own sigmaM includes it).
      if (s.measured.accuracyM !== undefined) add('sigma-nhn', this.t('v_sigmaNhn'), m(s.sigmaM), s.sigmaM);
      add('points', this.t('v_points'), String(s.pointsUsed), s.pointsUsed);
      add('spacing', this.t('v_spacing'), m(s.pointSpacingM), s.pointSpacingM);
      fetched(s.stats);
    } else if (r.kind === 'building') {
      const b = r.building.result;
      const flat = b.roofType === 'flat';
      add('roof-type', this.t('v_roofType'), this.t(`roof_${b.roofType}` as ToolTextKey));
      add('ridge-nhn', this.t(flat ? 'v_ridgeFlat' : 'v_ridge'), m(b.ridgeNhn, 'm NHN'), b.ridgeNhn);
      add('eave-nhn', this.t('v_eave'), m(b.eaveNhn, 'm NHN'), b.eaveNhn);
      add('ridge-height', this.t('v_ridgeRel'), m(b.ridgeHeightM), b.ridgeHeightM);
      add('eave-height', this.t('v_eaveRel'), m(b.eaveHeightM), b.eaveHeightM);
      const ref = b.reference;
      add(
        'reference',
        this.t('v_referenceUsed'),
        `${this.t(`ref_${ref.kind.replace(/-/g, '_')}` as ToolTextKey)}: ${m(ref.nhn, 'm NHN')}${ref.at ? ` (${formatPoint([ref.at[0], ref.at[1], NaN], L)})` : ''}`,
        ref.nhn,
      );
      b.eaves.forEach((e, i) =>
        add(`eave-line-${i + 1}`, this.t('v_eaveLine', { index: i + 1 }), `${m(e.nhn, 'm NHN')} (${formatNumber(e.minNhn, 3, L)} … ${formatNumber(e.maxNhn, 3, L)}, σ ${m(e.sigmaM)})`, e.nhn),
      );
      b.planes.forEach((p, i) =>
        add(`plane-${i + 1}`, this.t('v_plane', { index: i + 1, pitch: formatNumber(p.pitchDeg, 1, L), azimuth: formatNumber(p.azimuthDeg, 0, L) }), m(p.rmsM), p.pitchDeg),
      );
      add('sigma', this.t('v_sigma'), m(b.sigmaM), b.sigmaM);
      if (b.uncertainty.accuracyM !== undefined) add('sigma-nhn', this.t('v_sigmaNhn'), m(b.sigmaNhnM), b.sigmaNhnM);
      add('points', this.t('v_points'), String(b.pointsUsed), b.pointsUsed);
      add('spacing', this.t('v_spacing'), m(b.pointSpacingM), b.pointSpacingM);
      for (const [key, field, limitInput] of [
        ['verdict-ridge', 'ridgeHeightM', this.ui.limitRidge],
        ['verdict-eave', 'eaveHeightM', this.ui.limitEave],
      ] as const) {
        const limit = parseNumber(limitInput.value);
        const value = b[field];
        if (!Number.isFinite(limit) || !Number.isFinite(value) || !Number.isFinite(b.sigmaM)) continue;
        const j = judgeAgainstLimit(value, limit, b.sigmaM);
        add(
          key,
          this.t(key === 'verdict-ridge' ? 'v_verdictRidge' : 'v_verdictEave'),
          `${this.t(`verdict_${j.verdict}` as ToolTextKey)} (${m(value)} / ${m(limit)}, ±${m(j.uncertaintyM)})`,
        );
      }
      fetched(r.building.stats);
    } else if (r.kind === 'section') {
      const cur = r.sections[r.index];
      if (cur) {
        const s = cur.section;
        if (r.sections.length > 1) {
          const line = { index: r.index + 1, count: r.sections.length, station: formatNumber(r.index * this.number(this.ui.step, 10), 1, L) };
          add('station', '', this.t('profileStation', line));
        }
        add('length', this.t('v_length'), m(s.lengthM), s.lengthM);
        for (const k of s.kerbs) {
          add(`kerb-${k.side}`, this.t(k.side === 'from' ? 'v_kerbFrom' : 'v_kerbTo'), `${m(k.heightM)} (${formatNumber(k.gutterNhn, 3, L)} / ${formatNumber(k.topNhn, 3, L)} m NHN, σ ${m(k.sigmaM)})`, k.heightM);
        }
        if (s.carriageway) {
          add('carriageway-width', this.t('v_carriageway'), m(s.carriageway.widthM), s.carriageway.widthM);
          add('crossfall-from', this.t('v_crossfallFrom'), `${formatNumber(s.carriageway.crossfallPercent.nearFrom, 2, L)} %`, s.carriageway.crossfallPercent.nearFrom);
          add('crossfall-to', this.t('v_crossfallTo'), `${formatNumber(s.carriageway.crossfallPercent.nearTo, 2, L)} %`, s.carriageway.crossfallPercent.nearTo);
        }
        for (const f of s.footpaths) {
          add(`footpath-${f.side}`, this.t('v_footpath', { side: this.t(f.side === 'from' ? 'side_from' : 'side_to'), width: m(f.widthM), fall: `${formatNumber(f.crossfallPercent, 2, L)} %` }), '', f.widthM);
        }
        add('spacing', this.t('v_spacing'), m(cur.pointSpacingM), cur.pointSpacingM);
        fetched(cur.stats);
      }
    } else if (r.kind === 'clip') {
      add('clip-points', this.t('v_clipPoints'), String(r.clip.pointCount), r.clip.pointCount);
      fetched(r.clip.stats);
    }
    return rows;
  }

  /** The current result's warnings as codes with parameters (rendered in the panel's language). */
  private warningsOf(): readonly MeasureWarning[] {
    const r = this.result;
    if (!r || this.state.phase !== 'measured') return [];
    if (r.kind === 'spot') return r.spot.warningDetails;
    if (r.kind === 'building') return r.building.result.warningDetails;
    if (r.kind === 'section') return r.sections[r.index]?.warningDetails ?? [];
    return [];
  }

  private renderResult(): void {
    const { ui } = this;
    ui.values.replaceChildren(
      ...this.valueRows().map((row) => {
        const group = el('div', { 'data-value': row.key }, el('dt', {}, row.label), el('dd', {}, row.text));
        if (row.raw !== undefined) group.dataset.raw = String(row.raw);
        return group;
      }),
    );
    const warnings = this.warningsOf();
    ui.warnings.replaceChildren(...warnings.map((w) => el('li', { 'data-warning': w.code }, warningText(this.language, w))));
    ui.warningsTitle.hidden = warnings.length === 0;
    this.renderExports();
    this.renderProfile();
    this.options.onChange?.(this.state, this.state.phase === 'measured' ? this.result : undefined);
  }

  private renderProfile(): void {
    const r = this.result;
    if (this.state.phase !== 'measured' || r?.kind !== 'section') {
      if (!this.profile.element.hidden) this.profile.show(undefined);
      return;
    }
    const cur = r.sections[r.index];
    const count = r.sections.length;
    const title =
      count > 1
        ? this.t('profileStation', { index: r.index + 1, count, station: formatNumber(r.index * this.number(this.ui.step, 10), 1, this.language) })
        : this.t('profileTitle');
    if (this.profileShown !== cur) {
      this.profileShown = cur;
      this.profile.show(cur?.section, title);
    }
  }
  private profileShown: SectionResult | undefined;

  private meta(): ProtocolMeta {
    return { driveDate: '', viewUrl: location.href, createdAt: new Date(), ...this.options.protocolMeta?.() };
  }

  private renderExports(): void {
    const { ui } = this;
    const r = this.result;
    const buttons: HTMLElement[] = [];
    const button = (label: string, id: string, run: () => Promise<void> | void): void => {
      const b = el('button', { type: 'button', 'data-export': id }, label);
      b.addEventListener('click', () => {
        Promise.resolve()
          .then(run)
          .catch((error: unknown) => {
            this.message = { key: 'failed', params: { message: error instanceof Error ? error.message : String(error) } };
            this.ui.status.textContent = this.t('failed', this.message.params);
          });
      });
      buttons.push(b);
    };
    const protocol = getExporter('protocol-html') as unknown as Exporter<unknown, object>;
    if (this.state.phase === 'measured' && r) {
      if (r.kind === 'section') {
        const cur = r.sections[r.index];
        if (cur) {
          for (const x of exportersFor('section')) button(exporterLabel(this.language, x.id, x.label), x.id, () => runExport(x as Exporter<unknown, object>, cur.section, 'querprofil'));
          button(exporterLabel(this.language, protocol.id, protocol.label), 'protocol-html', () =>
            runExport(protocol, sectionProtocol(cur.section, { ...this.meta(), from: cur.from, to: cur.to, verticalExaggeration: this.profile.verticalExaggeration }), 'messprotokoll-querprofil'),
          );
          if (r.sections.length > 1) {
            button(this.t('previous'), 'previous', () => this.showSection(r.index - 1));
            button(this.t('next'), 'next', () => this.showSection(r.index + 1));
          }
        }
      } else if (r.kind === 'building') {
        const rows: BuildingRow[] = [{ id: 'G1', footprint: r.building.footprint, result: r.building.result }];
        for (const x of exportersFor('buildings')) button(exporterLabel(this.language, x.id, x.label), x.id, () => runExport(x as Exporter<unknown, object>, rows, 'gebaeudehoehe'));
        const limits = [
          { label: this.t('limitRidge'), field: 'ridgeHeightM' as const, limitM: parseNumber(this.ui.limitRidge.value) },
          { label: this.t('limitEave'), field: 'eaveHeightM' as const, limitM: parseNumber(this.ui.limitEave.value) },
        ].filter((l) => Number.isFinite(l.limitM));
        button(exporterLabel(this.language, protocol.id, protocol.label), 'protocol-html', () => runExport(protocol, buildingProtocol(rows[0]!, { ...this.meta(), limits }), 'messprotokoll-gebaeude'));
      } else if (r.kind === 'spot') {
        const s = r.spot;
        button(exporterLabel(this.language, protocol.id, protocol.label), 'protocol-html', () =>
          runExport(
            protocol,
            spotProtocol(
              {
                what: this.state.kind === 'spot-relative' ? 'Oberkante Lichtschacht/Stufe' : 'Spothöhe',
                at: s.at,
                spot: s.measured,
                ...(s.relative && s.relativeMeasured ? { relative: { what: 'Gehweg/Rinne', at: s.relative.at, spot: s.relativeMeasured } } : {}),
              },
              this.meta(),
            ),
            'messprotokoll-spothoehe',
          ),
        );
      } else if (r.kind === 'clip') {
        // Note: no registered media type exists for LAS/LAZ; the vendor-style names are what other tools send.
        if (r.clip.format === 'laz') button(this.t('saveLaz'), 'clip-laz', () => downloadFile(r.clip.bytes, 'ausschnitt.laz', 'application/vnd.laszip'));
        else button(this.t('saveLas'), 'clip-las', () => downloadFile(r.clip.bytes, 'ausschnitt.las', 'application/vnd.las'));
      }
    }
    ui.exports.replaceChildren(...buttons);
    ui.exportsTitle.hidden = buttons.length === 0;
  }

  /** Shows cut `index` of a section series. */
  showSection(index: number): void {
    const r = this.result;
    if (r?.kind !== 'section' || index < 0 || index >= r.sections.length) return;
    this.result = { ...r, index };
    this.renderResult();
  }
}
