/**
 * Decodes one COPC node (a LAZ chunk, COPC 1.0 §"Point data") into what the viewer draws: float32 positions
 * relative to the node centre and compact display attributes, plus the LAS integers for float64 picking.
 * Plain functions, no three.js: they run in a worker (decode-api.ts) or on the main thread.
 */
import type { LazPerfChunkModule } from '../core/copc/copc-file.ts';
import type { Box3 } from '../core/copc/key.ts';
import { getPointFormatLayout } from '../core/las/point-format.ts';

/** A float64 world point [x, y, z], metres. */
export type Vec3 = readonly [number, number, number];

/** The input of {@link decodeCopcNode}: the compressed chunk and what is needed to read it. */
export interface DecodeNodeInput {
  /** The node's LAZ chunk as fetched (pointDataOffset .. + pointDataLength). */
  readonly compressed: Uint8Array;
  readonly pointCount: number;
  /** Point data record format (6, 7 or 8 in COPC) and record length, bytes. */
  readonly pointFormat: number;
  readonly recordLength: number;
  /** LAS scale and offset: world = integer * scale + offset. */
  readonly scale: Vec3;
  readonly offset: Vec3;
  /** The node centre, float64 world metres; positions are made relative to it. */
  readonly centre: Vec3;
  /** The node's cell; a point far outside it means a corrupt chunk. */
  readonly bounds?: Box3;
  /**
   * GPS time subtracted before the float32 rounding, seconds (default 0); `'min'` uses the node's own earliest
   * time (for a source whose header gives no time range: its root node then sets the origin).
   */
  readonly gpsTimeOrigin?: number | 'min';
  /**
   * Right shift from LAS 16-bit colour to 8 bits: 8, or 0 for writers that store 8-bit values unscaled; when
   * absent it is 0 if no colour value of this node exceeds 255, else 8.
   */
  readonly rgbShift?: number;
  /** The node in messages, e.g. `2-1-0-1 of drive.copc.laz`. */
  readonly name: string;
}

/** The decoded points of one node. */
export interface NodePoints {
  readonly count: number;
  /** Node centre, float64 world metres. */
  readonly centre: Vec3;
  /** xyz relative to the centre, metres, float32 (rounded once from the float64 difference). */
  readonly positions: Float32Array;
  /** The LAS integers X, Y, Z interleaved, for float64 world coordinates (integer * scale + offset). */
  readonly raw: Int32Array;
  readonly scale: Vec3;
  readonly offset: Vec3;
  /** RGB as 8-bit values, 3 per point (255 when the format has no colour). */
  readonly color: Uint8Array;
  /** The shift used for {@link color}. */
  readonly rgbShift: number;
  /** Raw LAS intensity. */
  readonly intensity: Uint16Array;
  /** ASPRS class (LAS 1.4 R15 §2.6: 8 bits in formats 6-10, 5 bits in 0-5). */
  readonly classification: Uint8Array;
  /** GPS time minus `gpsTimeOrigin`, seconds; absent when the format has none. */
  readonly gpsTime?: Float32Array;
  /** The origin subtracted from {@link gpsTime}, seconds (float64). */
  readonly gpsTimeOrigin: number;
  /** [earliest, latest] GPS time of the node's points, seconds (float64); absent without GPS time or points. */
  readonly gpsTimeRange?: readonly [number, number];
  /** Time spent decompressing and converting, milliseconds. */
  readonly decodeMs: number;
}

// Records decompressed per call into WebAssembly memory before copying out.
const BATCH_POINTS = 4096;

/**
 * Decompresses a COPC chunk into raw records with laz-perf's ChunkDecoder. Throws `Invalid LAZ chunk: …`.
 * Note: HEAPU8 is read again after every batch because it is replaced when WebAssembly memory grows.
 */
export function decompressChunk(module: LazPerfChunkModule, input: DecodeNodeInput): Uint8Array {
  const { compressed, pointCount, pointFormat, recordLength } = input;
  const out = new Uint8Array(pointCount * recordLength);
  if (pointCount === 0) return out;
  let chunkPointer = 0;
  let batchPointer = 0;
  const decoder = new module.ChunkDecoder();
  try {
    chunkPointer = module._malloc(compressed.byteLength);
    batchPointer = module._malloc(BATCH_POINTS * recordLength);
    if (!chunkPointer || !batchPointer) throw new Error('out of WebAssembly memory');
    module.HEAPU8.set(compressed, chunkPointer);
    decoder.open(pointFormat, recordLength, chunkPointer);
    for (let done = 0; done < pointCount; ) {
      const n = Math.min(BATCH_POINTS, pointCount - done);
      for (let k = 0; k < n; k++) decoder.getPoint(batchPointer + k * recordLength);
      out.set(module.HEAPU8.subarray(batchPointer, batchPointer + n * recordLength), done * recordLength);
      done += n;
    }
  } catch (error) {
    throw new Error(`Invalid LAZ chunk: ${error instanceof Error ? error.message : String(error)} in ${input.name}`, { cause: error });
  } finally {
    decoder.delete();
    if (chunkPointer) module._free(chunkPointer);
    if (batchPointer) module._free(batchPointer);
  }
  return out;
}

/**
 * Converts raw records into node points. Positions: (integer * scale + offset) - centre in float64, then one
 * rounding to float32, so a 1 km node keeps sub-0.1 mm offsets whatever the world magnitude.
 * Throws `Invalid node: …` when a point lies outside the node's cell by more than 1 % of its edge (laz-perf
 * decodes a damaged chunk into garbage rather than failing).
 */
export function convertRecords(records: Uint8Array, input: DecodeNodeInput, startMs: number): NodePoints {
  const { pointCount: count, recordLength, scale, offset, centre, name } = input;
  const layout = getPointFormatLayout(input.pointFormat, name);
  if (recordLength < layout.length) throw new Error(`Invalid point record length: ${recordLength} in ${name}`);
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const positions = new Float32Array(count * 3);
  const raw = new Int32Array(count * 3);
  const intensity = new Uint16Array(count);
  const classification = new Uint8Array(count);
  const color = new Uint8Array(count * 3);
  const gpsTime = layout.gpsTime !== undefined ? new Float32Array(count) : undefined;
  const [sx, sy, sz] = scale;
  const [ox, oy, oz] = offset;
  const [cx, cy, cz] = centre;
  const rgbAt = layout.rgb;
  let timeMin = Infinity;
  let timeMax = -Infinity;
  if (layout.gpsTime !== undefined) {
    for (let i = 0, at = layout.gpsTime; i < count; i++, at += recordLength) {
      const t = view.getFloat64(at, true);
      if (t < timeMin) timeMin = t;
      if (t > timeMax) timeMax = t;
    }
  }
  const timeOrigin = input.gpsTimeOrigin === 'min' ? (count > 0 && Number.isFinite(timeMin) ? timeMin : 0) : (input.gpsTimeOrigin ?? 0);

  let rgbShift = input.rgbShift;
  if (rgbAt !== undefined && rgbShift === undefined) {
    let max = 0;
    for (let i = 0, at = rgbAt; i < count && max <= 255; i++, at += recordLength) {
      max = Math.max(max, view.getUint16(at, true), view.getUint16(at + 2, true), view.getUint16(at + 4, true));
    }
    rgbShift = max > 255 ? 8 : 0;
  }
  const shift = rgbShift ?? 8;

  let outside = 0;
  let lo = [-Infinity, -Infinity, -Infinity];
  let hi = [Infinity, Infinity, Infinity];
  if (input.bounds) {
    const b = input.bounds;
    const slack = 0.01 * (b[3] - b[0]);
    lo = [b[0] - slack - cx, b[1] - slack - cy, b[2] - slack - cz];
    hi = [b[3] + slack - cx, b[4] + slack - cy, b[5] + slack - cz];
  }
  for (let i = 0, at = 0; i < count; i++, at += recordLength) {
    // LAS 1.4 R15 §2.6: X, Y, Z int32 at 0, 4, 8; intensity uint16 at 12.
    const X = view.getInt32(at, true);
    const Y = view.getInt32(at + 4, true);
    const Z = view.getInt32(at + 8, true);
    raw[i * 3] = X;
    raw[i * 3 + 1] = Y;
    raw[i * 3 + 2] = Z;
    const lx = X * sx + ox - cx;
    const ly = Y * sy + oy - cy;
    const lz = Z * sz + oz - cz;
    if (lx < lo[0]! || lx > hi[0]! || ly < lo[1]! || ly > hi[1]! || lz < lo[2]! || lz > hi[2]!) outside++;
    positions[i * 3] = lx;
    positions[i * 3 + 1] = ly;
    positions[i * 3 + 2] = lz;
    intensity[i] = view.getUint16(at + 12, true);
    // LAS 1.4 R15 §2.6: classification uint8 at 16 in formats 6-10, bits 0-4 of byte 15 in formats 0-5.
    classification[i] = layout.extended ? records[at + 16]! : records[at + 15]! & 31;
    if (gpsTime) gpsTime[i] = view.getFloat64(at + layout.gpsTime!, true) - timeOrigin;
    if (rgbAt !== undefined) {
      const c = at + rgbAt;
      color[i * 3] = Math.min(255, view.getUint16(c, true) >> shift);
      color[i * 3 + 1] = Math.min(255, view.getUint16(c + 2, true) >> shift);
      color[i * 3 + 2] = Math.min(255, view.getUint16(c + 4, true) >> shift);
    }
  }
  if (outside > 0) {
    throw new Error(`Invalid node: ${outside} of ${count} points outside the node cell (corrupt chunk?) in ${name}`);
  }
  if (rgbAt === undefined) color.fill(255);
  const decodeMs = now() - startMs;
  return {
    count,
    centre: [cx, cy, cz],
    positions,
    raw,
    scale: [sx, sy, sz],
    offset: [ox, oy, oz],
    color,
    rgbShift: shift,
    intensity,
    classification,
    ...(gpsTime ? { gpsTime } : {}),
    gpsTimeOrigin: timeOrigin,
    ...(gpsTime && count > 0 ? { gpsTimeRange: [timeMin, timeMax] as const } : {}),
    decodeMs,
  };
}

/** Milliseconds from a monotonic clock where there is one. */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Decompresses and converts one COPC node (see {@link decompressChunk} and {@link convertRecords}). */
export function decodeCopcNode(module: LazPerfChunkModule, input: DecodeNodeInput): NodePoints {
  const start = now();
  if (!Number.isInteger(input.pointCount) || input.pointCount < 0) {
    throw new Error(`Invalid point count: ${input.pointCount} in ${input.name}`);
  }
  return convertRecords(decompressChunk(module, input), input, start);
}

/** The typed arrays of node points, for transfer lists. */
export function nodePointBuffers(points: NodePoints): ArrayBuffer[] {
  const arrays = [points.positions, points.raw, points.color, points.intensity, points.classification, points.gpsTime];
  return arrays.flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
}
