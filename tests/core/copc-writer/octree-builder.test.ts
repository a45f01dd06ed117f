import { describe, expect, it } from 'vitest';
import { computeCopcCube, getNodeBounds, type CopcCube } from '../../../core/copc/writer/cube.ts';
import { buildOctree, type OctreeNode, type OctreePoints } from '../../../core/copc/writer/octree-builder.ts';
import { createPrng } from '../../../core/geometry/prng.ts';

/** A street-like scene in EPSG:25832 magnitudes: a ground plane with noise and two facades. */
function makeScene(count: number, seed: number): OctreePoints {
  const rnd = createPrng(seed);
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const kind = rnd();
    x[i] = 291_000 + rnd() * 200;
    if (kind < 0.6) {
      y[i] = 5_744_000 + rnd() * 40;
      z[i] = 50 + rnd() * 0.05;
    } else {
      y[i] = 5_744_000 + (kind < 0.8 ? 0 : 40) + rnd() * 0.02;
      z[i] = 50 + rnd() * 15;
    }
  }
  return { count, x, y, z };
}

function boundsOf(p: OctreePoints): { min: [number, number, number]; max: [number, number, number] } {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.count; i++) {
    const v = [p.x[i]!, p.y[i]!, p.z[i]!];
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, v[k]!);
      max[k] = Math.max(max[k]!, v[k]!);
    }
  }
  return { min, max };
}

function checkTree(p: OctreePoints, cube: CopcCube, nodes: OctreeNode[]): void {
  const seen = new Uint8Array(p.count);
  const keys = new Set(nodes.map((n) => n.key.join('-')));
  for (const node of nodes) {
    const [d, x, y, z] = node.key;
    if (d > 0) expect(keys.has([d - 1, x >> 1, y >> 1, z >> 1].join('-'))).toBe(true);
    const b = getNodeBounds(cube, node.key);
    for (let n = 0; n < node.indices.length; n++) {
      const i = node.indices[n]!;
      if (n > 0) expect(i).toBeGreaterThan(node.indices[n - 1]!);
      seen[i]!++;
      const v = [p.x[i]!, p.y[i]!, p.z[i]!];
      for (let k = 0; k < 3; k++) {
        if (v[k]! < b.min[k]! - 1e-9 || v[k]! > b.max[k]! + 1e-9) throw new Error(`point ${i} outside node ${node.key.join('-')}`);
      }
    }
  }
  expect(seen.every((c) => c === 1)).toBe(true);
}

describe('buildOctree', () => {
  it('stores every point exactly once, inside its node, within the size limit', () => {
    const p = makeScene(120_000, 1);
    const cube = computeCopcCube(boundsOf(p));
    const nodes = buildOctree(p, { cube, maxNodePoints: 5_000, gridCells: 64 });
    checkTree(p, cube, nodes);
    expect(nodes.length).toBeGreaterThan(20);
    expect(Math.max(...nodes.map((n) => n.indices.length))).toBeLessThanOrEqual(5_000);
  });

  it('keeps exactly one point per occupied root grid cell, the one nearest the cell centre', () => {
    const p = makeScene(60_000, 2);
    const cube = computeCopcCube(boundsOf(p));
    const cells = 32;
    const nodes = buildOctree(p, { cube, maxNodePoints: 10_000, gridCells: cells });
    const root = nodes.find((n) => n.key[0] === 0)!;
    const edge = (2 * cube.halfsize) / cells;
    const cellOf = (i: number): { id: number; d: number } => {
      const f = [p.x[i]!, p.y[i]!, p.z[i]!].map((v, k) => (v - (cube.center[k]! - cube.halfsize)) / edge);
      const c = f.map((v) => Math.min(cells - 1, Math.max(0, Math.floor(v))));
      return { id: (c[2]! * cells + c[1]!) * cells + c[0]!, d: f.reduce((s, v, k) => s + (v - c[k]! - 0.5) ** 2, 0) };
    };
    const nearest = new Map<number, { i: number; d: number }>();
    for (let i = 0; i < p.count; i++) {
      const { id, d } = cellOf(i);
      const best = nearest.get(id);
      if (!best || d < best.d) nearest.set(id, { i, d });
    }
    expect(root.indices.length).toBe(nearest.size);
    expect([...root.indices].sort((a, b) => a - b)).toEqual([...nearest.values()].map((v) => v.i).sort((a, b) => a - b));
  });

  it('makes a full inner node coarser until it fits the limit', () => {
    const p = makeScene(50_000, 3);
    const cube = computeCopcCube(boundsOf(p));
    const nodes = buildOctree(p, { cube, maxNodePoints: 300, gridCells: 128 });
    checkTree(p, cube, nodes);
    expect(Math.max(...nodes.map((n) => n.indices.length))).toBeLessThanOrEqual(300);
  });

  it('stops at the depth limit for stacked duplicate points', () => {
    const count = 5_000;
    const p: OctreePoints = { count, x: new Float64Array(count).fill(1), y: new Float64Array(count).fill(2), z: new Float64Array(count).fill(3) };
    p.x[0] = 0;
    const cube = computeCopcCube(boundsOf(p));
    const nodes = buildOctree(p, { cube, maxNodePoints: 100, maxDepth: 6 });
    checkTree(p, cube, nodes);
    expect(Math.max(...nodes.map((n) => n.key[0]))).toBe(6);
  });
});
