/**
 * Real COPC sources for the viewer's node tests: files of ../shared/data read through tiling/file-getter.ts,
 * decoded by a worker pool in main-thread mode (Node has no Worker) with core's laz-perf instance.
 */
import { PerspectiveCamera } from 'three';
import { getDefaultLazPerf } from '../../../core/las/laz.ts';
import { LocalFrame } from '../../../core/crs/LocalFrame.ts';
import { createFileGetter, type FileGetter } from '../../../tiling/file-getter.ts';
import { CopcSource } from '../../../viewer/sources/CopcSource.ts';
import type { NodeData, NodeDataRequest, PointCloudSource } from '../../../viewer/sources/PointCloudSource.ts';
import { createWorkerPool, type WorkerPool } from '../../../workers/client.ts';
import type { LazPerfSource } from '../../../workers/decode-api.ts';
import { sharedPath } from '../../helpers/shared-data.ts';

export const NRW = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';

/** A pool without workers, decoding with core's laz-perf. */
export function nodePool(): WorkerPool {
  return createWorkerPool({ lazPerf: getDefaultLazPerf as unknown as LazPerfSource });
}

/** Opens a shared-data COPC file; call `close` after the test. */
export async function openShared(file: string, pool: WorkerPool): Promise<{ source: CopcSource; getter: FileGetter }> {
  const getter = await createFileGetter(sharedPath(file));
  return { source: new CopcSource(getter, { pool, name: file }), getter };
}

/** The frame at the centre of a source's cube. */
export async function cubeFrame(source: PointCloudSource): Promise<LocalFrame> {
  const { cube } = await source.getMetadata();
  return new LocalFrame([(cube[0] + cube[3]) / 2, (cube[1] + cube[4]) / 2, (cube[2] + cube[5]) / 2]);
}

/** A Z-up perspective camera (60°, 4:3) at a local position looking at a local target. */
export function cameraAt(position: [number, number, number], target: [number, number, number]): PerspectiveCamera {
  const camera = new PerspectiveCamera(60, 4 / 3, 0.1, 20_000);
  camera.up.set(0, 0, 1);
  camera.position.set(...position);
  camera.lookAt(...target);
  camera.updateMatrixWorld();
  return camera;
}

/**
 * Wraps a real source so that a test decides when node data arrives: requests for held keys wait until
 * `release(key)`; every request's signal is recorded.
 */
export class GatedSource implements PointCloudSource {
  readonly isPointCloudSource = true;
  readonly id: string;
  readonly name: string;
  readonly requests: Array<{ key: string; signal: AbortSignal | undefined }> = [];
  private readonly held = new Set<string>();
  /** Held keys whose bytes count as arrived (onFetched is called before the wait): the node is "decoding". */
  private readonly fetchedFirst = new Set<string>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(readonly inner: PointCloudSource) {
    this.id = inner.id;
    this.name = inner.name;
  }

  hold(...keys: string[]): void {
    for (const key of keys) this.held.add(key);
  }

  /** Holds keys as if their bytes had arrived and they were decoding. */
  holdAfterFetch(...keys: string[]): void {
    for (const key of keys) {
      this.held.add(key);
      this.fetchedFirst.add(key);
    }
  }

  release(key: string): void {
    this.held.delete(key);
    this.fetchedFirst.delete(key);
    for (const resume of this.waiting.get(key) ?? []) resume();
    this.waiting.delete(key);
  }

  getMetadata() {
    return this.inner.getMetadata();
  }

  getHierarchy() {
    return this.inner.getHierarchy();
  }

  async getNodeData(request: NodeDataRequest): Promise<NodeData> {
    const key = request.node.key;
    this.requests.push({ key, signal: request.signal });
    let reported = false;
    if (this.held.has(key)) {
      if (this.fetchedFirst.has(key)) {
        request.onFetched?.(request.node.byteSize);
        reported = true;
      }
      await new Promise<void>((resolve, reject) => {
        const list = this.waiting.get(key) ?? [];
        list.push(resolve);
        this.waiting.set(key, list);
        request.signal?.addEventListener('abort', () => {
          const error = new Error('aborted');
          error.name = 'AbortError';
          reject(error);
        });
      });
    }
    // Bytes already reported stay reported once: the inner read does not report them again.
    if (reported) return this.inner.getNodeData({ node: request.node, ...(request.signal ? { signal: request.signal } : {}) });
    return this.inner.getNodeData(request);
  }
}
