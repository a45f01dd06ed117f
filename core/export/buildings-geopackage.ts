/**
 * Building results as an OGC GeoPackage (GPKG 1.2, OGC 12-128r15), written with an injected sql.js (SQLite
 * compiled to WebAssembly) so this module stays pure and runs in the browser, in workers and in node.
 *
 * Contents:
 * - `gpkg_spatial_ref_sys` with the three required rows (-1, 0, 4326), EPSG:25832 (ETRS89 / UTM zone 32N, the
 *   geometry CRS) and EPSG:7837 (DHHN2016 height). GPKG 1.2 ties one srs_id to a geometry column; the Z
 *   values' datum is recorded in the 25832 row's description and by the 7837 row (the WKT2 compound definition
 *   needs the gpkg_crs_wkt extension, which not every reader knows).
 * - `gpkg_contents` and `gpkg_geometry_columns` for two feature tables:
 *   `buildings` (POLYGON, the footprint, Z per `footprintZ`; one row per building with the measure-building
 *   fields) and `building_eaves` (LINESTRING Z, one row per eave line at its Traufpunkt height m NHN).
 * - Geometry blobs as GeoPackageBinary (header "GP", version, flags, srs_id, envelope) + little-endian ISO WKB.
 * - SQLite header application_id 0x47504B47 ("GPKG") and user_version 10200 (GPKG 1.2).
 *
 * @example
 * import initSqlJs from 'sql.js';
 * const bytes = writeBuildingsGeoPackage(rows, { sqlJs: await initSqlJs(), createdAt: new Date() });
 */
import type { Point3 } from '../geometry/point3.ts';
import { buildUtmWkt, DHHN2016_HEIGHT_WKT } from '../crs/known-wkt.ts';
import {
  BUILDING_FIELDS,
  buildingAttributes,
  footprintRing,
  type BuildingExportOptions,
  type BuildingRow,
} from './building-record.ts';
import { envelopeOf, writeGeoPackageBinary, writeLineStringZWkb, writePolygonWkb, type Envelope } from './wkb.ts';

/** A value sql.js binds. */
export type SqlJsValue = number | string | Uint8Array | null;

/** The part of a sql.js `Statement` this writer uses. */
export interface SqlJsStatementLike {
  run(params?: SqlJsValue[]): unknown;
  free(): unknown;
}

/** The part of a sql.js `Database` this writer uses. */
export interface SqlJsDatabaseLike {
  run(sql: string, params?: SqlJsValue[]): unknown;
  prepare(sql: string): SqlJsStatementLike;
  export(): Uint8Array;
  close(): void;
}

/** The part of the sql.js module (`await initSqlJs()`) this writer uses. */
export interface SqlJsLike {
  readonly Database: new () => SqlJsDatabaseLike;
}

/** Options of {@link writeBuildingsGeoPackage}. */
export interface BuildingsGeoPackageOptions extends BuildingExportOptions {
  /** The initialised sql.js module (required). */
  readonly sqlJs?: SqlJsLike;
  /** gpkg_contents.last_change (default: now); fix it for byte-identical output. */
  readonly createdAt?: Date | string;
  /** Also write the `building_eaves` line layer (default true). */
  readonly eaves?: boolean;
}

/** GeoPackage srs_id of the geometries: EPSG:25832. */
export const GPKG_SRS_ID = 25832;
/** SQLite application_id of a GeoPackage: the ASCII bytes "GPKG". */
export const GPKG_APPLICATION_ID = 0x47504b47;
/** SQLite user_version of a GeoPackage 1.2 file. */
export const GPKG_USER_VERSION = 10200;

const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],' +
  'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],' +
  'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]';

/** Writes the buildings (and their eave lines) as GeoPackage bytes. */
export function writeBuildingsGeoPackage(
  rows: readonly BuildingRow[],
  options: BuildingsGeoPackageOptions = {},
): Uint8Array {
  const sqlJs = options.sqlJs;
  if (!sqlJs || typeof sqlJs.Database !== 'function') {
    throw new Error('Invalid GeoPackage options (core/export): sqlJs missing; pass the module from initSqlJs()');
  }
  const created = options.createdAt === undefined ? new Date() : new Date(options.createdAt);
  if (Number.isNaN(created.getTime())) throw new Error(`Invalid GeoPackage createdAt: ${String(options.createdAt)}`);
  const lastChange = created.toISOString();
  const zMode = options.footprintZ ?? 'reference';

  const db = new sqlJs.Database();
  try {
    // GPKG 1.2 §1.1.1.1.1 (Req 2): application_id "GPKG"; user_version 10200 for version 1.2.
    db.run(`PRAGMA application_id = ${GPKG_APPLICATION_ID}`);
    db.run(`PRAGMA user_version = ${GPKG_USER_VERSION}`);
    // Note: one transaction and prepared inserts; autocommitted single statements made 5000 buildings take 3 s.
    db.run('BEGIN');
    createCoreTables(db);

    // Buildings layer.
    const geoms = rows.map((row) => {
      const { ring, z } = footprintRing(row, zMode);
      const env = envelopeOf(ring, z === undefined ? undefined : [z, z]);
      return { blob: writeGeoPackageBinary(writePolygonWkb([ring], z), GPKG_SRS_ID, env), env, hasZ: z !== undefined };
    });
    const zFlag = zMode === 'none' || geoms.every((g) => !g.hasZ) ? 0 : geoms.every((g) => g.hasZ) ? 1 : 2;
    const sqlType = { text: 'TEXT', real: 'REAL', integer: 'INTEGER' } as const;
    const columns = BUILDING_FIELDS.map((f) => `"${f.name}" ${sqlType[f.type]}`).join(', ');
    db.run(`CREATE TABLE "buildings" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POLYGON, ${columns})`);
    const placeholders = BUILDING_FIELDS.map(() => '?').join(', ');
    const names = BUILDING_FIELDS.map((f) => `"${f.name}"`).join(', ');
    const insert = db.prepare(`INSERT INTO "buildings" (fid, geom, ${names}) VALUES (?, ?, ${placeholders})`);
    rows.forEach((row, i) => {
      const a = buildingAttributes(row);
      insert.run([i + 1, geoms[i]!.blob, ...BUILDING_FIELDS.map((f) => a[f.name] as SqlJsValue)]);
    });
    insert.free();
    const buildingsEnv = unionEnvelope(geoms.map((g) => g.env));
    const buildingsText = 'Gebaeudehoehen (Firsthoehe, Traufhoehe) je Grundriss';
    registerLayer(db, 'buildings', 'POLYGON', zFlag, buildingsText, buildingsEnv, lastChange);

    // Eave lines layer.
    if (options.eaves ?? true) {
      db.run(
        'CREATE TABLE "building_eaves" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom LINESTRING, ' +
          '"building_id" TEXT, "eave_index" INTEGER, "nhn" REAL, "min_nhn" REAL, "max_nhn" REAL, "sigma_m" REAL)',
      );
      const envs: Envelope[] = [];
      const insertEave = db.prepare('INSERT INTO "building_eaves" VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      let fid = 0;
      for (const row of rows) {
        row.result.eaves.forEach((e, k) => {
          const pts: Point3[] = [
            [e.from[0], e.from[1], e.nhn],
            [e.to[0], e.to[1], e.nhn],
          ];
          const env = envelopeOf(pts, [e.nhn, e.nhn]);
          envs.push(env);
          insertEave.run([
            ++fid,
            writeGeoPackageBinary(writeLineStringZWkb(pts), GPKG_SRS_ID, env),
            row.id,
            k + 1,
            e.nhn,
            e.minNhn,
            e.maxNhn,
            e.sigmaM,
          ]);
        });
      }
      insertEave.free();
      const eavesText = 'Trauflinien (Traufpunkt = Wand/Dachhaut), Hoehen m NHN';
      registerLayer(db, 'building_eaves', 'LINESTRING', 1, eavesText, unionEnvelope(envs), lastChange);
    }
    db.run('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}

function createCoreTables(db: SqlJsDatabaseLike): void {
  // GPKG 1.2 §1.1.2.1.1 Table 21: gpkg_spatial_ref_sys.
  db.run(
    'CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, ' +
      'organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, ' +
      'description TEXT)',
  );
  // GPKG 1.2 §1.1.3.1.1 Table 22: gpkg_contents.
  db.run(
    'CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, ' +
      'identifier TEXT UNIQUE, ' +
      "description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), " +
      'min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, ' +
      'CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))',
  );
  // GPKG 1.2 §2.1.5.1.1 Table 5: gpkg_geometry_columns.
  db.run(
    'CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, ' +
      'geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, ' +
      'CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), ' +
      'CONSTRAINT uk_gc_table_name UNIQUE (table_name), ' +
      'CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), ' +
      'CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))',
  );
  const srs: SqlJsValue[][] = [
    ['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'],
    ['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'],
    ['WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude in decimal degrees on the WGS 84 spheroid'],
    [
      'ETRS89 / UTM zone 32N',
      GPKG_SRS_ID,
      'EPSG',
      25832,
      buildUtmWkt(25832),
      'ETRS89 / UTM zone 32N metres; Z values are heights in m NHN, DHHN2016 height (EPSG:7837)',
    ],
    ['DHHN2016 height', 7837, 'EPSG', 7837, DHHN2016_HEIGHT_WKT, 'metres above NHN (Deutsches Haupthoehennetz 2016)'],
  ];
  for (const r of srs) db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)', r);
}

function registerLayer(
  db: SqlJsDatabaseLike,
  table: string,
  geometryType: string,
  z: 0 | 1 | 2,
  description: string,
  env: Envelope | undefined,
  lastChange: string,
): void {
  db.run('INSERT INTO gpkg_contents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    table,
    'features',
    table,
    description,
    lastChange,
    env ? env.minX : null,
    env ? env.minY : null,
    env ? env.maxX : null,
    env ? env.maxY : null,
    GPKG_SRS_ID,
  ]);
  const geometryColumn = [table, 'geom', geometryType, GPKG_SRS_ID, z, 0];
  db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, ?, ?)', geometryColumn);
}

function unionEnvelope(envs: readonly Envelope[]): Envelope | undefined {
  if (envs.length === 0) return undefined;
  return {
    minX: Math.min(...envs.map((e) => e.minX)),
    maxX: Math.max(...envs.map((e) => e.maxX)),
    minY: Math.min(...envs.map((e) => e.minY)),
    maxY: Math.max(...envs.map((e) => e.maxY)),
  };
}
