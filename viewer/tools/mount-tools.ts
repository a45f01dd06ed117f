/**
 * Mounts the measuring tools into a viewer page: the panel (ToolPanel.ts), the profile panel, the 3D overlay and
 * clicks on the canvas as picks. The host passes what it has; everything but the container and the data source is
 * optional, so the tools also work (by coordinate entry) before or without a 3D view.
 *
 * @example
 * // in viewer/main.ts, once the sources are open:
 * mountMeasureTools({ dataSource: () => urls[0], canvas, pick: (x, y) => worldAt(x, y), overlay: { parent: scene, frame, requestFrame } });
 */
import type { Object3D } from 'three';
import type { LocalFrame } from '../../core/crs/LocalFrame.ts';
import type { Point3 } from '../../core/geometry/point3.ts';
import type { MeasureInput } from '../../workers/measure-api.ts';
import { createMeasureClient, type MeasureClient } from '../../workers/measure-client.ts';
import { ToolOverlay } from './ToolOverlay.ts';
import { ToolPanel } from './ToolPanel.ts';
import type { ToolLanguage } from './tool-texts.ts';
import './tools.css';

/** What the page offers the tools. */
export interface ToolHost {
  /** Where the panels go (default document.body). */
  readonly container?: HTMLElement;
  /**
   * The point cloud to measure (the first visible source): its absolute URL, or the local File or Blob it was
   * opened from (drag and drop, file picker); undefined while none is open.
   */
  readonly dataSource: () => MeasureInput | undefined;
  /** The 3D canvas: a click (not a drag) on it becomes a pick. */
  readonly canvas?: HTMLElement;
  /** World [E, N, H] of the point under a canvas position (CSS pixels relative to the canvas), float64. */
  readonly pick?: (xPx: number, yPx: number) => Point3 | undefined;
  /** The scene to draw the overlay in, the frame it is relative to, and a redraw request. */
  readonly overlay?: { readonly parent: Object3D; readonly frame: LocalFrame; readonly requestFrame: () => void };
  /** The UI language (default: `<html lang>`, followed when it changes). */
  readonly language?: ToolLanguage;
  /** The measure client (default: a worker client with main-thread fallback). */
  readonly client?: MeasureClient;
}

/** The mounted tools. */
export interface MountedTools {
  readonly panel: ToolPanel;
  readonly overlay: ToolOverlay | undefined;
  dispose(): void;
}

/** Largest pointer travel, pixels, and duration, ms, that still count as a click (not an orbit drag). */
const CLICK_SLOP_PX = 5;
const CLICK_MS = 400;

function pageLanguage(): ToolLanguage {
  return document.documentElement.lang.startsWith('en') ? 'en' : 'de';
}

/** Mounts the tools; see {@link ToolHost}. */
export function mountMeasureTools(host: ToolHost): MountedTools {
  const container = host.container ?? document.body;
  const client = host.client ?? createMeasureClient();
  const overlay = host.overlay ? new ToolOverlay(host.overlay.parent, host.overlay.frame, host.overlay.requestFrame) : undefined;
  const panel = new ToolPanel({
    client,
    dataSource: host.dataSource,
    language: host.language ?? pageLanguage(),
    onChange: (state, result) => overlay?.update(state, result),
  });
  panel.profile.element.classList.add('tv-profile-dock');
  container.append(panel.element, panel.profile.element);

  // The page switches language by setting <html lang>: follow it.
  const observer = new MutationObserver(() => panel.setLanguage(pageLanguage()));
  if (!host.language) observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

  let down: { x: number; y: number; t: number } | undefined;
  const onDown = (event: PointerEvent): void => {
    down = event.button === 0 ? { x: event.clientX, y: event.clientY, t: performance.now() } : undefined;
  };
  const onUp = (event: PointerEvent): void => {
    if (!down || !host.pick || !host.canvas) return;
    const moved = Math.hypot(event.clientX - down.x, event.clientY - down.y);
    const quick = performance.now() - down.t < CLICK_MS;
    down = undefined;
    if (moved > CLICK_SLOP_PX || !quick || panel.toolState.phase !== 'picking') return;
    const rect = host.canvas.getBoundingClientRect();
    const at = host.pick(event.clientX - rect.left, event.clientY - rect.top);
    if (at) panel.pick(at, { snap: true });
  };
  const onDoubleClick = (): void => panel.dispatch({ type: 'finish' });
  host.canvas?.addEventListener('pointerdown', onDown);
  host.canvas?.addEventListener('pointerup', onUp);
  host.canvas?.addEventListener('dblclick', onDoubleClick);
  document.body.dataset.tools = 'ready';

  return {
    panel,
    overlay,
    dispose() {
      observer.disconnect();
      host.canvas?.removeEventListener('pointerdown', onDown);
      host.canvas?.removeEventListener('pointerup', onUp);
      host.canvas?.removeEventListener('dblclick', onDoubleClick);
      panel.element.remove();
      panel.profile.element.remove();
      overlay?.dispose();
      client.dispose();
    },
  };
}
