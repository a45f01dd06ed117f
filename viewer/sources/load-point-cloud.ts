/**
 * Loads the points of a LAS, LAZ or COPC URL for the placeholder display: all points of a LAS/LAZ file (thinned to
 * a budget), or the root and the first levels of a COPC hierarchy. Reads through core's HTTP range getter.
 *
 * Note: until core/las (openLas/readPoints) and core/copc (openCopc) land, records are decoded with the copc.js
 * package; only this module knows that, and it is swapped for the core readers when they exist.
 */
import { Copc, Hierarchy, Las } from 'copc';
import type { LazPerf as CopcLazPerf } from 'laz-perf';
import { clampGetter, type SizedGetter } from '../../core/io/getter.ts';
import { createHttpGetter, type FetchLike } from '../../core/io/http-getter.ts';
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

/** Copies the displayed dimensions out of a copc.js view, keeping every `stride`-th point. */
function columnsFromView(view: ReturnType<typeof Las.View.create>, stride: number): DisplayColumns {
  const count = Math.ceil(view.pointCount / stride);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  const gx = view.getter('X');
  const gy = view.getter('Y');
  const gz = view.getter('Z');
  const rgb = 'Red' in view.dimensions && 'Green' in view.dimensions && 'Blue' in view.dimensions;
  const red = rgb ? new Uint16Array(count) : undefined;
  const green = rgb ? new Uint16Array(count) : undefined;
  const blue = rgb ? new Uint16Array(count) : undefined;
  const gr = rgb ? view.getter('Red') : undefined;
  const gg = rgb ? view.getter('Green') : undefined;
  const gb = rgb ? view.getter('Blue') : undefined;
  for (let i = 0, k = 0; k < count; i += stride, k++) {
    x[k] = gx(i);
    y[k] = gy(i);
    z[k] = gz(i);
    if (red && green && blue) {
      red[k] = gr!(i);
      green[k] = gg!(i);
      blue[k] = gb!(i);
    }
  }
  return { count, x, y, z, red, green, blue };
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

/** copc.js needs at least 375 header bytes, which LAS 1.0-1.2 files below that size do not have. */
function padHeader(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength >= 375) return bytes;
  const padded = new Uint8Array(375);
  padded.set(bytes);
  return padded;
}

async function loadLas(getter: SizedGetter, url: string, options: LoadPointCloudOptions): Promise<LoadedCloud> {
  const file = await getter.get(0, getter.size);
  const header = Las.Header.parse(padHeader(file));
  const compressed = (file[104]! & 0xc0) !== 0; // LAS 1.4 R15 §2.4: offset 104, format byte; LASzip sets bit 7
  const formatHeader = { ...header, pointDataRecordFormat: header.pointDataRecordFormat & 0x3f };
  options.onDecode?.(header.pointCount);
  let records: Uint8Array;
  if (compressed) {
    const lazPerf = (await options.lazPerf()) as unknown as CopcLazPerf;
    records = await Las.PointData.decompressFile(file, lazPerf);
  } else {
    const begin = header.pointDataOffset;
    const end = begin + header.pointCount * header.pointDataRecordLength;
    if (end > file.byteLength) {
      throw new LoadError('notLas', url, `point records end at byte ${end}, the file has ${file.byteLength}`);
    }
    records = file.subarray(begin, end);
  }
  const view = Las.View.create(records, formatHeader);
  const budget = options.pointBudget ?? DEFAULT_POINT_BUDGET;
  const stride = Math.max(1, Math.ceil(header.pointCount / budget));
  return {
    kind: compressed ? 'laz' : 'las',
    totalCount: header.pointCount,
    columns: columnsFromView(view, stride),
    min: header.min,
    max: header.max,
  };
}

async function loadCopc(getter: SizedGetter, options: LoadPointCloudOptions): Promise<LoadedCloud> {
  const get = clampGetter(getter);
  const copc = await Copc.create(get);
  const maxDepth = options.copcMaxDepth ?? DEFAULT_COPC_MAX_DEPTH;
  const budget = options.pointBudget ?? DEFAULT_POINT_BUDGET;
  const { nodes } = await Hierarchy.load(get, copc.info.rootHierarchyPage);
  const chosen: Array<[string, Hierarchy.Node]> = [];
  let total = 0;
  const byDepth = Object.entries(nodes)
    .filter((entry): entry is [string, Hierarchy.Node] => entry[1] !== undefined && entry[1].pointCount > 0)
    .map(([key, node]) => [Number(key.split('-')[0]), key, node] as const)
    .filter(([depth]) => depth <= maxDepth)
    .sort((a, b) => a[0] - b[0]);
  for (const [, key, node] of byDepth) {
    if (total + node.pointCount > budget && chosen.length > 0) break;
    chosen.push([key, node]);
    total += node.pointCount;
  }
  options.onDecode?.(total);
  const lazPerf = (await options.lazPerf()) as unknown as CopcLazPerf;
  const parts: DisplayColumns[] = [];
  for (const [, node] of chosen) {
    const view = await Copc.loadPointDataView(get, copc, node, { lazPerf, include: ['X', 'Y', 'Z', 'Red', 'Green', 'Blue'] });
    parts.push(columnsFromView(view, 1));
  }
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
    if (getter.size < 227) throw new LoadError('notLas', url, `only ${getter.size} bytes, a LAS header has 227 or more`);
    return isCopc(head) ? await loadCopc(getter, options) : await loadLas(getter, url, options);
  } catch (error) {
    const classified = classifyLoadError(error, url);
    // A parser error after the signature matched still means the file is no readable LAS.
    if (classified.kind === 'other' && /^Invalid/.test(classified.detail)) {
      throw new LoadError('notLas', url, classified.detail);
    }
    throw classified;
  }
}
