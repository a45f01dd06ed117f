/**
 * `twinview measure-buildings <file> --footprints <geojson|gpkg> -o <out.gpkg|out.csv|out.geojson>
 *   [--buffer 1.0] [--reference mean-terrain|nhn:<h>] [--accuracy M] [--quiet]`: every building of a plan area in one run, one
 * row per footprint with the measure-building fields, written through core/export.
 *
 * A footprint that cannot be measured (no points, too few roof points) still gets a row: heights empty and the
 * reason in `warnings`.
 *
 * @example
 * npx twinview measure-buildings drive.copc.laz --footprints plan.geojson -o heights.gpkg
 */
import type { BuildingRow, MeasuredBuilding } from '../../core/export/building-record.ts';
import { EXPORTERS_BY_ID } from '../../core/export/registry.ts';
import { applyBuildingAccuracy, type BuildingMeasurement, type BuildingReference } from '../../core/measure/building-height.ts';
import { CliError } from '../cli-error.ts';
import { buildingJson, measureBuildingFromSource } from '../measure/building-query.ts';
import { messageOf, openInput, parseFileCommand, parseNumber, toFileEasting, writeFileAtomic } from '../measure/cli-input.ts';
import { readFootprints } from '../measure/footprints.ts';
import { parseAccuracyOption, parseReferenceOption } from './measure-building.ts';

const USAGE = `usage: twinview measure-buildings <file> --footprints <geojson|gpkg> -o <out.gpkg|out.csv|out.geojson>
         [--buffer 1.0] [--reference mean-terrain|street-facade|facade-terrain|nhn:<h>|point:E,N] [--street E,N]
         [--accuracy M] [--quiet]

  --footprints F  building footprints: GeoJSON (Polygon/MultiPolygon features) or GeoPackage, EPSG:25832
  -o F            output by extension: .gpkg (GeoPackage), .csv, .geojson/.json
  --buffer M      points within M metres outside each footprint are used, default 1.0
  --reference K   height reference for every building, default mean-terrain; street-facade and facade-terrain
                  need --street
  --street E,N    any point on the street the buildings face (one street for the whole batch)
  --accuracy M    the dataset's stated absolute height accuracy, 1 sigma, metres (e.g. 0.03): enters sigma_m
                  with an nhn:<h> reference (heights above terrain or street are relative and keep theirs)`;

const OPTIONS = {
  footprints: { type: 'string' },
  output: { type: 'string', short: 'o' },
  buffer: { type: 'string' },
  reference: { type: 'string' },
  street: { type: 'string' },
  accuracy: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** Decoded COPC nodes kept between neighbouring buildings. */
const NODE_CACHE_SIZE = 64;

/** The exporter id for an output path, or undefined for an unknown extension. */
export function buildingsExporterFor(path: string): 'buildings-gpkg' | 'buildings-csv' | 'buildings-geojson' | undefined {
  if (/\.gpkg$/i.test(path)) return 'buildings-gpkg';
  if (/\.csv$/i.test(path)) return 'buildings-csv';
  if (/\.(geo)?json$/i.test(path)) return 'buildings-geojson';
  return undefined;
}

/** A measured result as an exporter row; NaN heights become null. */
function toMeasured(r: BuildingMeasurement): MeasuredBuilding {
  const json = buildingJson(r) as unknown as MeasuredBuilding;
  return json;
}

/** The row of a footprint that could not be measured. */
function failedRow(id: string, footprint: BuildingRow['footprint'], reference: BuildingReference, reason: string): BuildingRow {
  // Note: reference.nhn is typed as a number in core/export; null is what every building exporter writes as
  // "no value" (CSV empty cell, GeoJSON null, GeoPackage NULL), and a failed building has no reference height.
  const result = {
    schemaVersion: 1,
    roofType: 'other',
    ridgeNhn: null,
    eaveNhn: null,
    eaves: [],
    planes: [],
    reference: { kind: reference.kind, nhn: null as unknown as number, at: null },
    ridgeHeightM: null,
    eaveHeightM: null,
    sigmaM: 0,
    sigmaNhnM: null,
    pointsUsed: 0,
    pointSpacingM: 0,
    warnings: [`not measured: ${reason}`],
  } satisfies MeasuredBuilding;
  return { id, footprint, result };
}

/** Runs the command; returns the exit code (errors are thrown and printed by the CLI with exit code 2). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseFileCommand(argv, OPTIONS, USAGE);
  if (!parsed) return 0;
  const { values, path } = parsed;
  if (values.footprints === undefined) throw new CliError(`Invalid footprints: missing --footprints for ${path} (see --help)`);
  const out = values.output;
  if (out === undefined) throw new CliError(`Invalid output: missing -o <out.gpkg|out.csv|out.geojson> for ${path} (see --help)`);
  const exporterId = buildingsExporterFor(out);
  if (!exporterId) throw new CliError(`Invalid output: ${out} (must end in .gpkg, .csv or .geojson)`);
  const bufferM = parseNumber(values.buffer, '--buffer', path) ?? 1.0;
  if (!(bufferM >= 0)) throw new CliError(`Invalid --buffer: ${values.buffer} (metres >= 0) for ${path}`);
  const accuracyM = parseAccuracyOption(values.accuracy, path);
  const footprints = await readFootprints(values.footprints);
  const input = await openInput(path, { nodeCacheSize: NODE_CACHE_SIZE });
  const start = performance.now();
  const rows: BuildingRow[] = [];
  try {
    const reference = parseReferenceOption(values.reference, values.street, input);
    for (const fp of footprints) {
      const ring = fp.ring.map((p) => toFileEasting(p, input));
      try {
        const result = applyBuildingAccuracy((await measureBuildingFromSource(input.source, ring, { bufferM, reference })).result, accuracyM);
        rows.push({ id: fp.id, footprint: ring, result: toMeasured(result) });
        if (!values.quiet) {
          const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : '-');
          console.log(`${fp.id}: ${result.roofType}, ridge ${f(result.ridgeNhn)} m NHN, eave ${f(result.eaveNhn)} m NHN, sigma ${f(result.sigmaM)} m`);
        }
      } catch (error) {
        if (error instanceof CliError) throw error;
        rows.push(failedRow(fp.id, ring, reference, messageOf(error)));
        if (!values.quiet) console.log(`${fp.id}: not measured (${messageOf(error)})`);
      }
    }
  } finally {
    await input.close();
  }
  let data: string | Uint8Array;
  try {
    if (exporterId === 'buildings-gpkg') {
      const { default: initSqlJs } = await import('sql.js');
      data = EXPORTERS_BY_ID['buildings-gpkg'].export(rows, { sqlJs: await initSqlJs() });
    } else {
      data = EXPORTERS_BY_ID[exporterId].export(rows);
    }
  } catch (error) {
    throw new CliError(`${messageOf(error)} (writing ${out} from ${path})`);
  }
  await writeFileAtomic(out, data);
  const seconds = (performance.now() - start) / 1000;
  const failed = rows.filter((r) => r.result.ridgeNhn === null).length;
  if (!values.quiet) {
    console.log(`${out}: ${rows.length} buildings (${failed} not measured) in ${seconds.toFixed(1)} s (${(rows.length / seconds).toFixed(1)} buildings/s)`);
  }
  return 0;
}
