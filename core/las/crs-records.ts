/**
 * CRS records (LAS 1.4 R15 §2.5 "Georeferencing Information"): the OGC WKT record (LASF_Projection 2112) and
 * the GeoTIFF key records (LASF_Projection 34735 directory, 34736 doubles, 34737 ASCII).
 */
import { dataViewOf, decodeUtf8 } from './binary.ts';
import type { Vlr } from './vlr.ts';
import { findVlr } from './vlr.ts';

/** User id of the CRS records. */
export const LASF_PROJECTION = 'LASF_Projection';
export const WKT_RECORD_ID = 2112;
export const GEO_KEY_DIRECTORY_RECORD_ID = 34735;
export const GEO_DOUBLE_PARAMS_RECORD_ID = 34736;
export const GEO_ASCII_PARAMS_RECORD_ID = 34737;

/** One GeoTIFF key with its value resolved from the directory, the double or the ASCII record. */
export interface GeoKey {
  /** Key id, e.g. 3072 ProjectedCSTypeGeoKey, 4096 VerticalCSTypeGeoKey. */
  readonly id: number;
  /** TIFFTagLocation: 0 (value inline), 34736 (doubles) or 34737 (ASCII). */
  readonly location: number;
  readonly count: number;
  /** Inline short, double(s), or text (without the '|' terminator); undefined when the reference is broken. */
  readonly value: number | readonly number[] | string | undefined;
}

/** Decodes a WKT payload: UTF-8 up to the first NUL, surrounding whitespace trimmed. */
export function parseWkt(payload: Uint8Array): string {
  return decodeUtf8(payload).trim();
}

/**
 * The WKT of a file: the first LASF_Projection 2112 record among VLRs, then loaded EVLRs; undefined when none
 * or empty.
 */
export function findWkt(vlrs: readonly Vlr[]): string | undefined {
  for (const vlr of vlrs) {
    if (vlr.userId === LASF_PROJECTION && vlr.recordId === WKT_RECORD_ID && vlr.payload) {
      const text = parseWkt(vlr.payload);
      if (text.length > 0) return text;
    }
  }
  return undefined;
}

/**
 * Parses a GeoKeyDirectoryTag payload and resolves values from the double and ASCII payloads when given.
 * Throws `Invalid GeoTIFF key directory: …` for a payload shorter than its own key count says.
 */
export function parseGeoKeys(directory: Uint8Array, doubles: Uint8Array | undefined, ascii: Uint8Array | undefined, name: string): GeoKey[] {
  // GeoTIFF 1.0 §2.4 via LAS 1.4 R15 §2.5: uint16 KeyDirectoryVersion, KeyRevision, MinorRevision,
  // NumberOfKeys, then NumberOfKeys entries of uint16 KeyID, TIFFTagLocation, Count, Value_Offset.
  if (directory.byteLength < 8) throw new Error(`Invalid GeoTIFF key directory: ${directory.byteLength} bytes in ${name}`);
  const view = dataViewOf(directory);
  const keyCount = view.getUint16(6, true);
  if (8 + keyCount * 8 > directory.byteLength) {
    throw new Error(`Invalid GeoTIFF key directory: ${keyCount} keys in ${directory.byteLength} bytes in ${name}`);
  }
  const doubleView = doubles ? dataViewOf(doubles) : undefined;
  const text = ascii ? decodeAscii(ascii) : undefined;
  const keys: GeoKey[] = [];
  for (let k = 0; k < keyCount; k++) {
    const at = 8 + k * 8;
    const id = view.getUint16(at, true);
    const location = view.getUint16(at + 2, true);
    const count = view.getUint16(at + 4, true);
    const valueOffset = view.getUint16(at + 6, true);
    let value: GeoKey['value'];
    if (location === 0) {
      value = valueOffset;
    } else if (location === GEO_DOUBLE_PARAMS_RECORD_ID) {
      if (doubleView && (valueOffset + count) * 8 <= doubleView.byteLength) {
        const values = Array.from({ length: count }, (_, i) => doubleView.getFloat64((valueOffset + i) * 8, true));
        value = count === 1 ? values[0] : values;
      }
    } else if (location === GEO_ASCII_PARAMS_RECORD_ID) {
      if (text !== undefined && valueOffset + count <= text.length) {
        value = text.slice(valueOffset, valueOffset + count).replace(/\|$/, '');
      }
    }
    keys.push({ id, location, count, value });
  }
  return keys;
}

/** The GeoTIFF keys of a file, or undefined when it has no LASF_Projection 34735 record. */
export function findGeoKeys(vlrs: readonly Vlr[], name: string): GeoKey[] | undefined {
  const directory = findVlr(vlrs, LASF_PROJECTION, GEO_KEY_DIRECTORY_RECORD_ID)?.payload;
  if (!directory) return undefined;
  const doubles = findVlr(vlrs, LASF_PROJECTION, GEO_DOUBLE_PARAMS_RECORD_ID)?.payload;
  const ascii = findVlr(vlrs, LASF_PROJECTION, GEO_ASCII_PARAMS_RECORD_ID)?.payload;
  return parseGeoKeys(directory, doubles, ascii, name);
}

function decodeAscii(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.byteLength; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}
