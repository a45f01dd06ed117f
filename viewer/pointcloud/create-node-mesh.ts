/**
 * Turns decoded node data into a three.js `Points` mesh placed at the node centre: the GPU holds float32 offsets
 * from the centre, the centre itself is float64 relative to the scene's LocalFrame (mesh.position), so no world
 * coordinate is ever stored in float32.
 */
import { Box3, BufferAttribute, BufferGeometry, Points, Sphere, Vector3, type Material } from 'three';
import type { LocalFrame } from '../../core/crs/LocalFrame.ts';
import type { NodeData, PointCloudNode } from '../sources/PointCloudSource.ts';

/** What `mesh.userData` of a node mesh holds. */
export interface NodeMeshUserData {
  /** COPC voxel key. */
  readonly key: string;
  /** Octree depth. */
  readonly level: number;
  /** Index of the source among the viewer's sources (drive/epoch colouring). */
  readonly sourceIndex: number;
}

/** Value of the `change` attribute for points whose distance is not computed yet. */
export const CHANGE_NOT_COMPUTED = -1;

/**
 * Builds the mesh. Attributes: `position` (float32 xyz from the centre), `color` (normalised uint8 RGB),
 * `intensity` (raw uint16, not normalised), `classification` (uint8), `gpsTime` (float32 seconds from the
 * source's first GPS time; zeros when the format has none), `change` (float32 metres, -1 = not computed).
 * The bounding box and sphere come from the node's cell, not from a pass over the points.
 */
export function createNodeMesh(
  node: PointCloudNode,
  data: NodeData,
  options: { frame: LocalFrame; material: Material; sourceIndex: number },
): Points {
  const { count } = data;
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(data.positions, 3));
  geometry.setAttribute('color', new BufferAttribute(data.color, 3, true));
  geometry.setAttribute('intensity', new BufferAttribute(data.intensity, 1, false));
  geometry.setAttribute('classification', new BufferAttribute(data.classification, 1, false));
  geometry.setAttribute('gpsTime', new BufferAttribute(data.gpsTime ?? new Float32Array(count), 1));
  geometry.setAttribute('change', new BufferAttribute(new Float32Array(count).fill(CHANGE_NOT_COMPUTED), 1));
  const [x0, y0, z0, x1, y1, z1] = node.bounds;
  const [cx, cy, cz] = data.centre;
  geometry.boundingBox = new Box3(new Vector3(x0 - cx, y0 - cy, z0 - cz), new Vector3(x1 - cx, y1 - cy, z1 - cz));
  geometry.boundingSphere = geometry.boundingBox.getBoundingSphere(new Sphere());
  const mesh = new Points(geometry, options.material);
  const [ox, oy, oz] = options.frame.origin;
  // Note: float64 subtraction here; three.js multiplies matrices in float64 and uploads only the product.
  mesh.position.set(cx - ox, cy - oy, cz - oz);
  mesh.name = node.key;
  const userData: NodeMeshUserData = { key: node.key, level: node.depth, sourceIndex: options.sourceIndex };
  mesh.userData = userData;
  mesh.matrixAutoUpdate = false;
  mesh.updateMatrix();
  return mesh;
}

/** Bytes of a mesh's attribute arrays (the CPU copy three.js keeps; the GPU holds as much again). */
export function geometryBytes(mesh: Points): number {
  let bytes = 0;
  for (const attribute of Object.values(mesh.geometry.attributes)) bytes += (attribute.array as ArrayLike<number> & { byteLength: number }).byteLength;
  return bytes;
}
