import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrthographicCamera, Vector3 } from 'three';
import { openCopc } from '../../../core/copc/copc-file.ts';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { createFileGetter, type FileGetter } from '../../../tiling/file-getter.ts';
import { createPointPicker } from '../../../viewer/picking/create-point-picker.ts';
import { pickAtPixel, pickPoint, rayFromPixel, type PickRay } from '../../../viewer/picking/pick-point.ts';
import { PointCloudEntity } from '../../../viewer/pointcloud/PointCloudEntity.ts';
import type { WorkerPool } from '../../../workers/client.ts';
import { sharedPath } from '../../helpers/shared-data.ts';
import { cameraAt, cubeFrame, nodePool, NRW, openShared } from '../pointcloud/real-source.ts';

const WIDTH = 1024;
const HEIGHT = 768;
let pool: WorkerPool;
const getters: FileGetter[] = [];
let entity: PointCloudEntity;
/** The drawn nodes' points as core decodes them (float64 world X/Y/Z), by node key. */
const truth = new Map<string, PointColumns>();

beforeAll(async () => {
  pool = nodePool();
  const { source, getter } = await openShared(NRW, pool);
  getters.push(getter);
  entity = new PointCloudEntity(source, { frame: await cubeFrame(source), pool, minNodeSizePx: 120, pointBudget: 400_000 });
  const camera = cameraAt([-300, -700, 0], [0, 0, -450]);
  await entity.init();
  for (let i = 0; i < 40; i++) {
    entity.update(camera, HEIGHT);
    await entity.idle();
  }
  entity.update(camera, HEIGHT);
  const coreGetter = await createFileGetter(sharedPath(NRW));
  getters.push(coreGetter);
  const copc = await openCopc(coreGetter);
  await copc.loadHierarchy();
  for (const key of entity.drawnKeys()) truth.set(key, await copc.loadNode(key));
});

afterAll(async () => {
  entity.dispose();
  for (const g of getters) await g.close();
  pool.dispose();
});

/** The front-most drawn point within the ray's tolerance, by brute force over core's float64 columns. */
function bruteForce(ray: PickRay): { key: string; index: number } | undefined {
  let best: { key: string; index: number; t: number } | undefined;
  for (const [key, cols] of truth) {
    for (let i = 0; i < cols.count; i++) {
      const v = [cols.x[i]! - ray.origin[0], cols.y[i]! - ray.origin[1], cols.z[i]! - ray.origin[2]];
      const t = v[0]! * ray.direction[0] + v[1]! * ray.direction[1] + v[2]! * ray.direction[2];
      if (t <= 0) continue;
      const off = Math.hypot(v[0]! - t * ray.direction[0], v[1]! - t * ray.direction[1], v[2]! - t * ray.direction[2]);
      if (off <= ray.toleranceM + ray.toleranceSlope * t && (!best || t < best.t)) best = { key, index: i, t };
    }
  }
  return best;
}

/** The highest drawn point (nothing can lie in front of it for a camera straight above). */
function highestPoint(): { key: string; index: number; world: [number, number, number] } {
  let best = { key: '', index: -1, world: [0, 0, -Infinity] as [number, number, number] };
  for (const [key, cols] of truth) {
    for (let i = 0; i < cols.count; i++) if (cols.z[i]! > best.world[2]) best = { key, index: i, world: [cols.x[i]!, cols.y[i]!, cols.z[i]!] };
  }
  return best;
}

describe('pickPoint', () => {
  it('picks the point under the cursor at N 5.7e6 exactly on the LAS grid (1 mm and better)', () => {
    expect(entity.drawnKeys().length).toBeGreaterThan(3);
    const top = highestPoint();
    expect(top.world[1]).toBeGreaterThan(5.7e6);
    const local = entity.frame.toLocal(top.world);
    const camera = cameraAt([local[0], local[1], local[2] + 40], [local[0], local[1], local[2]]);
    camera.up.set(0, 1, 0);
    camera.lookAt(local[0], local[1], local[2]);
    const hit = pickAtPixel([entity], camera, entity.frame, { xPx: WIDTH / 2, yPx: HEIGHT / 2, widthPx: WIDTH, heightPx: HEIGHT });
    expect(hit).toBeDefined();
    expect(hit!.nodeKey).toBe(top.key);
    expect(hit!.index).toBe(top.index);
    for (let axis = 0; axis < 3; axis++) {
      expect(Math.abs(hit!.world[axis]! - top.world[axis]!)).toBeLessThan(1e-3);
      expect(hit!.world[axis]).toBe(top.world[axis]); // the same float64 as core's decode: integer * scale + offset
      const steps = (hit!.world[axis]! - 0) / 0.01; // NRW: scale 0.01, offset 0
      expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-6);
    }
    expect(hit!.distanceM).toBeCloseTo(40, 3);
    expect(hit!.sourceIndex).toBe(0);
    expect(hit!.classification).toBe(truth.get(top.key)!.classification![top.index]);
  });

  it('agrees with a brute-force float64 search at many pixels, perspective and orthographic', () => {
    const camera = cameraAt([-300, -700, 0], [0, 0, -450]);
    let hits = 0;
    for (let k = 0; k < 12; k++) {
      const xPx = 80 + ((k * 347) % (WIDTH - 160));
      const yPx = 200 + ((k * 211) % (HEIGHT - 260));
      const options = { xPx, yPx, widthPx: WIDTH, heightPx: HEIGHT, radiusPx: 3 };
      const ray = rayFromPixel(camera, entity.frame, options);
      const expected = bruteForce(ray);
      const hit = pickPoint([entity], ray);
      expect(hit && { key: hit.nodeKey, index: hit.index }).toEqual(expected && { key: expected.key, index: expected.index });
      if (hit) hits++;
    }
    expect(hits).toBeGreaterThan(6);
    const ortho = new OrthographicCamera(-400, 400, 300, -300, 0.1, 5000);
    ortho.up.set(0, 1, 0);
    ortho.position.set(0, 0, 500);
    ortho.lookAt(new Vector3(0, 0, -450));
    const ray = rayFromPixel(ortho, entity.frame, { xPx: 600, yPx: 300, widthPx: WIDTH, heightPx: HEIGHT, radiusPx: 2 });
    expect(ray.toleranceSlope).toBe(0);
    expect(ray.toleranceM).toBeCloseTo((2 * 600) / HEIGHT, 9);
    const expected = bruteForce(ray);
    expect(expected).toBeDefined();
    const hit = pickPoint([entity], ray)!;
    expect({ key: hit.nodeKey, index: hit.index }).toEqual({ key: expected!.key, index: expected!.index });
  });

  it('gives the local point spacing of the deepest drawn level at the point, and nothing when hidden', async () => {
    const top = highestPoint();
    const local = entity.frame.toLocal(top.world);
    const camera = cameraAt([local[0], local[1], local[2] + 40], [local[0], local[1], local[2]]);
    camera.up.set(0, 1, 0);
    camera.lookAt(local[0], local[1], local[2]);
    const options = { xPx: WIDTH / 2, yPx: HEIGHT / 2, widthPx: WIDTH, heightPx: HEIGHT };
    const hit = pickAtPixel([entity], camera, entity.frame, options)!;
    const meta = (await entity.source.getMetadata())!;
    let depth = 0;
    for (const { node } of entity.drawnNodes()) {
      const b = node.bounds;
      const inside = [0, 1, 2].every((a) => top.world[a]! >= b[a]! && top.world[a]! <= b[a + 3]!);
      if (inside) depth = Math.max(depth, node.depth);
    }
    expect(depth).toBeGreaterThan(0);
    expect(hit.spacingM).toBeCloseTo(meta.spacing / 2 ** depth, 12);
    entity.visible = false;
    expect(pickAtPixel([entity], camera, entity.frame, options)).toBeUndefined();
    entity.visible = true;
  });

  it('serves navigation as a scene picker: the picked LAS point in frame metres, float64', () => {
    const camera = cameraAt([-300, -700, 0], [0, 0, -450]);
    const picker = createPointPicker({ entities: () => [entity], camera: () => camera, sizePx: () => ({ width: WIDTH, height: HEIGHT }), frame: () => entity.frame });
    let checked = 0;
    for (const [xPx, yPx] of [[512, 500], [300, 600], [700, 450]] as const) {
      const hit = picker.pick(xPx, yPx);
      const scene = picker(xPx, yPx);
      if (!hit) {
        expect(scene).toBeUndefined();
        continue;
      }
      checked++;
      // Back to world in float64: exactly the LAS point, not a point on the ray.
      const back = entity.frame.toWorld([scene!.x, scene!.y, scene!.z]);
      for (let axis = 0; axis < 3; axis++) expect(Math.abs(back[axis]! - hit.world[axis]!)).toBeLessThan(1e-6);
      const cols = truth.get(hit.nodeKey)!;
      expect(hit.world).toEqual([cols.x[hit.index], cols.y[hit.index], cols.z[hit.index]]);
    }
    expect(checked).toBeGreaterThan(0);
    expect(createPointPicker({ entities: () => [entity], camera: () => camera, sizePx: () => ({ width: WIDTH, height: HEIGHT }), frame: () => undefined })(512, 500)).toBeUndefined();
  });
});
