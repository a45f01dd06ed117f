/**
 * The octree entity of one point-cloud source (one drive or epoch): a THREE.Group whose children are the node
 * meshes it currently draws. Once per frame, `update(camera, viewportHeightPx)` traverses the octree by projected
 * size (a priority queue, largest first), within a point budget; it requests missing nodes (a bounded number in
 * flight, cancelled when they leave the wanted set), keeps decoded nodes in an LRU cache bounded in bytes and
 * decides what is drawn:
 * - a node is refined when its projected radius exceeds `minNodeSizePx`, and a drawn node stays until it falls
 *   below `minNodeSizePx * HYSTERESIS` (no flicker at the threshold);
 * - COPC is additive (children add points to their parent), so a node is drawn only with its parent, and the
 *   wanted children of a node appear together once all of them are ready (no patchy refinement, no holes);
 * - a corrupt node is reported once and drawn as empty; the rest keeps drawing.
 *
 * @example
 * const entity = new PointCloudEntity(source, { frame, pool });
 * entity.onRequestFrame = () => viewer.requestFrame();
 * scene.add(entity);
 * // every frame, before rendering:
 * entity.update(camera, canvas.clientHeight);
 */
import { Box3, Frustum, Group, Matrix4, PointsMaterial, Sphere, Vector3, type Camera, type Material, type Points } from 'three';
import type { LocalFrame } from '../../core/crs/LocalFrame.ts';
import type { WorkerPool } from '../../workers/client.ts';
import type {
  NodeData,
  PointCloudHierarchy,
  PointCloudMetadata,
  PointCloudNode,
  PointCloudSource,
} from '../sources/PointCloudSource.ts';
import { ChangeTracker, type ChangeOptions } from './ChangeTracker.ts';
import { createNodeMesh, geometryBytes } from './create-node-mesh.ts';
import { NodeCache } from './NodeCache.ts';
import { registerNodeData, shareNodeData, unregisterNodeData, type NodeDataProvider } from './node-data-registry.ts';
import { PriorityQueue } from './PriorityQueue.ts';
import { projectedRadiusPx } from './screen-size.ts';

/** Default number of points drawn at most. */
export const DEFAULT_POINT_BUDGET = 2_000_000;
/** Smallest and largest point budget accepted. */
export const MIN_POINT_BUDGET = 100_000;
export const MAX_POINT_BUDGET = 10_000_000;
/** Default cache bound, bytes (CPU copies plus GPU buffers). */
export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;
/** Default number of node requests in flight. */
export const DEFAULT_MAX_NODES_IN_FLIGHT = 6;
/** Default projected radius (pixels) above which a node is refined into its children. */
export const DEFAULT_MIN_NODE_SIZE_PX = 150;
/** A drawn node is kept until its projected radius falls below this share of the refinement threshold. */
export const HYSTERESIS = 0.75;

/** Options of {@link PointCloudEntity}. */
export interface PointCloudEntityOptions {
  /** The scene's frame: node meshes are placed at (node centre - frame origin), float64. */
  readonly frame: LocalFrame;
  /** Decodes in workers; also computes change distances. */
  readonly pool: WorkerPool;
  /** Points drawn at most (default 2 M, clamped to 100 k .. 10 M). */
  readonly pointBudget?: number;
  /** Node requests in flight at most (default 6). */
  readonly maxNodesInFlight?: number;
  /** Cache bound, bytes (default 512 MiB). */
  readonly cacheBytes?: number;
  /** Refinement threshold, pixels of projected node radius (default 150). */
  readonly minNodeSizePx?: number;
  /** Index of the source among the viewer's sources (mesh.userData.sourceIndex). */
  readonly sourceIndex?: number;
  /** The material of every node mesh until {@link PointCloudEntity.setMaterial} (default: plain vertex colours). */
  readonly material?: Material;
}

/** Counters for the loading indicator and the benchmark. */
export interface PointCloudStats {
  nodesVisible: number;
  pointsVisible: number;
  nodesInFlight: number;
  /** Compressed bytes of the node requests in flight. */
  bytesInFlight: number;
  /** Compressed bytes fetched since the start (node data only). */
  bytesFetched: number;
  /** Compressed bytes of the nodes drawn now. */
  bytesOfDrawnNodes: number;
  /** Compressed bytes of every node drawn at some time since the start (each node once). */
  bytesOfEverDrawnNodes: number;
  /** Bytes held by the cache (CPU copies and GPU buffers). */
  cacheBytes: number;
  /** Time spent decoding, milliseconds, summed over all nodes. */
  decodeMs: number;
  /** Nodes that failed to load. */
  nodesFailed: number;
}

/** A decoded node in the cache: its data (CPU copy for picking) and its mesh. */
export interface LoadedNode {
  readonly node: PointCloudNode;
  readonly data: NodeData;
  readonly mesh: Points;
}

/** A node that failed to load. */
export interface NodeFailure {
  readonly key: string;
  readonly error: Error;
}

interface InFlight {
  readonly controller: AbortController;
  readonly bytes: number;
  readonly promise: Promise<void>;
  /** True once the bytes arrived: the node is decoding, and finishing it is cheaper than fetching it again. */
  fetched: boolean;
}

const _matrix = new Matrix4();
const _frustum = new Frustum();
const _box = new Box3();
const _sphere = new Sphere();
const _centre = new Vector3();

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The streaming octree of one source. */
export class PointCloudEntity extends Group {
  readonly isPointCloudEntity = true;
  readonly source: PointCloudSource;
  readonly frame: LocalFrame;
  readonly pool: WorkerPool;
  readonly sourceIndex: number;
  readonly stats: PointCloudStats = {
    nodesVisible: 0,
    pointsVisible: 0,
    nodesInFlight: 0,
    bytesInFlight: 0,
    bytesFetched: 0,
    bytesOfDrawnNodes: 0,
    bytesOfEverDrawnNodes: 0,
    cacheBytes: 0,
    decodeMs: 0,
    nodesFailed: 0,
  };
  /** Called when something changed that needs a new frame (a node arrived, a page was read, change distances). */
  onRequestFrame: (() => void) | undefined;
  /** Called once, when the first node with points is drawn. */
  onFirstNodeDrawn: (() => void) | undefined;
  /** Called for every node that fails to load (a corrupt chunk, a network error); the rest keeps drawing. */
  onNodeError: ((failure: NodeFailure) => void) | undefined;
  /** Called when metadata or hierarchy cannot be read (nothing can be drawn). */
  onError: ((error: Error) => void) | undefined;

  maxNodesInFlight: number;
  minNodeSizePx: number;
  metadata: PointCloudMetadata | undefined;
  hierarchy: PointCloudHierarchy | undefined;
  /** The error that stopped this entity (metadata or hierarchy unreadable). */
  error: Error | undefined;

  private budget: number;
  private material: Material;
  private readonly cache: NodeCache<LoadedNode>;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly pagesInFlight = new Map<string, Promise<void>>();
  private readonly failed = new Map<string, Error>();
  /** Nodes whose children's hierarchy page could not be read (the node itself may be fine). */
  private readonly pagesFailed = new Map<string, Error>();
  private drawn = new Set<string>();
  /** Compressed bytes of every node fetched by this entity, and the keys of every node drawn at some time. */
  private readonly fetchedBytes = new Map<string, number>();
  private readonly everDrawn = new Set<string>();
  /** Keys wanted by the last update, in traversal (priority) order. */
  private wanted: PointCloudNode[] = [];
  private initialising: Promise<void> | undefined;
  private firstDrawn = false;
  private disposed = false;
  private change: ChangeTracker | undefined;
  private readonly provider: NodeDataProvider = {
    peek: (key) => this.cache.peek(key)?.data,
    pending: (key) => this.inFlight.get(key)?.promise,
  };

  constructor(source: PointCloudSource, options: PointCloudEntityOptions) {
    super();
    this.source = source;
    this.name = source.name;
    this.frame = options.frame;
    this.pool = options.pool;
    this.sourceIndex = options.sourceIndex ?? 0;
    this.budget = DEFAULT_POINT_BUDGET;
    this.pointBudget = options.pointBudget ?? DEFAULT_POINT_BUDGET;
    this.maxNodesInFlight = Math.max(1, options.maxNodesInFlight ?? DEFAULT_MAX_NODES_IN_FLIGHT);
    this.minNodeSizePx = options.minNodeSizePx ?? DEFAULT_MIN_NODE_SIZE_PX;
    this.material = options.material ?? new PointsMaterial({ size: 2, sizeAttenuation: false, vertexColors: true });
    this.cache = new NodeCache<LoadedNode>(options.cacheBytes ?? DEFAULT_CACHE_BYTES, (key, loaded) => {
      if (loaded.mesh.parent === this) this.remove(loaded.mesh);
      this.drawn.delete(key);
      loaded.mesh.geometry.dispose();
    });
    registerNodeData(source, this.provider);
  }

  /** Points drawn at most; clamped to 100 000 .. 10 000 000. */
  get pointBudget(): number {
    return this.budget;
  }

  set pointBudget(value: number) {
    if (!Number.isFinite(value)) throw new Error(`Invalid point budget: ${value}`);
    this.budget = Math.min(MAX_POINT_BUDGET, Math.max(MIN_POINT_BUDGET, Math.round(value)));
  }

  /** The cache bound, bytes. */
  get cacheBytes(): number {
    return this.cache.maxBytes;
  }

  set cacheBytes(value: number) {
    this.cache.maxBytes = value;
    this.cache.trim((key) => this.drawn.has(key));
  }

  /** Reads metadata and the root hierarchy page; `update` calls it, awaiting it is optional. */
  init(): Promise<void> {
    this.initialising ??= Promise.all([this.source.getMetadata(), this.source.getHierarchy()]).then(
      ([metadata, hierarchy]) => {
        this.metadata = metadata;
        this.hierarchy = hierarchy;
        // Note: the root is wanted in any view that shows the data; asking now saves a frame before the first
        // points (a later update cancels it if the data is out of view).
        if (!this.disposed && this.visible && hierarchy.root.pointCount > 0 && !this.inFlight.has(hierarchy.root.key)) {
          this.load(hierarchy.root);
        }
        this.onRequestFrame?.();
      },
      (error: unknown) => {
        this.error = error instanceof Error ? error : new Error(String(error));
        this.onError?.(this.error);
      },
    );
    return this.initialising;
  }

  /** Uses one material for every node mesh, present and future. */
  setMaterial(material: Material): void {
    this.material = material;
    for (const key of this.cache.keys()) this.cache.peek(key)!.mesh.material = material;
    this.onRequestFrame?.();
  }

  /** The current material. */
  getMaterial(): Material {
    return this.material;
  }

  /**
   * Chooses, requests and shows nodes for this camera. Call once per frame before rendering; cheap when nothing
   * changed. `viewportHeightPx` is the drawing buffer's height in CSS pixels.
   */
  update(camera: Camera, viewportHeightPx: number): void {
    if (this.disposed) return;
    if (!this.hierarchy || !this.metadata) {
      void this.init();
      return;
    }
    if (!this.visible) return;
    const hierarchy = this.hierarchy;
    camera.updateMatrixWorld();
    this.updateMatrixWorld();
    _matrix.multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse).multiply(this.matrixWorld);
    _frustum.setFromProjectionMatrix(_matrix);
    const scale = this.matrixWorld.getMaxScaleOnAxis();

    const wanted: PointCloudNode[] = [];
    const queue = new PriorityQueue<PointCloudNode>();
    const root = hierarchy.root;
    const rootSize = this.screenSize(root, camera, viewportHeightPx, scale);
    if (rootSize >= 0) queue.push(root, rootSize);
    let points = 0;
    for (let node = queue.pop(); node; node = queue.pop()) {
      if (points + node.pointCount > this.budget && wanted.length > 0) break;
      wanted.push(node);
      points += node.pointCount;
      const children = hierarchy.findChildren(node);
      if (!children) {
        if (!this.pagesFailed.has(node.key)) this.loadPage(node);
        continue;
      }
      for (const child of children) {
        const size = this.screenSize(child, camera, viewportHeightPx, scale);
        if (size < 0) continue;
        const threshold = this.drawn.has(child.key) ? this.minNodeSizePx * HYSTERESIS : this.minNodeSizePx;
        if (size >= threshold) queue.push(child, size);
      }
    }
    this.wanted = wanted;
    const wantedKeys = new Set(wanted.map((n) => n.key));

    // Cancel what left the wanted set, then request missing nodes in priority order.
    for (const [key, flight] of this.inFlight) {
      if (!wantedKeys.has(key) && !flight.fetched) {
        flight.controller.abort();
        this.inFlight.delete(key);
      }
    }
    for (const node of wanted) {
      if (this.inFlight.size >= this.maxNodesInFlight) break;
      if (this.isReady(node) || this.inFlight.has(node.key)) continue;
      this.load(node);
    }

    this.show(wanted, hierarchy);
    // Touch in reverse priority order, so the most important node is the most recently used.
    for (let i = wanted.length - 1; i >= 0; i--) this.cache.get(wanted[i]!.key);
    this.cache.trim((key) => this.drawn.has(key));
    this.updateStats();
  }

  /** Every node in the cache (drawn or not), with its CPU data. */
  *loadedNodes(): IterableIterator<LoadedNode> {
    for (const key of this.cache.keys()) yield this.cache.peek(key)!;
  }

  /** The nodes drawn now, with their CPU data (for picking). */
  *drawnNodes(): IterableIterator<LoadedNode> {
    for (const key of this.drawn) {
      const loaded = this.cache.peek(key);
      if (loaded) yield loaded;
    }
  }

  /** Keys of the nodes drawn now. */
  drawnKeys(): string[] {
    return [...this.drawn];
  }

  /** Keys wanted by the last update, in priority order (largest projected size first). */
  wantedKeys(): string[] {
    return this.wanted.map((n) => n.key);
  }

  /** Keys of the node requests in flight. */
  inFlightKeys(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Keys in the cache, least recently used first. */
  cachedKeys(): string[] {
    return [...this.cache.keys()];
  }

  /** Nodes this entity fetched that were never drawn, with their compressed bytes (what fetching wasted). */
  fetchedNeverDrawn(): Array<{ key: string; bytes: number }> {
    return [...this.fetchedBytes].filter(([key]) => !this.everDrawn.has(key)).map(([key, bytes]) => ({ key, bytes }));
  }

  /** Nodes that failed, with their errors. */
  failures(): NodeFailure[] {
    return [...this.failed, ...this.pagesFailed].map(([key, error]) => ({ key, error }));
  }

  /** Resolves when no node request or hierarchy page is in flight (tests, benchmarks, screenshots). */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.inFlight.values()].map((f) => f.promise);
      pending.push(...this.pagesInFlight.values());
      if (this.initialising && !this.hierarchy && !this.error) pending.push(this.initialising);
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  /**
   * Colours by change: every loaded node's `change` attribute gets, per point, the distance (metres) to the
   * nearest point of the other epoch's source, computed in workers. Replaces an earlier comparison.
   */
  enableChangeAgainst(other: PointCloudSource, options: ChangeOptions = {}): void {
    this.change?.dispose();
    this.change = new ChangeTracker(other, this.pool, options, () => this.onRequestFrame?.());
    this.change.onFetched = (data) => {
      this.stats.bytesFetched += data.byteSize;
      this.stats.decodeMs += data.decodeMs;
    };
    for (const loaded of this.loadedNodes()) this.change.schedule(loaded);
  }

  /** Stops change colouring; the `change` attributes return to -1. */
  disableChange(): void {
    this.change?.dispose();
    this.change = undefined;
    for (const loaded of this.loadedNodes()) ChangeTracker.reset(loaded.mesh);
    this.onRequestFrame?.();
  }

  /** Resolves when every scheduled change computation has finished. */
  async changeIdle(): Promise<void> {
    await this.change?.idle();
  }

  /** Cancels requests and frees every GPU buffer. */
  override dispose(): void {
    this.disposed = true;
    unregisterNodeData(this.source, this.provider);
    for (const flight of this.inFlight.values()) flight.controller.abort();
    this.inFlight.clear();
    this.change?.dispose();
    this.cache.clear();
    this.drawn.clear();
    this.clear();
  }

  /** The projected radius of a node, pixels, or -1 when it is outside the frustum. */
  private screenSize(node: PointCloudNode, camera: Camera, viewportHeightPx: number, scale: number): number {
    const [x0, y0, z0, x1, y1, z1] = node.bounds;
    const [ox, oy, oz] = this.frame.origin;
    _box.min.set(x0 - ox, y0 - oy, z0 - oz);
    _box.max.set(x1 - ox, y1 - oy, z1 - oz);
    if (!_frustum.intersectsBox(_box)) return -1;
    _box.getBoundingSphere(_sphere);
    _centre.copy(_sphere.center).applyMatrix4(this.matrixWorld);
    return projectedRadiusPx(camera, _centre, _sphere.radius * scale, viewportHeightPx);
  }

  /** True when a node needs no request: cached, failed, or without points. */
  private isReady(node: PointCloudNode): boolean {
    return node.pointCount === 0 || this.cache.has(node.key) || this.failed.has(node.key);
  }

  private loadPage(node: PointCloudNode): void {
    if (this.pagesInFlight.has(node.key) || !this.hierarchy) return;
    const promise = this.hierarchy
      .loadChildren(node)
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.pagesFailed.set(node.key, failure);
        console.warn(`twinview: hierarchy below ${node.key} of ${this.source.name} failed:`, failure.message);
        this.onNodeError?.({ key: node.key, error: failure });
      })
      .finally(() => {
        this.pagesInFlight.delete(node.key);
        this.onRequestFrame?.();
      });
    this.pagesInFlight.set(node.key, promise);
  }

  private load(node: PointCloudNode): void {
    const controller = new AbortController();
    let flight: InFlight | undefined;
    const promise = (async () => {
      try {
        // Note: a node already held (or being loaded) by another holder of this source, e.g. the other epoch's
        // change tracker, is taken from there instead of fetched again.
        let data = await shareNodeData(this.source, node.key, this.provider);
        if (!data) {
          let counted = false;
          const onFetched = (byteSize: number): void => {
            counted = true;
            this.stats.bytesFetched += byteSize;
            this.fetchedBytes.set(node.key, (this.fetchedBytes.get(node.key) ?? 0) + byteSize);
            if (flight) flight.fetched = true;
          };
          data = await this.source.getNodeData({ node, signal: controller.signal, onFetched });
          if (!counted) {
            this.stats.bytesFetched += data.byteSize;
            this.fetchedBytes.set(node.key, (this.fetchedBytes.get(node.key) ?? 0) + data.byteSize);
          }
          this.stats.decodeMs += data.decodeMs;
        }
        if (controller.signal.aborted || this.disposed) return;
        const mesh = createNodeMesh(node, data, { frame: this.frame, material: this.material, sourceIndex: this.sourceIndex });
        const loaded: LoadedNode = { node, data, mesh };
        // CPU: the LAS integers plus the attribute arrays three.js keeps; GPU: the attributes once more.
        this.cache.set(node.key, loaded, data.raw.byteLength + 2 * geometryBytes(mesh));
        this.change?.schedule(loaded);
      } catch (error) {
        if (isAbort(error) || controller.signal.aborted) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        this.failed.set(node.key, failure);
        console.warn(`twinview: node ${node.key} of ${this.source.name} failed:`, failure.message);
        this.onNodeError?.({ key: node.key, error: failure });
      } finally {
        if (this.inFlight.get(node.key)?.controller === controller) this.inFlight.delete(node.key);
        this.updateStats();
        this.onRequestFrame?.();
      }
    })();
    flight = { controller, bytes: node.byteSize, promise, fetched: false };
    this.inFlight.set(node.key, flight);
  }

  /**
   * Decides the drawn set: a wanted node is drawn when it is ready, its parent is drawn and every wanted
   * sibling is ready (children of one parent appear together). Wanted lists parents before children.
   */
  private show(wanted: readonly PointCloudNode[], hierarchy: PointCloudHierarchy): void {
    const wantedKeys = new Set(wanted.map((n) => n.key));
    const next = new Set<string>();
    const ready = (node: PointCloudNode): boolean => this.isReady(node);
    for (const node of wanted) {
      if (!ready(node)) continue;
      if (node !== hierarchy.root) {
        const parentKey = parentKeyOf(node.key);
        if (!next.has(parentKey)) continue;
        const parent = hierarchy.findNode(parentKey);
        const siblings = parent ? hierarchy.findChildren(parent) ?? [] : [];
        if (!siblings.every((s) => !wantedKeys.has(s.key) || ready(s))) continue;
      }
      next.add(node.key);
    }
    for (const key of this.drawn) {
      if (next.has(key)) continue;
      const loaded = this.cache.peek(key);
      if (loaded?.mesh.parent === this) this.remove(loaded.mesh);
    }
    let drewPoints = false;
    for (const key of next) {
      const loaded = this.cache.peek(key);
      if (!loaded) continue;
      if (loaded.mesh.parent !== this) this.add(loaded.mesh);
      if (loaded.data.count > 0) drewPoints = true;
      if (!this.everDrawn.has(key)) {
        this.everDrawn.add(key);
        this.stats.bytesOfEverDrawnNodes += loaded.data.byteSize;
      }
    }
    this.drawn = next;
    if (drewPoints && !this.firstDrawn) {
      this.firstDrawn = true;
      this.onFirstNodeDrawn?.();
    }
  }

  private updateStats(): void {
    const stats = this.stats;
    stats.nodesVisible = 0;
    stats.pointsVisible = 0;
    stats.bytesOfDrawnNodes = 0;
    for (const key of this.drawn) {
      const loaded = this.cache.peek(key);
      if (!loaded) continue;
      stats.nodesVisible++;
      stats.pointsVisible += loaded.data.count;
      stats.bytesOfDrawnNodes += loaded.data.byteSize;
    }
    stats.nodesInFlight = this.inFlight.size;
    stats.bytesInFlight = [...this.inFlight.values()].reduce((n, f) => n + f.bytes, 0);
    stats.cacheBytes = this.cache.bytes;
    stats.nodesFailed = this.failed.size + this.pagesFailed.size;
  }
}

/** The parent key of a non-root voxel key `D-X-Y-Z`. */
function parentKeyOf(key: string): string {
  const [d, x, y, z] = key.split('-').map(Number) as [number, number, number, number];
  return `${d - 1}-${x >> 1}-${y >> 1}-${z >> 1}`;
}
