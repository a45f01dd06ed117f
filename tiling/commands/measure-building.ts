/**
 * `twinview measure-building <file> --footprint "E,N;E,N;E,N;…" [--buffer 1.0]
 *   [--reference mean-terrain|street-facade|facade-terrain|nhn:<h>|point:E,N] [--street E,N] [--json]`:
 * ridge (Firsthöhe) and Traufpunkt per eave line of one building from full-resolution points
 * (schemas/measure-building.schema.json).
 *
 * @example
 * npx twinview measure-building drive.copc.laz --footprint "337301,5682370;337310,5682365;337315,5682374;337306,5682379" --json
 */
import { parseBuildingReference, type BuildingReference } from '../../core/measure/building-height.ts';
import { CliError } from '../cli-error.ts';
import { buildingJson, measureBuildingFromSource } from '../measure/building-query.ts';
import { messageOf, openInput, parseFileCommand, parseNumber, parsePair, parseRing, withFile, type CliInput } from '../measure/cli-input.ts';

const USAGE = `usage: twinview measure-building <file> --footprint "E,N;E,N;E,N;..." [--buffer 1.0]
         [--reference mean-terrain|street-facade|facade-terrain|nhn:<h>|point:E,N] [--street E,N] [--json]

  --footprint R  building footprint: ';'-separated E,N pairs (EPSG:25832 m), open or closed, any orientation
  --buffer M     points within M metres outside the footprint are used (overhangs, terrain), default 1.0
  --reference K  height reference (Bezugspunkt), default mean-terrain; street-facade and facade-terrain need --street
  --street E,N   any point on the street the building faces
  --json         print JSON (schemas/measure-building.schema.json)`;

const OPTIONS = {
  footprint: { type: 'string' },
  buffer: { type: 'string' },
  reference: { type: 'string' },
  street: { type: 'string' },
  json: { type: 'boolean' },
} as const;

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
  const input = await openInput(path);
  try {
    const footprint = parseRing(values.footprint, 'footprint', input);
    const reference = parseReferenceOption(values.reference, values.street, input);
    let measured;
    try {
      measured = await measureBuildingFromSource(input.source, footprint, { bufferM, reference });
    } catch (error) {
      throw new CliError(withFile(messageOf(error), path));
    }
    const json = buildingJson(measured.result);
    if (values.json) {
      console.log(JSON.stringify(json, null, 2));
    } else {
      const r = measured.result;
      const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '-');
      console.log(`${path}: ${r.roofType} roof, ${r.pointsUsed} points (spacing ${f(r.pointSpacingM)} m)`);
      console.log(`  ridge ${f(r.ridgeNhn)} m NHN (${f(r.ridgeHeightM)} m above reference), eave ${f(r.eaveNhn)} m NHN (${f(r.eaveHeightM)} m), sigma ${f(r.sigmaM)} m`);
      console.log(`  reference ${r.reference.kind}: ${f(r.reference.nhn)} m NHN${r.reference.at ? ` at ${r.reference.at.map((v) => v.toFixed(2)).join(',')}` : ''}`);
      for (const e of r.eaves) console.log(`  eave line ${f(e.nhn)} m NHN (${f(e.minNhn)}..${f(e.maxNhn)}), sigma ${f(e.sigmaM)} m`);
      for (const w of r.warnings) console.log(`  warning: ${w}`);
    }
    return 0;
  } finally {
    await input.close();
  }
}
