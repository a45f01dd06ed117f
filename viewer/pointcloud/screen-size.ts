/**
 * How large an octree node appears on screen: the traversal's priority and refinement test (Potree's
 * "screen pixel radius"): the projected radius of the node's bounding sphere, pixels.
 */
import { Vector3, type Camera, type OrthographicCamera, type PerspectiveCamera } from 'three';

const _position = new Vector3();

/**
 * The projected radius of a sphere, pixels, for a viewport `viewportHeightPx` high. Perspective: radius over
 * (distance * tan(fov / 2)) times half the height; Infinity when the camera is inside the sphere. Orthographic:
 * radius over the visible half height (zoom applied) times half the height.
 *
 * @param centre sphere centre in the camera's world space (scene coordinates, metres)
 */
export function projectedRadiusPx(camera: Camera, centre: Vector3, radius: number, viewportHeightPx: number): number {
  if ((camera as OrthographicCamera).isOrthographicCamera) {
    const ortho = camera as OrthographicCamera;
    const halfHeight = (ortho.top - ortho.bottom) / (2 * ortho.zoom);
    return (radius / halfHeight) * (viewportHeightPx / 2);
  }
  const perspective = camera as PerspectiveCamera;
  const distance = centre.distanceTo(camera.getWorldPosition(_position));
  if (distance <= radius) return Infinity;
  const tanHalf = Math.tan(((perspective.fov ?? 60) * Math.PI) / 360) / (perspective.zoom ?? 1);
  return (radius / (distance * tanHalf)) * (viewportHeightPx / 2);
}
