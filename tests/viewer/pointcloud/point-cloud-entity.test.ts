import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sphere, Box3 as ThreeBox, Vector3, type Camera, type PerspectiveCamera } from 'three';
import { createBytesGetter } from '../../../core/io/getter.ts';
import type { FileGetter } from '../../../tiling/file-getter.ts';
import { readFileSync } from 'node:fs';
import { PointCloudEntity } from '../../../viewer/pointcloud/PointCloudEntity.ts';
import { CopcSource } from '../../../viewer/sources/CopcSource.ts';
import type { PointCloudNode } from '../../../viewer/sources/PointCloudSource.ts';
import type { CopcHierarchy } from '../../../viewer/sources/copc-hierarchy.ts';
import type { WorkerPool } from '../../../workers/client.ts';
import { sharedPath } from '../../helpers/shared-data.ts';
import { openCopc } from '../../../core/copc/copc-file.ts';
import { cameraAt, cubeFrame, GatedSource, nodePool, NRW, openShared } from './real-source.ts';

const HEIGHT_PX = 800;
let pool: WorkerPool;
const getters: FileGetter[] = [];

beforeAll(() => {
  pool = nodePool();
});

afterAll(async () => {
  for (const g of getters) await g.close();
  pool.dispose();
});

async function nrw(): Promise<CopcSource> {
  const { source, getter } = await openShared(NRW, pool);
  getters.push(getter);
  return source;
}

/** Updates and waits until nothing is in flight and an update requests nothing new. */
async function settle(entity: PointCloudEntity, camera: Camera, rounds = 60): Promise<void> {
  await entity.init();
  for (let i = 0; i < rounds; i++) {
    entity.update(camera, HEIGHT_PX);
    if (entity.inFlightKeys().length === 0) {
      entity.update(camera, HEIGHT_PX);
      if (entity.inFlightKeys().length === 0) return;
    }
    await entity.idle();
  }
  throw new Error('entity did not settle');
}

/** Projected radius (px) of a node's cell, computed here from its bounding sphere (60° fov). */
function sizePx(node: PointCloudNode, entity: PointCloudEntity, camera: PerspectiveCamera): number {
  const [ox, oy, oz] = entity.frame.origin;
  const [x0, y0, z0, x1, y1, z1] = node.bounds;
  const sphere = new ThreeBox(new Vector3(x0 - ox, y0 - oy, z0 - oz), new Vector3(x1 - ox, y1 - oy, z1 - oz)).getBoundingSphere(new Sphere());
  const distance = sphere.center.distanceTo(camera.position);
  return (sphere.radius / (distance * Math.tan(Math.PI / 6))) * (HEIGHT_PX / 2);
}

function nodesOf(hierarchy: CopcHierarchy, keys: string[]): PointCloudNode[] {
  return keys.map((k) => hierarchy.findNode(k)!);
}

// A camera outside every node's bounding sphere, south-west of the tile and above it, looking at the far corner:
// there a parent always projects at least as large as its children, so best-first order is non-increasing.
const SW_CAMERA: [number, number, number] = [-700, -700, 100];
const NE_GROUND: [number, number, number] = [300, 300, -450];

describe('PointCloudEntity traversal', () => {
  it('visits nodes largest projected size first, parents before children, nearer before farther', async () => {
    const source = await nrw();
    const entity = new PointCloudEntity(source, { frame: await cubeFrame(source), pool, minNodeSizePx: 40, pointBudget: 10_000_000 });
    const camera = cameraAt(SW_CAMERA, NE_GROUND);
    await entity.init();
    entity.update(camera, HEIGHT_PX);
    const hierarchy = (await source.getHierarchy()) as CopcHierarchy;
    const wanted = nodesOf(hierarchy, entity.wantedKeys());
    expect(wanted[0]!.key).toBe('0-0-0-0');
    expect(wanted.some((n) => n.depth === 3)).toBe(true);
    const sizes = wanted.map((n) => sizePx(n, entity, camera));
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeLessThanOrEqual(sizes[i - 1]! * (1 + 1e-9));
    const position = new Map(wanted.map((n, i) => [n.key, i]));
    for (const node of wanted.slice(1)) {
      const [d, x, y, z] = node.key.split('-').map(Number) as [number, number, number, number];
      expect(position.get(`${d - 1}-${x >> 1}-${y >> 1}-${z >> 1}`)!).toBeLessThan(position.get(node.key)!);
    }
    // Among the deepest level, the node nearest the camera (south-west corner) comes first.
    const deepest = wanted.filter((n) => n.depth === 3);
    expect(deepest[0]!.key).toBe('3-0-0-0');
    // Every node whose projected size passes the threshold is wanted (the budget is not binding here).
    for (const node of wanted) {
      for (const child of hierarchy.findChildren(node) ?? []) {
        const size = sizePx(child, entity, camera);
        if (size > 40 * 1.01) expect(position.has(child.key), child.key).toBe(true);
        if (size < 40 * 0.99) expect(position.has(child.key), child.key).toBe(false);
      }
    }
    entity.dispose();
  });

  it('keeps the points within the budget and draws what it loaded, fetching each node once', async () => {
    const source = new GatedSource(await nrw());
    const entity = new PointCloudEntity(source, { frame: await cubeFrame(source), pool, minNodeSizePx: 20, pointBudget: 5 });
    expect(entity.pointBudget).toBe(100_000); // clamped to the smallest budget
    const camera = cameraAt(SW_CAMERA, NE_GROUND);
    await settle(entity, camera);
    const hierarchy = (await source.getHierarchy()) as CopcHierarchy;
    const wantedPoints = nodesOf(hierarchy, entity.wantedKeys()).reduce((n, node) => n + node.pointCount, 0);
    expect(wantedPoints).toBeLessThanOrEqual(100_000);
    expect(entity.stats.pointsVisible).toBeLessThanOrEqual(100_000);
    expect(entity.stats.pointsVisible).toBe(wantedPoints); // all wanted nodes are drawn once settled
    // The budget was binding: one more node in priority order would not have fit.
    entity.pointBudget = 1_000_000;
    await settle(entity, camera);
    expect(entity.stats.pointsVisible).toBeGreaterThan(100_000);
    expect(entity.stats.pointsVisible).toBeLessThanOrEqual(1_000_000);
    // Drawn meshes are the entity's children, one per drawn node with points.
    expect(entity.children.map((c) => c.userData.key).sort()).toEqual(entity.drawnKeys().sort());
    const keys = source.requests.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    const drawnBytes = nodesOf(hierarchy, entity.drawnKeys()).reduce((n, node) => n + node.byteSize, 0);
    expect(entity.stats.bytesOfDrawnNodes).toBe(drawnBytes);
    expect(entity.stats.bytesFetched).toBe(nodesOf(hierarchy, entity.cachedKeys()).reduce((n, node) => n + node.byteSize, 0));
    expect(entity.stats.decodeMs).toBeGreaterThan(0);
    // Every node fetched here was drawn in one of the two settled views: nothing fetched in vain.
    expect(entity.fetchedNeverDrawn()).toEqual([]);
    expect(entity.stats.bytesOfEverDrawnNodes).toBe(entity.stats.bytesFetched);
    entity.dispose();
  });

  it('places node meshes at their centre with centre-relative float32 positions', async () => {
    const source = await nrw();
    const frame = await cubeFrame(source);
    const entity = new PointCloudEntity(source, { frame, pool, sourceIndex: 3 });
    await settle(entity, cameraAt([0, -3000, 2000], [0, 0, -450]));
    const [loaded] = [...entity.drawnNodes()];
    const { mesh, data, node } = loaded!;
    expect(mesh.userData).toEqual({ key: node.key, level: node.depth, sourceIndex: 3 });
    const attributes = mesh.geometry.attributes;
    expect(attributes.position!.array).toBeInstanceOf(Float32Array);
    expect(attributes.color!.array).toBeInstanceOf(Uint8Array);
    expect(attributes.color!.normalized).toBe(true);
    expect(attributes.intensity!.array).toBeInstanceOf(Uint16Array);
    expect(attributes.intensity!.normalized).toBe(false);
    expect(attributes.classification!.array).toBeInstanceOf(Uint8Array);
    expect(attributes.gpsTime!.array).toBeInstanceOf(Float32Array);
    expect([...(attributes.change!.array as Float32Array).slice(0, 5)]).toEqual([-1, -1, -1, -1, -1]);
    const meta = await source.getMetadata();
    for (let i = 0; i < data.count; i += 997) {
      for (let axis = 0; axis < 3; axis++) {
        const world = data.raw[i * 3 + axis]! * meta.scale[axis]! + meta.offset[axis]!;
        const shown = (attributes.position!.array as Float32Array)[i * 3 + axis]! + mesh.position.getComponent(axis) + frame.origin[axis]!;
        expect(Math.abs(shown - world)).toBeLessThan(1e-4);
      }
    }
    entity.dispose();
  });
});

describe('PointCloudEntity loading', () => {
  it('keeps drawing a node near the threshold (hysteresis) but does not start one there', async () => {
    const source = await nrw();
    const frame = await cubeFrame(source);
    const camera = cameraAt(SW_CAMERA, NE_GROUND);
    const entity = new PointCloudEntity(source, { frame, pool, pointBudget: 10_000_000, minNodeSizePx: 1e6 });
    const hierarchy = (await source.getHierarchy()) as CopcHierarchy;
    const child = hierarchy.findNode('1-0-0-0')!;
    const size = sizePx(child, entity, camera);
    const biggest = Math.max(...hierarchy.findChildren(hierarchy.root)!.map((n) => sizePx(n, entity, camera)));
    entity.minNodeSizePx = size / 1.2; // 1-0-0-0 passes
    await settle(entity, camera);
    expect(entity.drawnKeys()).toContain('1-0-0-0');
    entity.minNodeSizePx = size / 0.9; // now 10 % below the threshold, within the hysteresis band
    await settle(entity, camera);
    expect(entity.drawnKeys()).toContain('1-0-0-0');
    entity.minNodeSizePx = size / 0.7; // beyond the band: dropped
    entity.update(camera, HEIGHT_PX);
    expect(entity.drawnKeys()).not.toContain('1-0-0-0');
    expect(entity.cachedKeys()).toContain('1-0-0-0'); // still cached for a quick return
    const fresh = new PointCloudEntity(source, { frame, pool, pointBudget: 10_000_000, minNodeSizePx: size / 0.9 });
    await settle(fresh, camera);
    expect(fresh.wantedKeys()).not.toContain('1-0-0-0');
    expect(size / 0.9).toBeLessThan(biggest * 2); // the band is meaningful for this view
    entity.dispose();
    fresh.dispose();
  });

  it('shows the children of a node together, only once all wanted siblings are ready', async () => {
    const source = new GatedSource(await nrw());
    const frame = await cubeFrame(source);
    const entity = new PointCloudEntity(source, { frame, pool, minNodeSizePx: 100, pointBudget: 300_000, maxNodesInFlight: 8 });
    const camera = cameraAt([0, -2000, 1500], [0, 0, -450]);
    source.hold('1-1-1-0');
    await entity.init();
    for (let i = 0; i < 5; i++) {
      entity.update(camera, HEIGHT_PX);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const deadline = Date.now() + 20_000;
    while (entity.cachedKeys().filter((k) => k.startsWith('1-')).length < 3 && Date.now() < deadline) {
      entity.update(camera, HEIGHT_PX);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    entity.update(camera, HEIGHT_PX);
    expect(entity.wantedKeys()).toContain('1-1-1-0');
    expect(entity.inFlightKeys()).toContain('1-1-1-0');
    expect(entity.cachedKeys()).toEqual(expect.arrayContaining(['0-0-0-0', '1-0-0-0', '1-1-0-0', '1-0-1-0']));
    expect(entity.drawnKeys()).toEqual(['0-0-0-0']); // the parent stays, its ready children wait for their sibling
    source.release('1-1-1-0');
    await settle(entity, camera);
    expect(entity.drawnKeys()).toEqual(expect.arrayContaining(['0-0-0-0', '1-0-0-0', '1-1-0-0', '1-0-1-0', '1-1-1-0']));
    entity.dispose();
  });

  it('cancels requests of nodes that left the view and never exceeds the limit in flight', async () => {
    const source = new GatedSource(await nrw());
    const frame = await cubeFrame(source);
    const hierarchy = (await source.getHierarchy()) as CopcHierarchy;
    const depth3 = [...Array(64).keys()].map((i) => `3-${i % 8}-${i >> 3}-0`).filter((k) => hierarchy.findNode(k));
    source.hold(...depth3);
    const entity = new PointCloudEntity(source, { frame, pool, minNodeSizePx: 30, pointBudget: 10_000_000, maxNodesInFlight: 4 });
    // Close over the south-west corner, looking down: south-west deep nodes are wanted and requested.
    const southWest = cameraAt([-400, -400, -200], [-400, -399, -460]);
    await entity.init();
    for (let i = 0; i < 20 && entity.inFlightKeys().filter((k) => k.startsWith('3-')).length < 4; i++) {
      entity.update(southWest, HEIGHT_PX);
      expect(entity.inFlightKeys().length).toBeLessThanOrEqual(4);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const pending = entity.inFlightKeys().filter((k) => k.startsWith('3-'));
    expect(pending.length).toBeGreaterThan(0);
    expect(entity.stats.nodesInFlight).toBe(entity.inFlightKeys().length);
    expect(entity.stats.bytesInFlight).toBe(nodesOf(hierarchy, entity.inFlightKeys()).reduce((n, node) => n + node.byteSize, 0));
    // Turn to the north-east corner: the south-west requests leave the view and are aborted.
    const northEast = cameraAt([400, 400, -200], [400, 401, -460]);
    entity.update(northEast, HEIGHT_PX);
    for (const key of pending) {
      expect(entity.wantedKeys()).not.toContain(key);
      expect(entity.inFlightKeys()).not.toContain(key);
      const request = source.requests.find((r) => r.key === key)!;
      expect(request.signal?.aborted, key).toBe(true);
    }
    for (const key of depth3) source.release(key);
    await settle(entity, northEast);
    for (const key of pending) expect(entity.cachedKeys()).not.toContain(key);
    entity.dispose();
  });

  it('lets a node whose bytes arrived finish decoding after it left the view, and caches it', async () => {
    const source = new GatedSource(await nrw());
    const frame = await cubeFrame(source);
    const hierarchy = (await source.getHierarchy()) as CopcHierarchy;
    const depth3 = [...Array(64).keys()].map((i) => `3-${i % 8}-${i >> 3}-0`).filter((k) => hierarchy.findNode(k));
    source.holdAfterFetch(...depth3);
    const entity = new PointCloudEntity(source, { frame, pool, minNodeSizePx: 30, pointBudget: 10_000_000, maxNodesInFlight: 4 });
    const southWest = cameraAt([-400, -400, -200], [-400, -399, -460]);
    await entity.init();
    for (let i = 0; i < 20 && entity.inFlightKeys().filter((k) => k.startsWith('3-')).length < 2; i++) {
      entity.update(southWest, HEIGHT_PX);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const decoding = entity.inFlightKeys().filter((k) => k.startsWith('3-'));
    expect(decoding.length).toBeGreaterThan(0);
    const fetchedBefore = entity.stats.bytesFetched;
    expect(fetchedBefore).toBeGreaterThanOrEqual(nodesOf(hierarchy, decoding).reduce((n, node) => n + node.byteSize, 0));
    entity.update(cameraAt([400, 400, -200], [400, 401, -460]), HEIGHT_PX);
    for (const key of decoding) {
      expect(entity.wantedKeys()).not.toContain(key);
      expect(entity.inFlightKeys()).toContain(key);
      expect(source.requests.find((r) => r.key === key)!.signal?.aborted).toBe(false);
      source.release(key);
    }
    await entity.idle();
    for (const key of decoding) expect(entity.cachedKeys()).toContain(key);
    // Fetched for a view the camera left before they were ready: never drawn, and reported as such with their bytes.
    const wasted = entity.fetchedNeverDrawn();
    for (const key of decoding) expect(wasted).toContainEqual({ key, bytes: hierarchy.findNode(key)!.byteSize });
    expect(entity.stats.bytesOfEverDrawnNodes).toBeLessThanOrEqual(entity.stats.bytesFetched - wasted.reduce((n, w) => n + w.bytes, 0));
    for (const key of depth3) source.release(key);
    entity.dispose();
  });

  it('evicts least recently used nodes beyond the byte bound and disposes their geometry', async () => {
    const source = await nrw();
    const frame = await cubeFrame(source);
    const entity = new PointCloudEntity(source, { frame, pool, minNodeSizePx: 30, pointBudget: 400_000, cacheBytes: 40_000_000 });
    const southWest = cameraAt([-400, -400, -200], [-400, -399, -460]);
    const northEast = cameraAt([400, 400, -200], [400, 401, -460]);
    await settle(entity, southWest);
    const swWanted = entity.wantedKeys();
    const swDrawn = entity.drawnKeys().filter((k) => k.startsWith('3-'));
    expect(swDrawn.length).toBeGreaterThan(0);
    const before = entity.cachedKeys(); // least recently used first
    const disposed: string[] = [];
    for (const { node, mesh } of entity.loadedNodes()) mesh.geometry.addEventListener('dispose', () => disposed.push(node.key));
    await settle(entity, northEast);
    expect(entity.stats.cacheBytes).toBeLessThanOrEqual(40_000_000);
    expect(entity.stats.cacheBytes).toBeGreaterThan(20_000_000);
    // Nodes the north-east view does not use went, least recently used first, and their GPU buffers were released.
    const used = new Set(entity.wantedKeys());
    expect(disposed.length).toBeGreaterThan(0);
    expect(disposed).toEqual(before.filter((k) => !used.has(k)).slice(0, disposed.length));
    for (const key of disposed) expect(entity.cachedKeys()).not.toContain(key);
    // Within the south-west view's nodes, the least important (last in priority order) went first.
    const swOrder = swWanted.filter((k) => disposed.includes(k));
    expect(disposed.filter((k) => swWanted.includes(k))).toEqual([...swOrder].reverse());
    // What is drawn now is cached.
    for (const key of entity.drawnKeys()) expect(entity.cachedKeys()).toContain(key);
    entity.dispose();
  });

  it('reports a corrupt node and keeps drawing the others', async () => {
    const bytes = new Uint8Array(readFileSync(sharedPath(NRW)));
    const clean = await nrw();
    const hierarchy = (await clean.getHierarchy()) as CopcHierarchy;
    const victim = hierarchy.findEntry('1-1-0-0')!;
    // Overwrite the middle of the node's chunk with a pattern: the LAZ stream decodes into garbage.
    for (let i = victim.pointDataOffset + 200; i < victim.pointDataOffset + victim.pointDataLength - 200; i++) bytes[i] = (i * 7919) & 255;
    const source = new CopcSource(createBytesGetter(bytes, 'corrupt.copc.laz'), { pool });
    const failures: string[] = [];
    let first = 0;
    const entity = new PointCloudEntity(source, { frame: await cubeFrame(source), pool, minNodeSizePx: 100, pointBudget: 300_000 });
    entity.onNodeError = ({ key, error }) => failures.push(`${key}: ${error.message}`);
    entity.onFirstNodeDrawn = () => first++;
    await settle(entity, cameraAt([0, -2000, 1500], [0, 0, -450]));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^1-1-0-0: Invalid (node|LAZ chunk)/);
    expect(entity.stats.nodesFailed).toBe(1);
    expect(first).toBe(1);
    expect(entity.drawnKeys()).toEqual(expect.arrayContaining(['0-0-0-0', '1-0-0-0', '1-0-1-0', '1-1-1-0']));
    entity.dispose();
  });

  it('reports an unreadable hierarchy page and keeps drawing the node above it', async () => {
    const file = 'laspy/tests/data/simple_with_page.copc.laz';
    const bytes = new Uint8Array(readFileSync(sharedPath(file)));
    const probe = await openCopc(createBytesGetter(bytes, file));
    const { pages } = await probe.loadHierarchyPage();
    expect(pages.size).toBeGreaterThan(0);
    const [pageKey, page] = [...pages][0]!;
    const inner = createBytesGetter(bytes, file);
    // A server that fails for the child page's bytes only.
    const failing = {
      ...inner,
      get: (b: number, e: number) =>
        b < page.pageOffset + page.pageLength && e > page.pageOffset ? Promise.reject(new Error('Invalid URL: page (HTTP 500)')) : inner.get(b, e),
    };
    const source = new CopcSource(failing, { pool });
    const failures: string[] = [];
    const entity = new PointCloudEntity(source, { frame: await cubeFrame(source), pool, minNodeSizePx: 1 });
    entity.onNodeError = ({ key }) => failures.push(key);
    await settle(entity, cameraAt([0, -8000, 6000], [0, 0, 0]));
    const [d, x, y, z] = pageKey.split('-').map(Number) as [number, number, number, number];
    const above = `${d - 1}-${x >> 1}-${y >> 1}-${z >> 1}`;
    expect(failures).toEqual([above]);
    expect(entity.drawnKeys()).toContain(above);
    expect(entity.stats.nodesFailed).toBe(1);
    expect(entity.stats.pointsVisible).toBeGreaterThan(0);
    entity.dispose();
  });
});
