/**
 * The NRW COPC file (3.57 M points, /work/shared/data via tests/helpers) opened from memory, and the decode input
 * of any of its nodes: the setup the worker-pool tests (main thread and real threads) share.
 */
import { readFileSync } from 'node:fs';
import { openCopc, type CopcFile } from '../../core/copc/copc-file.ts';
import { createBytesGetter } from '../../core/io/getter.ts';
import type { DecodeNodeInput } from '../../workers/decode-api.ts';
import { sharedPath } from '../helpers/shared-data.ts';

/** The NRW tile as PDAL wrote it (COPC, PDRF 7), relative to the shared data folder. */
export const NRW_COPC = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';

/** The opened file and a maker of node decode inputs. */
export interface NrwNodeFixture {
  readonly copc: CopcFile;
  /** The whole file's bytes. */
  readonly file: Uint8Array;
  /**
   * The decode input of node `key` (e.g. '1-1-0-0'): its chunk copied out of the file (so a pool may transfer
   * it), the header's format and quantization, the node's bounds and their centre; `extra` adds options such as
   * gpsTimeOrigin.
   */
  inputOf(key: string, extra?: Partial<DecodeNodeInput>): Promise<DecodeNodeInput>;
}

/** Reads the NRW COPC file and its whole hierarchy. */
export async function loadNrwNodeFixture(): Promise<NrwNodeFixture> {
  const file = new Uint8Array(readFileSync(sharedPath(NRW_COPC)));
  const copc = await openCopc(createBytesGetter(file, NRW_COPC));
  const hierarchy = await copc.loadHierarchy();
  return {
    copc,
    file,
    async inputOf(key, extra = {}) {
      const node = hierarchy.get(key);
      if (!node) throw new Error(`Invalid node key: ${key} is not in ${NRW_COPC}`);
      const b = copc.boundsOf(key);
      return {
        compressed: file.slice(node.pointDataOffset, node.pointDataOffset + node.pointDataLength),
        pointCount: node.pointCount,
        pointFormat: copc.header.pointFormat,
        recordLength: copc.header.pointRecordLength,
        scale: copc.header.scale,
        offset: copc.header.offset,
        centre: [(b[0] + b[3]) / 2, (b[1] + b[4]) / 2, (b[2] + b[5]) / 2],
        bounds: b,
        name: key,
        ...extra,
      };
    },
  };
}
