/**
 * Builds the COPC octree over a cube: every node keeps an evenly spread subset of the points that reach it
 * (one point per cell of a grid laid over the node), passes the rest to its eight children, and stores all of
 * them once they are few enough. Every input point ends up in exactly one node.
 *
 * @example
 * const cube = computeCopcCube(bounds);
 * const nodes = buildOctree({ count, x, y, z }, { cube });
 * // nodes[i].key = [depth, x, y, z], nodes[i].indices = ascending point indices of that node
 */
import type { CopcCube, VoxelKey } from './cube.ts';

/** World positions of the points (float64). */
export interface OctreePoints {
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
}

/** Options of {@link buildOctree}. */
export interface OctreeOptions {
  readonly cube: CopcCube;
  /**
   * Grid cells per node edge for subsampling; the sampling spacing at depth d is 2·halfsize / (cells · 2^d).
   * Default {@link DEFAULT_GRID_CELLS}.
   */
  readonly gridCells?: number;
  /**
   * Node size limit: a node that receives at most this many points keeps them all (a leaf); an inner node's
   * subset is made coarser until it fits. Only nodes at `maxDepth` may exceed it. Default
   * {@link DEFAULT_MAX_NODE_POINTS}.
   */
  readonly maxNodePoints?: number;
  /** Depth at which a node keeps every point it receives (stacked duplicates never separate). Default 20. */
  readonly maxDepth?: number;
  /** Build only the subtree of this node from the given point indices (default: the root and all points). */
  readonly rootKey?: VoxelKey;
  /** The points to place (ascending indices); default all. */
  readonly indices?: Uint32Array;
}

/** One node of the built tree. */
export interface OctreeNode {
  readonly key: VoxelKey;
  /** Indices of this node's points into the input arrays, ascending (input order is kept: better compression). */
  readonly indices: Uint32Array;
}

/** Default grid cells per node edge (PDAL and untwine use a 128-cell root grid too). */
export const DEFAULT_GRID_CELLS = 128;
/** Default node size limit in points. */
export const DEFAULT_MAX_NODE_POINTS = 100_000;

/** The COPC info `spacing` for a cube and grid: edge of one root grid cell, world units. */
export function computeRootSpacing(cube: CopcCube, gridCells = DEFAULT_GRID_CELLS): number {
  return (2 * cube.halfsize) / gridCells;
}

// Scratch for grid sampling, grown on demand and reused across nodes (cells touched by a node are reset).
let bestIndex = new Int32Array(0);
let bestDistance = new Float64Array(0);

function ensureScratch(cells: number): void {
  if (bestIndex.length >= cells) return;
  bestIndex = new Int32Array(cells).fill(-1);
  bestDistance = new Float64Array(cells);
}

/**
 * Builds the tree (depth first; parents come before their children in the result). Nodes without points are
 * not returned; an inner node whose subset is empty does not occur (each non-empty grid has a point).
 */
export function buildOctree(points: OctreePoints, options: OctreeOptions): OctreeNode[] {
  return Array.from(generateOctree(points, options));
}

/**
 * The nodes of {@link buildOctree} one at a time, as soon as each is final, so that a caller can encode a
 * node while the rest of the tree is still being built.
 */
export function* generateOctree(points: OctreePoints, options: OctreeOptions): Generator<OctreeNode> {
  const { cube } = options;
  const gridCells = options.gridCells ?? DEFAULT_GRID_CELLS;
  const maxNodePoints = options.maxNodePoints ?? DEFAULT_MAX_NODE_POINTS;
  const maxDepth = options.maxDepth ?? 20;
  if (!(gridCells >= 1 && Number.isInteger(gridCells) && gridCells <= 256)) throw new Error(`Invalid grid cells: ${gridCells}`);
  if (!(maxNodePoints >= 1)) throw new Error(`Invalid node size limit: ${maxNodePoints}`);
  if (!(cube.halfsize > 0)) throw new Error(`Invalid cube halfsize: ${cube.halfsize}`);
  ensureScratch(gridCells ** 3);

  let all = options.indices;
  if (!all) {
    all = new Uint32Array(points.count);
    for (let i = 0; i < points.count; i++) all[i] = i;
  }
  const stack: Array<{ key: VoxelKey; indices: Uint32Array }> = [{ key: options.rootKey ?? [0, 0, 0, 0], indices: all }];
  const lowX = cube.center[0] - cube.halfsize;
  const lowY = cube.center[1] - cube.halfsize;
  const lowZ = cube.center[2] - cube.halfsize;

  while (stack.length > 0) {
    const { key, indices } = stack.pop()!;
    if (indices.length === 0) continue;
    const [depth, kx, ky, kz] = key;
    if (indices.length <= maxNodePoints || depth >= maxDepth) {
      yield { key, indices };
      continue;
    }
    const edge = (2 * cube.halfsize) / 2 ** depth;
    const minX = lowX + kx * edge;
    const minY = lowY + ky * edge;
    const minZ = lowZ + kz * edge;

    const selected = sampleWithLimit(points, indices, minX, minY, minZ, edge, gridCells, maxNodePoints);
    yield { key, indices: selected };

    // The rest go to the children, in input order.
    const half = edge / 2;
    const childOf = new Uint8Array(indices.length);
    const childCounts = new Uint32Array(8);
    let s = 0;
    for (let n = 0; n < indices.length; n++) {
      const i = indices[n]!;
      if (s < selected.length && selected[s] === i) {
        s++;
        childOf[n] = 255;
        continue;
      }
      const cx = (points.x[i]! - minX) >= half ? 1 : 0;
      const cy = (points.y[i]! - minY) >= half ? 1 : 0;
      const cz = (points.z[i]! - minZ) >= half ? 1 : 0;
      const c = cx | (cy << 1) | (cz << 2);
      childOf[n] = c;
      childCounts[c]!++;
    }
    const children = Array.from(childCounts, (count) => new Uint32Array(count));
    const fill = new Uint32Array(8);
    for (let n = 0; n < indices.length; n++) {
      const c = childOf[n]!;
      if (c !== 255) children[c]![fill[c]!++] = indices[n]!;
    }
    // Pushed in reverse so that child 0 is processed first (deterministic depth-first order).
    for (let c = 7; c >= 0; c--) {
      if (childCounts[c]! === 0) continue;
      stack.push({ key: [depth + 1, 2 * kx + (c & 1), 2 * ky + ((c >> 1) & 1), 2 * kz + ((c >> 2) & 1)], indices: children[c]! });
    }
  }
}

/**
 * The evenly spread subset a node keeps from `indices` (ascending): one point per grid cell, the grid made
 * coarser until at most `maxNodePoints` remain. Used by the bottom-up merge of subtrees built apart.
 */
export function sampleNode(points: OctreePoints, indices: Uint32Array, key: VoxelKey, options: OctreeOptions): Uint32Array {
  const { cube } = options;
  const gridCells = options.gridCells ?? DEFAULT_GRID_CELLS;
  ensureScratch(gridCells ** 3);
  const edge = (2 * cube.halfsize) / 2 ** key[0];
  const minX = cube.center[0] - cube.halfsize + key[1] * edge;
  const minY = cube.center[1] - cube.halfsize + key[2] * edge;
  const minZ = cube.center[2] - cube.halfsize + key[3] * edge;
  return sampleWithLimit(points, indices, minX, minY, minZ, edge, gridCells, options.maxNodePoints ?? DEFAULT_MAX_NODE_POINTS);
}

function sampleWithLimit(
  points: OctreePoints,
  indices: Uint32Array,
  minX: number,
  minY: number,
  minZ: number,
  edge: number,
  gridCells: number,
  maxNodePoints: number,
): Uint32Array {
  let cells = gridCells;
  const fine = sampleGrid(points, indices, minX, minY, minZ, edge, cells);
  if (fine.length <= maxNodePoints) return fine;
  // Note: a coarser grid's cells hold whole finer cells (halving `cells / edge` is exact in floating point), so
  // its occupied cells are those of the finer grid's kept points: counted on those few instead of re-sampling
  // every point at each coarser grid; only the grid that fits is sampled.
  let occupied = fine.length;
  while (occupied > maxNodePoints && cells > 1) {
    cells >>= 1;
    occupied = countOccupiedCells(points, fine, minX, minY, minZ, edge, cells);
  }
  return sampleGrid(points, indices, minX, minY, minZ, edge, cells);
}

/**
 * The grid cell along one axis of a position given in cell units from the node's low corner: its floor,
 * clamped to 0..max so that points on the node's far faces (and rounding just outside) fall in the edge cells.
 * Shared by counting and sampling, which must put every point in the same cell.
 */
function gridCell(f: number, max: number): number {
  const c = Math.floor(f);
  return c < 0 ? 0 : c > max ? max : c;
}

/** Number of grid cells (cells³ over the node) that hold at least one of the points at `indices`. */
function countOccupiedCells(
  points: OctreePoints,
  indices: Uint32Array,
  minX: number,
  minY: number,
  minZ: number,
  edge: number,
  cells: number,
): number {
  const inv = cells / edge;
  const max = cells - 1;
  const touched: number[] = [];
  for (let n = 0; n < indices.length; n++) {
    const i = indices[n]!;
    const cx = gridCell((points.x[i]! - minX) * inv, max);
    const cy = gridCell((points.y[i]! - minY) * inv, max);
    const cz = gridCell((points.z[i]! - minZ) * inv, max);
    const cell = (cz * cells + cy) * cells + cx;
    if (bestIndex[cell]! < 0) {
      bestIndex[cell] = 0;
      touched.push(cell);
    }
  }
  for (const cell of touched) bestIndex[cell] = -1;
  return touched.length;
}

/**
 * Grid subsampling of one node: the node cube is cut into cells³ cells and each occupied cell keeps the point
 * nearest its centre (ties: the earliest). Returns the kept indices in ascending order.
 */
function sampleGrid(
  points: OctreePoints,
  indices: Uint32Array,
  minX: number,
  minY: number,
  minZ: number,
  edge: number,
  cells: number,
): Uint32Array {
  const inv = cells / edge;
  const max = cells - 1;
  const touched: number[] = [];
  const cellOf = new Uint32Array(indices.length);
  for (let n = 0; n < indices.length; n++) {
    const i = indices[n]!;
    const fx = (points.x[i]! - minX) * inv;
    const fy = (points.y[i]! - minY) * inv;
    const fz = (points.z[i]! - minZ) * inv;
    const cx = gridCell(fx, max);
    const cy = gridCell(fy, max);
    const cz = gridCell(fz, max);
    const dx = fx - cx - 0.5;
    const dy = fy - cy - 0.5;
    const dz = fz - cz - 0.5;
    const d = dx * dx + dy * dy + dz * dz;
    const cell = (cz * cells + cy) * cells + cx;
    cellOf[n] = cell;
    const best = bestIndex[cell]!;
    if (best < 0) {
      touched.push(cell);
      bestIndex[cell] = n;
      bestDistance[cell] = d;
    } else if (d < bestDistance[cell]!) {
      bestIndex[cell] = n;
      bestDistance[cell] = d;
    }
  }
  const selected = new Uint32Array(touched.length);
  let k = 0;
  for (let n = 0; n < indices.length; n++) {
    if (bestIndex[cellOf[n]!] === n) selected[k++] = indices[n]!;
  }
  for (const cell of touched) bestIndex[cell] = -1;
  return selected;
}
