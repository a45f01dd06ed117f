/**
 * The COPC root cube and octree key math (COPC 1.0 / EPT keys): root (0,0,0,0); children of (d,x,y,z) are
 * (d+1, 2x+i, 2y+j, 2z+k); a node at depth d is a cube of edge 2·halfsize / 2^d whose minimum corner is
 * centre − halfsize + (x,y,z)·edge.
 */

/** A point in world coordinates (float64, metres in projected CRSs). */
export type Point3 = readonly [number, number, number];

/** An axis-aligned box in world coordinates. */
export interface Bounds3 {
  readonly min: Point3;
  readonly max: Point3;
}

/** The root cube: centre and halfsize (distance from the centre to each face), world units. */
export interface CopcCube {
  readonly center: Point3;
  readonly halfsize: number;
}

/** An octree node key: depth and integer cell indices at that depth. */
export type VoxelKey = readonly [depth: number, x: number, y: number, z: number];

/**
 * The cube around `bounds`: centred on the box, halfsize = half its longest edge (as PDAL and untwine do).
 * Note: a degenerate box (one point, a flat line) still gets a positive halfsize of `minHalfsize` so that every
 * node has a real size; pass e.g. the largest coordinate scale.
 */
export function computeCopcCube(bounds: Bounds3, minHalfsize = 0.001): CopcCube {
  const center: Point3 = [
    (bounds.min[0] + bounds.max[0]) / 2,
    (bounds.min[1] + bounds.max[1]) / 2,
    (bounds.min[2] + bounds.max[2]) / 2,
  ];
  const edge = Math.max(bounds.max[0] - bounds.min[0], bounds.max[1] - bounds.min[1], bounds.max[2] - bounds.min[2]);
  if (!Number.isFinite(edge) || edge < 0) throw new Error(`Invalid bounds: ${JSON.stringify(bounds)}`);
  return { center, halfsize: Math.max(edge / 2, minHalfsize) };
}

/** The world box of a node of the cube. */
export function getNodeBounds(cube: CopcCube, key: VoxelKey): Bounds3 {
  const [depth, x, y, z] = key;
  const edge = (2 * cube.halfsize) / 2 ** depth;
  const min: Point3 = [
    cube.center[0] - cube.halfsize + x * edge,
    cube.center[1] - cube.halfsize + y * edge,
    cube.center[2] - cube.halfsize + z * edge,
  ];
  return { min, max: [min[0] + edge, min[1] + edge, min[2] + edge] };
}

/** The key `d-x-y-z` as copc.js writes it. */
export function formatVoxelKey(key: VoxelKey): string {
  return key.join('-');
}
