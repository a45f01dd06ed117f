/**
 * Height datum checks. twinview heights are metres above NHN in DHHN2016 (EPSG:7837). Mobile-mapping raw
 * exports often carry ellipsoidal heights (GRS 1980) instead; in NRW the quasigeoid (GCG2016) lies about
 * 45-48 m above the ellipsoid, so ellipsoidal heights read 45-48 m too high.
 *
 * @example
 * const check = checkHeights(82.1, 130.4, { expectedNhnRangeM: [30, 90] });
 * if (check.verdict === 'ellipsoidal') console.warn(check.warnings[0]);
 */

/** Span of the quasigeoid height above the GRS 1980 ellipsoid in NRW, metres (GCG2016, rounded outward). */
export const NRW_GEOID_UNDULATION_RANGE_M: readonly [number, number] = [45, 48];

/** Options for {@link checkHeights}. */
export interface HeightCheckOptions {
  /** Plausible NHN heights of the surveyed area, metres [min, max] (e.g. terrain and roof tops). */
  readonly expectedNhnRangeM: readonly [number, number];
  /** Span of the geoid undulation, metres; defaults to {@link NRW_GEOID_UNDULATION_RANGE_M}. */
  readonly geoidUndulationRangeM?: readonly [number, number];
  /** A known constant geoid offset for the area, metres; used for the suggested correction. */
  readonly geoidOffsetM?: number;
}

/** Result of {@link checkHeights}. */
export interface HeightCheck {
  /** 'nhn': heights overlap the expected NHN range; 'ellipsoidal': they do after subtracting the geoid. */
  readonly verdict: 'nhn' | 'ellipsoidal' | 'unknown';
  /** Offset to subtract from the heights to reach NHN, metres (only for 'ellipsoidal'). */
  readonly suggestedOffsetM?: number;
  /** Human-readable warnings; empty for 'nhn'. */
  readonly warnings: readonly string[];
}

function overlaps(aMin: number, aMax: number, bMin: number, bMax: number): boolean {
  return aMin <= bMax && bMin <= aMax;
}

/**
 * Checks whether the height range [zMinM, zMaxM] of a point cloud looks like NHN heights or like ellipsoidal
 * heights (about 45-48 m higher in NRW), by comparing it with the expected NHN range of the area.
 */
export function checkHeights(zMinM: number, zMaxM: number, options: HeightCheckOptions): HeightCheck {
  const [expectedMin, expectedMax] = options.expectedNhnRangeM;
  const [nMin, nMax] = options.geoidUndulationRangeM ?? NRW_GEOID_UNDULATION_RANGE_M;
  if (!Number.isFinite(zMinM) || !Number.isFinite(zMaxM) || zMaxM < zMinM) {
    return { verdict: 'unknown', warnings: [`Invalid height range: ${zMinM}..${zMaxM} m`] };
  }
  if (overlaps(zMinM, zMaxM, expectedMin, expectedMax)) return { verdict: 'nhn', warnings: [] };
  if (overlaps(zMinM - nMax, zMaxM - nMin, expectedMin, expectedMax)) {
    const offset = options.geoidOffsetM ?? (nMin + nMax) / 2;
    return {
      verdict: 'ellipsoidal',
      suggestedOffsetM: offset,
      warnings: [
        `Heights ${fmt(zMinM)}..${fmt(zMaxM)} m look ellipsoidal: they lie about ${nMin}-${nMax} m above the ` +
          `expected NHN range ${fmt(expectedMin)}..${fmt(expectedMax)} m; subtract a geoid offset of about ` +
          `${fmt(offset)} m to get DHHN2016 heights`,
      ],
    };
  }
  return {
    verdict: 'unknown',
    warnings: [
      `Heights ${fmt(zMinM)}..${fmt(zMaxM)} m match neither the expected NHN range ` +
        `${fmt(expectedMin)}..${fmt(expectedMax)} m nor ellipsoidal heights over it`,
    ],
  };
}

/** Subtracts a constant geoid offset (metres) from heights in place: NHN height = ellipsoidal height − offset. */
export function applyGeoidOffset(z: Float64Array, geoidOffsetM: number): Float64Array {
  for (let i = 0; i < z.length; i++) z[i] = z[i]! - geoidOffsetM;
  return z;
}

function fmt(value: number): string {
  return value.toFixed(2).replace(/\.?0+$/, '');
}
