/**
 * Accumulates the header summary of PDRF 6-8 records (COPC writer): bounds of the integer coordinates, points
 * by return number, GPS time range.
 */
import type { Point3 } from './cube.ts';
import type { CopcFileSummary } from './CopcAssembler.ts';

/** Header summary of PDRF 6-8 records: integer-coordinate bounds in world units, returns, GPS range. */
export class RecordStats {
  readonly pointCountByReturn = new Float64Array(15);
  count = 0;
  private minX = Infinity;
  private minY = Infinity;
  private minZ = Infinity;
  private maxX = -Infinity;
  private maxY = -Infinity;
  private maxZ = -Infinity;
  private minT = Infinity;
  private maxT = -Infinity;

  /** Adds `count` records of `recordLength` bytes. */
  add(records: Uint8Array, count: number, recordLength: number): void {
    const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
    for (let i = 0; i < count; i++) {
      const at = i * recordLength;
      const x = view.getInt32(at, true);
      const y = view.getInt32(at + 4, true);
      const z = view.getInt32(at + 8, true);
      if (x < this.minX) this.minX = x;
      if (x > this.maxX) this.maxX = x;
      if (y < this.minY) this.minY = y;
      if (y > this.maxY) this.maxY = y;
      if (z < this.minZ) this.minZ = z;
      if (z > this.maxZ) this.maxZ = z;
      const r = records[at + 14]! & 15;
      if (r >= 1) this.pointCountByReturn[r - 1]!++;
      const t = view.getFloat64(at + 22, true);
      if (t < this.minT) this.minT = t;
      if (t > this.maxT) this.maxT = t;
    }
    this.count += count;
  }

  /** Adds the figures of another accumulator (e.g. from a worker). */
  merge(other: RecordStats): void {
    for (let r = 0; r < 15; r++) this.pointCountByReturn[r]! += other.pointCountByReturn[r]!;
    this.count += other.count;
    this.minX = Math.min(this.minX, other.minX);
    this.minY = Math.min(this.minY, other.minY);
    this.minZ = Math.min(this.minZ, other.minZ);
    this.maxX = Math.max(this.maxX, other.maxX);
    this.maxY = Math.max(this.maxY, other.maxY);
    this.maxZ = Math.max(this.maxZ, other.maxZ);
    this.minT = Math.min(this.minT, other.minT);
    this.maxT = Math.max(this.maxT, other.maxT);
  }

  /** The summary for {@link CopcAssembler.finish}. */
  summarize(scale: Point3, offset: Point3): CopcFileSummary {
    if (this.count === 0) throw new Error('Invalid point count: 0');
    return {
      bounds: {
        min: [this.minX * scale[0] + offset[0], this.minY * scale[1] + offset[1], this.minZ * scale[2] + offset[2]],
        max: [this.maxX * scale[0] + offset[0], this.maxY * scale[1] + offset[1], this.maxZ * scale[2] + offset[2]],
      },
      pointCount: this.count,
      pointCountByReturn: this.pointCountByReturn,
      gpsTimeRange: Number.isFinite(this.minT) && Number.isFinite(this.maxT) ? [this.minT, this.maxT] : [0, 0],
    };
  }
}
