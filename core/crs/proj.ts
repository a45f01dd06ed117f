/**
 * The one module that talks to proj4 (OpenLayers habit: projection code behind one module). Everything else
 * calls {@link transformPoint} with EPSG codes or WKT and never imports proj4.
 *
 * Known definitions (proj4 strings written from the EPSG parameters):
 * - EPSG:25832 / 25833 ETRS89 / UTM zone 32N / 33N (metres),
 * - EPSG:4647 ETRS89 / UTM zone 32N (zE-N): the same projection with the zone number prefixed to the easting
 *   (false easting 32 500 000 m), used by several German state surveys,
 * - EPSG:4258 ETRS89 geographic, EPSG:4326 WGS 84 geographic, EPSG:3857 WGS 84 / Pseudo-Mercator.
 *
 * Note: ETRS89 and WGS 84 are treated as identical (zero datum shift). They drift apart by about 0.8 m (2025)
 * because ETRS89 is fixed to the Eurasian plate; that is far below anything a map overlay needs and the
 * project works in ETRS89 throughout.
 *
 * @example
 * const [lonDeg, latDeg] = transformPoint(25832, 4326, [291500, 5744500, 0]);
 */
import proj4 from 'proj4';
import { parseCrsWkt } from './wkt.ts';

/** A world point: x, y (easting, northing or lon°, lat°) and optional height z in metres. */
export type XYZ = readonly [number, number, number];
/** A 2D point. */
export type XY = readonly [number, number];

/** proj4 definitions of the EPSG codes twinview knows. */
export const PROJ_DEFINITIONS: Readonly<Record<number, string>> = {
  25832: '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  25833: '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  4647: '+proj=tmerc +lat_0=0 +lon_0=9 +k=0.9996 +x_0=32500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  4258: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs +type=crs',
  4326: '+proj=longlat +datum=WGS84 +no_defs +type=crs',
  3857: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs +type=crs',
};

/** EPSG codes with a proj4 definition in {@link PROJ_DEFINITIONS}. */
export const KNOWN_EPSG_CODES: readonly number[] = Object.keys(PROJ_DEFINITIONS).map(Number);

/** A CRS reference: an EPSG code (25832 or 'EPSG:25832') or a WKT text (simple or compound). */
export type CrsRef = number | string;

for (const [code, definition] of Object.entries(PROJ_DEFINITIONS)) proj4.defs(`EPSG:${code}`, definition);

/** True when the EPSG code has a built-in proj4 definition. */
export function isKnownEpsg(code: number): boolean {
  return PROJ_DEFINITIONS[code] !== undefined;
}

/** Parses 25832, '25832' or 'EPSG:25832' into a number; undefined for anything else (e.g. WKT). */
export function parseEpsgRef(ref: CrsRef): number | undefined {
  if (typeof ref === 'number') return Number.isInteger(ref) && ref > 0 ? ref : undefined;
  const match = /^\s*(?:EPSG:)?(\d+)\s*$/i.exec(ref);
  return match ? Number(match[1]) : undefined;
}

const wktDefinitions = new Map<string, string>();

/**
 * The proj4 definition for a CRS reference: a known EPSG code, or the horizontal part of a WKT (proj4 throws on
 * `COMPD_CS`, so a compound WKT is split first). A WKT whose horizontal part has a known EPSG code uses the
 * built-in definition. Throws `Invalid CRS: …` for an unknown code or a WKT without a horizontal part.
 */
export function getProjDefinition(ref: CrsRef): string {
  const epsg = parseEpsgRef(ref);
  if (epsg !== undefined) {
    const definition = PROJ_DEFINITIONS[epsg];
    if (!definition) throw new Error(`Invalid CRS: EPSG:${epsg} has no proj4 definition here (known: ${KNOWN_EPSG_CODES.join(', ')})`);
    return definition;
  }
  const cached = wktDefinitions.get(ref as string);
  if (cached) return cached;
  const horizontal = parseCrsWkt(ref as string).horizontal;
  if (!horizontal) throw new Error(`Invalid CRS: the WKT has no horizontal part: ${(ref as string).slice(0, 60)}`);
  const definition = horizontal.epsg !== undefined && isKnownEpsg(horizontal.epsg)
    ? PROJ_DEFINITIONS[horizontal.epsg]!
    : horizontal.wkt;
  try {
    proj4(definition);
  } catch (error) {
    throw new Error(`Invalid CRS: proj4 cannot use "${horizontal.name}" (${error instanceof Error ? error.message : String(error)})`);
  }
  wktDefinitions.set(ref as string, definition);
  return definition;
}

/**
 * Transforms one point between two CRSs (horizontal only: z passes through unchanged, heights stay in their
 * vertical datum). Geographic CRSs use [lonDeg, latDeg]. Throws for unknown CRSs or non-finite results.
 */
export function transformPoint(from: CrsRef, to: CrsRef, point: XYZ): [number, number, number];
export function transformPoint(from: CrsRef, to: CrsRef, point: XY): [number, number];
export function transformPoint(from: CrsRef, to: CrsRef, point: XY | XYZ): number[] {
  const converter = proj4(getProjDefinition(from), getProjDefinition(to));
  const [x, y] = converter.forward([point[0], point[1]]);
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw new Error(`Invalid point: [${point.join(', ')}] cannot be transformed from ${describe(from)} to ${describe(to)}`);
  }
  return point.length === 3 ? [x!, y!, point[2]!] : [x!, y!];
}

/** A reusable transform function between two CRSs (avoids rebuilding the proj4 converter per point). */
export function createTransform(from: CrsRef, to: CrsRef): (point: XY) => [number, number] {
  const converter = proj4(getProjDefinition(from), getProjDefinition(to));
  return (point) => {
    const [x, y] = converter.forward([point[0], point[1]]);
    return [x!, y!];
  };
}

function describe(ref: CrsRef): string {
  const epsg = parseEpsgRef(ref);
  return epsg !== undefined ? `EPSG:${epsg}` : 'WKT';
}

/** UTM zones whose zone-prefixed eastings (zone × 1 000 000 + easting) are recognised. */
const PREFIXED_ZONES: Readonly<Record<number, number>> = { 32: 25832, 33: 25833 };

/**
 * The UTM zone (32 or 33) whose number prefixes an easting such as 32 291 500 m (EPSG:4647 style), or
 * undefined when the easting is an ordinary UTM easting. An easting counts as prefixed when it lies in
 * [zone × 10⁶ + 100 000, zone × 10⁶ + 900 000], the span UTM eastings take.
 */
export function findEastingZonePrefix(eastingM: number): number | undefined {
  const zone = Math.floor(eastingM / 1_000_000);
  const rest = eastingM - zone * 1_000_000;
  if (PREFIXED_ZONES[zone] === undefined || rest < 100_000 || rest > 900_000) return undefined;
  return zone;
}

/**
 * Normalises a point with a zone-prefixed easting (e.g. EPSG:4647, 32 291 500 m) to the plain UTM CRS
 * (EPSG:25832, 291 500 m). Returns the point unchanged and `epsg: undefined` when it is not prefixed.
 */
export function normalizeZonePrefixedEasting<P extends XY | XYZ>(point: P): { point: P; epsg: number | undefined } {
  const zone = findEastingZonePrefix(point[0]);
  if (zone === undefined) return { point, epsg: undefined };
  const shifted = [point[0] - zone * 1_000_000, ...point.slice(1)] as unknown as P;
  return { point: shifted, epsg: PREFIXED_ZONES[zone] };
}
