/**
 * Opens one source URL for the viewer and wraps what the page needs of it: bounds and ranges for the material,
 * the drawable entity, its loading statistics and a promise for the first drawn points.
 *
 * Note: this is the seam between the chrome (main.ts) and the data side (viewer/sources, viewer/pointcloud). Until
 * the streaming PointCloudEntity lands it loads through the placeholder decode client (whole LAS/LAZ, or the first
 * COPC levels) into one node mesh with the same attributes and userData as the entity's node meshes.
 */
import { BufferAttribute, BufferGeometry, Group, Points } from 'three';
import type { LocalFrame } from '../core/crs/LocalFrame.ts';
import { createDecodeClient } from '../workers/client.ts';
import type { LoadedCloud } from '../workers/decode-api.ts';
import type { LoadFailure } from '../workers/load-failure.ts';
import type { DrawableEntity } from './Viewer.ts';

/** Loading statistics of one source (the PointCloudEntity's `stats`). */
export interface SourceStats {
  readonly nodesVisible: number;
  readonly pointsVisible: number;
  readonly nodesInFlight: number;
  readonly bytesInFlight: number;
  readonly bytesFetched: number;
  readonly bytesOfDrawnNodes: number;
}

/** An opened source. */
export interface OpenedSource {
  readonly index: number;
  readonly name: string;
  /** [minE, minN, minH, maxE, maxN, maxH], world metres (float64). */
  readonly bounds: readonly [number, number, number, number, number, number];
  readonly pointCount: number;
  /** True when the points carry colour (RGB not all black). */
  readonly hasRgb: boolean;
  /** Root point spacing, metres. */
  readonly spacingM: number;
  /** Height range for the elevation ramp, m NHN. */
  readonly heightRange: readonly [number, number];
  readonly intensityRange: readonly [number, number];
  /** GPS time range relative to the source's start, seconds. */
  readonly timeRangeS: readonly [number, number];
  readonly entity: DrawableEntity;
  readonly stats: SourceStats;
  /** Places the entity in the scene's frame and starts drawing. */
  attach(frame: LocalFrame): void;
  /** Resolves when the first points are drawable. */
  ready(): Promise<void>;
  setPointBudget?(points: number): void;
  /** Fills the per-point change distances against another source. */
  compareWith?(other: OpenedSource): void;
}

/** Options for {@link openSource}. */
export interface OpenSourceOptions {
  /** The URL as the user gave it, for messages. */
  readonly name: string;
  readonly index: number;
  readonly pointBudget: number;
  readonly onFirstPoints?: () => void;
  readonly onNodeFailure?: (key: string, detail: string) => void;
  readonly onChange?: () => void;
}

/** Opens a source; failures come back as data for the page's messages. */
export async function openSource(
  url: string,
  options: OpenSourceOptions,
): Promise<{ ok: true; source: OpenedSource } | { ok: false; failure: LoadFailure }> {
  const decoder = createDecodeClient({ useWorker: new URLSearchParams(location.search).get('worker') !== 'off' });
  const result = await decoder.loadPointCloud(url, { name: options.name, pointBudget: options.pointBudget });
  decoder.dispose();
  if (!result.ok) return result;
  const cloud = result.cloud;
  if (cloud.columns.count === 0) return { ok: false, failure: { kind: 'noPoints', url: options.name, detail: '' } };
  return { ok: true, source: placeholderSource(cloud, options) };
}

function placeholderSource(cloud: LoadedCloud, options: OpenSourceOptions): OpenedSource {
  const { count, x, y, z } = cloud.columns;
  const bounds = [cloud.min[0], cloud.min[1], cloud.min[2], cloud.max[0], cloud.max[1], cloud.max[2]] as const;
  const area = Math.max(1, (bounds[3] - bounds[0]) * (bounds[4] - bounds[1]));
  const spacingM = Math.sqrt(area / count);
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < count; i += 7) {
    low = Math.min(low, z[i]!);
    high = Math.max(high, z[i]!);
  }
  const entity = new Group() as Group & DrawableEntity;
  entity.setMaterial = (material) => placeholderSetMaterial(entity, material);
  const bytes = count * 15;
  const stats: SourceStats = { nodesVisible: 1, pointsVisible: count, nodesInFlight: 0, bytesInFlight: 0, bytesFetched: bytes, bytesOfDrawnNodes: bytes };
  return {
    index: options.index,
    name: options.name,
    bounds,
    pointCount: cloud.totalCount,
    hasRgb: hasColour(cloud),
    spacingM,
    heightRange: [low, high],
    intensityRange: [0, 65535],
    timeRangeS: [0, 1],
    entity,
    stats,
    attach(frame) {
      const centre: [number, number, number] = [(bounds[0] + bounds[3]) / 2, (bounds[1] + bounds[4]) / 2, (bounds[2] + bounds[5]) / 2];
      const local = frame.toLocal(centre);
      const positions = new Float32Array(count * 3);
      for (let i = 0; i < count; i++) {
        positions[i * 3] = x[i]! - centre[0];
        positions[i * 3 + 1] = y[i]! - centre[1];
        positions[i * 3 + 2] = z[i]! - centre[2];
      }
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(positions, 3));
      const { red, green, blue } = cloud.columns;
      if (red && green && blue) {
        const colours = new Uint8Array(count * 3);
        let max = 0;
        for (let i = 0; i < count; i++) max = Math.max(max, red[i]!, green[i]!, blue[i]!);
        const shift = max > 255 ? 8 : 0;
        for (let i = 0; i < count; i++) {
          colours[i * 3] = red[i]! >> shift;
          colours[i * 3 + 1] = green[i]! >> shift;
          colours[i * 3 + 2] = blue[i]! >> shift;
        }
        geometry.setAttribute('color', new BufferAttribute(colours, 3, true));
      }
      geometry.computeBoundingSphere();
      const material = (entity.userData.material ?? undefined) as Points['material'] | undefined;
      const mesh = new Points(geometry, material);
      mesh.position.set(...local);
      mesh.userData = { key: '0-0-0-0', level: 0, sourceIndex: options.index, spacingM };
      entity.add(mesh);
      options.onFirstPoints?.();
    },
    ready: () => Promise.resolve(),
  };
}

/** Placeholder `setMaterial`: the mesh is created at attach time and takes the material then. */
function placeholderSetMaterial(entity: Group, material: Points['material']): void {
  entity.userData.material = material;
  entity.traverse((o) => {
    if ((o as Points).isPoints) (o as Points).material = material;
  });
}

function hasColour(cloud: LoadedCloud): boolean {
  const { red, green, blue, count } = cloud.columns;
  if (!red || !green || !blue) return false;
  for (let i = 0; i < count; i++) if (red[i]! | green[i]! | blue[i]!) return true;
  return false;
}
