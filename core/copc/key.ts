/**
 * COPC voxel keys (COPC 1.0 §"Hierarchy": a node is addressed by depth D and integer cell X, Y, Z; the root
 * 0-0-0-0 is the cube of the info VLR and every level halves the cell edge).
 *
 * @example
 * const key = VoxelKey.parse('2-1-3-0');
 * const [minX, minY, minZ, maxX, maxY, maxZ] = VoxelKey.bounds(key, cube);
 */

/** A voxel key [depth, x, y, z]. */
export type VoxelKey = readonly [depth: number, x: number, y: number, z: number];

/** An axis-aligned box [minX, minY, minZ, maxX, maxY, maxZ], metres (world, float64). */
export type Box3 = readonly [number, number, number, number, number, number];

/** Parses 'D-X-Y-Z'; throws `Invalid voxel key: …` when it is not four non-negative integers in range. */
function parse(text: string): VoxelKey {
  const parts = text.split('-');
  const numbers = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (numbers.length !== 4 || numbers.some((n) => !Number.isSafeInteger(n))) {
    throw new Error(`Invalid voxel key: ${text}`);
  }
  const key = numbers as unknown as VoxelKey;
  check(key, text);
  return key;
}

function check(key: VoxelKey, text: string): void {
  const [d, x, y, z] = key;
  const cells = 2 ** d;
  if (d > 52 || x >= cells || y >= cells || z >= cells) throw new Error(`Invalid voxel key: ${text} (cell outside depth ${d})`);
}

/** 'D-X-Y-Z' of a key. */
function toString(key: VoxelKey): string {
  return `${key[0]}-${key[1]}-${key[2]}-${key[3]}`;
}

/** A key from 'D-X-Y-Z' or an array; validated. */
function from(key: VoxelKey | string): VoxelKey {
  if (typeof key === 'string') return parse(key);
  check(key, toString(key));
  return key;
}

/** The root key 0-0-0-0. */
const ROOT: VoxelKey = [0, 0, 0, 0];

/**
 * The box of a key inside the root cube, metres. The cell edge is (cube edge) / 2^depth; each bound is computed
 * from the cube minimum so that neighbouring cells share exact float64 faces.
 */
function bounds(key: VoxelKey | string, cube: Box3): Box3 {
  const [d, x, y, z] = from(key);
  const cells = 2 ** d;
  const along = (axis: 0 | 1 | 2, i: number): [number, number] => {
    const min = cube[axis];
    const edge = cube[axis + 3]! - min;
    return [min + (edge * i) / cells, min + (edge * (i + 1)) / cells];
  };
  const [x0, x1] = along(0, x);
  const [y0, y1] = along(1, y);
  const [z0, z1] = along(2, z);
  return [x0, y0, z0, x1, y1, z1];
}

/** The eight children of a key at depth + 1, in x-fastest order (x, then y, then z bit). */
function children(key: VoxelKey | string): VoxelKey[] {
  const [d, x, y, z] = from(key);
  const out: VoxelKey[] = [];
  for (let i = 0; i < 8; i++) out.push([d + 1, 2 * x + (i & 1), 2 * y + ((i >> 1) & 1), 2 * z + ((i >> 2) & 1)]);
  return out;
}

/** The parent key, or undefined for the root. */
function findParent(key: VoxelKey | string): VoxelKey | undefined {
  const [d, x, y, z] = from(key);
  if (d === 0) return undefined;
  return [d - 1, Math.floor(x / 2), Math.floor(y / 2), Math.floor(z / 2)];
}

/** True when `inner` is `outer` or lies below it in the octree. */
function contains(outer: VoxelKey | string, inner: VoxelKey | string): boolean {
  const [od, ox, oy, oz] = from(outer);
  const [id, ix, iy, iz] = from(inner);
  if (id < od) return false;
  const shift = 2 ** (id - od);
  return Math.floor(ix / shift) === ox && Math.floor(iy / shift) === oy && Math.floor(iz / shift) === oz;
}

/** Voxel-key helpers (copc.js habit: a type and a same-named object of functions). */
export const VoxelKey = { ROOT, parse, toString, from, bounds, children, findParent, contains };
