/**
 * A scene picker for navigation and tools built on {@link pickPoint}: it answers in scene metres (frame-relative,
 * float64 JS numbers) with the picked LAS point itself, not the point on the ray nearest to it, and offers the
 * full pick (world E/N/H, spacing, attributes) to whoever needs more.
 *
 * @example
 * const picker = createPointPicker({ entities: () => entities, camera: () => nav.camera, sizePx: () => viewer.sizePx, frame: () => frame });
 * viewer.setPicker(picker);            // (xPx, yPx) => Vector3 | undefined, scene metres
 * const hit = picker.pick(x, y);       // world [E, N, H], spacingM, classification, …
 */
import { Vector3, type Camera } from 'three';
import type { LocalFrame } from '../../core/crs/LocalFrame.ts';
import { pickAtPixel, type PickableEntity, type PickResult } from './pick-point.ts';

/** Options of {@link createPointPicker}; getters, so the picker follows the live camera, size and sources. */
export interface PointPickerOptions {
  readonly entities: () => Iterable<PickableEntity>;
  readonly camera: () => Camera;
  /** The canvas size, CSS pixels. */
  readonly sizePx: () => { readonly width: number; readonly height: number };
  /** The scene's frame; no pick without one. */
  readonly frame: () => LocalFrame | undefined;
  /** Search radius around the cursor, pixels (default 4). */
  readonly radiusPx?: number;
}

/** A picker: call it for scene metres, or `pick` for the full result. */
export interface PointPicker {
  (xPx: number, yPx: number): Vector3 | undefined;
  /** The full pick at a pixel (CSS pixels from the canvas's top left), or undefined. */
  pick(xPx: number, yPx: number): PickResult | undefined;
}

/** Creates the picker. */
export function createPointPicker(options: PointPickerOptions): PointPicker {
  const pick = (xPx: number, yPx: number): PickResult | undefined => {
    const frame = options.frame();
    if (!frame) return undefined;
    const { width, height } = options.sizePx();
    return pickAtPixel(options.entities(), options.camera(), frame, {
      xPx,
      yPx,
      widthPx: width,
      heightPx: height,
      ...(options.radiusPx !== undefined ? { radiusPx: options.radiusPx } : {}),
    });
  };
  const picker = ((xPx: number, yPx: number): Vector3 | undefined => {
    const hit = pick(xPx, yPx);
    const frame = options.frame();
    if (!hit || !frame) return undefined;
    return new Vector3(...frame.toLocal(hit.world));
  }) as PointPicker;
  picker.pick = pick;
  return picker;
}
