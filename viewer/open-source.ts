/**
 * Opens one source for the viewer (a COPC URL, same origin, or a local File) and wraps what the page needs of it:
 * bounds and ranges for the material, the streaming PointCloudEntity, its loading statistics and a promise for the
 * first drawn points. This is the seam between the chrome (main.ts) and the data side (viewer/sources,
 * viewer/pointcloud).
 */
import type { Points } from 'three';
import type { LocalFrame } from '../core/crs/LocalFrame.ts';
import type { WorkerPool } from '../workers/client.ts';
import { classifyLoadFailure, type LoadFailure } from '../workers/load-failure.ts';
import { PointCloudEntity, type PointCloudStats } from './pointcloud/PointCloudEntity.ts';
import { CopcSource } from './sources/CopcSource.ts';
import type { PointCloudMetadata } from './sources/PointCloudSource.ts';

/** A loading failure, including a LAS/LAZ file that is not COPC (the viewer streams COPC only). */
export type SourceFailure = LoadFailure | { readonly kind: 'notCopc'; readonly url: string; readonly detail: string; readonly status?: number };

/** An opened source. */
export interface OpenedSource {
  readonly index: number;
  readonly name: string;
  readonly source: CopcSource;
  readonly metadata: PointCloudMetadata;
  /** [minE, minN, minH, maxE, maxN, maxH], world metres (float64). */
  readonly bounds: readonly [number, number, number, number, number, number];
  readonly pointCount: number;
  readonly hasRgb: boolean;
  /** Root point spacing, metres. */
  readonly spacingM: number;
  /** GPS time range relative to the source's start, seconds. */
  readonly timeRangeS: readonly [number, number];
  /** Set by {@link OpenedSource.attach}. */
  entity: PointCloudEntity;
  readonly stats: PointCloudStats;
  /** Creates the entity in the scene's frame; it starts loading on its first update. */
  attach(frame: LocalFrame, pool: WorkerPool): PointCloudEntity;
  /** Resolves when the first node is drawn (or the source failed). */
  ready(): Promise<void>;
}

/** Callbacks for {@link openSource}. */
export interface OpenSourceOptions {
  /** The URL or file name as the user gave it, for messages. */
  readonly name: string;
  readonly index: number;
  readonly pool: WorkerPool;
  readonly pointBudget: number;
  readonly onFirstPoints?: () => void;
  readonly onNodeFailure?: (key: string, detail: string) => void;
  readonly onChange?: () => void;
}

const EMPTY_STATS: PointCloudStats = {
  nodesVisible: 0,
  pointsVisible: 0,
  nodesInFlight: 0,
  bytesInFlight: 0,
  bytesFetched: 0,
  bytesOfDrawnNodes: 0,
  bytesOfEverDrawnNodes: 0,
  cacheBytes: 0,
  decodeMs: 0,
  nodesFailed: 0,
};

/** Sorts an opening error into a failure the page explains. */
export function classifySourceFailure(error: unknown, name: string): SourceFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (/^Invalid COPC file/.test(message)) return { kind: 'notCopc', url: name, detail: message };
  return classifyLoadFailure(error, name);
}

/** Opens a COPC URL (absolute) or a File; failures come back as data. */
export async function openSource(
  input: string | Blob,
  options: OpenSourceOptions,
): Promise<{ ok: true; source: OpenedSource } | { ok: false; failure: SourceFailure }> {
  let source: CopcSource;
  let metadata: PointCloudMetadata;
  try {
    source =
      typeof input === 'string'
        ? await CopcSource.fromUrl(input, { pool: options.pool, name: options.name, id: input })
        : CopcSource.fromFile(input, { pool: options.pool, name: options.name });
    performance.mark('twinview:size-known');
    metadata = await source.getMetadata();
    performance.mark('twinview:metadata');
    const hierarchy = await source.getHierarchy();
    performance.mark('twinview:hierarchy');
    // Every view of the data draws the root first: it is read and decoded while the page sets up the view.
    if (hierarchy.root.pointCount > 0) source.prefetchRoot();
  } catch (error) {
    return { ok: false, failure: classifySourceFailure(error, options.name) };
  }
  if (metadata.pointCount === 0) return { ok: false, failure: { kind: 'noPoints', url: options.name, detail: '' } };
  const [t0, t1] = metadata.gpsTimeRange ?? [0, 1];
  let resolveReady: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));
  const opened: OpenedSource = {
    index: options.index,
    name: options.name,
    source,
    metadata,
    bounds: metadata.bounds as OpenedSource['bounds'],
    pointCount: metadata.pointCount,
    hasRgb: metadata.hasRgb,
    spacingM: metadata.spacing,
    timeRangeS: [0, Math.max(1e-3, t1 - t0)],
    entity: undefined as unknown as PointCloudEntity,
    get stats() {
      return opened.entity?.stats ?? EMPTY_STATS;
    },
    attach(frame, pool) {
      const entity = new PointCloudEntity(source, { frame, pool, pointBudget: options.pointBudget, sourceIndex: options.index });
      entity.onRequestFrame = () => options.onChange?.();
      entity.onFirstNodeDrawn = () => {
        resolveReady();
        options.onFirstPoints?.();
      };
      entity.onNodeError = (failure) => options.onNodeFailure?.(failure.key, failure.error.message);
      entity.onError = (error) => {
        options.onNodeFailure?.('-', error.message);
        resolveReady();
      };
      opened.entity = entity;
      // Metadata and the root hierarchy page are read already: let the entity take them now, so its first update
      // can request the root node instead of waiting a frame.
      void entity.init();
      return entity;
    },
    ready: () => readyPromise,
  };
  return { ok: true, source: opened };
}

/**
 * The 2nd and 98th percentile of a value per point over the drawn node meshes of an entity (at most 50 000 samples),
 * e.g. frame-relative heights or raw intensities; undefined without points.
 */
export function drawnPercentiles(
  entity: PointCloudEntity,
  attribute: 'z' | 'intensity',
  low = 0.02,
  high = 0.98,
): [number, number] | undefined {
  const meshes = entity.children.filter((c) => (c as Points).isPoints) as Points[];
  const total = meshes.reduce((n, m) => n + m.geometry.getAttribute('position').count, 0);
  if (total === 0) return undefined;
  const step = Math.max(1, Math.floor(total / 50_000));
  const values: number[] = [];
  for (const mesh of meshes) {
    const positions = mesh.geometry.getAttribute('position');
    const intensity = mesh.geometry.getAttribute('intensity');
    for (let i = 0; i < positions.count; i += step) {
      // Frame-relative height: the node centre (mesh.position, float64) plus the float32 offset.
      if (attribute === 'z') values.push(mesh.position.z + positions.getZ(i));
      else if (intensity) values.push(intensity.getX(i));
    }
  }
  if (values.length === 0) return undefined;
  values.sort((a, b) => a - b);
  const at = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * (values.length - 1)))]!;
  return [at(low), at(high)];
}
