/**
 * Epoch change colouring for one entity: for each of its loaded nodes, fetches the other epoch's nodes that cover
 * the node's cell at a comparable level (same cell size plus `levelOffset` finer levels, and all coarser levels,
 * since COPC levels add up)
 * and lets the worker pool compute each point's distance to the nearest point of the other epoch; the result
 * fills the node mesh's `change` attribute.
 */
import type { Points } from 'three';
import type { Box3 } from '../../core/copc/key.ts';
import type { WorkerPool } from '../../workers/client.ts';
import type { NodeData, PointCloudHierarchy, PointCloudNode, PointCloudSource } from '../sources/PointCloudSource.ts';
import { CHANGE_NOT_COMPUTED } from './create-node-mesh.ts';
import { NodeCache } from './NodeCache.ts';
import { registerNodeData, shareNodeData, unregisterNodeData, type NodeDataProvider } from './node-data-registry.ts';

/** Options of change colouring. */
export interface ChangeOptions {
  /** Search radius, metres; farther points get this value (default 2). */
  readonly maxDistanceM?: number;
  /** Node computations at once (default 2). */
  readonly maxConcurrent?: number;
  /** Bound of the other epoch's node cache, bytes (default 128 MiB). */
  readonly referenceCacheBytes?: number;
  /**
   * Levels of the other epoch below the comparable one to include (default 1). Note: nearest-neighbour distances
   * on an unchanged surface are about half the reference spacing, so a reference twice as dense as the node keeps
   * unchanged ground near zero where the same level would show half a node spacing (metres at coarse levels).
   */
  readonly levelOffset?: number;
}

/** What the tracker needs of a loaded node. */
export interface ChangeTarget {
  readonly node: PointCloudNode;
  readonly data: NodeData;
  readonly mesh: Points;
}

function intersects(a: Box3, b: Box3): boolean {
  return a[0] <= b[3] && b[0] <= a[3] && a[1] <= b[4] && b[1] <= a[4] && a[2] <= b[5] && b[2] <= a[5];
}

/**
 * The nodes of a hierarchy with points, at depth <= maxDepth, whose cells meet a box (world metres); reads
 * hierarchy pages as needed.
 */
export async function findCoveringNodes(hierarchy: PointCloudHierarchy, box: Box3, maxDepth: number): Promise<PointCloudNode[]> {
  const out: PointCloudNode[] = [];
  const stack = [hierarchy.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!intersects(node.bounds, box)) continue;
    if (node.pointCount > 0) out.push(node);
    if (node.depth >= maxDepth) continue;
    let children = hierarchy.findChildren(node);
    if (!children) {
      await hierarchy.loadChildren(node);
      children = hierarchy.findChildren(node) ?? [];
    }
    stack.push(...children);
  }
  return out;
}

/** Runs change computations for one entity against one other source. */
export class ChangeTracker {
  readonly maxDistanceM: number;
  readonly levelOffset: number;
  private readonly maxConcurrent: number;
  private readonly queue: ChangeTarget[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly reference: NodeCache<NodeData>;
  private readonly loading = new Map<string, Promise<NodeData>>();
  private readonly controller = new AbortController();
  private readonly provider: NodeDataProvider = {
    peek: (key) => this.reference.peek(key),
    pending: (key) => this.loading.get(key),
  };
  /** Called for every node this tracker fetched itself (for the owner's byte counters). */
  onFetched: ((data: NodeData) => void) | undefined;

  constructor(
    readonly other: PointCloudSource,
    private readonly pool: WorkerPool,
    options: ChangeOptions,
    private readonly onUpdate: () => void,
  ) {
    this.maxDistanceM = options.maxDistanceM ?? 2;
    if (!(this.maxDistanceM > 0)) throw new Error(`Invalid change search radius: ${this.maxDistanceM}`);
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
    this.levelOffset = Math.max(0, Math.round(options.levelOffset ?? 1));
    this.reference = new NodeCache<NodeData>(options.referenceCacheBytes ?? 128 * 1024 * 1024);
    registerNodeData(other, this.provider);
  }

  /** Sets a mesh's `change` attribute back to "not computed". */
  static reset(mesh: Points): void {
    const attribute = mesh.geometry.getAttribute('change');
    if (!attribute) return;
    (attribute.array as Float32Array).fill(CHANGE_NOT_COMPUTED);
    attribute.needsUpdate = true;
  }

  /** Queues a node; its distances arrive later through the mesh attribute. */
  schedule(target: ChangeTarget): void {
    if (this.controller.signal.aborted || target.data.count === 0) return;
    this.queue.push(target);
    this.pump();
  }

  /** Resolves when the queue is empty and nothing runs. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops: queued nodes are dropped and running ones discard their results. */
  dispose(): void {
    this.controller.abort();
    this.queue.length = 0;
    unregisterNodeData(this.other, this.provider);
  }

  private pump(): void {
    while (this.running.size < this.maxConcurrent && this.queue.length > 0) {
      const target = this.queue.shift()!;
      const run: Promise<void> = this.compute(target)
        .catch((error: unknown) => {
          if (!this.controller.signal.aborted) console.warn(`twinview: change of node ${target.node.key} failed:`, error);
        })
        .finally(() => {
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }

  private async compute(target: ChangeTarget): Promise<void> {
    const signal = this.controller.signal;
    const hierarchy = await this.other.getHierarchy();
    const otherMeta = await this.other.getMetadata();
    const [x0, y0, z0, x1, y1, z1] = target.node.bounds;
    const r = this.maxDistanceM;
    const box: Box3 = [x0 - r, y0 - r, z0 - r, x1 + r, y1 + r, z1 + r];
    // Comparable level: the other depth whose cell edge is closest to this node's cell edge, plus the offset.
    const ownEdge = x1 - x0;
    const otherRootEdge = otherMeta.cube[3] - otherMeta.cube[0];
    const maxDepth = Math.max(0, Math.round(Math.log2(otherRootEdge / ownEdge))) + this.levelOffset;
    const nodes = await findCoveringNodes(hierarchy, box, maxDepth);
    const reference = await Promise.all(nodes.map((node) => this.referenceData(node)));
    if (signal.aborted) return;
    const distances = await this.pool.changeDistances(
      {
        points: { centre: target.data.centre, positions: target.data.positions },
        reference: reference.map((d) => ({ centre: d.centre, positions: d.positions })),
        maxDistanceM: this.maxDistanceM,
      },
      { signal },
    );
    if (signal.aborted) return;
    const attribute = target.mesh.geometry.getAttribute('change');
    if (!attribute) return;
    (attribute.array as Float32Array).set(distances);
    attribute.needsUpdate = true;
    this.onUpdate();
  }

  private referenceData(node: PointCloudNode): Promise<NodeData> {
    const cached = this.reference.get(node.key);
    if (cached) return Promise.resolve(cached);
    let promise = this.loading.get(node.key);
    if (!promise) {
      promise = (async () => {
        // The other epoch's entity usually holds (or is loading) the node already: no second fetch.
        const shared = await shareNodeData(this.other, node.key, this.provider);
        if (shared) return shared;
        const data = await this.other.getNodeData({ node, signal: this.controller.signal });
        this.onFetched?.(data);
        this.reference.set(node.key, data, data.positions.byteLength + data.raw.byteLength);
        this.reference.trim();
        return data;
      })();
      const done = (): void => void this.loading.delete(node.key);
      promise.then(done, done);
      this.loading.set(node.key, promise);
    }
    return promise;
  }
}
