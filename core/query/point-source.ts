/**
 * Full-resolution region queries over a point file: the points of a footprint, slab, spot or clip region at
 * every octree level, whatever a viewer has loaded.
 *
 * Two sources behind one interface (Giro3D habit: a source that hands out point data, the caller decides):
 * - COPC: the hierarchy is read once; a query decodes exactly the nodes whose boxes touch the region (every
 *   level: each COPC point is stored once, in one node) and keeps the points inside it.
 * - LAS/LAZ: the whole file is read and decoded once on the first query, then every query filters it.
 *
 * COPC chunks (PDRF 6-8, layered) are decoded by core/laz's selective decoder: a query that names its `fields`
 * (measurements: MEASURE_FIELDS) reads only those layers of the LAZ chunk, and records outside the region are
 * never written out. laz-perf stays as the fallback (`decoder: 'laz-perf'`).
 *
 * @example
 * const source = await openPointSource(getter);
 * const { points, stats } = await source.query(Region.disc([291450.2, 5744310.8], 0.1), { fields: MEASURE_FIELDS });
 * // points.x/y/z/classification/gpsTime…; stats.nodesFetched, stats.bytesFetched, stats.pointsRead
 */
import {
  openCopc,
  COPC_INFO_RECORD_ID,
  COPC_USER_ID,
  type CopcFile,
  type CopcNode,
  type CopcOptions,
  type LazPerfChunkModule,
} from '../copc/copc-file.ts';
import type { Getter, SizedGetter } from '../io/getter.ts';
import { readExtraValue } from '../las/extra-bytes.ts';
import type { LasHeader } from '../las/header.ts';
import { openLas, type LasFile, type OpenLasOptions } from '../las/las-file.ts';
import { getDefaultLazPerf } from '../las/laz.ts';
import type { PointColumns } from '../las/point-columns.ts';
import { findVlr } from '../las/vlr.ts';
import {
  decodeLazChunk,
  LAZ_FIELD_COLUMNS as FIELD_COLUMNS,
  LAZ_FIELDS,
  type LazChunkColumns,
  type LazChunkDecodeOptions,
  type LazField,
} from '../laz/chunk-decoder.ts';
import { LAZ_BASE_RECORD_LENGTH } from '../laz/laz-layout.ts';
import type { ChunkDecodeFn, ChunkDecodeTask } from './chunk-task.ts';
import { gatherColumns } from './columns.ts';
import { prepareRegion, type PreparedRegion, type QueryRegion } from './region.ts';

/** What one query cost. */
export interface QueryStats {
  /** COPC nodes decoded for this query (from the file, not from the node cache); 0 for LAS/LAZ. */
  readonly nodesFetched: number;
  /** Bytes read from the file for this query (hierarchy pages on the first COPC query, the whole file on the first LAS query). */
  readonly bytesFetched: number;
  /** Points decoded for this query. */
  readonly pointsRead: number;
  /** Keys of the COPC nodes whose boxes touch the region (fetched or taken from the cache), sorted. */
  readonly nodeKeys: readonly string[];
}

/** The points inside a region (in {@link canonicalOrder}) and what reading them cost. */
export interface QueryResult {
  readonly points: PointColumns;
  readonly stats: QueryStats;
}

/**
 * Point fields a query may leave out, so a COPC node's LAZ chunk is decoded only in the layers asked for (core/laz
 * LazField: `flags` = classification flags, scan direction, edge of flight line; `pointSource` = point source ID;
 * `rgb` = red, green, blue; `extraBytes` = the `extra` columns).
 */
export type QueryField = LazField;

/** Options of one query. */
export interface QueryOptions {
  /**
   * Columns wanted besides x/y/z, return number, number of returns, scanner channel and GPS time, which every
   * result has (GPS time is the first key of {@link canonicalOrder}). Default: every column of the file.
   */
  readonly fields?: readonly QueryField[];
}

/** The fields the measurements read (class filters): with x/y/z and GPS time that is all they need. */
export const MEASURE_FIELDS: readonly QueryField[] = ['classification'];

/** A file that answers region queries. */
export interface PointSource {
  readonly kind: 'copc' | 'las';
  readonly name: string;
  readonly header: LasHeader;
  /** The underlying LAS view (VLRs, extra bytes, WKT). */
  readonly las: LasFile;
  readonly wkt?: string;
  /** Points inside the region, at full resolution. */
  query(region: QueryRegion | PreparedRegion, options?: QueryOptions): Promise<QueryResult>;
}

/** Options of the sources. */
export interface PointSourceOptions {
  /** laz-perf instance for LAZ and COPC chunks (default: the package's shared instance). */
  readonly lazPerf?: OpenLasOptions['lazPerf'] & CopcOptions['lazPerf'];
  /**
   * Decoded COPC nodes kept between queries (default 0: none). Batch runs over neighbouring regions (a row of
   * buildings) set a few dozen, so shared nodes are decoded once.
   */
  readonly nodeCacheSize?: number;
  /**
   * Decoder of COPC chunks: `auto` (default) uses core/laz's selective decoder for PDRF 6-8 layered chunks,
   * which skips the layers a query does not ask for; `laz-perf` always decodes whole records with laz-perf.
   */
  readonly decoder?: 'auto' | 'laz-perf';
  /**
   * Decodes the chunks of a query's uncached nodes concurrently elsewhere (Node worker threads, see
   * tiling/measure/decode-threads.ts; the measure worker's nested decode workers, workers/client.ts) instead of
   * one after the other on this thread; used by the selective
   * decoder only. Results are gathered in node order, so a query returns the same rows either way.
   */
  readonly decodeChunk?: ChunkDecodeFn;
}

export { runChunkDecodeTask, type ChunkDecodeFn, type ChunkDecodeTask } from './chunk-task.ts';

/** A SizedGetter that counts the bytes read through it. */
interface CountingGetter extends SizedGetter {
  readonly bytesRead: () => number;
}

function countingGetter(inner: SizedGetter): CountingGetter {
  let bytes = 0;
  const get: Getter = async (begin, end) => {
    const out = await inner.get(begin, end);
    bytes += out.byteLength;
    return out;
  };
  return { get, size: inner.size, name: inner.name, bytesRead: () => bytes };
}

function prepared(region: QueryRegion | PreparedRegion): PreparedRegion {
  return 'intersectsBox' in region ? region : prepareRegion(region);
}

const ALWAYS_COLUMNS: readonly (keyof PointColumns)[] = ['count', 'x', 'y', 'z', 'returnNumber', 'numberOfReturns', 'scannerChannel', 'gpsTime'];

/** The fields a query decodes: the asked ones plus GPS time (ordering key); undefined = all. */
function decodedFields(fields: readonly QueryField[] | undefined): readonly QueryField[] | undefined {
  if (fields === undefined) return undefined;
  for (const f of fields) if (!(f in FIELD_COLUMNS)) throw new Error(`Invalid query field: ${String(f)}`);
  return LAZ_FIELDS.filter((f) => f === 'gpsTime' || fields.includes(f));
}

/** The columns of `points` a query with these fields returns (all of them when fields is undefined). */
function pickColumns(points: PointColumns, fields: readonly QueryField[] | undefined): PointColumns {
  if (fields === undefined) return points;
  const out: Record<string, unknown> = {};
  for (const name of [...ALWAYS_COLUMNS, ...fields.flatMap((f) => FIELD_COLUMNS[f])]) {
    if (points[name] !== undefined) out[name] = points[name];
  }
  return out as unknown as PointColumns;
}

/**
 * Row order of a result that does not depend on how the file stores its points (a LAS in acquisition order, a
 * COPC spread over nodes): by GPS time, then X, Y, Z. Measurements with seeded random sampling (RANSAC) then
 * give the same answer from a LAS and from its COPC.
 */
export function canonicalOrder(points: PointColumns): Uint32Array {
  const { x, y, z } = points;
  const t = points.gpsTime;
  const n = points.count;
  const cmp = (a: number, b: number): number => (t ? t[a]! - t[b]! : 0) || x[a]! - x[b]! || y[a]! - y[b]! || z[a]! - z[b]!;
  // Note: a stable natural merge sort with the same comparison as `Uint32Array.sort(cmp)` (also stable), so the
  // order is the same; node parts and LAS files come in long runs already in GPS order, which it merges in
  // O(n log runs) instead of sorting from scratch.
  let order: Uint32Array = allRows(n);
  if (n < 2) return order;
  const runEnds: number[] = [];
  for (let i = 1; i < n; i++) if (cmp(i - 1, i) > 0) runEnds.push(i);
  runEnds.push(n);
  if (runEnds.length === 1) return order;
  let other: Uint32Array = new Uint32Array(n);
  let ends = runEnds;
  while (ends.length > 1) {
    const merged: number[] = [];
    let start = 0;
    for (let r = 0; r < ends.length; r += 2) {
      const mid = ends[r]!;
      const end = r + 1 < ends.length ? ends[r + 1]! : mid;
      let i = start;
      let j = mid;
      let k = start;
      while (i < mid && j < end) other[k++] = cmp(order[j]!, order[i]!) < 0 ? order[j++]! : order[i++]!;
      while (i < mid) other[k++] = order[i++]!;
      while (j < end) other[k++] = order[j++]!;
      merged.push(end);
      start = end;
    }
    [order, other] = [other, order];
    ends = merged;
  }
  return order;
}

function inCanonicalOrder(points: PointColumns): PointColumns {
  return gatherColumns([{ points, indices: canonicalOrder(points) }], points);
}

/** 0, 1, …, count − 1. */
function allRows(count: number): Uint32Array {
  const rows = new Uint32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

/** Indices of the points of `points` inside the region. */
export function selectInRegion(points: PointColumns, region: PreparedRegion): Uint32Array {
  const { x, y, z } = points;
  const [bx0, by0, bx1, by1] = region.bounds;
  const out: number[] = [];
  for (let i = 0; i < points.count; i++) {
    const px = x[i]!;
    const py = y[i]!;
    if (px < bx0 || px > bx1 || py < by0 || py > by1) continue;
    if (region.contains(px, py, z[i]!)) out.push(i);
  }
  return Uint32Array.from(out);
}

/**
 * Opens a LAS, LAZ or COPC file as a PointSource: COPC when the file has a COPC info VLR (copc/1), otherwise a
 * whole-file LAS/LAZ source.
 */
export async function openPointSource(getter: SizedGetter, options: PointSourceOptions = {}): Promise<PointSource> {
  const counting = countingGetter(getter);
  const las = await openLas(counting, options.lazPerf !== undefined ? { lazPerf: options.lazPerf } : {});
  if (findVlr(las.vlrs, COPC_USER_ID, COPC_INFO_RECORD_ID)) {
    // Note: without an instance copc.js instantiates a new laz-perf WebAssembly module for every chunk (~0.2 s
    // each); one shared instance makes node decoding a matter of milliseconds.
    const lazPerf = options.lazPerf ?? (getDefaultLazPerf() as unknown as NonNullable<CopcOptions['lazPerf']>);
    const copc = await openCopc(counting, { las, lazPerf });
    return createCopcSource(copc, counting, options, lazPerf);
  }
  return createLasSource(las, counting);
}

/** A whole-file source: decoded once on the first query, filtered on every query. */
function createLasSource(las: LasFile, counting: CountingGetter): PointSource {
  let all: Promise<PointColumns> | undefined;
  return {
    kind: 'las',
    name: las.name,
    header: las.header,
    las,
    ...(las.wkt !== undefined ? { wkt: las.wkt } : {}),
    query: async (regionIn, queryOptions = {}) => {
      const region = prepared(regionIn);
      const fields = decodedFields(queryOptions.fields);
      const before = counting.bytesRead();
      const first = all === undefined;
      all ??= las.readPoints();
      const points = pickColumns(await all, fields);
      const indices = selectInRegion(points, region);
      return {
        points: inCanonicalOrder(gatherColumns([{ points, indices }], points)),
        stats: { nodesFetched: 0, bytesFetched: counting.bytesRead() - before, pointsRead: first ? points.count : 0, nodeKeys: [] },
      };
    },
  };
}

/** A COPC source: hierarchy once, then exactly the touching nodes per query. */
function createCopcSource(
  copc: CopcFile,
  counting: CountingGetter,
  options: PointSourceOptions,
  lazPerf: NonNullable<CopcOptions['lazPerf']>,
): PointSource {
  let hierarchy: Promise<CopcNode[]> | undefined;
  const cacheSize = options.nodeCacheSize ?? 0;
  const cache = new Map<string, PointColumns>();
  const { pointFormat, pointRecordLength } = copc.header;
  const ownDecoder = options.decoder !== 'laz-perf' && LAZ_BASE_RECORD_LENGTH[pointFormat] !== undefined && pointRecordLength >= LAZ_BASE_RECORD_LENGTH[pointFormat]!;
  return {
    kind: 'copc',
    name: copc.name,
    header: copc.header,
    las: copc.las,
    ...(copc.wkt !== undefined ? { wkt: copc.wkt } : {}),
    query: async (regionIn, queryOptions = {}) => {
      const region = prepared(regionIn);
      const fields = decodedFields(queryOptions.fields);
      // Nodes decoded with fewer fields cannot serve a query that wants more: the field set is part of the key.
      const fieldsKey = fields === undefined ? '*' : fields.join(',');
      const before = counting.bytesRead();
      hierarchy ??= copc.loadHierarchy().then((nodes) => [...nodes.values()].filter((n) => n.pointCount > 0));
      const nodes = (await hierarchy).filter((n) => region.intersectsBox(copc.boundsOf(n.key)));
      nodes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      let nodesFetched = 0;
      let pointsRead = 0;
      const parts = [];
      // Note: the chunks of all uncached nodes are requested at once (over HTTP the round trips overlap) and
      // decoded one after the other as they arrive.
      const chunks = new Map<string, Promise<Uint8Array>>();
      const cacheKey = (node: CopcNode): string => `${fieldsKey}|${node.key}`;
      // Note: cache hits are taken before decoding, since decoding the misses evicts entries from a small cache.
      const hits = new Map<string, PointColumns>();
      const decodedInRegion = new Set<PointColumns>();
      for (const node of nodes) {
        const hit = cache.get(cacheKey(node));
        if (hit) hits.set(node.key, hit);
        else chunks.set(node.key, readChunk(copc, counting, node));
      }
      for (const c of chunks.values()) c.catch(() => undefined);
      const keep = cacheSize > 0 ? undefined : region;
      // With a decodeChunk every uncached node is handed over at once when all bytes are in (so the decoder
      // sees the whole set and can start the largest first); the loop below then takes the results in node order.
      const decoded = new Map<string, Promise<PointColumns>>();
      if (ownDecoder && options.decodeChunk && chunks.size > 0) {
        const decodeChunk = options.decodeChunk;
        const all = Promise.all(chunks.values());
        for (const node of nodes) {
          const chunk = chunks.get(node.key);
          if (!chunk) continue;
          const task = all.then(async () =>
            decodeChunk({ chunk: await chunk, options: selectiveOptions(copc, node, fields), ...(keep ? { region: keep.region } : {}) }),
          );
          const columns = task.then((c) => toPointColumns(c, copc, fields));
          columns.catch(() => undefined);
          decoded.set(node.key, columns);
        }
      }
      for (const node of nodes) {
        const key = cacheKey(node);
        let points = hits.get(node.key);
        if (points) {
          // Most recently used last.
          cache.delete(key);
          cache.set(key, points);
        } else {
          // Note: without a cache only the records inside the region are kept while the chunk is decoded, so
          // a thin slab through a node of 100 000 points decodes columns for its few hundred.
          const chunk = chunks.get(node.key)!;
          const elsewhere = decoded.get(node.key);
          points = elsewhere
            ? await elsewhere
            : ownDecoder
              ? toPointColumns(decodeLazChunk(await chunk, { ...selectiveOptions(copc, node, fields), ...(keep ? { region: keep } : {}) }), copc, fields)
              : pickColumns(await decodeNode(copc, chunk, lazPerf, node, keep), fields);
          if (keep) decodedInRegion.add(points);
          nodesFetched++;
          pointsRead += node.pointCount;
          if (cacheSize > 0) {
            cache.set(key, points);
            if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
          }
        }
        // A node decoded with the region holds only points inside it already.
        parts.push({ points, indices: decodedInRegion.has(points) ? allRows(points.count) : selectInRegion(points, region) });
      }
      const template = parts.length === 0 ? pickColumns(await emptyColumns(copc), fields) : undefined;
      return {
        points: inCanonicalOrder(gatherColumns(parts, template)),
        stats: { nodesFetched, bytesFetched: counting.bytesRead() - before, pointsRead, nodeKeys: nodes.map((n) => n.key) },
      };
    },
  };
}

/** Zero points with the file's columns (so an empty result still has the file's column set). */
async function emptyColumns(copc: CopcFile): Promise<PointColumns> {
  const { pointFormat, pointRecordLength } = copc.header;
  return copc.las.decode({ pointFormat, recordLength: pointRecordLength, count: 0, bytes: new Uint8Array(0) });
}

/** The compressed bytes of a node's LAZ chunk. */
async function readChunk(copc: CopcFile, counting: CountingGetter, node: CopcNode): Promise<Uint8Array> {
  const end = node.pointDataOffset + node.pointDataLength;
  if (node.pointDataOffset < 0 || end > copc.size) {
    throw new Error(`Invalid node: ${node.key} data ${node.pointDataOffset}+${node.pointDataLength} beyond the end of ${copc.name}`);
  }
  return counting.get(node.pointDataOffset, end);
}

/**
 * The laz-perf path (`decoder: 'laz-perf'`): decompresses one COPC node's LAZ chunk with laz-perf's ChunkDecoder
 * and decodes the records inside `region` (all records without one) into columns. Note: every record is decoded into one wasm buffer and X/Y/Z are
 * read from the wasm heap in place; copc.js's decompressChunk wraps every record in a new view and copies the
 * whole chunk out, which cost as much as the arithmetic decoding itself.
 */
async function decodeNode(
  copc: CopcFile,
  chunk: Promise<Uint8Array>,
  lazPerfIn: NonNullable<CopcOptions['lazPerf']>,
  node: CopcNode,
  region: PreparedRegion | undefined,
): Promise<PointColumns> {
  const { pointFormat, pointRecordLength: len } = copc.header;
  const lp = (await lazPerfIn) as unknown as LazPerfChunkModule;
  const compressed = await chunk;
  if (typeof lp?.ChunkDecoder !== 'function') return copc.loadNode(node);
  const n = node.pointCount;
  const [sx, sy, sz] = copc.header.scale;
  const [ox, oy, oz] = copc.header.offset;
  let out = new Uint8Array((region ? Math.min(n, 4096) : n) * len);
  let kept = 0;
  const blob = lp._malloc(compressed.byteLength);
  const rec = lp._malloc(len);
  let decoder: InstanceType<LazPerfChunkModule['ChunkDecoder']> | undefined;
  try {
    decoder = new lp.ChunkDecoder();
    lp.HEAPU8.set(compressed, blob);
    decoder.open(pointFormat, len, blob);
    let heap = lp.HEAPU8;
    let view = new DataView(heap.buffer);
    for (let i = 0; i < n; i++) {
      decoder.getPoint(rec);
      if (heap.buffer !== lp.HEAPU8.buffer) {
        // The wasm memory grew: views on the old buffer are detached.
        heap = lp.HEAPU8;
        view = new DataView(heap.buffer);
      }
      if (region) {
        // LAS 1.4 R15 §2.6: X, Y, Z int32 at 0, 4, 8; world = raw * scale + offset (as core/las decodes them).
        const x = view.getInt32(rec, true) * sx + ox;
        const y = view.getInt32(rec + 4, true) * sy + oy;
        const [bx0, by0, bx1, by1] = region.bounds;
        if (x < bx0 || x > bx1 || y < by0 || y > by1) continue;
        if (!region.contains(x, y, view.getInt32(rec + 8, true) * sz + oz)) continue;
        if ((kept + 1) * len > out.length) {
          const grown = new Uint8Array(Math.min(n * len, out.length * 2));
          grown.set(out);
          out = grown;
        }
      }
      const at = kept * len;
      for (let b = 0; b < len; b++) out[at + b] = heap[rec + b]!;
      kept++;
    }
  } catch (error) {
    throw new Error(`Invalid LAZ chunk: node ${node.key} (${error instanceof Error ? error.message : String(error)}) in ${copc.name}`);
  } finally {
    lp._free(blob);
    lp._free(rec);
    decoder?.delete();
  }
  return copc.las.decode({ pointFormat, recordLength: len, count: kept, bytes: out.subarray(0, kept * len) });
}

/**
 * The selective decoder's options for one COPC node's LAZ chunk: only the layers of `fields` (all when
 * undefined); the caller adds the region whose records are kept.
 */
function selectiveOptions(copc: CopcFile, node: CopcNode, fields: readonly QueryField[] | undefined): ChunkDecodeTask['options'] {
  const { pointFormat, pointRecordLength, scale, offset } = copc.header;
  return {
    pointFormat: pointFormat as 6 | 7 | 8,
    extraBytes: pointRecordLength - LAZ_BASE_RECORD_LENGTH[pointFormat]!,
    count: node.pointCount,
    scale,
    offset,
    ...(fields !== undefined ? { fields } : {}),
    name: `${copc.name} node ${node.key}`,
  };
}

/** Chunk columns as PointColumns: the extra bytes (raw) become the file's typed extra-byte columns. */
function toPointColumns(columns: LazChunkColumns, copc: CopcFile, fields: readonly QueryField[] | undefined): PointColumns {
  const { extraBytes, extraByteCount, ...rest } = columns;
  const out: Record<string, unknown> = { ...rest };
  if (extraBytes && (fields === undefined || fields.includes('extraBytes'))) {
    const extra: Record<string, Float64Array> = {};
    const view = new DataView(extraBytes.buffer, extraBytes.byteOffset, extraBytes.byteLength);
    for (const d of copc.las.extraBytes) {
      if (!d.type) continue;
      if (d.byteOffset + d.size > extraByteCount) {
        throw new Error(`Invalid extra bytes: "${d.name}" ends at byte ${d.byteOffset + d.size} of ${extraByteCount} extra bytes in ${copc.name}`);
      }
      const column = new Float64Array(columns.count);
      const scale = d.scale ?? 1;
      const offset = d.offset ?? 0;
      for (let i = 0, at = d.byteOffset; i < columns.count; i++, at += extraByteCount) column[i] = readExtraValue(view, at, d.type) * scale + offset;
      extra[d.name] = column;
    }
    if (Object.keys(extra).length > 0) out.extra = extra;
  }
  return out as unknown as PointColumns;
}
