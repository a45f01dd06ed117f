/**
 * Reading COPC (Cloud Optimized Point Cloud, COPC 1.0) files through the npm `copc` package behind our Getter.
 * The header, VLRs, CRS and extra bytes come from our LAS reader (core/las); the COPC info VLR, the hierarchy
 * pages and the per-node LAZ chunks go through `copc` (info parse, hierarchy parse, laz-perf chunk decoder);
 * records are decoded into PointColumns by core/las.
 *
 * @example
 * const copc = await openCopc(getter);
 * const nodes = await copc.loadHierarchy();          // every node of every page
 * const points = await copc.loadNode('0-0-0-0');     // PointColumns of the root node
 */
import { Hierarchy, Info, Las } from 'copc';
import { clampGetter, type Getter, type SizedGetter } from '../io/getter.ts';
import { openLas, type LasFile } from '../las/las-file.ts';
import type { LasHeader } from '../las/header.ts';
import type { PointColumns } from '../las/point-columns.ts';
import type { LasRecords } from '../las/point-decoder.ts';
import { findVlr } from '../las/vlr.ts';
import { VoxelKey, type Box3 } from './key.ts';

/** COPC info VLR user id and record id (COPC 1.0 §"COPC info VLR"). */
export const COPC_USER_ID = 'copc';
export const COPC_INFO_RECORD_ID = 1;

/**
 * The part of a laz-perf instance (npm laz-perf 0.0.7) needed to decode COPC chunks. Browser workers create
 * theirs with `createLazPerf({ locateFile })` and pass it in; Node uses the package default.
 */
export interface LazPerfChunkModule {
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  readonly ChunkDecoder: new () => {
    open(pointFormat: number, recordLength: number, pointer: number): void;
    getPoint(pointer: number): void;
    delete(): void;
  };
}

/** Byte range of a hierarchy page. */
export interface HierarchyPage {
  readonly pageOffset: number;
  readonly pageLength: number;
}

/** The COPC info VLR: the root cube and spacing. */
export interface CopcInfo {
  /** Centre of the root cube, world metres. */
  readonly center: readonly [number, number, number];
  /** Half the edge of the root cube, metres. */
  readonly halfSize: number;
  /** Point spacing at the root level, metres. */
  readonly spacing: number;
  /** The root cube [minX, minY, minZ, maxX, maxY, maxZ]. */
  readonly cube: Box3;
  readonly rootHierarchyPage: HierarchyPage;
  /** [min, max] GPS time, seconds (0, 0 when the writer did not fill it). */
  readonly gpsTimeRange: readonly [number, number];
}

/** One octree node with point data. */
export interface CopcNode {
  readonly key: string;
  readonly pointCount: number;
  readonly pointDataOffset: number;
  readonly pointDataLength: number;
}

/** One parsed hierarchy page: its nodes and the child pages it points to. */
export interface CopcHierarchyPage {
  readonly nodes: ReadonlyMap<string, CopcNode>;
  readonly pages: ReadonlyMap<string, HierarchyPage>;
}

/** Options of node loading. */
export interface CopcOptions {
  /** laz-perf instance (or promise) used for chunk decoding; default: the package's shared instance. */
  readonly lazPerf?: LazPerfChunkModule | Promise<LazPerfChunkModule>;
}

/** Options of {@link openCopc}. */
export interface OpenCopcOptions extends CopcOptions {
  /** The file already opened with `openLas` over the same getter, to avoid reading the header twice. */
  readonly las?: LasFile;
}

/** An opened COPC file. */
export interface CopcFile {
  readonly name: string;
  readonly size: number;
  readonly header: LasHeader;
  readonly info: CopcInfo;
  /** The WKT of the file, when present. */
  readonly wkt?: string;
  /** The underlying LAS view of the file (VLRs, EVLRs, GeoTIFF keys, extra bytes, record decoder). */
  readonly las: LasFile;
  /** Parses one hierarchy page (default: the root page). */
  loadHierarchyPage(page?: HierarchyPage): Promise<CopcHierarchyPage>;
  /** Loads every page below the root and returns every node by key. */
  loadHierarchy(): Promise<ReadonlyMap<string, CopcNode>>;
  /** The box of a node key inside the root cube, metres. */
  boundsOf(key: string): Box3;
  /** Decompresses one node into raw records (format and length of the file). */
  loadNodeRecords(node: CopcNode | string, options?: CopcOptions): Promise<LasRecords>;
  /** Decompresses and decodes one node into PointColumns. */
  loadNode(node: CopcNode | string, options?: CopcOptions): Promise<PointColumns>;
}

/** Parses the 160-byte COPC info VLR payload via the copc package. */
export function parseCopcInfo(payload: Uint8Array, name: string): CopcInfo {
  let info: ReturnType<typeof Info.parse>;
  try {
    info = Info.parse(payload);
  } catch (error) {
    throw new Error(`Invalid COPC info VLR: ${error instanceof Error ? error.message : String(error)} in ${name}`);
  }
  const [minX, minY, minZ, maxX, maxY, maxZ] = info.cube;
  // COPC 1.0: the info VLR stores center and halfsize; copc.js gives the cube, recovered back here exactly.
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const center: [number, number, number] = [view.getFloat64(0, true), view.getFloat64(8, true), view.getFloat64(16, true)];
  const halfSize = view.getFloat64(24, true);
  return {
    center,
    halfSize,
    spacing: info.spacing,
    cube: [minX, minY, minZ, maxX, maxY, maxZ],
    rootHierarchyPage: { ...info.rootHierarchyPage },
    gpsTimeRange: [info.gpsTimeRange[0], info.gpsTimeRange[1]],
  };
}

/** Parses one hierarchy page buffer (COPC 1.0 §"Hierarchy": 32-byte entries) via the copc package. */
export function parseHierarchyPage(bytes: Uint8Array, name: string): CopcHierarchyPage {
  let subtree: ReturnType<typeof Hierarchy.parse>;
  try {
    subtree = Hierarchy.parse(bytes);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)} in ${name}`);
  }
  const nodes = new Map<string, CopcNode>();
  for (const [key, node] of Object.entries(subtree.nodes)) {
    if (node) nodes.set(key, { key, ...node });
  }
  const pages = new Map<string, HierarchyPage>();
  for (const [key, page] of Object.entries(subtree.pages)) {
    if (page) pages.set(key, { ...page });
  }
  return { nodes, pages };
}

/**
 * Opens a COPC file: header, VLRs and CRS through core/las, the COPC info VLR through copc. Throws
 * `Invalid COPC file: …` when the file has no COPC info VLR (an ordinary LAS/LAZ file).
 */
export async function openCopc(getter: SizedGetter, options: OpenCopcOptions = {}): Promise<CopcFile> {
  const { name, size } = getter;
  const las = options.las ?? (await openLas(getter));
  const infoVlr = findVlr(las.vlrs, COPC_USER_ID, COPC_INFO_RECORD_ID);
  if (!infoVlr) throw new Error(`Invalid COPC file: no COPC info VLR (copc/1) in ${name}`);
  const info = parseCopcInfo(await las.readVlrPayload(infoVlr), name);
  // Note: copc 0.0.8 readers may ask past the end of small files (Copc.create asks for 64 KB); every range
  // handed to copc code goes through the clamped getter.
  const get: Getter = clampGetter(getter);
  const header = las.header;
  const known = new Map<string, CopcNode>();

  const loadHierarchyPage = async (page: HierarchyPage = info.rootHierarchyPage): Promise<CopcHierarchyPage> => {
    const end = page.pageOffset + page.pageLength;
    if (page.pageOffset < 0 || end > size) {
      throw new Error(`Invalid hierarchy page: ${page.pageOffset}+${page.pageLength} beyond the end of ${name} (${size} bytes)`);
    }
    const parsed = parseHierarchyPage(await getter.get(page.pageOffset, end), name);
    for (const node of parsed.nodes.values()) known.set(node.key, node);
    return parsed;
  };

  const loadHierarchy = async (): Promise<ReadonlyMap<string, CopcNode>> => {
    const all = new Map<string, CopcNode>();
    const queue: HierarchyPage[] = [info.rootHierarchyPage];
    while (queue.length > 0) {
      const parsed = await loadHierarchyPage(queue.shift()!);
      for (const [key, node] of parsed.nodes) all.set(key, node);
      queue.push(...parsed.pages.values());
    }
    return all;
  };

  const resolveNode = (node: CopcNode | string): CopcNode => {
    if (typeof node !== 'string') return node;
    const found = known.get(VoxelKey.toString(VoxelKey.parse(node)));
    if (!found) throw new Error(`Invalid node: ${node} is not in the loaded hierarchy of ${name}`);
    return found;
  };

  const loadNodeRecords = async (nodeOrKey: CopcNode | string, nodeOptions: CopcOptions = {}): Promise<LasRecords> => {
    const node = resolveNode(nodeOrKey);
    const { pointFormat, pointRecordLength } = header;
    if (node.pointCount === 0) return { pointFormat, recordLength: pointRecordLength, count: 0, bytes: new Uint8Array(0) };
    const end = node.pointDataOffset + node.pointDataLength;
    if (node.pointDataOffset < 0 || end > size) {
      throw new Error(`Invalid node: ${node.key} data ${node.pointDataOffset}+${node.pointDataLength} beyond the end of ${name}`);
    }
    const lazPerf = await (nodeOptions.lazPerf ?? options.lazPerf);
    let bytes: Uint8Array;
    try {
      const compressed = await get(node.pointDataOffset, end);
      bytes = await Las.PointData.decompressChunk(
        compressed,
        { pointCount: node.pointCount, pointDataRecordFormat: pointFormat, pointDataRecordLength: pointRecordLength },
        lazPerf as Parameters<typeof Las.PointData.decompressChunk>[2],
      );
    } catch (error) {
      throw new Error(`Invalid LAZ chunk: node ${node.key} (${error instanceof Error ? error.message : String(error)}) in ${name}`);
    }
    return { pointFormat, recordLength: pointRecordLength, count: node.pointCount, bytes };
  };

  return {
    name,
    size,
    header,
    info,
    ...(las.wkt !== undefined ? { wkt: las.wkt } : {}),
    las,
    loadHierarchyPage,
    loadHierarchy,
    boundsOf: (key) => VoxelKey.bounds(key, info.cube),
    loadNodeRecords,
    loadNode: async (node, nodeOptions) => las.decode(await loadNodeRecords(node, nodeOptions)),
  };
}
