/**
 * Reading building footprints for `measure-buildings`: GeoJSON (Feature, FeatureCollection or a bare geometry;
 * Polygon or MultiPolygon, exterior ring of each polygon) and GeoPackage (the first feature table of
 * gpkg_geometry_columns, GeoPackageBinary + ISO/EWKB polygons, read with sql.js).
 */
import { readFile } from 'node:fs/promises';
import type { Point2 } from '../../core/geometry/point3.ts';
import { CliError } from '../cli-error.ts';
import { messageOf } from './cli-input.ts';

/** One footprint to measure: an id and its exterior ring [E, N]. */
export interface Footprint {
  readonly id: string;
  readonly ring: Point2[];
}

/** Reads footprints from a .geojson/.json or .gpkg file; throws `Invalid footprints: …` naming the file. */
export async function readFootprints(path: string): Promise<Footprint[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`Invalid footprints: ${path} (${code === 'ENOENT' ? 'not found' : messageOf(error)})`);
  }
  const isSqlite = bytes.byteLength >= 16 && new TextDecoder().decode(bytes.subarray(0, 15)) === 'SQLite format 3';
  const list = isSqlite ? await readGeoPackage(bytes, path) : readGeoJson(bytes, path);
  if (list.length === 0) throw new CliError(`Invalid footprints: ${path} (no polygon features)`);
  return list;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- GeoJSON is checked member by member */
function readGeoJson(bytes: Uint8Array, path: string): Footprint[] {
  let json: any;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new CliError(`Invalid footprints: ${path} (not GeoJSON or GeoPackage: ${messageOf(error)})`);
  }
  const features: any[] =
    json?.type === 'FeatureCollection' ? json.features ?? [] : json?.type === 'Feature' ? [json] : json?.type ? [{ type: 'Feature', geometry: json }] : [];
  const out: Footprint[] = [];
  features.forEach((f, index) => {
    const props = f?.properties ?? {};
    const baseId = String(f?.id ?? props.id ?? props.building_id ?? props.name ?? index + 1);
    const g = f?.geometry;
    const polygons: any[] = g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : [];
    polygons.forEach((rings: any, k: number) => {
      const ring = Array.isArray(rings) ? rings[0] : undefined;
      if (!Array.isArray(ring) || ring.some((p: any) => !Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) {
        throw new CliError(`Invalid footprints: ${path} (feature ${baseId} has no valid exterior ring)`);
      }
      out.push({ id: polygons.length > 1 ? `${baseId}.${k + 1}` : baseId, ring: ring.map((p: number[]) => [p[0]!, p[1]!] as Point2) });
    });
  });
  return out;
}

async function readGeoPackage(bytes: Uint8Array, path: string): Promise<Footprint[]> {
  const { default: initSqlJs } = await import('sql.js');
  const SQL = await initSqlJs();
  const db = new SQL.Database(bytes);
  try {
    const tables = db.exec("SELECT table_name, column_name FROM gpkg_geometry_columns WHERE geometry_type_name IN ('POLYGON', 'MULTIPOLYGON', 'GEOMETRY')");
    const first = tables[0]?.values[0];
    if (!first) throw new CliError(`Invalid footprints: ${path} (GeoPackage has no polygon feature table)`);
    const [table, column] = first.map(String) as [string, string];
    const info = db.exec(`PRAGMA table_info("${table.replace(/"/g, '""')}")`)[0]?.values ?? [];
    const names = info.map((r) => String(r[1]));
    const idColumn = ['building_id', 'id', 'name'].find((n) => names.includes(n));
    const q = (n: string): string => `"${n.replace(/"/g, '""')}"`;
    const rows = db.exec(`SELECT rowid, ${idColumn ? q(idColumn) : 'rowid'}, ${q(column)} FROM ${q(table)}`)[0]?.values ?? [];
    const out: Footprint[] = [];
    for (const [rowid, id, blob] of rows) {
      if (!(blob instanceof Uint8Array)) continue;
      let polygons: Point2[][];
      try {
        polygons = parseGeoPackagePolygons(blob);
      } catch (error) {
        throw new CliError(`Invalid footprints: ${path} (row ${String(rowid)}: ${messageOf(error)})`);
      }
      const baseId = String(id ?? rowid);
      polygons.forEach((ring, k) => out.push({ id: polygons.length > 1 ? `${baseId}.${k + 1}` : baseId, ring }));
    }
    return out;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Invalid footprints: ${path} (${messageOf(error)})`);
  } finally {
    db.close();
  }
}

/**
 * Exterior rings of a GeoPackageBinary geometry (OGC 12-128r15 §2.1.3: "GP", version, flags, srs_id, envelope,
 * then WKB) holding a Polygon or MultiPolygon (ISO WKB 2D/Z/M/ZM codes or EWKB Z/M flags).
 */
export function parseGeoPackagePolygons(blob: Uint8Array): Point2[][] {
  if (blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('Invalid GeoPackage geometry: no GP header');
  const flags = blob[3]!;
  const envelopeBytes = [0, 32, 48, 48, 64][(flags >> 1) & 7];
  if (envelopeBytes === undefined) throw new Error(`Invalid GeoPackage geometry: envelope code ${(flags >> 1) & 7}`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let at = 8 + envelopeBytes;
  const readGeometry = (): Point2[][] => {
    const little = blob[at] === 1;
    at += 1;
    const raw = view.getUint32(at, little);
    at += 4;
    let dims = 2;
    let type = raw & 0xffff;
    if (raw & 0x80000000) dims++;
    if (raw & 0x40000000) dims++;
    if (raw & 0x20000000) at += 4; // EWKB SRID
    if (type > 3000) {
      dims = 4;
      type -= 3000;
    } else if (type > 2000) {
      dims = 3;
      type -= 2000;
    } else if (type > 1000) {
      dims = 3;
      type -= 1000;
    }
    if (type === 3) {
      const rings = view.getUint32(at, little);
      at += 4;
      let exterior: Point2[] = [];
      for (let r = 0; r < rings; r++) {
        const n = view.getUint32(at, little);
        at += 4;
        const ring: Point2[] = [];
        for (let i = 0; i < n; i++) {
          ring.push([view.getFloat64(at, little), view.getFloat64(at + 8, little)]);
          at += 8 * dims;
        }
        if (r === 0) exterior = ring;
      }
      return [exterior];
    }
    if (type === 6) {
      const parts = view.getUint32(at, little);
      at += 4;
      const out: Point2[][] = [];
      for (let k = 0; k < parts; k++) out.push(...readGeometry());
      return out;
    }
    throw new Error(`Invalid GeoPackage geometry: WKB type ${raw} (Polygon or MultiPolygon expected)`);
  };
  return readGeometry();
}
