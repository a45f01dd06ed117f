/**
 * A uniform 2D grid over plan coordinates for neighbourhood queries (radius, box) in O(1) cells per query.
 *
 * Note: cells are stored compressed (a counting sort into one index array plus cell offsets), so building
 * is O(n) and memory is two typed arrays, whatever the point count.
 */

/** Columns with plan coordinates (PointColumns qualifies). */
export interface PlanColumns {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** A built grid: query with {@link GridIndex2.forEachInRadius} or {@link GridIndex2.forEachInBox}. */
export interface GridIndex2 {
  readonly cellM: number;
  readonly minX: number;
  readonly minY: number;
  readonly nx: number;
  readonly ny: number;
  /** Point indices sorted by cell. */
  readonly order: Uint32Array;
  /** Offsets into `order`, length nx * ny + 1. */
  readonly cellStart: Uint32Array;
  readonly points: PlanColumns;
}

const MAX_CELLS = 1 << 22;

/** Builds a grid of cell size cellM (metres) over the given point indices (all points when omitted). */
export function buildGridIndex2(points: PlanColumns, cellM: number, indices?: ArrayLike<number>): GridIndex2 {
  if (!(cellM > 0)) throw new Error(`Invalid grid cell size (core/geometry/grid-index.ts): ${cellM}`);
  const n = indices ? indices.length : points.x.length;
  const at = (k: number): number => (indices ? indices[k]! : k);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const x = points.x[i]!;
    const y = points.y[i]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (n === 0) {
    minX = minY = 0;
    maxX = maxY = 0;
  }
  let cell = cellM;
  let nx = Math.floor((maxX - minX) / cell) + 1;
  let ny = Math.floor((maxY - minY) / cell) + 1;
  while (nx * ny > MAX_CELLS) {
    cell *= 2;
    nx = Math.floor((maxX - minX) / cell) + 1;
    ny = Math.floor((maxY - minY) / cell) + 1;
  }
  const cellOf = new Uint32Array(n);
  const cellStart = new Uint32Array(nx * ny + 1);
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const cx = Math.floor((points.x[i]! - minX) / cell);
    const cy = Math.floor((points.y[i]! - minY) / cell);
    const c = cy * nx + cx;
    cellOf[k] = c;
    cellStart[c + 1]!++;
  }
  for (let c = 0; c < nx * ny; c++) cellStart[c + 1]! += cellStart[c]!;
  const fill = cellStart.slice(0, nx * ny);
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[fill[cellOf[k]!]!++] = at(k);
  return { cellM: cell, minX, minY, nx, ny, order, cellStart, points };
}

/** Calls fn(index) for every point whose plan position lies in the box [x0, x1] x [y0, y1]. */
export function forEachInBox(
  grid: GridIndex2,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  fn: (index: number) => void,
): void {
  const { cellM, minX, minY, nx, ny, order, cellStart, points } = grid;
  const cx0 = Math.max(0, Math.floor((x0 - minX) / cellM));
  const cy0 = Math.max(0, Math.floor((y0 - minY) / cellM));
  const cx1 = Math.min(nx - 1, Math.floor((x1 - minX) / cellM));
  const cy1 = Math.min(ny - 1, Math.floor((y1 - minY) / cellM));
  for (let cy = cy0; cy <= cy1; cy++) {
    for (let cx = cx0; cx <= cx1; cx++) {
      const c = cy * nx + cx;
      for (let k = cellStart[c]!; k < cellStart[c + 1]!; k++) {
        const i = order[k]!;
        const x = points.x[i]!;
        const y = points.y[i]!;
        if (x >= x0 && x <= x1 && y >= y0 && y <= y1) fn(i);
      }
    }
  }
}

/** Calls fn(index, distanceM) for every point within the plan radius rM of (x, y). */
export function forEachInRadius(
  grid: GridIndex2,
  x: number,
  y: number,
  rM: number,
  fn: (index: number, distanceM: number) => void,
): void {
  const r2 = rM * rM;
  const { points } = grid;
  forEachInBox(grid, x - rM, y - rM, x + rM, y + rM, (i) => {
    const dx = points.x[i]! - x;
    const dy = points.y[i]! - y;
    const d2 = dx * dx + dy * dy;
    if (d2 <= r2) fn(i, Math.sqrt(d2));
  });
}
