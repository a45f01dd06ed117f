/**
 * WKT1 texts of the coordinate reference systems twinview writes into LAS/COPC files (LAS 1.4 R15 §2.5: the
 * OGC coordinate system WKT VLR, user id `LASF_Projection`, record id 2112).
 *
 * Written from the EPSG dataset definitions: EPSG:25832 / 25833 "ETRS89 / UTM zone 32N / 33N" (Transverse
 * Mercator, latitude of origin 0°, central meridian 9° / 15°, scale 0.9996, false easting 500 000 m, false
 * northing 0, GRS 1980 ellipsoid EPSG:7019, datum ETRS89 EPSG:6258, base CRS EPSG:4258) and EPSG:7837
 * "DHHN2016 height" (vertical datum "Deutsches Haupthoehennetz 2016" EPSG:1170, metre, gravity-related height up).
 *
 * @example
 * const wkt = buildUtmDhhn2016Wkt(25832); // same text as UTM32N_DHHN2016_WKT
 */

/** Horizontal EPSG codes for which {@link buildUtmDhhn2016Wkt} can write a compound WKT. */
export const SUPPORTED_UTM_EPSG = [25832, 25833] as const;

/** One of {@link SUPPORTED_UTM_EPSG}. */
export type SupportedUtmEpsg = (typeof SUPPORTED_UTM_EPSG)[number];

/** EPSG code of the vertical CRS "DHHN2016 height" (heights in metres above NHN). */
export const DHHN2016_HEIGHT_EPSG = 7837;

/** EPSG code of the vertical datum "Deutsches Haupthoehennetz 2016". */
export const DHHN2016_DATUM_EPSG = 1170;

const ETRS89_GEOGCS =
  'GEOGCS["ETRS89",' +
  'DATUM["European_Terrestrial_Reference_System_1989",' +
  'SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],' +
  'AUTHORITY["EPSG","6258"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],' +
  'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],' +
  'AUTHORITY["EPSG","4258"]]';

/** WKT1 `PROJCS` of "ETRS89 / UTM zone 32N" (EPSG:25832) or "zone 33N" (EPSG:25833), metres. */
export function buildUtmWkt(horizontalEpsg: SupportedUtmEpsg): string {
  const zone = utmZoneOf(horizontalEpsg);
  const centralMeridianDeg = zone * 6 - 183;
  return (
    `PROJCS["ETRS89 / UTM zone ${zone}N",` +
    ETRS89_GEOGCS +
    ',PROJECTION["Transverse_Mercator"],' +
    'PARAMETER["latitude_of_origin",0],' +
    `PARAMETER["central_meridian",${centralMeridianDeg}],` +
    'PARAMETER["scale_factor",0.9996],' +
    'PARAMETER["false_easting",500000],' +
    'PARAMETER["false_northing",0],' +
    'UNIT["metre",1,AUTHORITY["EPSG","9001"]],' +
    'AXIS["Easting",EAST],AXIS["Northing",NORTH],' +
    `AUTHORITY["EPSG","${horizontalEpsg}"]]`
  );
}

/** WKT1 `VERT_CS` of "DHHN2016 height" (EPSG:7837), metres above NHN. */
export const DHHN2016_HEIGHT_WKT =
  'VERT_CS["DHHN2016 height",' +
  'VERT_DATUM["Deutsches Haupthoehennetz 2016",2005,AUTHORITY["EPSG","1170"]],' +
  'UNIT["metre",1,AUTHORITY["EPSG","9001"]],' +
  'AXIS["Gravity-related height",UP],' +
  'AUTHORITY["EPSG","7837"]]';

/**
 * Compound WKT1 (`COMPD_CS`) of "ETRS89 / UTM zone 32N|33N + DHHN2016 height": horizontal metres, heights in
 * metres NHN.
 */
export function buildUtmDhhn2016Wkt(horizontalEpsg: SupportedUtmEpsg): string {
  const zone = utmZoneOf(horizontalEpsg);
  return `COMPD_CS["ETRS89 / UTM zone ${zone}N + DHHN2016 height",${buildUtmWkt(horizontalEpsg)},${DHHN2016_HEIGHT_WKT}]`;
}

/** "ETRS89 / UTM zone 32N + DHHN2016 height" as compound WKT1: the CRS of the NRW mobile-mapping drives. */
export const UTM32N_DHHN2016_WKT = buildUtmDhhn2016Wkt(25832);

function utmZoneOf(horizontalEpsg: number): number {
  if (horizontalEpsg === 25832) return 32;
  if (horizontalEpsg === 25833) return 33;
  throw new Error(`Invalid horizontal EPSG code: ${horizontalEpsg} (supported: ${SUPPORTED_UTM_EPSG.join(', ')})`);
}
