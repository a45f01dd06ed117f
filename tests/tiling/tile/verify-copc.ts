/**
 * Independent checks of a COPC file for the tiler tests: copc (the npm package) walks the hierarchy and
 * decodes every node with laz-perf; laz-perf's whole-file reader decodes it once more through the chunk table.
 */
import { readFileSync } from 'node:fs';
import { Copc, Hierarchy } from 'copc';
import { convertRecords, findMaxRgb, getTargetPointFormat, isEightBitRgb } from '../../../core/las/record-convert.ts';
import { decodeFile, getLazPerf, type RawRecords } from '../../core/copc-writer/laz-perf-decode.ts';

/** What a COPC file holds, as read by copc and laz-perf. */
export interface CopcContents {
  readonly copc: Copc;
  /** Node key -> decoded records of that node. */
  readonly nodes: Map<string, { records: Uint8Array; count: number }>;
  /** Every record, node by node. */
  readonly records: Uint8Array;
  readonly count: number;
  readonly recordLength: number;
  /** Hierarchy pages read. */
  readonly pages: number;
  /** Points outside their node cube (COPC 1.0: extended by half a scale step). */
  readonly outside: number;
  /** The whole-file decode through the LASzip chunk table. */
  readonly lasZip: RawRecords;
}

/** Reads every node of a COPC file with copc + laz-perf and checks each point against its node bounds. */
export async function readCopc(path: string): Promise<CopcContents> {
  const bytes = new Uint8Array(readFileSync(path));
  const getter = async (begin: number, end: number): Promise<Uint8Array> => bytes.subarray(begin, Math.min(end, bytes.byteLength));
  const copc = await Copc.create(getter);
  const lazPerf = await getLazPerf();
  const nodes = new Map<string, { records: Uint8Array; count: number }>();
  let pages = 0;
  const all: Hierarchy.Node.Map = {};
  const visit = async (page: Hierarchy.Page): Promise<void> => {
    pages++;
    const sub = await Copc.loadHierarchyPage(getter, page);
    Object.assign(all, sub.nodes);
    for (const p of Object.values(sub.pages)) await visit(p!);
  };
  await visit(copc.info.rootHierarchyPage);
  const h = copc.header;
  const [cx0, cy0, cz0, cx1] = copc.info.cube;
  const edge0 = cx1 - cx0;
  let outside = 0;
  let total = 0;
  const parts: Uint8Array[] = [];
  for (const [key, node] of Object.entries(all)) {
    if (!node || node.pointCount === 0) continue;
    const records = await Copc.loadPointDataBuffer(getter, h, node, lazPerf as never);
    const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
    const [d, x, y, z] = key.split('-').map(Number) as [number, number, number, number];
    const edge = edge0 / 2 ** d;
    const lo = [cx0 + x * edge, cy0 + y * edge, cz0 + z * edge];
    for (let i = 0; i < node.pointCount; i++) {
      const at = i * h.pointDataRecordLength;
      for (let k = 0; k < 3; k++) {
        const v = view.getInt32(at + 4 * k, true) * h.scale[k]! + h.offset[k]!;
        const tol = h.scale[k]! / 2;
        if (v < lo[k]! - tol || v >= lo[k]! + edge + tol) outside++;
      }
    }
    nodes.set(key, { records, count: node.pointCount });
    parts.push(records);
    total += node.pointCount;
  }
  const records = new Uint8Array(total * h.pointDataRecordLength);
  let at = 0;
  for (const part of parts) {
    records.set(part, at);
    at += part.byteLength;
  }
  return { copc, nodes, records, count: total, recordLength: h.pointDataRecordLength, pages, outside, lasZip: await decodeFile(bytes) };
}

/** The records `twinview tile` must store for one input: decoded independently, converted to PDRF 6/7/8. */
export async function expectedRecords(path: string): Promise<{ records: Uint8Array; count: number; recordLength: number; format: number }> {
  const raw = await decodeFile(new Uint8Array(readFileSync(path)));
  const from = { format: raw.format, recordLength: raw.recordLength };
  const records = convertRecords(raw.records, raw.count, from, { scaleRgb: isEightBitRgb(findMaxRgb(raw.records, raw.count, from)) });
  return { records, count: raw.count, recordLength: records.byteLength / Math.max(1, raw.count), format: getTargetPointFormat(raw.format) };
}

/** Sorted hex strings of the records (a multiset). */
export function multiset(records: Uint8Array, count: number, recordLength: number): string[] {
  const out: string[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = Buffer.from(records.subarray(i * recordLength, (i + 1) * recordLength)).toString('hex');
  return out.sort();
}

/**
 * A sorted 53-bit digest per record (two independent 32-bit FNV-1a variants): a compact multiset for files
 * with millions of points, where hex strings would not fit comfortably in memory.
 */
export function recordDigests(records: Uint8Array, count: number, recordLength: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let a = 0x811c9dc5;
    let b = 0x9e3779b9;
    const at = i * recordLength;
    for (let k = 0; k < recordLength; k++) {
      const v = records[at + k]!;
      a = Math.imul(a ^ v, 0x01000193);
      b = Math.imul(b ^ (v + k), 0x85ebca6b) ^ (b >>> 13);
    }
    out[i] = (a >>> 0) * 2097152 + ((b >>> 0) >>> 11);
  }
  return out.sort();
}
