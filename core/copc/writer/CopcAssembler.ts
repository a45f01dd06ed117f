/**
 * Lays out a COPC file (LAZ-FORMAT §2.1, §8): header, info VLR, LASzip VLR, WKT VLR, extra-bytes VLR, the
 * 8-byte chunk-table offset, one LAZ chunk per node, the chunk table, the hierarchy EVLR. Pure: it computes
 * offsets and bytes; the caller writes them (to a file or to memory) where it says.
 *
 * @example
 * const asm = new CopcAssembler(meta);
 * let at = asm.firstChunkOffset;
 * for (const node of nodes) { const chunk = encodeChunk(...); write(chunk, asm.addChunk(node.key, count, chunk.byteLength)); }
 * const { prelude, tail, tailOffset } = asm.finish(summary);
 * write(tail, tailOffset); write(prelude, 0);
 */
import { encodeChunkTable } from '../../laz/chunk-table.ts';
import { lazRecordLength } from '../../laz/laz-layout.ts';
import { buildLaszipVlrData, LASZIP_VLR_RECORD_ID, LASZIP_VLR_USER_ID } from '../../laz/laszip-vlr.ts';
import { encodeUtf8 } from '../../las/binary.ts';
import { EVLR_HEADER_SIZE, VLR_HEADER_SIZE } from '../../las/vlr.ts';
import { encodeEvlrHeader, encodeVlr, type VlrRecord } from '../../las/vlr-writer.ts';
import type { Bounds3, CopcCube, Point3, VoxelKey } from './cube.ts';
import { encodeLas14Header, getDayOfYear, LAS14_HEADER_LENGTH } from './header-writer.ts';
import { encodeHierarchy, type HierarchyNode, type HierarchyOptions } from './hierarchy-writer.ts';
import { COPC_INFO_LENGTH, encodeCopcInfo } from './info-writer.ts';

/** What is known before any point is written. */
export interface CopcFileMeta {
  readonly pointFormat: 6 | 7 | 8;
  readonly extraBytes: number;
  readonly scale: Point3;
  readonly offset: Point3;
  readonly cube: CopcCube;
  /** Root spacing for the info VLR, world units. */
  readonly spacing: number;
  /** OGC WKT of the CRS (horizontal or compound); no WKT VLR when absent. */
  readonly wkt?: string;
  /** Payload of the extra-bytes description VLR (`LASF_Spec`/4), copied from the input. */
  readonly extraBytesVlr?: Uint8Array;
  /** Further VLRs to write after the others (e.g. GeoTIFF key records when there is no WKT). */
  readonly extraVlrs?: readonly VlrRecord[];
  /** Global encoding bits of the input (bit 0: adjusted standard GPS time); bit 4 (WKT) is added. */
  readonly globalEncoding?: number;
  readonly fileSourceId?: number;
  readonly projectGuid?: Uint8Array;
  readonly systemIdentifier?: string;
  readonly generatingSoftware?: string;
  /** Creation date; default now. */
  readonly creationDate?: Date;
  readonly hierarchy?: HierarchyOptions;
}

/** What is known after every point is written. */
export interface CopcFileSummary {
  /** Bounds of the stored points (from their integer coordinates), world units. */
  readonly bounds: Bounds3;
  readonly pointCount: number;
  /** Points by return number 1-15. */
  readonly pointCountByReturn: ArrayLike<number>;
  readonly gpsTimeRange: readonly [number, number];
}

/** The bytes to write once all chunks are placed. */
export interface CopcFinish {
  /** Header, VLRs and the 8-byte chunk-table offset: write at 0. */
  readonly prelude: Uint8Array;
  /** Chunk table and hierarchy EVLR: write at `tailOffset`; the file ends after it. */
  readonly tail: Uint8Array;
  readonly tailOffset: number;
  readonly fileSize: number;
  readonly hierarchyPages: number;
}

const INFO_DESCRIPTION = 'COPC info';

/** Computes a COPC file's layout while its chunks are placed one after another. */
export class CopcAssembler {
  /** Absolute offset of the first chunk (after the 8-byte chunk-table offset). */
  readonly firstChunkOffset: number;
  private readonly meta: CopcFileMeta;
  private readonly vlrs: VlrRecord[];
  private readonly preludeLength: number;
  private readonly nodes: HierarchyNode[] = [];
  private next: number;

  constructor(meta: CopcFileMeta) {
    this.meta = meta;
    const layout = { pointFormat: meta.pointFormat, extraBytes: meta.extraBytes };
    this.vlrs = [
      // COPC 1.0: the info VLR is the first VLR; its payload is filled in by finish().
      { userId: 'copc', recordId: 1, description: INFO_DESCRIPTION, data: new Uint8Array(COPC_INFO_LENGTH) },
      { userId: LASZIP_VLR_USER_ID, recordId: LASZIP_VLR_RECORD_ID, description: 'twinview', data: buildLaszipVlrData(layout, { chunkSize: 'variable' }) },
    ];
    if (meta.wkt) {
      // LAS 1.4 R15 §2.5: OGC coordinate system WKT, NUL-terminated.
      const text = encodeUtf8(meta.wkt);
      const data = new Uint8Array(text.byteLength + 1);
      data.set(text);
      this.vlrs.push({ userId: 'LASF_Projection', recordId: 2112, description: 'OGC WKT', data });
    }
    if (meta.extraBytesVlr && meta.extraBytes > 0) {
      this.vlrs.push({ userId: 'LASF_Spec', recordId: 4, description: 'Extra bytes', data: meta.extraBytesVlr });
    }
    for (const vlr of meta.extraVlrs ?? []) this.vlrs.push(vlr);
    this.preludeLength = LAS14_HEADER_LENGTH + this.vlrs.reduce((sum, v) => sum + VLR_HEADER_SIZE + v.data.byteLength, 0);
    this.firstChunkOffset = this.preludeLength + 8;
    this.next = this.firstChunkOffset;
  }

  /** Number of chunks placed so far. */
  get chunkCount(): number {
    return this.nodes.length;
  }

  /** Places the chunk of a node after the previous one and returns its absolute offset. */
  addChunk(key: VoxelKey, pointCount: number, byteSize: number): number {
    if (!(pointCount > 0) || !(byteSize > 0)) throw new Error(`Invalid chunk: ${pointCount} points, ${byteSize} bytes for ${key.join('-')}`);
    if (byteSize > 0x7fffffff) throw new Error(`Invalid chunk: ${byteSize} bytes for ${key.join('-')} (more than 2 GiB)`);
    const offset = this.next;
    this.nodes.push({ key, offset, byteSize, pointCount });
    this.next += byteSize;
    return offset;
  }

  /** Encodes the chunk table, hierarchy and header once every chunk has been placed. */
  finish(summary: CopcFileSummary): CopcFinish {
    const meta = this.meta;
    const total = this.nodes.reduce((sum, n) => sum + n.pointCount, 0);
    if (total !== summary.pointCount) throw new Error(`Invalid point count: chunks hold ${total}, summary says ${summary.pointCount}`);
    const chunkTableOffset = this.next;
    const table = encodeChunkTable(this.nodes.map((n) => ({ pointCount: n.pointCount, byteCount: n.byteSize })), true);
    const evlrOffset = chunkTableOffset + table.byteLength;
    const hierarchy = encodeHierarchy(this.nodes, evlrOffset + EVLR_HEADER_SIZE, meta.hierarchy);
    const evlrHeader = encodeEvlrHeader('copc', 1000, 'EPT hierarchy', hierarchy.data.byteLength);

    const tail = new Uint8Array(table.byteLength + EVLR_HEADER_SIZE + hierarchy.data.byteLength);
    tail.set(table, 0);
    tail.set(evlrHeader, table.byteLength);
    tail.set(hierarchy.data, table.byteLength + EVLR_HEADER_SIZE);

    this.vlrs[0] = {
      ...this.vlrs[0]!,
      data: encodeCopcInfo({
        cube: meta.cube,
        spacing: meta.spacing,
        rootHierarchyOffset: hierarchy.rootOffset,
        rootHierarchySize: hierarchy.rootSize,
        gpsTimeRange: summary.gpsTimeRange,
      }),
    };
    const date = getDayOfYear(meta.creationDate ?? new Date());
    const header = encodeLas14Header({
      fileSourceId: meta.fileSourceId,
      globalEncoding: meta.globalEncoding,
      projectGuid: meta.projectGuid,
      systemIdentifier: meta.systemIdentifier,
      generatingSoftware: meta.generatingSoftware,
      creationDayOfYear: date.dayOfYear,
      creationYear: date.year,
      offsetToPointData: this.preludeLength,
      vlrCount: this.vlrs.length,
      pointFormat: meta.pointFormat,
      recordLength: lazRecordLength({ pointFormat: meta.pointFormat, extraBytes: meta.extraBytes }),
      scale: meta.scale,
      offset: meta.offset,
      bounds: summary.bounds,
      evlrOffset,
      evlrCount: 1,
      pointCount: summary.pointCount,
      pointCountByReturn: summary.pointCountByReturn,
    });
    const prelude = new Uint8Array(this.firstChunkOffset);
    prelude.set(header, 0);
    let at = LAS14_HEADER_LENGTH;
    for (const vlr of this.vlrs) {
      const bytes = encodeVlr(vlr);
      prelude.set(bytes, at);
      at += bytes.byteLength;
    }
    // LAZ-FORMAT §2.1: the point data area starts with the absolute offset of the chunk table.
    new DataView(prelude.buffer).setBigInt64(at, BigInt(chunkTableOffset), true);
    return { prelude, tail, tailOffset: chunkTableOffset, fileSize: chunkTableOffset + tail.byteLength, hierarchyPages: hierarchy.pageCount };
  }
}
