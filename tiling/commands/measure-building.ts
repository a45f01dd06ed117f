/**
 * `twinview measure-building <file> --footprint "E,N;E,N;E,N;…" [--buffer 1.0]
 *   [--reference mean-terrain|street-facade|facade-terrain|nhn:<h>|point:E,N] [--street E,N] [--accuracy M] [--json]`:
 * ridge (Firsthöhe) and Traufpunkt per eave line of one building from full-resolution points
 * (schemas/measure-building.schema.json).
 *
 * @example
 * npx twinview measure-building drive.copc.laz --footprint "337301,5682370;337310,5682365;337315,5682374;337306,5682379" --json
 */
import {
  applyBuildingAccuracy,
  parseBuildingReference,
  type BuildingMeasurement,
  type BuildingReference,
} from '../../core/measure/building-height.ts';
import { CliError } from '../cli-error.ts';
import { buildingJson, measureBuildingFromSource } from '../measure/building-query.ts';
import { messageOf, openInput, parseFileCommand, parseNumber, parsePair, parseRing, round, withFile, type CliInput } from '../measure/cli-input.ts';

const USAGE = `usage: twinview measure-building <file> --footprint "E,N;E,N;E,N;..." [--buffer 1.0]
         [--reference mean-terrain|street-facade|facade-terrain|nhn:<h>|point:E,N] [--street E,N] [--accuracy M] [--json]

  --footprint R  building footprint: ';'-separated E,N pairs (EPSG:25832 m), open or closed, any orientation
  --buffer M     points within M metres outside the footprint are used (overhangs, terrain), default 1.0
  --reference K  height reference (Bezugspunkt), default mean-terrain; street-facade and facade-terrain need --street
  --street E,N   any point on the street the building faces
  --accuracy M   the dataset's stated absolute height accuracy, 1 sigma, metres (e.g. 0.03): enters sigmaNhnM
                 (absolute heights), and sigmaM only with an nhn:<h> reference
  --json         print JSON (schemas/measure-building.schema.json)`;

const OPTIONS = {
  footprint: { type: 'string' },
  buffer: { type: 'string' },
  reference: { type: 'string' },
  street: { type: 'string' },
  accuracy: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Largest --accuracy taken, metres: a larger value is most likely centimetres given as metres. */
const MAX_ACCURACY_M = 1;

/**
 * Parses --accuracy (the dataset's stated absolute height accuracy, 1 sigma, metres, 0 to 1); undefined when
 * absent; `Invalid accuracy: <value>` otherwise.
 */
export function parseAccuracyOption(text: string | undefined, path: string): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\s*\+?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!(Number.isFinite(value) && value >= 0 && value <= MAX_ACCURACY_M)) {
    throw new CliError(`Invalid accuracy: ${text} (metres, 1 sigma, 0 to ${MAX_ACCURACY_M}) for ${path}`);
  }
  return value;
}

/**
 * The uncertainty parts of a building as JSON (schemas/measure-building.schema.json `uncertainty`), metres
 * rounded to 0.1 mm.
 */
export function buildingUncertaintyJson(r: BuildingMeasurement): Record<string, unknown> {
  const u = r.uncertainty;
  return {
    fitM: round(u.fitM),
    referenceFitM: round(u.referenceFitM),
    systematicNhnM: round(u.systematicNhnM),
    systematicRelativeM: round(u.systematicRelativeM),
    relativeSource: u.relativeAccuracy.source,
    sigmaPassM: round(u.relativeAccuracy.sigmaPassM),
    horizontalPassSigmaM: round(u.horizontalPassSigmaM),
    passes: u.relativeAccuracy.passes,
    cells: u.relativeAccuracy.cells,
    passOffsetM: u.relativeAccuracy.offsetM === null ? null : round(u.relativeAccuracy.offsetM),
    accuracyM: u.accuracyM ?? null,
  };
}

/** The `measure-building --json` object: core's fields (building-query.ts) plus the absolute sigma and its parts. */
export function buildingJsonWithUncertainty(r: BuildingMeasurement): Record<string, unknown> {
  return { ...buildingJson(r), uncertainty: buildingUncertaintyJson(r) };
}

/** Parses --reference/--street against the input (zone-prefixed eastings accepted). */
export function parseReferenceOption(reference: string | undefined, street: string | undefined, input: CliInput): BuildingReference {
  const streetPoint = street !== undefined ? parsePair(street, '--street', input) : undefined;
  const text = (reference ?? 'mean-terrain').trim();
  if (text.startsWith('point:')) return { kind: 'point', at: parsePair(text.slice(6), '--reference', input) };
  if ((text === 'street-facade' || text === 'facade-terrain') && !streetPoint) {
    throw new CliError(`Invalid --reference: ${text} (needs --street E,N) for ${input.path}`);
  }
  try {
    return parseBuildingReference(text, streetPoint);
  } catch {
    throw new CliError(`Invalid --reference: ${text} (mean-terrain, street-facade, facade-terrain, nhn:<h> or point:E,N) for ${input.path}`);
  }
}

/** Runs the command; returns the exit code (errors are thrown and printed by the CLI with exit code 2). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseFileCommand(argv, OPTIONS, USAGE);
  if (!parsed) return 0;
  const { values, path } = parsed;
  if (values.footprint === undefined) throw new CliError(`Invalid footprint: missing --footprint for ${path} (see --help)`);
  const bufferM = parseNumber(values.buffer, '--buffer', path) ?? 1.0;
  if (!(bufferM >= 0)) throw new CliError(`Invalid --buffer: ${values.buffer} (metres >= 0) for ${path}`);
  const accuracyM = parseAccuracyOption(values.accuracy, path);
  const input = await openInput(path);
  try {
    const footprint = parseRing(values.footprint, 'footprint', input);
    const reference = parseReferenceOption(values.reference, values.street, input);
    let r: BuildingMeasurement;
    try {
      r = applyBuildingAccuracy((await measureBuildingFromSource(input.source, footprint, { bufferM, reference })).result, accuracyM);
    } catch (error) {
      throw new CliError(withFile(messageOf(error), path));
    }
    if (values.json) {
      console.log(JSON.stringify(buildingJsonWithUncertainty(r), null, 2));
    } else {
      const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '-');
      console.log(`${path}: ${r.roofType} roof, ${r.pointsUsed} points (spacing ${f(r.pointSpacingM)} m)`);
      console.log(`  ridge ${f(r.ridgeNhn)} m NHN (${f(r.ridgeHeightM)} m above reference), eave ${f(r.eaveNhn)} m NHN (${f(r.eaveHeightM)} m), sigma ${f(r.sigmaM)} m`);
      const acc = r.uncertainty.accuracyM;
      const rel = r.uncertainty.relativeAccuracy;
      console.log(
        `  sigma of the NHN heights ${f(r.sigmaNhnM)} m (${acc === undefined ? 'no absolute accuracy stated' : `absolute accuracy ${f(acc)} m`}; ` +
          `pass accuracy ${f(rel.sigmaPassM)} m, ${rel.source === 'passes' ? `measured on ${rel.cells} cells` : 'a-priori'})`,
      );
      console.log(`  reference ${r.reference.kind}: ${f(r.reference.nhn)} m NHN${r.reference.at ? ` at ${r.reference.at.map((v) => v.toFixed(2)).join(',')}` : ''}`);
      for (const e of r.eaves) console.log(`  eave line ${f(e.nhn)} m NHN (${f(e.minNhn)}..${f(e.maxNhn)}), sigma ${f(e.sigmaM)} m`);
      for (const w of r.warnings) console.log(`  warning: ${w}`);
    }
    return 0;
  } finally {
    await input.close();
  }
}
