/**
 * The entry point for reading LAS and LAZ files: `openLas` reads the header, VLRs and EVLRs through a Getter;
 * the returned LasFile reads points on demand.
 *
 * @example
 * const las = await openLas(createBytesGetter(bytes, 'drive.laz'));
 * const points = await las.readPoints(); // PointColumns, float64 world X/Y/Z
 * console.log(las.header.pointCount, las.wkt);
 */
import type { SizedGetter } from '../io/getter.ts';
import type { PointColumns } from './point-columns.ts';
import type { GeoKey } from './crs-records.ts';
import { LASF_PROJECTION, findGeoKeys, findWkt } from './crs-records.ts';
import type { ExtraBytesDescriptor } from './extra-bytes.ts';
import { extraBytesLength, parseExtraBytes } from './extra-bytes.ts';
import type { LasHeader } from './header.ts';
import { HEADER_SIZE_14, MIN_HEADER_SIZE, parseHeader } from './header.ts';
import type { LazPerfModule } from './laz.ts';
import { LASZIP_RECORD_ID, LASZIP_USER_ID, decompressLaz } from './laz.ts';
import type { LasRecords } from './point-decoder.ts';
import { decodePointRecords } from './point-decoder.ts';
import { getPointFormatLayout } from './point-format.ts';
import type { Vlr } from './vlr.ts';
import { EVLR_HEADER_SIZE, findVlr, parseEvlrHeader, parseVlrs } from './vlr.ts';

/** Options of {@link openLas}. */
export interface OpenLasOptions {
  /**
   * laz-perf instance (or its promise) for LAZ files. A bundled browser worker must create it with
   * `createLazPerf({ locateFile })`; when omitted a shared default instance is created on first LAZ read.
   */
  readonly lazPerf?: LazPerfModule | Promise<LazPerfModule>;
}

/** A range of point records: `start` (default 0) and `count` (default all remaining). */
export interface RecordRange {
  readonly start?: number;
  readonly count?: number;
}

/** An opened LAS or LAZ file: parsed header and records, points read on demand. */
export interface LasFile {
  /** File name or URL, for messages. */
  readonly name: string;
  /** File size in bytes. */
  readonly size: number;
  readonly header: LasHeader;
  readonly vlrs: readonly Vlr[];
  /** EVLR headers; payloads loaded only for CRS and extra-bytes records (see `readVlrPayload`). */
  readonly evlrs: readonly Vlr[];
  /** Extra-bytes dimensions from the LASF_Spec 4 VLR or EVLR (empty when none). */
  readonly extraBytes: readonly ExtraBytesDescriptor[];
  /** True for LAZ (format bit 7 or a LASzip VLR). */
  readonly compressed: boolean;
  /** OGC WKT from a LASF_Projection 2112 VLR or EVLR. */
  readonly wkt?: string;
  /** GeoTIFF keys from LASF_Projection 34735/34736/34737. */
  readonly geoKeys?: readonly GeoKey[];
  /**
   * Reads raw point records exactly as stored (decompressed for LAZ). For LAZ the whole file is decompressed
   * and the range sliced out. Throws `Invalid point count: …` when the file is shorter than the header says,
   * `Invalid point format: …` for compressed waveform formats.
   */
  readRecords(range?: RecordRange): Promise<LasRecords>;
  /** Reads and decodes points (see `readRecords`). */
  readPoints(range?: RecordRange): Promise<PointColumns>;
  /** Decodes records of this file (scale, offset and extra bytes from its header). */
  decode(records: LasRecords): PointColumns;
  /** Reads the payload of a VLR or EVLR of this file. */
  readVlrPayload(vlr: Vlr): Promise<Uint8Array>;
}

/**
 * Opens a LAS 1.0-1.4 or LAZ file: reads the header, VLRs, EVLRs, extra-bytes descriptors and CRS records.
 * Throws `Invalid …` naming the file for a truncated file, bad signature, unknown point format or VLRs that
 * run past their bounds.
 */
export async function openLas(getter: SizedGetter, options: OpenLasOptions = {}): Promise<LasFile> {
  const { name, size } = getter;
  if (size < MIN_HEADER_SIZE) throw new Error(`Invalid LAS file: ${size} bytes is shorter than a header in ${name}`);
  const header = parseHeader(await getter.get(0, Math.min(HEADER_SIZE_14, size)), name);
  const layout = getPointFormatLayout(header.pointFormat, name);
  if (header.pointRecordLength < layout.length) {
    throw new Error(`Invalid point record length: ${header.pointRecordLength} < ${layout.length} for point format ${header.pointFormat} in ${name}`);
  }
  if (header.pointDataOffset > size) {
    throw new Error(`Invalid offset to point data: ${header.pointDataOffset} beyond the end of ${name} (${size} bytes)`);
  }
  const vlrBytes = await getter.get(header.headerSize, header.pointDataOffset);
  const vlrs = parseVlrs(vlrBytes, header.vlrCount, header.headerSize, name);
  const evlrs = await readEvlrs(getter, header);

  const extraBytesRecord = findVlr(vlrs, 'LASF_Spec', 4) ?? findVlr(evlrs, 'LASF_Spec', 4);
  const extraBytes = extraBytesRecord?.payload ? parseExtraBytes(extraBytesRecord.payload, name) : [];
  if (layout.length + extraBytesLength(extraBytes) > header.pointRecordLength) {
    throw new Error(`Invalid extra bytes: descriptors need ${extraBytesLength(extraBytes)} bytes, records have ${header.pointRecordLength - layout.length} in ${name}`);
  }
  const crsRecords = [...vlrs, ...evlrs];
  const wkt = findWkt(crsRecords);
  const geoKeys = findGeoKeys(crsRecords, name);
  const compressed = header.compressedFlag || findVlr(vlrs, LASZIP_USER_ID, LASZIP_RECORD_ID) !== undefined;

  const decode = (records: LasRecords): PointColumns =>
    decodePointRecords(records, { scale: header.scale, offset: header.offset, extraBytes, name });

  const readRecords = async (range: RecordRange = {}): Promise<LasRecords> => {
    const length = header.pointRecordLength;
    const total = header.pointCount;
    const start = range.start ?? 0;
    const count = range.count ?? total - start;
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > total) {
      throw new Error(`Invalid record range: ${start}+${count} of ${total} points in ${name}`);
    }
    let bytes: Uint8Array;
    if (compressed) {
      const laszipVlr = findVlr(vlrs, LASZIP_USER_ID, LASZIP_RECORD_ID)?.payload;
      const all = await decompressLaz(await getter.get(0, size), header, name, options.lazPerf, laszipVlr);
      bytes = all.subarray(start * length, (start + count) * length);
    } else {
      const end = header.pointDataOffset + total * length;
      if (end > size) {
        throw new Error(`Invalid point count: ${total} records of ${length} bytes from offset ${header.pointDataOffset} need ${end} bytes, ${name} has ${size}`);
      }
      const begin = header.pointDataOffset + start * length;
      bytes = await getter.get(begin, begin + count * length);
    }
    return { pointFormat: header.pointFormat, recordLength: length, count, bytes };
  };

  return {
    name,
    size,
    header,
    vlrs,
    evlrs,
    extraBytes,
    compressed,
    ...(wkt !== undefined ? { wkt } : {}),
    ...(geoKeys !== undefined ? { geoKeys } : {}),
    readRecords,
    readPoints: async (range) => decode(await readRecords(range)),
    decode,
    readVlrPayload: async (vlr) => vlr.payload ?? getter.get(vlr.payloadOffset, vlr.payloadOffset + vlr.payloadLength),
  };
}

/** Reads EVLR headers, and the payloads of CRS and extra-bytes EVLRs (LAS 1.4 R15 §2.7). */
async function readEvlrs(getter: SizedGetter, header: LasHeader): Promise<Vlr[]> {
  const { name, size } = getter;
  if (header.evlrCount === 0) return [];
  if (header.evlrOffset < header.pointDataOffset || header.evlrOffset > size) {
    throw new Error(`Invalid EVLR offset: ${header.evlrOffset} for ${name} (${size} bytes, points at ${header.pointDataOffset})`);
  }
  const out: Vlr[] = [];
  let at = header.evlrOffset;
  for (let i = 0; i < header.evlrCount; i++) {
    if (at + EVLR_HEADER_SIZE > size) {
      throw new Error(`Invalid EVLR count: ${header.evlrCount}, EVLR ${i} at ${at} runs past the end of ${name} (${size} bytes)`);
    }
    const evlr = parseEvlrHeader(await getter.get(at, at + EVLR_HEADER_SIZE), at, name);
    const end = evlr.payloadOffset + evlr.payloadLength;
    if (end > size) {
      throw new Error(`Invalid EVLR length: ${evlr.userId}/${evlr.recordId} has ${evlr.payloadLength} bytes, past the end of ${name}`);
    }
    const wanted = evlr.userId === LASF_PROJECTION || (evlr.userId === 'LASF_Spec' && evlr.recordId === 4);
    out.push(wanted ? { ...evlr, payload: await getter.get(evlr.payloadOffset, end) } : evlr);
    at = end;
  }
  return out;
}
