import { Hierarchy } from 'copc';
import { describe, expect, it } from 'vitest';
import type { VoxelKey } from '../../../core/copc/writer/cube.ts';
import { encodeHierarchy, type HierarchyNode } from '../../../core/copc/writer/hierarchy-writer.ts';

/** A full chain of nodes down to depth `depth` plus siblings, each with a fake chunk. */
function makeNodes(depth: number): HierarchyNode[] {
  const nodes: HierarchyNode[] = [];
  let offset = 1000;
  const add = (key: VoxelKey): void => {
    nodes.push({ key, offset, byteSize: 10 + key[0], pointCount: 1 + key[1] + key[0] });
    offset += 10 + key[0];
  };
  add([0, 0, 0, 0]);
  for (let d = 1; d <= depth; d++) {
    for (let i = 0; i < 4; i++) add([d, i & 1, (i >> 1) & 1, 0]);
    // A deep chain under x = 2^d - 1 so that several page levels are needed.
    add([d, 2 ** d - 1, 0, 1]);
  }
  return nodes;
}

/** Reads every page with copc's own parser, starting at the root page, as a reader would. */
function readAll(data: Uint8Array, base: number, root: { offset: number; size: number }): { nodes: Record<string, Hierarchy.Node>; pages: number } {
  const nodes: Record<string, Hierarchy.Node> = {};
  let pages = 0;
  const visit = (offset: number, size: number): void => {
    pages++;
    const sub = Hierarchy.parse(data.subarray(offset - base, offset - base + size));
    for (const [key, node] of Object.entries(sub.nodes)) {
      expect(nodes[key]).toBeUndefined();
      nodes[key] = node!;
    }
    for (const page of Object.values(sub.pages)) visit(page!.pageOffset, page!.pageLength);
  };
  visit(root.offset, root.size);
  return { nodes, pages };
}

describe('encodeHierarchy', () => {
  it('writes one page for a shallow tree, readable by copc', () => {
    const nodes = makeNodes(3);
    const enc = encodeHierarchy(nodes, 5000);
    expect(enc.pageCount).toBe(1);
    expect(enc.rootOffset).toBe(5000);
    const { nodes: read } = readAll(enc.data, 5000, { offset: enc.rootOffset, size: enc.rootSize });
    for (const n of nodes) expect(read[n.key.join('-')]).toEqual({ pointCount: n.pointCount, pointDataOffset: n.offset, pointDataLength: n.byteSize });
  });

  it('splits a deep tree into sub-pages and still yields every node once, with empty ancestors filled in', () => {
    const nodes = makeNodes(12).filter((n) => n.key.join('-') !== '5-0-0-0');
    const enc = encodeHierarchy(nodes, 777, { pageDepth: 2, minPageEntries: 2 });
    expect(enc.pageCount).toBeGreaterThan(3);
    const { nodes: read, pages } = readAll(enc.data, 777, { offset: enc.rootOffset, size: enc.rootSize });
    expect(pages).toBe(enc.pageCount);
    for (const n of nodes) expect(read[n.key.join('-')]?.pointCount).toBe(n.pointCount);
    // Every key's parent exists (the reader walks down from the root).
    for (const key of Object.keys(read)) {
      const [d, x, y, z] = key.split('-').map(Number) as [number, number, number, number];
      if (d > 0) expect(read[[d - 1, x >> 1, y >> 1, z >> 1].join('-')]).toBeDefined();
    }
    const withPoints = Object.values(read).filter((n) => n.pointCount > 0);
    expect(withPoints.length).toBe(nodes.length);
    const empty = Object.entries(read).filter(([, n]) => n.pointCount === 0);
    expect(empty.map(([key]) => key)).toContain('5-0-0-0');
    for (const [, n] of empty) expect([n.pointDataOffset, n.pointDataLength]).toEqual([0, 0]);
    expect(enc.data.byteLength % 32).toBe(0);
  });
});
