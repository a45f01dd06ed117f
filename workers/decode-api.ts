/**
 * Decoding for the viewer, as plain functions over core (run in a Web Worker through workers/client.ts, or directly
 * on the main thread when workers are unavailable): loads the points of a LAS, LAZ or COPC URL for display, all
 * points of a LAS/LAZ file (thinned to a budget) or the root and the first levels of a COPC hierarchy. Reads
 * through core's HTTP range getter and core's readers (core/las openLas, core/copc openCopc).
 */
import { transfer } from 'comlink';
import { openCopc, type CopcNode, type LazPerfChunkModule } from '../core/copc/copc-file.ts';
import type { SizedGetter } from '../core/io/getter.ts';
import { createHttpGetter, type FetchLike } from '../core/io/http-getter.ts';
import type { PointColumns } from '../core/las/point-columns.ts';
import type { LazChunkColumns } from '../core/laz/chunk-decoder.ts';
import { chunkColumnBuffers, runChunkDecodeTask, type ChunkDecodeTask } from '../core/query/chunk-task.ts';
import { openLas } from '../core/las/las-file.ts';
import { loadLazPerf, resetLazPerf, type LazPerf } from './load-laz-perf.ts';
import { classifyLoadFailure, LoadFailureError, type LoadFailure } from './load-failure.ts';
import { computeChangeDistances, type ChangeInput } from './change-distance.ts';
import { decodeCopcNode, nodePointBuffers, type DecodeNodeInput, type NodePoints } from './node-decode.ts';

export type { ChangeInput, CentredPoints } from './change-distance.ts';
export type { DecodeNodeInput, NodePoints, Vec3 } from './node-decode.ts';

/** A float64 world point: [easting, northing, height] in metres. */
export type WorldPoint = readonly [number, number, number];

/** The columns the point display needs: float64 world X/Y/Z and the raw 16-bit RGB when the format has it. */
export type DisplayColumns = Pick<PointColumns, 'count' | 'x' | 'y' | 'z' | 'red' | 'green' | 'blue'>;

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
  /** The name of the file in messages, e.g. the `?url=` as the user typed it (default: the URL). */
  readonly name?: string;
  /** The fetch implementation (default: `globalThis.fetch`). */
  readonly fetch?: FetchLike;
  /** Creates (or returns) the laz-perf instance (default: the bundled browser build, see load-laz-perf.ts). */
  readonly lazPerf?: () => Promise<LazPerf>;
  readonly pointBudget?: number;
  readonly copcMaxDepth?: number;
}

const LASF = [0x4c, 0x41, 0x53, 0x46];

/** Checks the `LASF` signature (LAS 1.4 R15 §2.4: offset 0, char[4]); throws a notLas failure otherwise. */
function checkSignature(bytes: Uint8Array, url: string): void {
  if (bytes.byteLength < 4 || LASF.some((b, i) => bytes[i] !== b)) {
    const shown = Array.from(bytes.subarray(0, 4), (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    throw new LoadFailureError({ kind: 'notLas', url, detail: `signature "${shown}" instead of "LASF"` });
  }
}

/** True when the first VLR is the COPC info VLR (COPC 1.0 §3: user "copc", record 1, right after the header). */
function isCopc(head: Uint8Array): boolean {
  const headerSize = head[94]! | (head[95]! << 8); // LAS 1.4 R15 §2.4: offset 94, uint16 header size
  const user = head.subarray(headerSize + 2, headerSize + 18);
  const recordId = head[headerSize + 18]! | (head[headerSize + 19]! << 8);
  return new TextDecoder().decode(user).replace(/\0+$/, '') === 'copc' && recordId === 1;
}

/**
 * Keeps the displayed columns only (so nothing else crosses the worker boundary), and of them every `stride`-th
 * point.
 */
function thin(points: PointColumns, stride: number): DisplayColumns {
  if (stride <= 1) {
    const { count, x, y, z, red, green, blue } = points;
    return { count, x, y, z, red, green, blue };
  }
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

/** Progress: called with the number of points about to be decoded. */
export type DecodeProgress = (count: number) => void;

async function loadLas(getter: SizedGetter, options: LoadPointCloudOptions, onDecode?: DecodeProgress): Promise<LoadedCloud> {
  // Note: laz-perf is created only for LAZ, so plain LAS also loads where no wasm can be (Node, a CSP without
  // 'wasm-unsafe-eval'); opening again costs two small range reads.
  let las = await openLas(getter);
  if (las.compressed) las = await openLas(getter, { lazPerf: (options.lazPerf ?? loadLazPerf)() });
  const { header } = las;
  onDecode?.(header.pointCount);
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

async function loadCopc(getter: SizedGetter, options: LoadPointCloudOptions, onDecode?: DecodeProgress): Promise<LoadedCloud> {
  const copc = await openCopc(getter, { lazPerf: (options.lazPerf ?? loadLazPerf)() });
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
  onDecode?.(total);
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

/** The outcome of {@link loadPointCloud}: the cloud, or a failure as plain data. */
export type LoadResult = { readonly ok: true; readonly cloud: LoadedCloud } | { readonly ok: false; readonly failure: LoadFailure };

/**
 * Loads a point cloud URL for display. Never throws: a failure (404, no range support, not a LAS file, network)
 * comes back as data, so it crosses a worker boundary intact.
 * Note: the progress callback is an argument of its own because comlink proxies only top-level arguments.
 *
 * @example
 * const result = await loadPointCloud('http://127.0.0.1:5173/data/drive-2023.las', { name: '/data/drive-2023.las' });
 * if (result.ok) console.log(result.cloud.totalCount);
 */
export async function loadPointCloud(
  url: string,
  options: LoadPointCloudOptions = {},
  onDecode?: DecodeProgress,
): Promise<LoadResult> {
  const name = options.name ?? url;
  try {
    const fetchLike: FetchLike = options.fetch ?? ((input, init) => fetch(input, init as RequestInit));
    const getter = await createHttpGetter(url, { fetch: fetchLike });
    const head = await getter.get(0, Math.min(getter.size, 4096));
    checkSignature(head, name);
    const cloud = isCopc(head) ? await loadCopc(getter, options, onDecode) : await loadLas(getter, options, onDecode);
    // Note: marks the column buffers for transfer (moved, not copied) when comlink returns this from a worker;
    // a direct call ignores the mark.
    const { x, y, z, red, green, blue } = cloud.columns;
    const buffers = new Set([x, y, z, red, green, blue].flatMap((column) => (column ? [column.buffer as ArrayBuffer] : [])));
    return transfer({ ok: true, cloud }, [...buffers]);
  } catch (error) {
    return { ok: false, failure: classifyLoadFailure(error, name) };
  }
}

/** Creates (or returns) a laz-perf instance; the default is the bundled browser build (load-laz-perf.ts). */
export type LazPerfSource = () => Promise<LazPerfChunkModule>;

/**
 * Decodes one COPC node chunk into centred float32 positions and display attributes (see node-decode.ts).
 * Throws `Invalid …` for a corrupt chunk. The result's arrays are marked for transfer, so leaving a worker moves
 * them instead of copying; the input chunk should be transferred in (client.ts does).
 *
 * @example
 * const points = await decodeNode({ compressed, pointCount: 5000, pointFormat: 7, recordLength: 36,
 *   scale: [0.01, 0.01, 0.01], offset: [0, 0, 0], centre: [291500, 5744500, 50], name: '0-0-0-0' });
 */
export async function decodeNode(input: DecodeNodeInput, lazPerf?: LazPerfSource): Promise<NodePoints> {
  const module = await (lazPerf ?? (loadLazPerf as unknown as LazPerfSource))();
  let points: NodePoints;
  try {
    points = decodeCopcNode(module, input);
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    if (!lazPerf && typeof WebAssembly !== 'undefined' && cause instanceof WebAssembly.RuntimeError) resetLazPerf();
    throw error;
  }
  return transfer(points, nodePointBuffers(points));
}

/**
 * Distances (metres, capped at `maxDistanceM`) from each point of a node to the nearest point of the other epoch
 * (see change-distance.ts); the result is marked for transfer.
 */
export async function changeDistances(input: ChangeInput): Promise<Float32Array> {
  const distances = computeChangeDistances(input);
  return transfer(distances, [distances.buffer as ArrayBuffer]);
}

/**
 * Instantiates laz-perf now (the wasm comes from the browser cache, but compiling and instantiating it still
 * takes tens of milliseconds), so the first node a worker gets is not delayed by it. The pool calls this in every
 * worker when it is created; a failure is left for the first decode to report.
 */
export async function warmUp(): Promise<void> {
  await loadLazPerf();
}

/** The decode API as one object: what decode.worker.ts exposes and what client.ts calls without a worker. */
/**
 * Decodes one COPC chunk task of a measurement query (core/query/chunk-task.ts) with core/laz's selective
 * decoder; the columns are marked for transfer (moved out of a worker, not copied).
 */
export function decodeChunk(task: ChunkDecodeTask): LazChunkColumns {
  const columns = runChunkDecodeTask(task);
  return transfer(columns, chunkColumnBuffers(columns));
}

export const decodeApi = { loadPointCloud, decodeNode, changeDistances, warmUp, decodeChunk };

/** The type of {@link decodeApi}. */
export type DecodeApi = typeof decodeApi;
