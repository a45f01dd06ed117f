/**
 * Well-known binary (ISO 13249-3 / OGC 06-103r4 §8.2) for polygons and line strings, little-endian, with the
 * ISO type codes for Z (1000 + base type: 1002 LineString Z, 1003 Polygon Z) as the GeoPackage spec requires
 * (GPKG 1.2 §2.1.3.1.1: "ISO WKB").
 */
import type { Point2, Point3 } from '../geometry/point3.ts';

const WKB_LINESTRING = 2;
const WKB_POLYGON = 3;
const WKB_Z_OFFSET = 1000;

/** Little-endian WKB of a polygon with one or more rings; Z when `z` is given for every vertex. */
export function writePolygonWkb(rings: readonly (readonly Point2[])[], z?: number): Uint8Array {
  const hasZ = z !== undefined;
  const dims = hasZ ? 3 : 2;
  let size = 1 + 4 + 4;
  for (const r of rings) size += 4 + r.length * dims * 8;
  const view = new DataView(new ArrayBuffer(size));
  let o = 0;
  view.setUint8(o, 1); // byte order 1 = NDR (little-endian)
  view.setUint32(o + 1, WKB_POLYGON + (hasZ ? WKB_Z_OFFSET : 0), true);
  view.setUint32(o + 5, rings.length, true);
  o += 9;
  for (const r of rings) {
    view.setUint32(o, r.length, true);
    o += 4;
    for (const p of r) {
      view.setFloat64(o, p[0], true);
      view.setFloat64(o + 8, p[1], true);
      o += 16;
      if (hasZ) {
        view.setFloat64(o, z, true);
        o += 8;
      }
    }
  }
  return new Uint8Array(view.buffer);
}

/** Little-endian WKB of a 3D line string (LineString Z). */
export function writeLineStringZWkb(points: readonly Point3[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(9 + points.length * 24));
  view.setUint8(0, 1);
  view.setUint32(1, WKB_LINESTRING + WKB_Z_OFFSET, true);
  view.setUint32(5, points.length, true);
  let o = 9;
  for (const p of points) {
    view.setFloat64(o, p[0], true);
    view.setFloat64(o + 8, p[1], true);
    view.setFloat64(o + 16, p[2], true);
    o += 24;
  }
  return new Uint8Array(view.buffer);
}

/** Envelope of a geometry: [minX, maxX, minY, maxY] and, for 3D, [minZ, maxZ]. */
export interface Envelope {
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
  readonly minZ?: number;
  readonly maxZ?: number;
}

/**
 * GeoPackageBinary header + WKB (OGC GeoPackage 1.2/1.3 §2.1.3 "GeoPackageBinary"): magic "GP" (0x47 0x50),
 * version 0 (= version 1), flags, int32 srs_id, envelope doubles, then the WKB. Flags byte, bit 0: byte order
 * (1 = little-endian, used for header and envelope); bits 1-3: envelope contents indicator (1 = xy, 4 doubles
 * [minx, maxx, miny, maxy]; 2 = xyz, 6 doubles); bit 4: empty geometry; bit 5: 0 = StandardGeoPackageBinary.
 */
export function writeGeoPackageBinary(wkb: Uint8Array, srsId: number, envelope: Envelope): Uint8Array {
  const hasZ = envelope.minZ !== undefined && envelope.maxZ !== undefined;
  const envDoubles = hasZ ? 6 : 4;
  const header = 8 + envDoubles * 8;
  const out = new Uint8Array(header + wkb.length);
  const view = new DataView(out.buffer);
  out[0] = 0x47; // 'G'
  out[1] = 0x50; // 'P'
  out[2] = 0; // version 1
  out[3] = 0b00000001 | ((hasZ ? 2 : 1) << 1);
  view.setInt32(4, srsId, true);
  view.setFloat64(8, envelope.minX, true);
  view.setFloat64(16, envelope.maxX, true);
  view.setFloat64(24, envelope.minY, true);
  view.setFloat64(32, envelope.maxY, true);
  if (hasZ) {
    view.setFloat64(40, envelope.minZ!, true);
    view.setFloat64(48, envelope.maxZ!, true);
  }
  out.set(wkb, header);
  return out;
}

/** Envelope of plan points with an optional constant or per-point Z range. */
export function envelopeOf(points: readonly (Point2 | Point3)[], zRange?: readonly [number, number]): Envelope {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p[0]);
    maxX = Math.max(maxX, p[0]);
    minY = Math.min(minY, p[1]);
    maxY = Math.max(maxY, p[1]);
  }
  return zRange ? { minX, maxX, minY, maxY, minZ: zRange[0], maxZ: zRange[1] } : { minX, maxX, minY, maxY };
}
