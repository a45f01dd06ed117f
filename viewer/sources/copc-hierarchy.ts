/**
 * The COPC hierarchy as the entity sees it (COPC 1.0 §"Hierarchy"): nodes known so far and the pages not read
 * yet. A page entry (point count -1) for key K means K and the nodes below it are listed in that page.
 */
import type { CopcFile, CopcNode, HierarchyPage } from '../../core/copc/copc-file.ts';
import { VoxelKey, type Box3 } from '../../core/copc/key.ts';
import type { PointCloudHierarchy, PointCloudNode } from './PointCloudSource.ts';

/** A hierarchy node with where its chunk lies in the file. */
export interface CopcNodeEntry extends PointCloudNode {
  readonly pointDataOffset: number;
  readonly pointDataLength: number;
}

/** The hierarchy of a COPC file plus lookups of node entries by key. */
export interface CopcHierarchy extends PointCloudHierarchy {
  readonly root: CopcNodeEntry;
  findEntry(key: string): CopcNodeEntry | undefined;
}

function entryOf(node: CopcNode, cube: Box3): CopcNodeEntry {
  return {
    key: node.key,
    depth: VoxelKey.parse(node.key)[0],
    pointCount: node.pointCount,
    bounds: VoxelKey.bounds(node.key, cube),
    byteSize: node.pointDataLength,
    pointDataOffset: node.pointDataOffset,
    pointDataLength: node.pointDataLength,
  };
}

/** Reads the root page and returns the hierarchy; deeper pages are read by `loadChildren`. */
export async function loadCopcHierarchy(copc: CopcFile): Promise<CopcHierarchy> {
  const cube = copc.info.cube;
  const nodes = new Map<string, CopcNodeEntry>();
  const unread = new Map<string, HierarchyPage>();
  const reading = new Map<string, Promise<void>>();
  const children = new Map<string, readonly PointCloudNode[]>();
  const add = (page: Awaited<ReturnType<CopcFile['loadHierarchyPage']>>): void => {
    for (const node of page.nodes.values()) nodes.set(node.key, entryOf(node, cube));
    for (const [key, where] of page.pages) if (!nodes.has(key)) unread.set(key, where);
  };
  add(await copc.loadHierarchyPage());
  const root = nodes.get('0-0-0-0');
  if (!root) throw new Error(`Invalid COPC hierarchy: no root node 0-0-0-0 in ${copc.name}`);

  const childKeys = (node: PointCloudNode): string[] => VoxelKey.children(node.key).map((k) => VoxelKey.toString(k));

  const readPage = (key: string): Promise<void> => {
    let promise = reading.get(key);
    if (!promise) {
      const where = unread.get(key)!;
      promise = copc.loadHierarchyPage(where).then((page) => {
        add(page);
        unread.delete(key);
      });
      promise.catch(() => reading.delete(key));
      reading.set(key, promise);
    }
    return promise;
  };

  return {
    root,
    findNode: (key) => nodes.get(key),
    findEntry: (key) => nodes.get(key),
    findChildren(node) {
      // Note: called for many nodes every frame; once no page below is unread the answer never changes.
      const known = children.get(node.key);
      if (known) return known;
      const out: PointCloudNode[] = [];
      for (const key of childKeys(node)) {
        if (unread.has(key)) return undefined;
        const child = nodes.get(key);
        if (child) out.push(child);
      }
      children.set(node.key, out);
      return out;
    },
    async loadChildren(node, signal) {
      const pending = childKeys(node).filter((key) => unread.has(key));
      await Promise.all(pending.map(readPage));
      signal?.throwIfAborted();
    },
  };
}
