/**
 * Extra bytes (LAS 1.4 R15 §2.5 "Extra Bytes VLR", user id LASF_Spec, record id 4): descriptors that name and
 * type the bytes each point record carries after its standard fields.
 */
import { dataViewOf, readCString, writeCString } from './binary.ts';

/** Length of one extra-bytes descriptor (LAS 1.4 R15 §2.5 table 24). */
export const EXTRA_BYTES_DESCRIPTOR_LENGTH = 192;

/** Element types of extra bytes, data_type 1-10 in that order (LAS 1.4 R15 §2.5 table 25). */
export type ExtraBytesType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'uint64'
  | 'int64'
  | 'float32'
  | 'float64';

const TYPES: readonly ExtraBytesType[] = [
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'uint64',
  'int64',
  'float32',
  'float64',
];
const TYPE_SIZES: Readonly<Record<ExtraBytesType, number>> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  uint64: 8,
  int64: 8,
  float32: 4,
  float64: 8,
};

/** Size in bytes of one value of an extra-bytes type. */
export function extraBytesTypeSize(type: ExtraBytesType): number {
  return TYPE_SIZES[type];
}

/** The data_type code (1-10) of an element type. */
export function extraBytesTypeCode(type: ExtraBytesType): number {
  return TYPES.indexOf(type) + 1;
}

/**
 * One parsed extra-bytes dimension. A deprecated array descriptor (data_type 11-30) yields one dimension per
 * element, named `name0`, `name1`, … (as PDAL names them); an undocumented descriptor (data_type 0) yields one dimension with no
 * `type` whose bytes are skipped.
 */
export interface ExtraBytesDescriptor {
  /** Column name in PointColumns.extra (the descriptor name, made unique, with the element index appended for arrays). */
  readonly name: string;
  readonly description: string;
  /** The raw data_type 0-30. */
  readonly dataType: number;
  /** The raw options bit field (bit 0 no_data, 1 min, 2 max, 3 scale, 4 offset; for data_type 0 the size). */
  readonly options: number;
  /** Element type; undefined for undocumented bytes (data_type 0). */
  readonly type?: ExtraBytesType;
  /** Size of this dimension in bytes. */
  readonly size: number;
  /** Offset of this dimension from the start of the extra bytes (the end of the standard record), bytes. */
  readonly byteOffset: number;
  /** no_data, min and max in raw (unscaled) units when their option bits are set. */
  readonly noData?: number;
  readonly min?: number;
  readonly max?: number;
  /** Scale and offset when their option bits are set; value = raw * scale + offset. */
  readonly scale?: number;
  readonly offset?: number;
}

// LAS 1.4 R15 §2.5 table 24: reserved[2] at 0, data_type at 2, options at 3, name char[32] at 4, unused[4] at 36,
// no_data at 40, min at 64, max at 88, scale double at 112, offset double at 136 (each an 8-byte value followed by
// 16 deprecated bytes, i.e. a 3-element array in LAS 1.3/1.4 before R14), description char[32] at 160.
const NO_DATA_AT = 40;
const MIN_AT = 64;
const MAX_AT = 88;
const SCALE_AT = 112;
const OFFSET_AT = 136;
const DESCRIPTION_AT = 160;

/** Parses the payload of an extra-bytes VLR into dimensions; `name` is the file, for messages. */
export function parseExtraBytes(payload: Uint8Array, name: string): ExtraBytesDescriptor[] {
  if (payload.byteLength % EXTRA_BYTES_DESCRIPTOR_LENGTH !== 0) {
    throw new Error(`Invalid extra bytes VLR length: ${payload.byteLength} in ${name}`);
  }
  const out: ExtraBytesDescriptor[] = [];
  const used = new Set<string>();
  let byteOffset = 0;
  for (let at = 0; at < payload.byteLength; at += EXTRA_BYTES_DESCRIPTOR_LENGTH) {
    const bytes = payload.subarray(at, at + EXTRA_BYTES_DESCRIPTOR_LENGTH);
    const view = dataViewOf(bytes);
    const dataType = bytes[2]!;
    const options = bytes[3]!;
    const baseName = uniqueName(readCString(bytes, 4, 32) || `extra${out.length}`, used);
    const description = readCString(bytes, DESCRIPTION_AT, 32);
    if (dataType === 0) {
      // LAS 1.4 R15 §2.5: data_type 0 is undocumented bytes; options holds their count.
      out.push({ name: baseName, description, dataType, options, size: options, byteOffset });
      byteOffset += options;
      continue;
    }
    if (dataType > 30) throw new Error(`Invalid extra bytes data type: ${dataType} for "${baseName}" in ${name}`);
    const type = TYPES[(dataType - 1) % 10]!;
    // Note: data_type 11-20 / 21-30 are the deprecated 2- and 3-element arrays (LAS 1.4 R13 and earlier); the
    // deprecated bytes after each anytype then hold the values of elements 1 and 2.
    const elements = dataType <= 10 ? 1 : dataType <= 20 ? 2 : 3;
    const size = TYPE_SIZES[type];
    for (let e = 0; e < elements; e++) {
      const anyAt = (base: number): number => readAnyType(view, base + 8 * e, type);
      const descriptor: ExtraBytesDescriptor = {
        name: elements === 1 ? baseName : `${baseName}${e}`,
        description,
        dataType,
        options,
        type,
        size,
        byteOffset,
        ...(options & 1 ? { noData: anyAt(NO_DATA_AT) } : {}),
        ...(options & 2 ? { min: anyAt(MIN_AT) } : {}),
        ...(options & 4 ? { max: anyAt(MAX_AT) } : {}),
        ...(options & 8 ? { scale: view.getFloat64(SCALE_AT + 8 * e, true) } : {}),
        ...(options & 16 ? { offset: view.getFloat64(OFFSET_AT + 8 * e, true) } : {}),
      };
      out.push(descriptor);
      byteOffset += size;
    }
  }
  return out;
}

/** Total bytes per record described by a list of extra-bytes dimensions. */
export function extraBytesLength(descriptors: readonly ExtraBytesDescriptor[]): number {
  let end = 0;
  for (const d of descriptors) end = Math.max(end, d.byteOffset + d.size);
  return end;
}

function uniqueName(base: string, used: Set<string>): string {
  let candidate = base;
  for (let i = 2; used.has(candidate); i++) candidate = `${base}_${i}`;
  used.add(candidate);
  return candidate;
}

// LAS 1.4 R15 §2.5: an "anytype" is uint64 for unsigned types, int64 for signed types, double for floats.
function readAnyType(view: DataView, at: number, type: ExtraBytesType): number {
  if (type === 'float32' || type === 'float64') return view.getFloat64(at, true);
  if (type.startsWith('u')) return Number(view.getBigUint64(at, true));
  return Number(view.getBigInt64(at, true));
}

function writeAnyType(view: DataView, at: number, type: ExtraBytesType, value: number): void {
  if (type === 'float32' || type === 'float64') view.setFloat64(at, value, true);
  else if (type.startsWith('u')) view.setBigUint64(at, BigInt(Math.round(value)), true);
  else view.setBigInt64(at, BigInt(Math.round(value)), true);
}

/** Reads one extra-bytes value (raw, unscaled) of `type` at byte `at`, little-endian. */
export function readExtraValue(view: DataView, at: number, type: ExtraBytesType): number {
  switch (type) {
    case 'uint8':
      return view.getUint8(at);
    case 'int8':
      return view.getInt8(at);
    case 'uint16':
      return view.getUint16(at, true);
    case 'int16':
      return view.getInt16(at, true);
    case 'uint32':
      return view.getUint32(at, true);
    case 'int32':
      return view.getInt32(at, true);
    case 'uint64':
      return Number(view.getBigUint64(at, true));
    case 'int64':
      return Number(view.getBigInt64(at, true));
    case 'float32':
      return view.getFloat32(at, true);
    case 'float64':
      return view.getFloat64(at, true);
  }
}

const INTEGER_RANGES: Readonly<Partial<Record<ExtraBytesType, readonly [number, number]>>> = {
  uint8: [0, 0xff],
  int8: [-0x80, 0x7f],
  uint16: [0, 0xffff],
  int16: [-0x8000, 0x7fff],
  uint32: [0, 0xffffffff],
  int32: [-0x80000000, 0x7fffffff],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * Writes one raw extra-bytes value; integers are rounded and must fit their type, else
 * `Invalid extra bytes value: …` is thrown.
 */
export function writeExtraValue(view: DataView, at: number, type: ExtraBytesType, raw: number, what: string): void {
  const range = INTEGER_RANGES[type];
  const value = range ? Math.round(raw) : raw;
  if (range && !(value >= range[0] && value <= range[1])) {
    throw new Error(`Invalid extra bytes value: ${raw} does not fit ${type} (${what})`);
  }
  switch (type) {
    case 'uint8':
      return view.setUint8(at, value);
    case 'int8':
      return view.setInt8(at, value);
    case 'uint16':
      return view.setUint16(at, value, true);
    case 'int16':
      return view.setInt16(at, value, true);
    case 'uint32':
      return view.setUint32(at, value, true);
    case 'int32':
      return view.setInt32(at, value, true);
    case 'uint64':
      return view.setBigUint64(at, BigInt(value), true);
    case 'int64':
      return view.setBigInt64(at, BigInt(value), true);
    case 'float32':
      return view.setFloat32(at, value, true);
    case 'float64':
      return view.setFloat64(at, value, true);
  }
}

/** What a writer needs to describe one extra-bytes dimension (data_type 1-10). */
export interface ExtraBytesSpec {
  /** Name, at most 32 ASCII characters; also the key in PointColumns.extra. */
  readonly name: string;
  readonly type: ExtraBytesType;
  /** Stored raw = (value - offset) / scale; both written to the descriptor when given. */
  readonly scale?: number;
  readonly offset?: number;
  readonly description?: string;
  /** no_data, min, max in raw units, written with their option bits when given. */
  readonly noData?: number;
  readonly min?: number;
  readonly max?: number;
}

/** Encodes extra-bytes specs as the payload of a LASF_Spec 4 VLR (192 bytes each). */
export function encodeExtraBytes(specs: readonly ExtraBytesSpec[]): Uint8Array {
  const out = new Uint8Array(specs.length * EXTRA_BYTES_DESCRIPTOR_LENGTH);
  const view = dataViewOf(out);
  specs.forEach((spec, i) => {
    const at = i * EXTRA_BYTES_DESCRIPTOR_LENGTH;
    if (!TYPES.includes(spec.type)) throw new Error(`Invalid extra bytes type: ${spec.type} for "${spec.name}"`);
    let options = 0;
    if (spec.noData !== undefined) {
      options |= 1;
      writeAnyType(view, at + NO_DATA_AT, spec.type, spec.noData);
    }
    if (spec.min !== undefined) {
      options |= 2;
      writeAnyType(view, at + MIN_AT, spec.type, spec.min);
    }
    if (spec.max !== undefined) {
      options |= 4;
      writeAnyType(view, at + MAX_AT, spec.type, spec.max);
    }
    if (spec.scale !== undefined) {
      options |= 8;
      view.setFloat64(at + SCALE_AT, spec.scale, true);
    }
    if (spec.offset !== undefined) {
      options |= 16;
      view.setFloat64(at + OFFSET_AT, spec.offset, true);
    }
    out[at + 2] = extraBytesTypeCode(spec.type);
    out[at + 3] = options;
    writeCString(out, at + 4, 32, spec.name, 'extra bytes name');
    writeCString(out, at + DESCRIPTION_AT, 32, spec.description ?? '', 'extra bytes description');
  });
  return out;
}
