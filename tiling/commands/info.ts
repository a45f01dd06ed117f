/**
 * `twinview info <file> [--json] [--stats]`: header, CRS, VLRs and COPC info of a LAS/LAZ/COPC file.
 *
 * `--json` prints one object following schemas/info.schema.json (schemaVersion 1); `--stats` reads every point
 * (for COPC: every node) for real bounds, class counts and per-dimension min/max.
 *
 * @example
 * npx twinview info drive.copc.laz --json --stats
 */
import { parseArgs } from 'node:util';
import { openCopc, COPC_INFO_RECORD_ID, COPC_USER_ID } from '../../core/copc/copc-file.ts';
import { findEastingZonePrefix } from '../../core/crs/proj.ts';
import { resolveCrs } from '../../core/crs/resolve-crs.ts';
import { classificationName, type ClassificationProfile } from '../../core/classification.ts';
import { GLOBAL_ENCODING_WKT } from '../../core/las/header.ts';
import { openLas } from '../../core/las/las-file.ts';
import type { PointColumns } from '../../core/las/point-columns.ts';
import { findVlr } from '../../core/las/vlr.ts';
import { CliError } from '../cli-error.ts';
import { createFileGetter } from '../file-getter.ts';

const USAGE = `usage: twinview info <file> [--json] [--stats] [--classes asprs|nrw]

  --json       print JSON (schemas/info.schema.json) instead of text
  --stats      read every point: real bounds, class counts, min/max of every dimension
  --classes P  class names in the text output: asprs (LAS 1.4 table, default) or nrw (Geobasis NRW:
               class 20 = Nicht-Geländepunkte, not ASPRS "Ignored Ground")`;

/** Version of the JSON shape; bump it when the shape changes incompatibly. */
export const INFO_SCHEMA_VERSION = 1;

type Triple = [number, number, number];

/** `twinview info --json` output (see schemas/info.schema.json). */
export interface InfoReport {
  schemaVersion: 1;
  file: string;
  lasVersion: string;
  pointFormat: number;
  pointCount: number;
  compressed: boolean;
  bounds: { min: Triple; max: Triple };
  scale: Triple;
  offset: Triple;
  crs: { wkt: string | null; horizontalEpsg: number | null; verticalEpsg: number | null };
  vlrs: VlrEntry[];
  evlrs: VlrEntry[];
  copc: null | { center: Triple; halfSize: number; spacing: number };
  stats?: InfoStats;
  warnings: string[];
}

interface VlrEntry {
  userId: string;
  recordId: number;
  description: string;
}

/** Statistics over every point. */
export interface InfoStats {
  /** Points actually read (may differ from the header count in a broken file). */
  pointCount: number;
  classCounts: Record<string, number>;
  dimensions: Record<string, { min: number; max: number }>;
}

/** The point fields `--stats` reports, by PDAL's dimension names, in report order (extra bytes follow). */
const STATS_DIMENSIONS = [
  ['X', 'x'],
  ['Y', 'y'],
  ['Z', 'z'],
  ['Intensity', 'intensity'],
  ['ReturnNumber', 'returnNumber'],
  ['NumberOfReturns', 'numberOfReturns'],
  ['ScanDirectionFlag', 'scanDirectionFlag'],
  ['EdgeOfFlightLine', 'edgeOfFlightLine'],
  ['Classification', 'classification'],
  ['ScanChannel', 'scannerChannel'],
  ['ScanAngleRank', 'scanAngle'],
  ['UserData', 'userData'],
  ['PointSourceId', 'pointSourceId'],
  ['GpsTime', 'gpsTime'],
  ['Red', 'red'],
  ['Green', 'green'],
  ['Blue', 'blue'],
  ['Infrared', 'nir'],
] as const satisfies readonly (readonly [string, keyof PointColumns])[];

/** Running min/max of named dimensions and class counts over point batches. */
class StatsAccumulator {
  count = 0;
  readonly classCounts = new Map<number, number>();
  readonly ranges = new Map<string, [number, number]>();

  add(points: PointColumns, extendedFormat: boolean): void {
    this.count += points.count;
    const dims: [string, ArrayLike<number> | undefined, number][] = [
      // LAS 1.4 R15 §2.6: formats 6-10 store the scan angle in 0.006° steps; reported in degrees like PDAL.
      ...STATS_DIMENSIONS.map(([name, field]): [string, ArrayLike<number> | undefined, number] => [name, points[field], field === 'scanAngle' && extendedFormat ? 0.006 : 1]),
      ...Object.entries(points.extra ?? {}).map(([name, values]): [string, ArrayLike<number>, number] => [name, values, 1]),
    ];
    for (const [name, values, factor] of dims) {
      if (!values || values.length === 0) continue;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        // Note: NaN (e.g. PDAL's gps-time-nan.las) never passes these comparisons and is skipped.
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (min > max) continue;
      const range = this.ranges.get(name);
      if (range) {
        range[0] = Math.min(range[0], min * factor);
        range[1] = Math.max(range[1], max * factor);
      } else {
        this.ranges.set(name, [min * factor, max * factor]);
      }
    }
    const cls = points.classification;
    if (cls) for (let i = 0; i < cls.length; i++) this.classCounts.set(cls[i]!, (this.classCounts.get(cls[i]!) ?? 0) + 1);
  }

  result(): InfoStats {
    const classCounts: Record<string, number> = {};
    for (const code of [...this.classCounts.keys()].sort((a, b) => a - b)) classCounts[String(code)] = this.classCounts.get(code)!;
    const dimensions: Record<string, { min: number; max: number }> = {};
    for (const [name, [min, max]] of this.ranges) dimensions[name] = { min, max };
    return { pointCount: this.count, classCounts, dimensions };
  }
}

/** Builds the info report of one file; `stats` reads every point. Throws `Invalid …` naming the file. */
export async function buildInfoReport(path: string, options: { stats?: boolean } = {}): Promise<InfoReport> {
  const getter = await createFileGetter(path);
  try {
    const las = await openLas(getter);
    const { header } = las;
    const isCopc = findVlr(las.vlrs, COPC_USER_ID, COPC_INFO_RECORD_ID) !== undefined;
    const copc = isCopc ? await openCopc(getter, { las }) : undefined;
    const crs = resolveCrs({
      ...(las.wkt !== undefined ? { wkt: las.wkt } : {}),
      ...(las.geoKeys !== undefined ? { geoKeys: las.geoKeys } : {}),
      wktBit: (header.globalEncoding & GLOBAL_ENCODING_WKT) !== 0,
    });
    const warnings = [...crs.warnings];
    let bounds = { min: [...header.min] as Triple, max: [...header.max] as Triple };
    let stats: InfoStats | undefined;
    if (options.stats) {
      const acc = new StatsAccumulator();
      const extended = header.pointFormat >= 6;
      if (copc) {
        const nodes = await copc.loadHierarchy();
        for (const node of nodes.values()) acc.add(await copc.loadNode(node), extended);
      } else if (header.pointCount > 0) {
        acc.add(await las.readPoints(), extended);
      }
      stats = acc.result();
      const x = stats.dimensions.X;
      const y = stats.dimensions.Y;
      const z = stats.dimensions.Z;
      if (x && y && z) bounds = { min: [x.min, y.min, z.min], max: [x.max, y.max, z.max] };
      if (stats.pointCount !== header.pointCount) {
        warnings.push(`Read ${stats.pointCount} points, the header says ${header.pointCount}`);
      }
    }
    const zone = findEastingZonePrefix(bounds.min[0]);
    if (zone !== undefined && findEastingZonePrefix(bounds.max[0]) === zone) {
      warnings.push(
        `Eastings carry the UTM zone prefix ${zone} (EPSG:4647 style, e.g. ${Math.round(bounds.min[0])}); ` +
          `subtract ${zone} 000 000 m for plain UTM (normalizeZonePrefixedEasting)`,
      );
    }
    const finite = [...bounds.min, ...bounds.max].every(Number.isFinite);
    if (!finite) {
      warnings.push('Header bounds are not finite numbers; reported as 0');
      bounds = { min: bounds.min.map((v) => (Number.isFinite(v) ? v : 0)) as Triple, max: bounds.max.map((v) => (Number.isFinite(v) ? v : 0)) as Triple };
    }
    const entry = (v: { userId: string; recordId: number; description: string }): VlrEntry => ({
      userId: v.userId,
      recordId: v.recordId,
      description: v.description,
    });
    return {
      schemaVersion: INFO_SCHEMA_VERSION,
      file: path,
      lasVersion: header.version,
      pointFormat: header.pointFormat,
      pointCount: header.pointCount,
      compressed: las.compressed,
      bounds,
      scale: [...header.scale] as Triple,
      offset: [...header.offset] as Triple,
      crs: { wkt: crs.wkt ?? null, horizontalEpsg: crs.horizontalEpsg, verticalEpsg: crs.verticalEpsg },
      vlrs: las.vlrs.map(entry),
      evlrs: las.evlrs.map(entry),
      copc: copc ? { center: [...copc.info.center] as Triple, halfSize: copc.info.halfSize, spacing: copc.info.spacing } : null,
      ...(stats ? { stats } : {}),
      warnings,
    };
  } finally {
    await getter.close();
  }
}

function fmt(v: number, digits = 3): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

/** The human-readable form of a report; `profile` picks the class-name table. */
export function formatInfoReport(report: InfoReport, profile: ClassificationProfile = 'asprs'): string {
  const lines: string[] = [];
  const kind = report.copc ? 'COPC' : report.compressed ? 'LAZ' : 'LAS';
  lines.push(`${report.file}`);
  lines.push(`  ${kind} ${report.lasVersion}, point format ${report.pointFormat}, ${report.pointCount.toLocaleString('en-US')} points`);
  const b = report.bounds;
  lines.push(`  bounds${report.stats ? ' (read)' : ' (header)'}: min ${b.min.map((v) => fmt(v)).join(', ')}  max ${b.max.map((v) => fmt(v)).join(', ')}`);
  lines.push(`  scale ${report.scale.join(', ')}  offset ${report.offset.join(', ')}`);
  const c = report.crs;
  const code = (v: number | null): string => (v === null ? 'unknown' : `EPSG:${v}`);
  lines.push(`  CRS: horizontal ${code(c.horizontalEpsg)}, vertical ${code(c.verticalEpsg)}${c.wkt ? '' : ' (no WKT)'}`);
  if (report.copc) {
    lines.push(`  COPC: center ${report.copc.center.map((v) => fmt(v)).join(', ')}, half size ${fmt(report.copc.halfSize)} m, spacing ${fmt(report.copc.spacing)} m`);
  }
  const vlrLine = (v: VlrEntry): string => `    ${v.userId}/${v.recordId}${v.description ? `  ${v.description}` : ''}`;
  lines.push(`  VLRs (${report.vlrs.length}):`, ...report.vlrs.map(vlrLine));
  if (report.evlrs.length > 0) lines.push(`  EVLRs (${report.evlrs.length}):`, ...report.evlrs.map(vlrLine));
  if (report.stats) {
    lines.push('  classes:');
    for (const [cls, n] of Object.entries(report.stats.classCounts)) {
      lines.push(`    ${cls.padStart(3)} ${classificationName(Number(cls), { profile }).padEnd(36)} ${n.toLocaleString('en-US')}`);
    }
    lines.push('  dimensions (min .. max):');
    for (const [name, r] of Object.entries(report.stats.dimensions)) lines.push(`    ${name.padEnd(18)} ${fmt(r.min)} .. ${fmt(r.max)}`);
  }
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

/** Runs `twinview info`; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        stats: { type: 'boolean', default: false },
        classes: { type: 'string', default: 'asprs' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0]} (usage: twinview info <file> [--json] [--stats])`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new CliError(`Invalid arguments: expected one file, got ${positionals.length} (usage: twinview info <file> [--json] [--stats])`);
  }
  if (values.classes !== 'asprs' && values.classes !== 'nrw') {
    throw new CliError(`Invalid --classes: ${values.classes} (asprs or nrw)`);
  }
  const profile: ClassificationProfile = values.classes;
  const path = positionals[0]!;
  let report: InfoReport;
  try {
    report = await buildInfoReport(path, { stats: values.stats });
  } catch (error) {
    // One line on stderr: control characters (e.g. garbage bytes quoted from a bad signature) are escaped.
    const message = (error instanceof Error ? error.message : String(error)).replace(
      /[\u0000-\u001f\u007f]/g,
      (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    );
    // Every message names the file: core errors do already, others get it prefixed.
    throw new CliError(message.includes(path) ? message : `${path}: ${message}`);
  }
  console.log(values.json ? JSON.stringify(report, null, 2) : formatInfoReport(report, profile));
  return 0;
}
