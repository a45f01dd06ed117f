/**
 * Selective LAZ 1.4 layered chunk decoder (LASzip compressor 3, item version 3) for PDRF 6/7/8 with extra bytes
 * (LAZ-FORMAT.md §2.3): the mirror of chunk-encoder.ts, writing straight into columns.
 *
 * Every layer of a layered chunk is its own arithmetic-coded stream whose size the chunk header gives, and each
 * depends only on the XY layer and itself; so only XY (position, returns, scanner channel) and Z are always
 * decoded, and every other layer is read only when its field is asked for. With a region, records outside it
 * are decoded (the streams are sequential) but not written out.
 *
 * @example
 * const cols = decodeLazChunk(chunk, {
 *   pointFormat: 7, extraBytes: 0, count: node.pointCount, scale, offset, fields: ['classification', 'gpsTime'],
 * });
 * cols.x[0]; // world easting, metres
 */
import type { PointColumns } from '../las/point-columns.ts';
import { ArithmeticDecoder } from './ArithmeticDecoder.ts';
import { Byte14Decoder } from './Byte14Decoder.ts';
import { releaseSymbolModels } from './DecoderSymbolModel.ts';
import { type LazLayout, lazRecordLength } from './laz-layout.ts';
import { Nir14Decoder } from './Nir14Decoder.ts';
import { Point14Decoder, POINT14_LAYERS } from './Point14Decoder.ts';
import { Rgb14Decoder } from './Rgb14Decoder.ts';

/**
 * Fields whose layers can be skipped: `flags` = classification flags, scan direction and edge of flight line;
 * `pointSource` = point source ID; `rgb` = red, green, blue (PDRF 7/8); `nir` (PDRF 8); `extraBytes` = all
 * extra-byte layers. X, Y, Z, return number, number of returns and scanner channel are always decoded.
 */
export type LazField =
  | 'classification'
  | 'flags'
  | 'intensity'
  | 'scanAngle'
  | 'userData'
  | 'pointSource'
  | 'gpsTime'
  | 'rgb'
  | 'nir'
  | 'extraBytes';

/** Every selectable field, in layer order. */
export const LAZ_FIELDS: readonly LazField[] = [
  'classification',
  'flags',
  'intensity',
  'scanAngle',
  'userData',
  'pointSource',
  'gpsTime',
  'rgb',
  'nir',
  'extraBytes',
];

/**
 * The PointColumns columns each field fills (extra bytes: PointColumns' `extra`; a LazChunkColumns holds them raw
 * as `extraBytes`). X, Y, Z, return number, number of returns and scanner channel are filled always.
 */
export const LAZ_FIELD_COLUMNS: Readonly<Record<LazField, readonly (keyof PointColumns)[]>> = {
  classification: ['classification'],
  flags: ['classificationFlags', 'scanDirectionFlag', 'edgeOfFlightLine'],
  intensity: ['intensity'],
  scanAngle: ['scanAngle'],
  userData: ['userData'],
  pointSource: ['pointSourceId'],
  gpsTime: ['gpsTime'],
  rgb: ['red', 'green', 'blue'],
  nir: ['nir'],
  extraBytes: ['extra'],
};

/** A plan-and-height test for keeping records (a prepared query region fits). */
export interface LazKeepRegion {
  /** Plan bounds [minX, minY, maxX, maxY], world metres: records outside are dropped without calling contains. */
  readonly bounds: readonly [number, number, number, number];
  /** True when the record at world (x, y, z) is kept. */
  contains(x: number, y: number, z: number): boolean;
}

/** Options of {@link decodeLazChunk}. */
export interface LazChunkDecodeOptions extends LazLayout {
  /** Points the chunk holds (COPC hierarchy or chunk table); the chunk's own count must agree. */
  readonly count: number;
  /** Header scale and offset: world = raw · scale + offset. */
  readonly scale: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
  /** Fields to decode besides X/Y/Z, returns and channel (default: all). */
  readonly fields?: readonly LazField[];
  /** Keep only the records inside this region (default: all). */
  readonly region?: LazKeepRegion;
  /** Name for messages (file and node). */
  readonly name?: string;
}

/**
 * Decoded records as columns (the PointColumns names): X/Y/Z float64 world, every other column the record's raw
 * value; a column is present only when its field was decoded. Extra bytes stay raw: `extraBytes` holds
 * `count · extraByteCount` bytes, record after record.
 */
export interface LazChunkColumns {
  readonly count: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly returnNumber: Uint8Array;
  readonly numberOfReturns: Uint8Array;
  readonly scannerChannel: Uint8Array;
  readonly classification?: Uint8Array;
  readonly classificationFlags?: Uint8Array;
  readonly scanDirectionFlag?: Uint8Array;
  readonly edgeOfFlightLine?: Uint8Array;
  readonly intensity?: Uint16Array;
  readonly scanAngle?: Int16Array;
  readonly userData?: Uint8Array;
  readonly pointSourceId?: Uint16Array;
  /** GPS time; written as its 64-bit pattern, so NaN payloads survive. */
  readonly gpsTime?: Float64Array;
  readonly red?: Uint16Array;
  readonly green?: Uint16Array;
  readonly blue?: Uint16Array;
  readonly nir?: Uint16Array;
  readonly extraBytes?: Uint8Array;
  readonly extraByteCount: number;
}

/** The item decoders of one layout, reused from chunk to chunk (decoding is synchronous, so sharing is safe). */
interface Pipeline {
  readonly layout: LazLayout;
  readonly recordLength: number;
  readonly layerCount: number;
  readonly point: Point14Decoder;
  readonly rgb: Rgb14Decoder | undefined;
  readonly rgbDec: ArithmeticDecoder;
  readonly nir: Nir14Decoder | undefined;
  readonly nirDec: ArithmeticDecoder;
  readonly bytes: Byte14Decoder | undefined;
  readonly byteDecs: ArithmeticDecoder[];
  readonly layerStart: Int32Array;
  readonly layerSize: Int32Array;
}

const pipelines = new Map<string, Pipeline>();

function pipelineFor(layout: LazLayout): Pipeline {
  const key = `${layout.pointFormat}/${layout.extraBytes}`;
  let p = pipelines.get(key);
  if (!p) {
    const recordLength = lazRecordLength(layout);
    const n = layout.extraBytes;
    const layerCount = 9 + (layout.pointFormat === 7 ? 1 : layout.pointFormat === 8 ? 2 : 0) + n;
    p = {
      layout,
      recordLength,
      layerCount,
      point: new Point14Decoder(),
      rgb: layout.pointFormat >= 7 ? new Rgb14Decoder() : undefined,
      rgbDec: new ArithmeticDecoder('RGB'),
      nir: layout.pointFormat === 8 ? new Nir14Decoder() : undefined,
      nirDec: new ArithmeticDecoder('NIR'),
      bytes: n > 0 ? new Byte14Decoder(n) : undefined,
      byteDecs: Array.from({ length: n }, (_, i) => new ArithmeticDecoder(`extra byte ${i}`)),
      layerStart: new Int32Array(layerCount),
      layerSize: new Int32Array(layerCount),
    };
    pipelines.set(key, p);
  }
  return p;
}

/** Output columns that grow while records are kept. */
class ColumnBuilder {
  capacity: number;
  count = 0;
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  returnNumber: Uint8Array;
  numberOfReturns: Uint8Array;
  scannerChannel: Uint8Array;
  classification: Uint8Array | undefined;
  classificationFlags: Uint8Array | undefined;
  scanDirectionFlag: Uint8Array | undefined;
  edgeOfFlightLine: Uint8Array | undefined;
  intensity: Uint16Array | undefined;
  scanAngle: Int16Array | undefined;
  userData: Uint8Array | undefined;
  pointSourceId: Uint16Array | undefined;
  gpsTime: Float64Array | undefined;
  /** The GPS column's bytes as u32 words (low, high per value). */
  gpsWords: Uint32Array | undefined;
  red: Uint16Array | undefined;
  green: Uint16Array | undefined;
  blue: Uint16Array | undefined;
  nir: Uint16Array | undefined;
  extraBytes: Uint8Array | undefined;
  readonly extraByteCount: number;

  constructor(capacity: number, want: ReadonlySet<LazField>, layout: LazLayout) {
    this.capacity = capacity;
    this.extraByteCount = layout.extraBytes;
    this.x = new Float64Array(capacity);
    this.y = new Float64Array(capacity);
    this.z = new Float64Array(capacity);
    this.returnNumber = new Uint8Array(capacity);
    this.numberOfReturns = new Uint8Array(capacity);
    this.scannerChannel = new Uint8Array(capacity);
    if (want.has('classification')) this.classification = new Uint8Array(capacity);
    if (want.has('flags')) {
      this.classificationFlags = new Uint8Array(capacity);
      this.scanDirectionFlag = new Uint8Array(capacity);
      this.edgeOfFlightLine = new Uint8Array(capacity);
    }
    if (want.has('intensity')) this.intensity = new Uint16Array(capacity);
    if (want.has('scanAngle')) this.scanAngle = new Int16Array(capacity);
    if (want.has('userData')) this.userData = new Uint8Array(capacity);
    if (want.has('pointSource')) this.pointSourceId = new Uint16Array(capacity);
    if (want.has('gpsTime')) {
      this.gpsTime = new Float64Array(capacity);
      this.gpsWords = new Uint32Array(this.gpsTime.buffer);
    }
    if (want.has('rgb') && layout.pointFormat >= 7) {
      this.red = new Uint16Array(capacity);
      this.green = new Uint16Array(capacity);
      this.blue = new Uint16Array(capacity);
    }
    if (want.has('nir') && layout.pointFormat === 8) this.nir = new Uint16Array(capacity);
    if (want.has('extraBytes') && layout.extraBytes > 0) this.extraBytes = new Uint8Array(capacity * layout.extraBytes);
  }

  /** Doubles the capacity (at most `max`), keeping the rows written so far. */
  grow(max: number): void {
    const capacity = Math.min(max, this.capacity * 2);
    const more = <T extends Float64Array | Uint8Array | Uint16Array | Int16Array>(a: T, width = 1): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity * width);
      b.set(a);
      return b;
    };
    this.x = more(this.x);
    this.y = more(this.y);
    this.z = more(this.z);
    this.returnNumber = more(this.returnNumber);
    this.numberOfReturns = more(this.numberOfReturns);
    this.scannerChannel = more(this.scannerChannel);
    if (this.classification) this.classification = more(this.classification);
    if (this.classificationFlags) this.classificationFlags = more(this.classificationFlags);
    if (this.scanDirectionFlag) this.scanDirectionFlag = more(this.scanDirectionFlag);
    if (this.edgeOfFlightLine) this.edgeOfFlightLine = more(this.edgeOfFlightLine);
    if (this.intensity) this.intensity = more(this.intensity);
    if (this.scanAngle) this.scanAngle = more(this.scanAngle);
    if (this.userData) this.userData = more(this.userData);
    if (this.pointSourceId) this.pointSourceId = more(this.pointSourceId);
    if (this.gpsTime) {
      this.gpsTime = more(this.gpsTime);
      this.gpsWords = new Uint32Array(this.gpsTime.buffer);
    }
    if (this.red) this.red = more(this.red);
    if (this.green) this.green = more(this.green);
    if (this.blue) this.blue = more(this.blue);
    if (this.nir) this.nir = more(this.nir);
    if (this.extraBytes) this.extraBytes = more(this.extraBytes, this.extraByteCount);
    this.capacity = capacity;
  }

  /** The columns trimmed to the rows written. */
  finish(): LazChunkColumns {
    const n = this.count;
    const cut = <T extends Float64Array | Uint8Array | Uint16Array | Int16Array>(a: T, width = 1): T =>
      (a.length === n * width ? a : a.slice(0, n * width)) as T;
    const out: { -readonly [K in keyof LazChunkColumns]: LazChunkColumns[K] } = {
      count: n,
      x: cut(this.x),
      y: cut(this.y),
      z: cut(this.z),
      returnNumber: cut(this.returnNumber),
      numberOfReturns: cut(this.numberOfReturns),
      scannerChannel: cut(this.scannerChannel),
      extraByteCount: this.extraByteCount,
    };
    if (this.classification) out.classification = cut(this.classification);
    if (this.classificationFlags) out.classificationFlags = cut(this.classificationFlags);
    if (this.scanDirectionFlag) out.scanDirectionFlag = cut(this.scanDirectionFlag);
    if (this.edgeOfFlightLine) out.edgeOfFlightLine = cut(this.edgeOfFlightLine);
    if (this.intensity) out.intensity = cut(this.intensity);
    if (this.scanAngle) out.scanAngle = cut(this.scanAngle);
    if (this.userData) out.userData = cut(this.userData);
    if (this.pointSourceId) out.pointSourceId = cut(this.pointSourceId);
    if (this.gpsTime) out.gpsTime = cut(this.gpsTime);
    if (this.red) out.red = cut(this.red);
    if (this.green) out.green = cut(this.green);
    if (this.blue) out.blue = cut(this.blue);
    if (this.nir) out.nir = cut(this.nir);
    if (this.extraBytes) out.extraBytes = cut(this.extraBytes, this.extraByteCount);
    return out;
  }
}

/** Rows allocated up front when a region keeps an unknown share of the records. */
const REGION_INITIAL_ROWS = 1024;

/**
 * Decodes one layered LAZ chunk (the bytes a COPC hierarchy entry or a chunk-table entry points at) into
 * columns: all records, or those inside `options.region`; X/Y/Z, returns and channel always, other fields as
 * selected. Throws `Invalid LAZ chunk: …` for a truncated or corrupt chunk (never reads beyond a layer).
 */
export function decodeLazChunk(chunk: Uint8Array, options: LazChunkDecodeOptions): LazChunkColumns {
  const name = options.name ?? 'buffer';
  const fail = (what: string): never => {
    throw new Error(`Invalid LAZ chunk: ${what} in ${name}`);
  };
  const p = pipelineFor(options);
  const { recordLength, layerCount, layerStart, layerSize } = p;
  const count = options.count;
  if (!Number.isInteger(count) || count < 1) fail(`point count ${count}`);
  const headerLength = recordLength + 4 + 4 * layerCount;
  if (chunk.byteLength < headerLength) fail(`${chunk.byteLength} bytes, the header alone needs ${headerLength}`);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const stored = view.getUint32(recordLength, true);
  if (stored !== count) fail(`holds ${stored} points, expected ${count}`);
  let at = headerLength;
  for (let i = 0; i < layerCount; i++) {
    const size = view.getUint32(recordLength + 4 + 4 * i, true);
    layerStart[i] = at;
    layerSize[i] = size;
    at += size;
  }
  if (at > chunk.byteLength) fail(`layers need ${at} bytes, the chunk has ${chunk.byteLength}`);

  const want = new Set<LazField>(options.fields ?? LAZ_FIELDS);
  const selected = POINT14_LAYERS.map((_, i) => i < 2 || want.has(LAZ_FIELDS[i - 2]!));
  try {
    return decodeRecords(chunk, options, p, want, selected);
  } catch (error) {
    // The layer decoders do not know the file: name it here.
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('Invalid LAZ chunk:')) throw new Error(`${message} in ${name}`);
    throw error;
  }
}

/** The record loop of decodeLazChunk, after the header checks. */
function decodeRecords(
  chunk: Uint8Array,
  options: LazChunkDecodeOptions,
  p: Pipeline,
  want: ReadonlySet<LazField>,
  selected: readonly boolean[],
): LazChunkColumns {
  const { recordLength, layerStart, layerSize } = p;
  const count = options.count;
  const point = p.point;
  // Every model of the previous chunk is dead now (contexts are created per chunk): reuse them.
  releaseSymbolModels();
  let layer = 9;
  const opened: ArithmeticDecoder[] = [];
  const open = (dec: ArithmeticDecoder, on: boolean): ArithmeticDecoder | undefined => {
    const i = layer++;
    if (!on || layerSize[i] === 0) return undefined;
    dec.init(chunk, layerStart[i]!, layerStart[i]! + layerSize[i]!);
    opened.push(dec);
    return dec;
  };
  const h0 = point.start(chunk, 0, layerStart, layerSize, selected);
  const rgb = p.rgb;
  const nir = p.nir;
  const extra = p.bytes;
  if (rgb) rgb.start(chunk, 30, h0, open(p.rgbDec, want.has('rgb')));
  if (nir) nir.start(chunk, 36, h0, open(p.nirDec, want.has('nir')));
  if (extra) {
    const on = want.has('extraBytes');
    extra.start(chunk, recordLength - extra.count, h0, p.byteDecs.map((d) => open(d, on)));
  }

  const region = options.region;
  const out = new ColumnBuilder(region ? Math.min(count, REGION_INITIAL_ROWS) : count, want, options);
  const [sx, sy, sz] = options.scale;
  const [ox, oy, oz] = options.offset;
  const [bx0, by0, bx1, by1] = region ? region.bounds : [-Infinity, -Infinity, Infinity, Infinity];
  const extraCount = out.extraByteCount;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      const h = point.next();
      if (rgb) rgb.next(h);
      if (nir) nir.next(h);
      if (extra) extra.next(h);
    }
    const c = point.current;
    const x = c.x * sx + ox;
    const y = c.y * sy + oy;
    const z = c.z * sz + oz;
    if (region) {
      if (x < bx0 || x > bx1 || y < by0 || y > by1 || !region.contains(x, y, z)) continue;
      if (out.count === out.capacity) out.grow(count);
    }
    const k = out.count++;
    out.x[k] = x;
    out.y[k] = y;
    out.z[k] = z;
    out.returnNumber[k] = c.r;
    out.numberOfReturns[k] = c.n;
    out.scannerChannel[k] = c.ch;
    if (out.classification) out.classification[k] = c.cls;
    if (out.classificationFlags) {
      const f = c.flags6;
      out.classificationFlags[k] = f & 15;
      out.scanDirectionFlag![k] = (f >> 4) & 1;
      out.edgeOfFlightLine![k] = f >> 5;
    }
    if (out.intensity) out.intensity[k] = c.intensity;
    if (out.scanAngle) out.scanAngle[k] = c.sa;
    if (out.userData) out.userData[k] = c.ud;
    if (out.pointSourceId) out.pointSourceId[k] = c.psid;
    if (out.gpsWords) {
      // Note: the pattern goes in as two words (little-endian, as every JS engine runs) so NaN payloads survive.
      out.gpsWords[2 * k] = c.gpsLo;
      out.gpsWords[2 * k + 1] = c.gpsHi;
    }
    if (out.red) {
      out.red[k] = rgb!.red;
      out.green![k] = rgb!.green;
      out.blue![k] = rgb!.blue;
    }
    if (out.nir) out.nir[k] = nir!.nir;
    if (out.extraBytes) out.extraBytes.set(extra!.bytes, k * extraCount);
  }
  point.expectConsumed(count);
  for (const dec of opened) dec.expectConsumed(count);
  return out.finish();
}
