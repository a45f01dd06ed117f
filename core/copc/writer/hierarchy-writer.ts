/**
 * The COPC hierarchy EVLR payload (`copc`/1000): pages of 32-byte entries (COPC 1.0 "Hierarchy"). Deep trees
 * are split into sub-pages so that a reader fetches only the part of the hierarchy it needs.
 */
import { formatVoxelKey, type VoxelKey } from './cube.ts';

/** Size of one hierarchy entry in bytes. */
export const HIERARCHY_ENTRY_LENGTH = 32;

/** One node with data: its key and its LAZ chunk. */
export interface HierarchyNode {
  readonly key: VoxelKey;
  /** Absolute file offset of the node's chunk. */
  readonly offset: number;
  /** Chunk length in bytes. */
  readonly byteSize: number;
  readonly pointCount: number;
}

/** Options of {@link encodeHierarchy}. */
export interface HierarchyOptions {
  /**
   * A node this many levels below its page's root starts a page of its own (when its subtree is big enough).
   * Default 4.
   */
  readonly pageDepth?: number;
  /** Smallest subtree (entries, the node included) that gets its own page. Default 64. */
  readonly minPageEntries?: number;
}

/** The encoded payload and where the root page lies. */
export interface EncodedHierarchy {
  readonly data: Uint8Array;
  /** Absolute offset of the root page. */
  readonly rootOffset: number;
  /** Root page size in bytes. */
  readonly rootSize: number;
  readonly pageCount: number;
}

/**
 * Encodes the pages of `nodes` (every node's parent must be present, or be an ancestor of another listed
 * node: missing ancestors get entries with zero points). `payloadOffset` is the absolute file offset where
 * the payload will start (right after the EVLR header). Child pages come before their parent page; the
 * root page is last.
 */
export function encodeHierarchy(nodes: readonly HierarchyNode[], payloadOffset: number, options: HierarchyOptions = {}): EncodedHierarchy {
  const pageDepth = options.pageDepth ?? 4;
  const minPageEntries = options.minPageEntries ?? 64;
  if (!(pageDepth >= 1)) throw new Error(`Invalid hierarchy page depth: ${pageDepth}`);

  const byKey = new Map<string, HierarchyNode>();
  const children = new Map<string, VoxelKey[]>();
  const addChild = (key: VoxelKey): void => {
    if (key[0] === 0) return;
    const parent: VoxelKey = [key[0] - 1, key[1] >> 1, key[2] >> 1, key[3] >> 1];
    const parentName = formatVoxelKey(parent);
    const list = children.get(parentName);
    if (list) {
      list.push(key);
      return;
    }
    children.set(parentName, [key]);
    if (!byKey.has(parentName)) {
      byKey.set(parentName, { key: parent, offset: 0, byteSize: 0, pointCount: 0 });
      addChild(parent);
    }
  };
  for (const node of nodes) {
    const name = formatVoxelKey(node.key);
    if (byKey.has(name) && byKey.get(name)!.pointCount > 0) throw new Error(`Invalid hierarchy: node ${name} listed twice`);
    const placeholder = byKey.has(name);
    byKey.set(name, node);
    if (!placeholder) addChild(node.key);
  }
  if (!byKey.has('0-0-0-0')) byKey.set('0-0-0-0', { key: [0, 0, 0, 0], offset: 0, byteSize: 0, pointCount: 0 });

  const subtreeSize = new Map<string, number>();
  const sizeOf = (name: string): number => {
    let size = subtreeSize.get(name);
    if (size !== undefined) return size;
    size = 1;
    for (const child of children.get(name) ?? []) size += sizeOf(formatVoxelKey(child));
    subtreeSize.set(name, size);
    return size;
  };

  const pages: Uint8Array[] = [];
  let written = 0;
  const writePage = (root: VoxelKey): { offset: number; size: number } => {
    const entries: Array<{ key: VoxelKey; offset: number; byteSize: number; pointCount: number }> = [];
    const queue: VoxelKey[] = [root];
    for (let q = 0; q < queue.length; q++) {
      const key = queue[q]!;
      const name = formatVoxelKey(key);
      const node = byKey.get(name)!;
      const kids = children.get(name) ?? [];
      if (key !== root && key[0] - root[0] >= pageDepth && kids.length > 0 && sizeOf(name) >= minPageEntries) {
        const page = writePage(key);
        entries.push({ key, offset: page.offset, byteSize: page.size, pointCount: -1 });
        continue;
      }
      entries.push(node);
      queue.push(...kids);
    }
    const bytes = new Uint8Array(entries.length * HIERARCHY_ENTRY_LENGTH);
    const view = new DataView(bytes.buffer);
    entries.forEach((entry, i) => {
      const at = i * HIERARCHY_ENTRY_LENGTH;
      view.setInt32(at, entry.key[0], true);
      view.setInt32(at + 4, entry.key[1], true);
      view.setInt32(at + 8, entry.key[2], true);
      view.setInt32(at + 12, entry.key[3], true);
      view.setBigUint64(at + 16, BigInt(entry.offset), true);
      view.setInt32(at + 24, entry.byteSize, true);
      view.setInt32(at + 28, entry.pointCount, true);
    });
    const offset = payloadOffset + written;
    pages.push(bytes);
    written += bytes.byteLength;
    return { offset, size: bytes.byteLength };
  };
  const root = writePage([0, 0, 0, 0]);

  const data = new Uint8Array(written);
  let at = 0;
  for (const page of pages) {
    data.set(page, at);
    at += page.byteLength;
  }
  return { data, rootOffset: root.offset, rootSize: root.size, pageCount: pages.length };
}
