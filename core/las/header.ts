/**
 * The LAS public header block, versions 1.0 to 1.4 (LAS 1.4 R15 §2.4 table 3; LAS 1.2 §2.2; LAS 1.3 R11 §2.3).
 */
import { dataViewOf, readCString, readSafeUint64 } from './binary.ts';

/** Smallest legal header (LAS 1.0-1.2), bytes. */
export const MIN_HEADER_SIZE = 227;
/** Header size of LAS 1.3 (adds the waveform data start), bytes. */
export const HEADER_SIZE_13 = 235;
/** Header size of LAS 1.4 (adds EVLRs and 64-bit counts), bytes. */
export const HEADER_SIZE_14 = 375;

/** Global encoding bit 0: GPS time is adjusted standard GPS time (LAS 1.4 R15 §2.4). */
export const GLOBAL_ENCODING_ADJUSTED_GPS_TIME = 1;
/** Global encoding bit 4: the CRS is WKT, not GeoTIFF keys (LAS 1.4 R15 §2.4). */
export const GLOBAL_ENCODING_WKT = 1 << 4;

/** A parsed LAS header; X/Y/Z triples are [x, y, z]. */
export interface LasHeader {
  readonly fileSourceId: number;
  /** Raw global encoding bits (see GLOBAL_ENCODING_*). */
  readonly globalEncoding: number;
  /** Project GUID as 8-4-4-4-12 lowercase hex (the LAS field order, little-endian data 1-3). */
  readonly projectId: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  /** "1.0" to "1.4". */
  readonly version: string;
  readonly systemIdentifier: string;
  readonly generatingSoftware: string;
  readonly creationDayOfYear: number;
  readonly creationYear: number;
  /** Header size as stored, bytes (may exceed the version's size when user data follows the header). */
  readonly headerSize: number;
  /** Offset of the first point record, bytes. */
  readonly pointDataOffset: number;
  readonly vlrCount: number;
  /** Point data record format 0-10 without the LAZ compression bits. */
  readonly pointFormat: number;
  /** True when the stored format byte has the LASzip compression bit (7) set. */
  readonly compressedFlag: boolean;
  /** Bytes per point record, including extra bytes. */
  readonly pointRecordLength: number;
  /** Number of point records: the 64-bit count for LAS 1.4 when non-zero, else the legacy 32-bit count. */
  readonly pointCount: number;
  /** Points by return 1-5 (legacy) or 1-15 (LAS 1.4), same choice as pointCount. */
  readonly pointCountByReturn: readonly number[];
  /** The legacy 32-bit count at offset 107 as stored (0 for LAS 1.4 formats 6-10). */
  readonly legacyPointCount: number;
  readonly scale: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
  /** Bounds as stored in the header, metres (or the CRS unit). */
  readonly min: readonly [number, number, number];
  readonly max: readonly [number, number, number];
  /** LAS 1.3+: start of the waveform data packet record, bytes (0 when none). */
  readonly waveformDataOffset: number;
  /** LAS 1.4: start of the first EVLR, bytes (0 when none). */
  readonly evlrOffset: number;
  /** LAS 1.4: number of EVLRs. */
  readonly evlrCount: number;
}

/**
 * Parses a header from the first bytes of a file (at least 227, ideally 375); `name` names the file in errors.
 * Throws `Invalid …` for a bad signature, version, header size or impossible counts.
 */
export function parseHeader(bytes: Uint8Array, name: string): LasHeader {
  if (bytes.byteLength < MIN_HEADER_SIZE) {
    throw new Error(`Invalid LAS header: ${bytes.byteLength} bytes, need ${MIN_HEADER_SIZE} in ${name}`);
  }
  const view = dataViewOf(bytes);
  // LAS 1.4 R15 §2.4: offset 0, char[4] file signature "LASF".
  const signature = readCString(bytes, 0, 4);
  if (signature !== 'LASF') throw new Error(`Invalid LAS signature: "${signature}" in ${name}`);
  // Offset 24 version major, 25 version minor (uint8).
  const versionMajor = bytes[24]!;
  const versionMinor = bytes[25]!;
  if (versionMajor !== 1 || versionMinor > 4) {
    throw new Error(`Invalid LAS version: ${versionMajor}.${versionMinor} in ${name}`);
  }
  // Offset 94, uint16 header size.
  const headerSize = view.getUint16(94, true);
  const required = versionMinor >= 4 ? HEADER_SIZE_14 : versionMinor === 3 ? HEADER_SIZE_13 : MIN_HEADER_SIZE;
  if (headerSize < required) {
    throw new Error(`Invalid header size: ${headerSize} for LAS ${versionMajor}.${versionMinor} in ${name}`);
  }
  if (bytes.byteLength < required) {
    throw new Error(`Invalid LAS header: ${bytes.byteLength} bytes, need ${required} in ${name}`);
  }
  // Offset 96 uint32 offset to point data, 100 uint32 number of VLRs, 104 uint8 point data record format,
  // 105 uint16 point data record length.
  const pointDataOffset = view.getUint32(96, true);
  const vlrCount = view.getUint32(100, true);
  const formatByte = bytes[104]!;
  // Note: LASzip marks compressed files by setting bit 7 (and bit 6 in old versions) of the format byte.
  const pointFormat = formatByte & 0x3f;
  const compressedFlag = (formatByte & 0x80) !== 0;
  const pointRecordLength = view.getUint16(105, true);
  if (pointDataOffset < headerSize) {
    throw new Error(`Invalid offset to point data: ${pointDataOffset} is inside the ${headerSize}-byte header of ${name}`);
  }
  // Offset 107 uint32 legacy number of point records; 111 uint32[5] legacy number of points by return.
  const legacyPointCount = view.getUint32(107, true);
  const legacyByReturn = [0, 1, 2, 3, 4].map((r) => view.getUint32(111 + 4 * r, true));
  // Offsets 131-178: x/y/z scale factor then x/y/z offset (double); 179-226: max x, min x, max y, min y, max z,
  // min z (double).
  const triple = (at: number, step: number): [number, number, number] => [
    view.getFloat64(at, true),
    view.getFloat64(at + step, true),
    view.getFloat64(at + 2 * step, true),
  ];
  const scale = triple(131, 8);
  const offset = triple(155, 8);
  const max = triple(179, 16);
  const min = triple(187, 16);
  for (const [axis, s] of [['X', scale[0]], ['Y', scale[1]], ['Z', scale[2]]] as const) {
    if (!Number.isFinite(s) || s === 0) throw new Error(`Invalid ${axis} scale: ${s} in ${name}`);
  }

  let waveformDataOffset = 0;
  let evlrOffset = 0;
  let evlrCount = 0;
  let pointCount = legacyPointCount;
  let pointCountByReturn: number[] = legacyByReturn;
  if (versionMinor >= 3) {
    // LAS 1.3 R11 §2.3 / LAS 1.4 R15 §2.4: offset 227, uint64 start of waveform data packet record.
    waveformDataOffset = readSafeUint64(view, 227, 'waveform data offset', name);
  }
  if (versionMinor >= 4) {
    // LAS 1.4 R15 §2.4: offset 235 uint64 start of first EVLR, 243 uint32 number of EVLRs, 247 uint64 number of
    // point records, 255 uint64[15] number of points by return.
    evlrOffset = readSafeUint64(view, 235, 'EVLR offset', name);
    evlrCount = view.getUint32(243, true);
    const count64 = readSafeUint64(view, 247, 'point count', name);
    const byReturn64 = Array.from({ length: 15 }, (_, r) => readSafeUint64(view, 255 + 8 * r, 'point count by return', name));
    // Note: some LAS 1.4 writers leave the 64-bit count 0 and fill only the legacy one (formats 0-5); take the
    // 64-bit count whenever it is set.
    if (count64 !== 0 || legacyPointCount === 0) {
      pointCount = count64;
      pointCountByReturn = byReturn64;
    }
  }

  return {
    fileSourceId: view.getUint16(4, true),
    globalEncoding: view.getUint16(6, true),
    projectId: formatGuid(bytes),
    versionMajor,
    versionMinor,
    version: `${versionMajor}.${versionMinor}`,
    systemIdentifier: readCString(bytes, 26, 32),
    generatingSoftware: readCString(bytes, 58, 32),
    creationDayOfYear: view.getUint16(90, true),
    creationYear: view.getUint16(92, true),
    headerSize,
    pointDataOffset,
    vlrCount,
    pointFormat,
    compressedFlag,
    pointRecordLength,
    pointCount,
    pointCountByReturn,
    legacyPointCount,
    scale,
    offset,
    min,
    max,
    waveformDataOffset,
    evlrOffset,
    evlrCount,
  };
}

// LAS 1.4 R15 §2.4: offset 8 uint32 GUID data 1, 12 uint16 data 2, 14 uint16 data 3, 16 uchar[8] data 4.
function formatGuid(bytes: Uint8Array): string {
  const view = dataViewOf(bytes);
  const hex = (value: number, digits: number): string => value.toString(16).padStart(digits, '0');
  const tail = Array.from(bytes.subarray(16, 24), (b) => hex(b, 2)).join('');
  return `${hex(view.getUint32(8, true), 8)}-${hex(view.getUint16(12, true), 4)}-${hex(view.getUint16(14, true), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}
