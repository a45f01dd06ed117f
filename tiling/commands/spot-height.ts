/**
 * `twinview spot-height <file> --at E,N [--radius 0.1] [--relative-to E,N] [--accuracy M] [--json]`: the surface
 * height at a spot (light-well rim, threshold, kerb top) from full-resolution points, optionally relative to a
 * second spot (the adjacent footpath or gutter) (schemas/spot-height.schema.json).
 *
 * @example
 * npx twinview spot-height drive.copc.laz --at 337301.20,5682370.45 --relative-to 337302.0,5682371.9 --json
 */
import type { Point2 } from '../../core/geometry/point3.ts';
import { SPOT_MAX_WIDEN, spotDifferenceSigma, spotHeight, spotQueryRadiusM, type SpotHeight } from '../../core/measure/spot-height.ts';
import type { PointSource } from '../../core/query/point-source.ts';
import { Region } from '../../core/query/region.ts';
import { CliError } from '../cli-error.ts';
import { messageOf, openInput, parseFileCommand, parseNumber, parsePair, round, withFile } from '../measure/cli-input.ts';
import { parseAccuracyOption } from './measure-building.ts';

const USAGE = `usage: twinview spot-height <file> --at E,N [--radius 0.1] [--relative-to E,N] [--accuracy M] [--json]

  --at E,N          the spot (EPSG:25832 m; zone-prefixed eastings accepted)
  --radius M        plan radius of the points used, metres (default 0.1)
  --relative-to E,N a second spot (footpath, gutter): prints its height and the difference
  --accuracy M      the dataset's stated absolute height accuracy, 1 sigma, metres (e.g. 0.03): enters sigmaM
                    (the absolute height), not relative.sigmaM (the difference)
  --json            print JSON (schemas/spot-height.schema.json)`;

const OPTIONS = {
  at: { type: 'string' },
  radius: { type: 'string' },
  'relative-to': { type: 'string' },
  accuracy: { type: 'string' },
  json: { type: 'boolean' },
} as const;

// Note: the query disc covers core/measure's SPOT_MAX_WIDEN (the widest radius spotHeight reads on sparse
// data) and the neighbourhood its pass comparison reads (spotQueryRadiusM), so the answer equals spotHeight
// over the whole file.
export { SPOT_MAX_WIDEN };

/** Spot height at `at` from the points of a disc query; accuracyM is the stated absolute accuracy (metres). */
export async function spotHeightFromSource(source: PointSource, at: Point2, radiusM: number, accuracyM?: number): Promise<SpotHeight> {
  const { points } = await source.query(Region.disc(at, spotQueryRadiusM(radiusM)));
  return spotHeight(points, at, radiusM, accuracyM !== undefined ? { accuracyM } : {});
}

/** The uncertainty parts of a spot as JSON (schemas/spot-height.schema.json `uncertainty`). */
export function spotUncertaintyJson(s: SpotHeight): Record<string, unknown> {
  return {
    sigmaDriveM: round(s.sigmaDriveM),
    sigmaFitM: round(s.sigmaFitM),
    relativeSource: s.relativeAccuracy.source,
    sigmaPassM: round(s.relativeAccuracy.sigmaPassM),
    passes: s.relativeAccuracy.passes,
    cells: s.relativeAccuracy.cells,
    passOffsetM: s.relativeAccuracy.offsetM === null ? null : round(s.relativeAccuracy.offsetM),
    accuracyM: s.accuracyM ?? null,
  };
}

/** Runs the command; returns the exit code (errors are thrown and printed by the CLI with exit code 2). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseFileCommand(argv, OPTIONS, USAGE);
  if (!parsed) return 0;
  const { values, path } = parsed;
  if (values.at === undefined) throw new CliError(`Invalid spot: missing --at E,N for ${path} (see --help)`);
  const radiusM = parseNumber(values.radius, '--radius', path, { positive: true }) ?? 0.1;
  const accuracyM = parseAccuracyOption(values.accuracy, path);
  const input = await openInput(path);
  try {
    const at = parsePair(values.at, '--at', input);
    const rel = values['relative-to'] !== undefined ? parsePair(values['relative-to'], '--relative-to', input) : undefined;
    let spot: SpotHeight;
    let other: SpotHeight | undefined;
    try {
      spot = await spotHeightFromSource(input.source, at, radiusM, accuracyM);
    } catch (error) {
      throw new CliError(withFile(`${messageOf(error)} at --at ${values.at}`, path));
    }
    if (rel) {
      try {
        other = await spotHeightFromSource(input.source, rel, radiusM, accuracyM);
      } catch (error) {
        throw new CliError(withFile(`${messageOf(error)} at --relative-to ${values['relative-to']}`, path));
      }
    }
    const json = {
      schemaVersion: 1,
      at: [round(at[0], 3), round(at[1], 3)],
      nhn: round(spot.nhn),
      sigmaM: round(spot.sigmaM),
      pointsUsed: spot.pointsUsed,
      pointSpacingM: round(spot.pointSpacingM),
      ...(rel && other
        ? {
            relative: {
              at: [round(rel[0], 3), round(rel[1], 3)],
              nhn: round(other.nhn),
              deltaM: round(spot.nhn - other.nhn),
              sigmaM: round(spotDifferenceSigma(spot, other)),
            },
          }
        : {}),
      uncertainty: spotUncertaintyJson(spot),
      warnings: [...spot.warnings, ...(other ? other.warnings.map((w) => `relative-to: ${w}`) : [])],
    };
    if (values.json) {
      console.log(JSON.stringify(json, null, 2));
    } else {
      console.log(`${path}: ${spot.nhn.toFixed(3)} m NHN (sigma ${spot.sigmaM.toFixed(3)} m, ${spot.pointsUsed} points, spacing ${spot.pointSpacingM.toFixed(3)} m)`);
      if (spot.accuracyM !== undefined) console.log(`  sigma within the drive ${spot.sigmaDriveM.toFixed(3)} m, absolute accuracy ${spot.accuracyM.toFixed(3)} m`);
      if (other) {
        console.log(`  relative to ${values['relative-to']}: ${other.nhn.toFixed(3)} m NHN, difference ${(spot.nhn - other.nhn).toFixed(3)} m (sigma ${spotDifferenceSigma(spot, other).toFixed(3)} m)`);
      }
      for (const w of json.warnings) console.log(`  warning: ${w}`);
    }
    return 0;
  } finally {
    await input.close();
  }
}
