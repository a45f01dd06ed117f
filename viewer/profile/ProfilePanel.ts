/**
 * The 2D section profile as SVG: the ground line at true scale (unexaggerated by default, an exaggeration
 * select multiplies heights only), kerbs labelled with their upstand, carriageway and footpath segments with
 * their cross-falls, and measuring inside the profile (click two points: distance, height difference, slope).
 * Numbers come from the CrossSection (plain data); the drawing only places them (profile-geometry.ts).
 */
import type { CrossSection } from '../../core/measure/cross-section.ts';
import { splitProfileParts } from '../../core/export/section-geometry.ts';
import { formatMetres, formatNumber, formatSigned } from '../tools/format.ts';
import { toolText, type ToolLanguage } from '../tools/tool-texts.ts';
import { fitProfile, fromPixels, measureInProfile, profileHeightAt, toPixels, type ProfileMapping } from './profile-geometry.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const EXAGGERATIONS = [1, 2, 5, 10] as const;

function svg<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A profile panel bound to one container element. */
export class ProfilePanel {
  readonly isProfilePanel = true;
  readonly element: HTMLElement;
  private section: CrossSection | undefined;
  private exaggeration = 1;
  private marks: [number, number][] = [];
  private mapping: ProfileMapping | undefined;
  private titleText: string | undefined;
  private readonly svgEl: SVGSVGElement;
  private readonly exaggerationSelect: HTMLSelectElement;
  private readonly exaggerationLabel: HTMLLabelElement;
  private readonly hint: HTMLParagraphElement;
  private readonly readout: HTMLParagraphElement;
  private readonly title: HTMLHeadingElement;

  constructor(
    private language: ToolLanguage,
    private readonly widthPx = 560,
    private readonly heightPx = 220,
  ) {
    this.element = document.createElement('section');
    this.element.className = 'tv-profile';
    this.element.dataset.panel = 'profile';
    this.title = document.createElement('h3');
    this.exaggerationLabel = document.createElement('label');
    this.exaggerationSelect = document.createElement('select');
    this.exaggerationSelect.dataset.control = 'exaggeration';
    for (const x of EXAGGERATIONS) {
      const o = document.createElement('option');
      o.value = String(x);
      o.textContent = `${x}×`;
      this.exaggerationSelect.append(o);
    }
    this.exaggerationSelect.addEventListener('change', () => {
      this.exaggeration = Number(this.exaggerationSelect.value);
      this.draw();
    });
    this.exaggerationLabel.append(this.exaggerationSelect);
    this.svgEl = svg('svg', { width: widthPx, height: heightPx, viewBox: `0 0 ${widthPx} ${heightPx}`, role: 'img' });
    this.svgEl.style.background = '#fff';
    this.svgEl.style.cursor = 'crosshair';
    this.svgEl.addEventListener('click', (event) => this.onClick(event));
    this.hint = document.createElement('p');
    this.readout = document.createElement('p');
    this.readout.dataset.value = 'profile-measure';
    this.readout.setAttribute('aria-live', 'polite');
    this.element.append(this.title, this.exaggerationLabel, this.svgEl, this.hint, this.readout);
    this.element.hidden = true;
    this.renderTexts();
  }

  /** Shows a section (or hides the panel for undefined) under a title (default: the profile title). */
  show(section: CrossSection | undefined, title?: string): void {
    this.section = section;
    this.marks = [];
    this.element.hidden = section === undefined;
    this.titleText = title;
    this.title.textContent = title ?? toolText(this.language, 'profileTitle');
    this.readout.textContent = '';
    this.draw();
  }

  setLanguage(language: ToolLanguage): void {
    this.language = language;
    this.renderTexts();
    this.draw();
  }

  /** The current exaggeration (1 = unexaggerated). */
  get verticalExaggeration(): number {
    return this.exaggeration;
  }

  private renderTexts(): void {
    const t = (k: Parameters<typeof toolText>[1], p?: Record<string, string | number>): string => toolText(this.language, k, p);
    this.title.textContent = this.titleText ?? t('profileTitle');
    const first = this.exaggerationLabel.firstChild;
    if (first && first.nodeType === Node.TEXT_NODE) first.remove();
    this.exaggerationLabel.prepend(`${t('profileExaggeration')} `);
    this.hint.textContent = t('profileHint');
    this.svgEl.setAttribute('aria-label', t('profileTitle'));
  }

  /** Pointer -> profile point snapped to the ground line; a third click starts a new measurement. */
  private onClick(event: MouseEvent): void {
    if (!this.section || !this.mapping) return;
    const rect = this.svgEl.getBoundingClientRect();
    const x = ((event.clientX - rect.left) / rect.width) * this.widthPx;
    const y = ((event.clientY - rect.top) / rect.height) * this.heightPx;
    const [d, hClicked] = fromPixels(this.mapping, x, y);
    const h = profileHeightAt(this.section.profile, d, hClicked) ?? hClicked;
    this.addMark(d, h);
  }

  /** Adds a measuring mark at (distM, h) (a click does this; scripts and tests may too). */
  addMark(distM: number, h: number): void {
    if (this.marks.length >= 2) this.marks = [];
    this.marks.push([distM, h]);
    const lang = this.language;
    if (this.marks.length === 2) {
      const m = measureInProfile(this.marks[0]!, this.marks[1]!);
      this.readout.textContent = toolText(lang, 'profileMeasure', {
        dist: formatMetres(m.distanceM, lang),
        dh: formatSigned(m.heightDiffM, lang),
        slope: `${formatNumber(m.slopePercent, 2, lang)} %`,
      });
      this.readout.dataset.distanceM = String(m.distanceM);
      this.readout.dataset.heightDiffM = String(m.heightDiffM);
      this.readout.dataset.slopePercent = String(m.slopePercent);
    } else {
      this.readout.textContent = `${formatNumber(distM, 2, lang)} m · ${formatMetres(h, lang, 'm NHN')}`;
    }
    this.draw();
  }

  private draw(): void {
    this.svgEl.replaceChildren();
    const s = this.section;
    if (!s || s.profile.length < 2) return;
    const lang = this.language;
    const m = fitProfile(s.profile, this.widthPx, this.heightPx, { exaggeration: this.exaggeration });
    this.mapping = m;
    for (const part of splitProfileParts(s)) {
      const points = part.map((v) => toPixels(m, v.distM, v.h).map((c) => c.toFixed(1)).join(',')).join(' ');
      this.svgEl.append(svg('polyline', { points, fill: 'none', stroke: '#1b1f27', 'stroke-width': 1.5 }));
    }
    const label = (x: number, y: number, text: string, colour = '#1b1f27', anchor = 'middle'): void => {
      const t = svg('text', { x: x.toFixed(1), y: y.toFixed(1), 'font-size': 11, 'text-anchor': anchor, fill: colour });
      t.textContent = text;
      this.svgEl.append(t);
    };
    for (const seg of s.segments) {
      if (seg.kind !== 'carriageway' && seg.kind !== 'footpath') continue;
      const mid = (seg.fromDistM + seg.toDistM) / 2;
      const h = profileHeightAt(s.profile, mid);
      if (h === undefined) continue;
      const [x, y] = toPixels(m, mid, h);
      label(x, y - 10, `${formatNumber(seg.slopePercent, 2, lang)} %`, '#1f5fa8');
    }
    for (const k of s.kerbs) {
      const [x, yTop] = toPixels(m, k.distM, k.topNhn);
      const [, yGutter] = toPixels(m, k.distM, k.gutterNhn);
      this.svgEl.append(svg('line', { x1: x, y1: yTop - 4, x2: x, y2: yGutter + 4, stroke: '#c0392b', 'stroke-width': 1 }));
      label(x, Math.min(yTop, yGutter) - 22, toolText(lang, 'profileKerb', { height: formatMetres(k.heightM, lang) }), '#c0392b');
    }
    for (const [d, h] of this.marks) {
      const [x, y] = toPixels(m, d, h);
      this.svgEl.append(svg('circle', { cx: x, cy: y, r: 3.5, fill: '#e67e22' }));
    }
    if (this.marks.length === 2) {
      const [a, b] = this.marks.map(([d, h]) => toPixels(m, d, h)) as [[number, number], [number, number]];
      this.svgEl.append(svg('line', { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: '#e67e22', 'stroke-dasharray': '4 3' }));
    }
    // Scale bar: 1 m (or 5 m when 1 m is tiny), the same length both ways when unexaggerated.
    const barM = m.pxPerM * 1 >= 20 ? 1 : 5;
    const x0 = m.paddingPx;
    const y0 = this.heightPx - 8;
    this.svgEl.append(svg('line', { x1: x0, y1: y0, x2: x0 + barM * m.pxPerM, y2: y0, stroke: '#555', 'stroke-width': 2 }));
    label(x0 + barM * m.pxPerM + 4, y0 + 4, `${barM} m${this.exaggeration !== 1 ? ` (H ×${this.exaggeration})` : ''}`, '#555', 'start');
  }
}
