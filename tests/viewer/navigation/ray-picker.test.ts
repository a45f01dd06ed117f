import { BufferAttribute, BufferGeometry, Points, PerspectiveCamera, Scene, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { LocalFrame } from '../../../core/crs/LocalFrame.ts';
import { createRayPicker } from '../../../viewer/navigation/ray-picker.ts';

/** A node mesh as the entity builds it: float32 offsets from the node centre, the mesh at centre - frame origin. */
function nodeMesh(frame: LocalFrame, centre: [number, number, number], world: Array<[number, number, number]>): Points {
  const positions = new Float32Array(world.length * 3);
  world.forEach((p, i) => positions.set([p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]], i * 3));
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(positions, 3));
  geometry.computeBoundingSphere();
  const mesh = new Points(geometry);
  mesh.position.set(...frame.toLocal(centre));
  mesh.updateMatrixWorld();
  return mesh;
}

describe('ray picker', () => {
  it('picks the point nearest the camera under the cursor and gives its world position to the millimetre at N 5.7e6', () => {
    const frame = new LocalFrame([291500, 5744500, 50]);
    const centre: [number, number, number] = [291512.345, 5744488.765, 47.5];
    // LAS grid points (mm) far from the origin: a front point, one behind it on the same ray, one aside.
    const front: [number, number, number] = [291510.123, 5744490.456, 48.789];
    const behind: [number, number, number] = [291510.123, 5744500.456, 48.789];
    const aside: [number, number, number] = [291516.001, 5744490.002, 46.25];
    const scene = new Scene();
    scene.add(nodeMesh(frame, centre, [behind, front, aside]));
    const camera = new PerspectiveCamera(60, 4 / 3, 0.1, 1000);
    camera.up.set(0, 0, 1);
    camera.position.set(...frame.toLocal([291510.123, 5744470.456, 48.789]));
    camera.lookAt(new Vector3(...frame.toLocal(front)));
    camera.updateMatrixWorld();
    const size = { width: 800, height: 600 };
    const target = new Vector3(...frame.toLocal(front));
    const pick = createRayPicker(scene, () => camera, () => size, () => target);

    const hit = pick(400, 300);
    expect(hit).toBeDefined();
    const world = frame.toWorld(hit!.toArray());
    for (let i = 0; i < 3; i++) expect(Math.abs(world[i]! - front[i]!)).toBeLessThan(0.001);

    // The point aside, where it projects on screen.
    const p = new Vector3(...frame.toLocal(aside)).project(camera);
    const asideHit = pick(((p.x + 1) / 2) * 800, ((1 - p.y) / 2) * 600);
    const asideWorld = frame.toWorld(asideHit!.toArray());
    for (let i = 0; i < 3; i++) expect(Math.abs(asideWorld[i]! - aside[i]!)).toBeLessThan(0.001);

    // Empty sky gives nothing.
    expect(pick(10, 10)).toBeUndefined();
  });
});
