/**
 * Loads the points of a LAS, LAZ or COPC URL for the placeholder display: all points of a LAS/LAZ file (thinned to
 * a budget), or the root and the first levels of a COPC hierarchy. Reads through core's HTTP range getter and
 * core's readers (core/las openLas, core/copc openCopc), with the page's own laz-perf instance.
 */
import { openCopc, type CopcNode } from '../../core/copc/copc-file.ts';
import type { SizedGetter } from '../../core/io/getter.ts';
import { createHttpGetter, type FetchLike } from '../../core/io/http-getter.ts';
import type { PointColumns } from '../../core/las/point-columns.ts';
import { openLas } from '../../core/las/las-file.ts';
import type { LazPerf } from '../laz/load-laz-perf.ts';
import type { DisplayColumns, WorldPoint } from '../pointcloud/build-points.ts';
import { classifyLoadError, LoadError } from './load-error.ts';

/** Default number of points shown at most; a LAS/LAZ file with more is thinned evenly. */
export const DEFAULT_POINT_BUDGET = 3_000_000;

/** Deepest COPC level the placeholder loads (0 = root). */
export const DEFAULT_COPC_MAX_DEPTH = 4;

/** A loaded point cloud, ready to display. */
export interface LoadedCloud {
  readonly kind: 'las' | 'laz' | 'copc';
  /** Points in the file. */
  readonly totalCount: number;
  /** The points shown (float64 world coordinates). */
  readonly columns: DisplayColumns;
  /** Header bounds, world metres. */
  readonly min: WorldPoint;
  readonly max: WorldPoint;
  /** COPC only: hierarchy nodes loaded. */
  readonly nodeCount?: number;
}

/** Options for {@link loadPointCloud}. */
export interface LoadPointCloudOptions {
  readonly fetch: FetchLike;
  /** Creates (or returns) the laz-perf instance; only called for compressed data. */
  readonly lazPerf: () => Promise<LazPerf>;
  readonly pointBudget?: number;
  readonly copcMaxDepth?: number;
  /** Progress: how many points are being decoded. */
  readonly onDecode?: (count: number) => void;
}

const LASF = [0x4c, 0x41, 0x53, 0x46];

/** Checks the `LASF` signature (LAS 1.4 R15 §2.4: offset 0, char[4]); throws a notLas LoadError otherwise. */
function checkSignature(bytes: Uint8Array, url: string): void {
  if (bytes.byteLength < 4 || LASF.some((b, i) => bytes[i] !== b)) {
    const shown = Array.from(bytes.subarray(0, 4), (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    throw new LoadError('notLas', url, `signature "${shown}" instead of "LASF"`);
  }
}

/** True when the first VLR is the COPC info VLR (COPC 1.0 §3: user "copc", record 1, right after the header). */
function isCopc(head: Uint8Array): boolean {
  const headerSize = head[94]! | (head[95]! << 8); // LAS 1.4 R15 §2.4: offset 94, uint16 header size
  const user = head.subarray(headerSize + 2, headerSize + 18);
  const recordId = head[headerSize + 18]! | (head[headerSize + 19]! << 8);
  return new TextDecoder().decode(user).replace(/\0+$/, '') === 'copc' && recordId === 1;
}

/** Keeps every `stride`-th point of the displayed columns. */
function thin(points: PointColumns, stride: number): DisplayColumns {
  if (stride <= 1) return points;
  const count = Math.ceil(points.count / stride);
  const pick = <T extends Float64Array | Uint16Array>(column: T | undefined): T | undefined => {
    if (!column) return undefined;
    const out = new (column.constructor as new (n: number) => T)(count);
    for (let i = 0, k = 0; k < count; i += stride, k++) out[k] = column[i]!;
    return out;
  };
  return {
    count,
    x: pick(points.x)!,
    y: pick(points.y)!,
    z: pick(points.z)!,
    red: pick(points.red),
    green: pick(points.green),
    blue: pick(points.blue),
  };
}

/** Concatenates column sets. */
function concatColumns(parts: readonly DisplayColumns[]): DisplayColumns {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  const rgb = parts.length > 0 && parts.every((p) => p.red && p.green && p.blue);
  const red = rgb ? new Uint16Array(count) : undefined;
  const green = rgb ? new Uint16Array(count) : undefined;
  const blue = rgb ? new Uint16Array(count) : undefined;
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at);
    y.set(p.y, at);
    z.set(p.z, at);
    if (red && green && blue) {
      red.set(p.red!, at);
      green.set(p.green!, at);
      blue.set(p.blue!, at);
    }
    at += p.count;
  }
  return { count, x, y, z, red, green, blue };
}

/** The depth of a COPC voxel key `D-X-Y-Z`. */
function depthOf(key: string): number {
  return Number(key.split('-', 1)[0]);
}

async function loadLas(getter: SizedGetter, options: LoadPointCloudOptions): Promise<LoadedCloud> {
  const las = await openLas(getter, { lazPerf: options.lazPerf() });
  const { header } = las;
  options.onDecode?.(header.pointCount);
  const points = await las.readPoints();
  const budget = options.pointBudget ?? DEFAULT_POINT_BUDGET;
  return {
    kind: las.compressed ? 'laz' : 'las',
    totalCount: header.pointCount,
    columns: thin(points, Math.max(1, Math.ceil(points.count / budget))),
    min: header.min,
    max: header.max,
  };
}

async function loadCopc(getter: SizedGetter, options: LoadPointCloudOptions): Promise<LoadedCloud> {
  const copc = await openCopc(getter, { lazPerf: options.lazPerf() });
  const maxDepth = options.copcMaxDepth ?? DEFAULT_COPC_MAX_DEPTH;
  const budget = options.pointBudget ?? DEFAULT_POINT_BUDGET;
  // The root hierarchy page holds the root and the first levels; deeper pages are the real viewer's business.
  const { nodes } = await copc.loadHierarchyPage();
  const candidates = [...nodes.values()]
    .filter((node) => node.pointCount > 0 && depthOf(node.key) <= maxDepth)
    .sort((a, b) => depthOf(a.key) - depthOf(b.key));
  const chosen: CopcNode[] = [];
  let total = 0;
  for (const node of candidates) {
    if (total + node.pointCount > budget && chosen.length > 0) break;
    chosen.push(node);
    total += node.pointCount;
  }
  options.onDecode?.(total);
  const parts: DisplayColumns[] = [];
  for (const node of chosen) parts.push(await copc.loadNode(node));
  return {
    kind: 'copc',
    totalCount: copc.header.pointCount,
    columns: concatColumns(parts),
    min: copc.header.min,
    max: copc.header.max,
    nodeCount: chosen.length,
  };
}

/**
 * Loads a point cloud URL for display. Throws a {@link LoadError} saying what went wrong (404, no range support,
 * not a LAS file, network).
 *
 * @example
 * const cloud = await loadPointCloud('/data/drive-2023.las', { fetch: (u, i) => fetch(u, i as RequestInit), lazPerf: loadLazPerf });
 */
export async function loadPointCloud(url: string, options: LoadPointCloudOptions): Promise<LoadedCloud> {
  try {
    const getter = await createHttpGetter(url, { fetch: options.fetch });
    const head = await getter.get(0, Math.min(getter.size, 4096));
    checkSignature(head, url);
    return isCopc(head) ? await loadCopc(getter, options) : await loadLas(getter, options);
  } catch (error) {
    const classified = classifyLoadError(error, url);
    // A parser error after the signature matched still means the file is no readable LAS.
    if (classified.kind === 'other' && /^Invalid/.test(classified.detail)) {
      throw new LoadError('notLas', url, classified.detail);
    }
    throw classified;
  }
}
