/**
 * A COPC file as a point-cloud source, read by HTTP range requests (any origin with range support: our server,
 * S3-compatible storage; optional request headers for authenticated servers) or from a local File. Header,
 * VLRs and hierarchy come from core/copc; node chunks are fetched here (cancellable) and decoded by the
 * worker pool.
 *
 * @example
 * const pool = createWorkerPool();
 * const source = await CopcSource.fromUrl(new URL('/data/drive.copc.laz', location.href).href, { pool });
 * const file = CopcSource.fromFile(droppedFile, { pool });
 */
import { openCopc, type CopcFile } from '../../core/copc/copc-file.ts';
import type { SizedGetter } from '../../core/io/getter.ts';
import { createHttpGetter, type FetchLike } from '../../core/io/http-getter.ts';
import { getPointFormatLayout } from '../../core/las/point-format.ts';
import type { WorkerPool } from '../../workers/client.ts';
import { loadCopcHierarchy, type CopcHierarchy } from './copc-hierarchy.ts';
import type { NodeData, NodeDataRequest, PointCloudMetadata, PointCloudSource } from './PointCloudSource.ts';
import { createBlobGetter, createHttpRangeReader, readerFromGetter, HEAD_BYTES, readAhead, withReadAhead, type RangeReader } from './range-readers.ts';

/** Options of every CopcSource. */
export interface CopcSourceOptions {
  /** The pool that decodes node chunks. */
  readonly pool: WorkerPool;
  /** The name shown to people (default: the getter's name). */
  readonly name?: string;
  /** A stable id (default: the getter's name). */
  readonly id?: string;
  /** Reads node chunks with cancellation (default: the getter, which cannot abort a read already started). */
  readonly readRange?: RangeReader;
}

/** Options of {@link CopcSource.fromUrl}. */
export interface CopcUrlOptions extends Omit<CopcSourceOptions, 'readRange'> {
  /** Extra request headers for every request, e.g. `{ Authorization: 'Bearer …' }`. */
  readonly headers?: Record<string, string>;
  /** The fetch implementation (default: globalThis.fetch). */
  readonly fetch?: FetchLike;
}

function defaultFetch(): FetchLike {
  return (input, init) => fetch(input, init as RequestInit);
}

/** A COPC point-cloud source. */
export class CopcSource implements PointCloudSource {
  readonly isPointCloudSource = true;
  readonly isCopcSource = true;
  readonly id: string;
  readonly name: string;
  private readonly pool: WorkerPool;
  private readonly readRange: RangeReader;
  private opened: Promise<CopcFile> | undefined;
  private hierarchy: Promise<CopcHierarchy> | undefined;
  private metadata: Promise<PointCloudMetadata> | undefined;
  private rgbShift: number | undefined;
  /** The root, decoded while reading metadata of a file without a GPS time range; handed out once. */
  private rootStash: Promise<NodeData> | undefined;
  private rootPrefetched = false;
  /** True once getNodeData was asked for the root (a prefetch after that would read it twice). */
  private rootAsked = false;

  /** A source over any getter (Node tests use tiling/file-getter.ts). */
  constructor(
    readonly getter: SizedGetter,
    options: CopcSourceOptions,
  ) {
    this.pool = options.pool;
    this.name = options.name ?? getter.name;
    this.id = options.id ?? getter.name;
    this.readRange = options.readRange ?? readerFromGetter(getter);
  }

  /**
   * Opens a URL (probing range support first). Throws `Invalid URL: … (404 …)` or `Invalid server: … does not
   * answer range requests …` (workers/load-failure.ts classifies these for messages).
   */
  static async fromUrl(url: string, options: CopcUrlOptions): Promise<CopcSource> {
    const fetchLike = options.fetch ?? defaultFetch();
    const http = { fetch: fetchLike, ...(options.headers ? { headers: options.headers } : {}) };
    // The head goes out together with the size probe, the tail as soon as the size is known (see withReadAhead);
    // a failing probe still reports the failure. Note: no suffix range (`bytes=-n`): plain `begin-end` ranges only.
    const head = readAhead(url, http, 0, HEAD_BYTES);
    const inner = await createHttpGetter(url, http);
    const tail = inner.size > HEAD_BYTES ? readAhead(url, http, Math.max(HEAD_BYTES, inner.size - HEAD_BYTES), inner.size) : undefined;
    const getter = withReadAhead(inner, tail ? [head, tail] : [head]);
    return new CopcSource(getter, { ...options, readRange: createHttpRangeReader(url, http) });
  }

  /** A source over a local File or Blob (drag and drop, file picker); nothing is read until metadata is asked. */
  static fromFile(file: Blob, options: CopcSourceOptions): CopcSource {
    const name = options.name ?? (file as File).name ?? 'file';
    return new CopcSource(createBlobGetter(file, name), { ...options, name });
  }

  /** The opened file (header, VLRs, info); throws `Invalid COPC file: …` for a LAS/LAZ file without COPC info. */
  open(): Promise<CopcFile> {
    this.opened ??= openCopc(this.getter);
    return this.opened;
  }

  /**
   * Metadata. Note: when the COPC info leaves the GPS time range at 0, 0 (PDAL does), the range comes from the
   * root node, read here once and handed to the first `getNodeData` of the root (no second fetch); without it,
   * float32 times relative to 0 would keep only 16-64 s steps.
   */
  getMetadata(): Promise<PointCloudMetadata> {
    this.metadata ??= this.open().then(async (copc): Promise<PointCloudMetadata> => {
      const { header, info } = copc;
      const layout = getPointFormatLayout(header.pointFormat, copc.name);
      let [t0, t1] = info.gpsTimeRange;
      const hasGpsTime = layout.gpsTime !== undefined;
      if (hasGpsTime && t0 === 0 && t1 === 0) {
        const hierarchy = await this.getHierarchy();
        this.rootStash = this.readNode(copc, hierarchy.root, undefined, 'min', undefined);
        try {
          const root = await this.rootStash;
          if (root.gpsTimeRange) [t0, t1] = root.gpsTimeRange;
        } catch {
          // A corrupt root is reported when the entity asks for it; the metadata stands without a time range.
          this.rootStash = undefined;
        }
      }
      return {
        cube: info.cube,
        bounds: [header.min[0], header.min[1], header.min[2], header.max[0], header.max[1], header.max[2]],
        pointCount: header.pointCount,
        spacing: info.spacing,
        hasRgb: layout.rgb !== undefined,
        hasIntensity: true,
        hasGpsTime,
        // Note: writers that do not fill the COPC GPS time range leave it 0, 0.
        ...(hasGpsTime && (t0 !== 0 || t1 !== 0) ? { gpsTimeRange: [t0, t1] as const } : {}),
        ...(copc.wkt !== undefined ? { crsWkt: copc.wkt } : {}),
        scale: header.scale,
        offset: header.offset,
      };
    });
    return this.metadata;
  }

  /**
   * Starts reading the root node now, to be handed to the first `getNodeData` of the root (no second fetch), so it
   * decodes while the page sets up its view and entity instead of after. Does nothing when the root is already
   * read or being read this way. A failure reaches that `getNodeData`.
   */
  prefetchRoot(): void {
    if (this.rootPrefetched) return;
    this.rootPrefetched = true;
    const started = Promise.all([this.open(), this.getHierarchy(), this.getMetadata()]).then(([copc, hierarchy, metadata]) => {
      // getMetadata may have read it already (a file without a GPS time range), or the root was asked for meanwhile.
      if (this.rootStash || this.rootAsked) return;
      const stash = this.readNode(copc, hierarchy.root, undefined, metadata.gpsTimeRange?.[0] ?? 0, metadata);
      // Note: nobody may ever ask (a hidden source); its failure must not surface as an unhandled rejection.
      stash.catch(() => undefined);
      this.rootStash = stash;
    });
    started.catch(() => undefined);
  }

  getHierarchy(): Promise<CopcHierarchy> {
    this.hierarchy ??= this.open().then(loadCopcHierarchy);
    return this.hierarchy;
  }

  /**
   * Fetches and decodes one node. Throws `Invalid node: …` for a key not in the hierarchy, `Invalid LAZ chunk`
   * or `Invalid node` for a corrupt chunk, and an `AbortError` when the signal fires first.
   */
  async getNodeData({ node, signal, onFetched }: NodeDataRequest): Promise<NodeData> {
    const [copc, , metadata] = await Promise.all([this.open(), this.getHierarchy(), this.getMetadata()]);
    signal?.throwIfAborted();
    const stash = this.rootStash;
    if (node.key === '0-0-0-0') this.rootAsked = true;
    if (stash && node.key === '0-0-0-0') {
      this.rootStash = undefined;
      return stash;
    }
    return this.readNode(copc, node, signal, metadata.gpsTimeRange?.[0] ?? 0, metadata, onFetched);
  }

  private async readNode(
    copc: CopcFile,
    node: NodeDataRequest['node'],
    signal: AbortSignal | undefined,
    gpsTimeOrigin: number | 'min',
    metadata: PointCloudMetadata | undefined,
    onFetched?: (byteSize: number) => void,
  ): Promise<NodeData> {
    const hierarchy = await this.getHierarchy();
    const entry = hierarchy.findEntry(node.key);
    if (!entry) throw new Error(`Invalid node: ${node.key} is not in the loaded hierarchy of ${this.name}`);
    const end = entry.pointDataOffset + entry.pointDataLength;
    if (entry.pointDataOffset < 0 || end > this.getter.size) {
      throw new Error(`Invalid node: ${entry.key} data ${entry.pointDataOffset}+${entry.pointDataLength} beyond the end of ${this.name}`);
    }
    const isRoot = entry.key === '0-0-0-0';
    // Performance marks on the first-points path (the benchmark reads them to split that time).
    if (isRoot) performance.mark('twinview:root-requested');
    const compressed = entry.pointCount > 0 ? await this.readRange(entry.pointDataOffset, end, signal) : new Uint8Array(0);
    const byteSize = compressed.byteLength;
    if (isRoot) performance.mark('twinview:root-fetched');
    onFetched?.(byteSize);
    const b = entry.bounds;
    const points = await this.pool.decodeNode(
      {
        compressed,
        pointCount: entry.pointCount,
        pointFormat: copc.header.pointFormat,
        recordLength: copc.header.pointRecordLength,
        scale: (metadata?.scale ?? copc.header.scale) as [number, number, number],
        offset: (metadata?.offset ?? copc.header.offset) as [number, number, number],
        centre: [(b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2],
        bounds: b,
        gpsTimeOrigin,
        ...(this.rgbShift !== undefined ? { rgbShift: this.rgbShift } : {}),
        name: `node ${entry.key} of ${this.name}`,
      },
      signal ? { signal } : {},
    );
    if (isRoot) performance.mark('twinview:root-decoded');
    // Note: the first node with 16-bit colour settles the shift for all; 8-bit-unscaled files stay on auto.
    if (points.rgbShift === 8) this.rgbShift = 8;
    return { ...points, key: entry.key, byteSize };
  }
}
