/**
 * Decides the CRS of a LAS/LAZ/COPC file from its WKT VLR and/or GeoTIFF keys (LAS 1.4 R15 §2.5: with the
 * global-encoding WKT bit set the WKT is authoritative; older files use GeoTIFF keys).
 *
 * An unknown CRS is not an error: the WKT is kept, a warning says so, and coordinates are used in the file's
 * own units.
 */
import { crsFromGeoKeys, type GeoKey } from './geo-keys.ts';
import { DHHN2016_HEIGHT_EPSG } from './known-wkt.ts';
import { parseCrsWkt, type CrsUnit, type ParsedCrsWkt } from './wkt.ts';

/** The CRS of a point-cloud file as twinview uses it. */
export interface Crs {
  /** The WKT text from the file (or undefined when the file has none). */
  readonly wkt?: string;
  readonly horizontalEpsg: number | null;
  readonly verticalEpsg: number | null;
  readonly horizontalName?: string;
  readonly verticalName?: string;
  /** Horizontal linear unit when stated (factor = metres per unit). */
  readonly horizontalUnit?: CrsUnit;
  /** Vertical unit when stated (factor = metres per unit). */
  readonly verticalUnit?: CrsUnit;
  /** Where the EPSG codes came from. */
  readonly source: 'wkt' | 'geokeys' | 'wkt+geokeys' | 'none';
  readonly warnings: readonly string[];
}

/** What a file says about its CRS; all optional. */
export interface CrsSources {
  readonly wkt?: string;
  readonly geoKeys?: readonly GeoKey[];
  /**
   * The header's global-encoding WKT bit (LAS 1.4 R15 §2.4, bit 4). true: the WKT is the CRS and GeoTIFF keys
   * are ignored; false: GeoTIFF keys win and the WKT only fills what they lack; undefined: WKT wins.
   */
  readonly wktBit?: boolean;
}

// Note: ESRI-flavoured WKT often has no AUTHORITY; the CRSs twinview is built for are recognised by name.
const KNOWN_NAMES: Readonly<Record<string, number>> = {
  'etrs89utmzone32n': 25832,
  'etrs1989utmzone32n': 25832,
  'etrs89utmzone33n': 25833,
  'etrs1989utmzone33n': 25833,
  'etrs89utmzone32nzen': 4647,
  'dhhn2016height': DHHN2016_HEIGHT_EPSG,
  'dhhn2016': DHHN2016_HEIGHT_EPSG,
};

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** EPSG code of a CRS name twinview knows (e.g. "ETRS89 / UTM zone 32N"), else undefined. */
export function findEpsgByName(name: string): number | undefined {
  return KNOWN_NAMES[normalizeName(name)];
}

/**
 * Resolves the CRS of a file. WKT codes win over GeoTIFF keys; keys fill in what the WKT lacks. Warns for
 * unparseable WKT, for a CRS without EPSG code, and for a file without any CRS.
 */
export function resolveCrs(sources: CrsSources): Crs {
  const warnings: string[] = [];
  let parsed: ParsedCrsWkt | undefined;
  const wkt = sources.wkt?.replace(/\0+$/, '').trim() || undefined;
  if (wkt) {
    try {
      parsed = parseCrsWkt(wkt);
    } catch (error) {
      warnings.push(`Unreadable WKT kept as is: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const keys =
    sources.wktBit !== true && sources.geoKeys && sources.geoKeys.length > 0 ? crsFromGeoKeys(sources.geoKeys) : undefined;

  const h = parsed?.horizontal;
  const v = parsed?.vertical;
  const wktHorizontal = h ? (h.epsg ?? findEpsgByName(h.name)) : undefined;
  const wktVertical = v ? (v.epsg ?? findEpsgByName(v.name)) : undefined;
  const keysFirst = sources.wktBit === false;
  const pick = (fromWkt: number | undefined, fromKeys: number | undefined): [number | null, 'wkt' | 'geokeys' | undefined] => {
    const [first, second] = keysFirst ? [fromKeys, fromWkt] : [fromWkt, fromKeys];
    const [firstName, secondName] = keysFirst ? (['geokeys', 'wkt'] as const) : (['wkt', 'geokeys'] as const);
    if (first !== undefined) return [first, firstName];
    if (second !== undefined) return [second, secondName];
    return [null, undefined];
  };
  const [horizontalEpsg, hSource] = pick(wktHorizontal, keys?.horizontalEpsg);
  const [verticalEpsg, vSource] = pick(wktVertical, keys?.verticalEpsg);
  const used = new Set([hSource, vSource].filter((x) => x !== undefined));
  const source = used.size === 2 ? 'wkt+geokeys' : used.size === 1 ? [...used][0]! : 'none';

  if (horizontalEpsg === null) {
    if (wkt) {
      const unit = h?.unit ? ` (${h.unit.name})` : '';
      warnings.push(`Unknown CRS${h?.name ? ` "${h.name}"` : ''}: no EPSG code; kept the WKT and working in its units${unit}`);
    } else if (keys) {
      warnings.push('Unknown CRS: the GeoTIFF keys name no EPSG code (user-defined); working in the file units');
    } else {
      warnings.push('No CRS in the file: working in the file units');
    }
  }
  return {
    ...(wkt ? { wkt } : {}),
    horizontalEpsg,
    verticalEpsg,
    ...(h?.name ? { horizontalName: h.name } : {}),
    ...(v?.name ? { verticalName: v.name } : {}),
    ...(h?.unit ? { horizontalUnit: h.unit } : {}),
    ...(v?.unit ? { verticalUnit: v.unit } : {}),
    source,
    warnings,
  };
}
