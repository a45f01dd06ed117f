/**
 * A scene picker by ray casting against the drawn point meshes: the nearest point to the camera within a few
 * pixels of the cursor ray. The hit is returned in scene metres (frame-relative, float64 in JS numbers: node
 * centre plus the float32 offset), so adding the LocalFrame origin gives world E/N/H without float32 loss.
 */
import { OrthographicCamera, PerspectiveCamera, Points, Raycaster, Vector2, Vector3, type Object3D } from 'three';
import type { ScenePicker } from './Navigation.ts';

const _ndc = new Vector2();

/** Pick radius around the cursor, pixels. */
export const PICK_RADIUS_PX = 4;

/**
 * Creates a picker over `root`'s visible Points descendants for the camera `getCamera()` returns, the canvas size
 * `getSize()` (CSS pixels) and the view centre `getTarget()` (scene metres): candidates within a cylinder around the
 * ray as wide as the pick radius at twice the target's distance, then the nearest to the camera among those within
 * {@link PICK_RADIUS_PX} on screen.
 */
export function createRayPicker(
  root: Object3D,
  getCamera: () => PerspectiveCamera | OrthographicCamera,
  getSize: () => { width: number; height: number },
  getTarget: () => Vector3,
): ScenePicker {
  const raycaster = new Raycaster();
  return (xPx, yPx) => {
    const camera = getCamera();
    camera.updateMatrixWorld();
    const { width, height } = getSize();
    _ndc.set((xPx / width) * 2 - 1, -(yPx / height) * 2 + 1);
    raycaster.setFromCamera(_ndc, camera);
    let metresPerPx: number;
    if ((camera as OrthographicCamera).isOrthographicCamera) {
      const ortho = camera as OrthographicCamera;
      metresPerPx = (ortho.top - ortho.bottom) / ortho.zoom / height;
    } else {
      const perspective = camera as PerspectiveCamera;
      const distance = Math.max(1, 2 * perspective.position.distanceTo(getTarget()));
      metresPerPx = (2 * distance * Math.tan((perspective.fov * Math.PI) / 360)) / height;
    }
    raycaster.params.Points = { threshold: metresPerPx * PICK_RADIUS_PX };
    const targets: Object3D[] = [];
    root.traverseVisible((o) => {
      if ((o as Points).isPoints) targets.push(o);
    });
    let best: Vector3 | undefined;
    let bestDistance = Infinity;
    for (const hit of raycaster.intersectObjects(targets, false)) {
      _projected.copy(hit.point).project(camera);
      const dx = ((_projected.x - _ndc.x) / 2) * width;
      const dy = ((_projected.y - _ndc.y) / 2) * height;
      if (dx * dx + dy * dy > PICK_RADIUS_PX * PICK_RADIUS_PX) continue;
      if (hit.distance < bestDistance) {
        bestDistance = hit.distance;
        best = hit.point;
      }
    }
    return best?.clone();
  };
}

const _projected = new Vector3();
