/**
 * The COPC info VLR (`copc`/1): 160-byte payload (COPC 1.0 "Info VLR").
 */
import type { CopcCube } from './cube.ts';

/** Payload length of the info VLR. */
export const COPC_INFO_LENGTH = 160;

/** Values of the info VLR. */
export interface CopcInfoValues {
  readonly cube: CopcCube;
  /** Point spacing at the root, world units; halves at every level. */
  readonly spacing: number;
  /** Absolute file offset of the root hierarchy page. */
  readonly rootHierarchyOffset: number;
  /** Size of the root hierarchy page in bytes. */
  readonly rootHierarchySize: number;
  /** GPS time range of all points, seconds ([0, 0] when the points have none). */
  readonly gpsTimeRange: readonly [number, number];
}

/** The 160-byte info payload; the 11 reserved uint64 stay zero (copcverify checks). */
export function encodeCopcInfo(info: CopcInfoValues): Uint8Array {
  const out = new Uint8Array(COPC_INFO_LENGTH);
  const view = new DataView(out.buffer);
  view.setFloat64(0, info.cube.center[0], true);
  view.setFloat64(8, info.cube.center[1], true);
  view.setFloat64(16, info.cube.center[2], true);
  view.setFloat64(24, info.cube.halfsize, true);
  view.setFloat64(32, info.spacing, true);
  view.setBigUint64(40, BigInt(info.rootHierarchyOffset), true);
  view.setBigUint64(48, BigInt(info.rootHierarchySize), true);
  view.setFloat64(56, info.gpsTimeRange[0], true);
  view.setFloat64(64, info.gpsTimeRange[1], true);
  return out;
}
