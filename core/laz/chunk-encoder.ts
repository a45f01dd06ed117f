/**
 * LAZ 1.4 layered chunk encoder (LASzip compressor 3, item version 3) for PDRF 6/7/8 with extra bytes
 * (LAZ-FORMAT.md §2.3): raw first point, u32 point count, one u32 size per layer, then the layers' bytes.
 * Output is byte-identical to laz-perf and LASzip for the same records.
 */
import { Byte14Encoder } from './Byte14Encoder.ts';
import type { LayeredItemEncoder } from './layered-item.ts';
import { type LazLayout, lazRecordLength } from './laz-layout.ts';
import { Nir14Encoder } from './Nir14Encoder.ts';
import { Point14Encoder } from './Point14Encoder.ts';
import { Rgb14Encoder } from './Rgb14Encoder.ts';

export type { LazLayout } from './laz-layout.ts';

/** The item encoders of one layout, reused from chunk to chunk (encoding is synchronous, so sharing is safe). */
interface Pipeline {
  readonly recordLength: number;
  readonly point: Point14Encoder;
  /** Following items with the byte offset of their data inside a record. */
  readonly items: readonly { readonly encoder: LayeredItemEncoder; readonly offset: number }[];
  readonly layerCount: number;
}

const pipelines = new Map<string, Pipeline>();

function pipelineFor(layout: LazLayout): Pipeline {
  const key = `${layout.pointFormat}/${layout.extraBytes}`;
  let pipeline = pipelines.get(key);
  if (!pipeline) {
    const recordLength = lazRecordLength(layout);
    const items: { encoder: LayeredItemEncoder; offset: number }[] = [];
    if (layout.pointFormat >= 7) items.push({ encoder: new Rgb14Encoder(), offset: 30 });
    if (layout.pointFormat === 8) items.push({ encoder: new Nir14Encoder(), offset: 36 });
    const base = recordLength - layout.extraBytes;
    if (layout.extraBytes > 0) items.push({ encoder: new Byte14Encoder(layout.extraBytes), offset: base });
    const point = new Point14Encoder();
    let layerCount = point.layerCount;
    for (const item of items) layerCount += item.encoder.layerCount;
    pipeline = { recordLength, point, items, layerCount };
    pipelines.set(key, pipeline);
  }
  return pipeline;
}

/**
 * Compresses `count` raw LAS 1.4 point records (little-endian, record length = base length of the format +
 * extraBytes, as in an uncompressed file) into one LAZ chunk: the bytes a chunk-table entry or a COPC hierarchy
 * entry points at. Throws `Invalid …` when count or the buffer size do not fit the layout.
 *
 * @example
 * const chunk = encodeChunk(records, 1000, { pointFormat: 7, extraBytes: 0 });
 */
export function encodeChunk(records: Uint8Array, count: number, layout: LazLayout): Uint8Array {
  const p = pipelineFor(layout);
  const recordLength = p.recordLength;
  if (!Number.isInteger(count) || count < 1 || count > 0xffffffff) throw new Error(`Invalid LAZ chunk point count: ${count}`);
  if (records.byteLength < count * recordLength) {
    throw new Error(`Invalid LAZ chunk records: ${records.byteLength} bytes for ${count} records of ${recordLength} bytes`);
  }
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const point = p.point;
  const items = p.items;
  const itemCount = items.length;
  point.reset();
  for (let k = 0; k < itemCount; k++) items[k]!.encoder.reset();

  let h = point.encodeFirst(records, view, 0);
  for (let k = 0; k < itemCount; k++) items[k]!.encoder.encode(records, view, items[k]!.offset, h, true);
  for (let i = 1, o = recordLength; i < count; i++, o += recordLength) {
    h = point.encodeNext(records, view, o);
    for (let k = 0; k < itemCount; k++) {
      const item = items[k]!;
      item.encoder.encode(records, view, o + item.offset, h, false);
    }
  }

  point.finish();
  for (let k = 0; k < itemCount; k++) items[k]!.encoder.finish();
  const layers: Uint8Array[] = [];
  for (let i = 0; i < point.layerCount; i++) layers.push(point.layerBytes(i));
  for (const item of items) for (let i = 0; i < item.encoder.layerCount; i++) layers.push(item.encoder.layerBytes(i));

  let total = recordLength + 4 + 4 * layers.length;
  for (const layer of layers) total += layer.byteLength;
  const out = new Uint8Array(total);
  const outView = new DataView(out.buffer);
  out.set(records.subarray(0, recordLength), 0);
  let pos = recordLength;
  outView.setUint32(pos, count, true);
  pos += 4;
  for (const layer of layers) {
    outView.setUint32(pos, layer.byteLength, true);
    pos += 4;
  }
  for (const layer of layers) {
    out.set(layer, pos);
    pos += layer.byteLength;
  }
  return out;
}
