/**
 * EPSG codes from the GeoTIFF keys of a LAS GeoKeyDirectoryTag VLR (LAS 1.4 R15 §2.5, `LASF_Projection`
 * record 34735; key ids from the GeoTIFF 1.0 specification §6.2 / OGC GeoTIFF 1.1).
 */

/**
 * One GeoTIFF key with its value (the short value stored in the key entry when TIFFTagLocation is 0). The key
 * id may be named `key` or `id` (the shape core/las's GeoKey record has); only numeric values are used.
 */
export type GeoKey =
  | { readonly key: number; readonly value: unknown }
  | { readonly id: number; readonly value: unknown };

function idOf(k: GeoKey): number {
  return 'key' in k ? k.key : k.id;
}

/** GeoTIFF key ids used here. */
export const GEO_KEY = {
  GT_MODEL_TYPE: 1024,
  GEOGRAPHIC_TYPE: 2048,
  PROJECTED_CS_TYPE: 3072,
  PROJ_LINEAR_UNITS: 3076,
  VERTICAL_CS_TYPE: 4096,
  VERTICAL_UNITS: 4099,
} as const;

/** GTModelTypeGeoKey values: 1 projected, 2 geographic, 3 geocentric. */
export type GeoKeyModelType = 'projected' | 'geographic' | 'geocentric';

/** What the GeoTIFF keys say about the CRS; each field is absent when the keys do not state it. */
export interface GeoKeyCrs {
  readonly modelType?: GeoKeyModelType;
  /** ProjectedCSTypeGeoKey (3072), or GeographicTypeGeoKey (2048) when no projected CRS is given. */
  readonly horizontalEpsg?: number;
  /** GeographicTypeGeoKey (2048). */
  readonly geographicEpsg?: number;
  /** VerticalCSTypeGeoKey (4096). */
  readonly verticalEpsg?: number;
  /** ProjLinearUnitsGeoKey (3076), e.g. 9001 metre, 9002 foot, 9003 US survey foot. */
  readonly linearUnitEpsg?: number;
  /** VerticalUnitsGeoKey (4099). */
  readonly verticalUnitEpsg?: number;
}

// GeoTIFF 1.0 §6.3: 0 means undefined and 32767 user-defined; neither is an EPSG code.
function codeOf(keys: readonly GeoKey[], id: number): number | undefined {
  const value = keys.find((k) => idOf(k) === id)?.value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value === 32767) return undefined;
  return value;
}

/** Reads the EPSG codes out of a list of GeoTIFF keys. */
export function crsFromGeoKeys(keys: readonly GeoKey[]): GeoKeyCrs {
  const model = keys.find((k) => idOf(k) === GEO_KEY.GT_MODEL_TYPE)?.value;
  const modelType: GeoKeyModelType | undefined =
    model === 1 ? 'projected' : model === 2 ? 'geographic' : model === 3 ? 'geocentric' : undefined;
  const projected = codeOf(keys, GEO_KEY.PROJECTED_CS_TYPE);
  const geographic = codeOf(keys, GEO_KEY.GEOGRAPHIC_TYPE);
  const horizontal = projected ?? (modelType !== 'projected' ? geographic : undefined);
  const vertical = codeOf(keys, GEO_KEY.VERTICAL_CS_TYPE);
  const linearUnit = codeOf(keys, GEO_KEY.PROJ_LINEAR_UNITS);
  const verticalUnit = codeOf(keys, GEO_KEY.VERTICAL_UNITS);
  return {
    ...(modelType ? { modelType } : {}),
    ...(horizontal !== undefined ? { horizontalEpsg: horizontal } : {}),
    ...(geographic !== undefined ? { geographicEpsg: geographic } : {}),
    ...(vertical !== undefined ? { verticalEpsg: vertical } : {}),
    ...(linearUnit !== undefined ? { linearUnitEpsg: linearUnit } : {}),
    ...(verticalUnit !== undefined ? { verticalUnitEpsg: verticalUnit } : {}),
  };
}
