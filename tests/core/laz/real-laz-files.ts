/**
 * The real LAS 1.4 layered LAZ files of shared data that the LAZ encoder and decoder tests run over. Kept apart
 * from laz-test-support.ts, which bench/ compiles too and which must not reach into tests/helpers.
 */
import { readFileSync } from 'node:fs';
import { listPointCloudFiles, sharedPath } from '../../helpers/shared-data.ts';

/** The NRW mobile-mapping COPC tile (PDAL-written, PDRF 7, 3.5 M points in 85 chunks). */
export const NRW = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';

/** LAS 1.4 LAZ files with PDRF 6/7/8 (bit 7 of the format byte set), found by reading their headers. */
export function layeredLazFiles(): string[] {
  return listPointCloudFiles().filter((path) => {
    if (!/\.laz$/i.test(path)) return false;
    const head = readFileSync(sharedPath(path)).subarray(0, 107);
    // LAS 1.4 R15 §2.4: minor version at 25, point data format at 104 (LAZ-FORMAT.md §1.1: bit 7 = compressed).
    return head[25] === 4 && (head[104]! & 0x80) !== 0 && [6, 7, 8].includes(head[104]! & 0x3f);
  });
}
