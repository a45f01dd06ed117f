import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileGetter } from '../../../tiling/file-getter.ts';
import { CHANGE_NOT_COMPUTED } from '../../../viewer/pointcloud/create-node-mesh.ts';
import { PointCloudEntity } from '../../../viewer/pointcloud/PointCloudEntity.ts';
import type { NodeData, PointCloudNode } from '../../../viewer/sources/PointCloudSource.ts';
import type { WorkerPool } from '../../../workers/client.ts';
import { cameraAt, cubeFrame, GatedSource, nodePool, openShared } from './real-source.ts';

// Two real surveys of the same place (Autzen stadium): the 1 065-point file covers a wider area than the
// 110 000-point trim, so some points have near neighbours in the other and some have none within the radius.
const EPOCH_A = 'PDAL/test/data/copc/1.2-with-color.copc.laz';
const EPOCH_B = 'derived/autzen_trim.copc.laz';

let pool: WorkerPool;
const getters: FileGetter[] = [];

beforeAll(() => {
  pool = nodePool();
});

afterAll(async () => {
  for (const g of getters) await g.close();
  pool.dispose();
});

describe('PointCloudEntity.enableChangeAgainst', () => {
  it("fills each drawn node's change attribute with the distance to the other epoch at a comparable level", async () => {
    const a = await openShared(EPOCH_A, pool);
    const b = await openShared(EPOCH_B, pool);
    getters.push(a.getter, b.getter);
    const entity = new PointCloudEntity(a.source, { frame: await cubeFrame(a.source), pool, minNodeSizePx: 1 });
    const camera = cameraAt([0, -4000, 3000], [0, 0, 0]);
    await entity.init();
    for (let i = 0; i < 10; i++) {
      entity.update(camera, 800);
      await entity.idle();
    }
    const drawn = [...entity.drawnNodes()];
    expect(drawn.length).toBeGreaterThan(0);
    let redraws = 0;
    entity.onRequestFrame = () => redraws++;
    const radius = 5;
    entity.enableChangeAgainst(b.source, { maxDistanceM: radius });
    await entity.changeIdle();
    expect(redraws).toBeGreaterThanOrEqual(drawn.length);

    // Brute force over every node of B at the comparable depth + 1 or above (cell edge closest to A's node edge).
    const hierarchyB = await b.source.getHierarchy();
    const metaB = await b.source.getMetadata();
    const allB: PointCloudNode[] = [];
    const queue: PointCloudNode[] = [hierarchyB.root];
    while (queue.length > 0) {
      const node = queue.shift()!;
      allB.push(node);
      queue.push(...(hierarchyB.findChildren(node) ?? []));
    }
    const dataB = new Map<string, NodeData>();
    for (const node of allB) if (node.pointCount > 0) dataB.set(node.key, await b.source.getNodeData({ node }));
    let near = 0;
    let far = 0;
    for (const { node, data, mesh } of drawn) {
      const edge = node.bounds[3] - node.bounds[0];
      const depthB = Math.max(0, Math.round(Math.log2((metaB.cube[3] - metaB.cube[0]) / edge))) + 1; // default levelOffset
      const change = mesh.geometry.getAttribute('change')!.array as Float32Array;
      for (let i = 0; i < data.count; i++) {
        const p = [0, 1, 2].map((k) => data.positions[i * 3 + k]! + data.centre[k]!);
        let best = Infinity;
        for (const nodeB of allB) {
          if (nodeB.depth > depthB || !dataB.has(nodeB.key)) continue;
          const q = dataB.get(nodeB.key)!;
          for (let j = 0; j < q.count; j++) {
            const dx = q.positions[j * 3]! + q.centre[0] - p[0]!;
            const dy = q.positions[j * 3 + 1]! + q.centre[1] - p[1]!;
            const dz = q.positions[j * 3 + 2]! + q.centre[2] - p[2]!;
            best = Math.min(best, dx * dx + dy * dy + dz * dz);
          }
        }
        const expected = Math.min(Math.sqrt(best), radius);
        expect(change[i]).not.toBe(CHANGE_NOT_COMPUTED);
        expect(Math.abs(change[i]! - expected), `${node.key} point ${i}`).toBeLessThan(1e-3);
        if (expected < radius) near++;
        else far++;
      }
    }
    expect(near).toBeGreaterThan(10);
    expect(far).toBeGreaterThan(10);

    entity.disableChange();
    for (const { mesh } of drawn) expect((mesh.geometry.getAttribute('change')!.array as Float32Array)[0]).toBe(CHANGE_NOT_COMPUTED);
    entity.dispose();
  });

  it("takes the other epoch's nodes from its entity instead of fetching them again, and the reverse", async () => {
    const a = await openShared(EPOCH_A, pool);
    const b = await openShared(EPOCH_B, pool);
    getters.push(a.getter, b.getter);
    const sourceB = new GatedSource(b.source);
    const frame = await cubeFrame(a.source);
    const entityA = new PointCloudEntity(a.source, { frame, pool, minNodeSizePx: 1 });
    const entityB = new PointCloudEntity(sourceB, { frame, pool, minNodeSizePx: 50, sourceIndex: 1 });
    const camera = cameraAt([0, -4000, 3000], [0, 0, 0]);
    await Promise.all([entityA.init(), entityB.init()]);
    for (let i = 0; i < 10; i++) {
      entityA.update(camera, 800);
      entityB.update(camera, 800);
      await Promise.all([entityA.idle(), entityB.idle()]);
    }
    expect(entityB.drawnKeys()).toContain('0-0-0-0');
    entityA.enableChangeAgainst(sourceB, { maxDistanceM: 5 });
    await entityA.changeIdle();
    // Refine B further: nodes the tracker fetched are taken from it, not fetched again.
    entityB.minNodeSizePx = 5;
    for (let i = 0; i < 10; i++) {
      entityB.update(camera, 800);
      await entityB.idle();
    }
    const keys = sourceB.requests.map((r) => r.key);
    expect(keys.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length);
    const computed = [...entityA.drawnNodes()].every(({ mesh }) => (mesh.geometry.getAttribute('change')!.array as Float32Array)[0] !== CHANGE_NOT_COMPUTED);
    expect(computed).toBe(true);
    entityA.dispose();
    entityB.dispose();
  });
});
