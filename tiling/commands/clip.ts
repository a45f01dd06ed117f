/**
 * `twinview clip <file> --polygon "E,N;E,N;E,N;…" [--zmin H] [--zmax H] -o <out.las|out.laz>`: writes the
 * full-resolution points inside a plan polygon (and height range, m NHN) of a LAS, LAZ or COPC file.
 *
 * The output keeps the input's point format where LAS allows it (LAS 1.4 formats 6-8, LAS 1.2 formats 0-3;
 * waveform formats 4/5/9/10 lose their wave packets: 4->1, 5->3, 9->6, 10->8), its scale, offset, WKT, extra
 * bytes and GPS-time encoding. `.laz` output compresses formats 6-8 (core/laz); it is refused for 0-5.
 *
 * @example
 * npx twinview clip drive.copc.laz --polygon "337301,5682370;337310,5682365;337315,5682374" --zmin 33 -o cut.laz
 */
import { GLOBAL_ENCODING_ADJUSTED_GPS_TIME } from '../../core/las/header.ts';
import type { ExtraBytesSpec } from '../../core/las/extra-bytes.ts';
import { writeLas } from '../../core/las/writer.ts';
import { compressLasToLaz } from '../../core/laz/compress-las.ts';
import { Region } from '../../core/query/region.ts';
import { CliError } from '../cli-error.ts';
import { messageOf, openInput, parseFileCommand, parseNumber, parseRing, withFile, writeFileAtomic } from '../measure/cli-input.ts';

const USAGE = `usage: twinview clip <file> --polygon "E,N;E,N;E,N;..." [--zmin H] [--zmax H] -o <out.las|out.laz> [--quiet]

  --polygon R   ';'-separated E,N pairs (EPSG:25832 m), open or closed, any orientation
  --zmin, --zmax  height range, m NHN (inclusive)
  -o F          output: .las (uncompressed) or .laz (LAZ 1.4, point formats 6-8)`;

const OPTIONS = {
  polygon: { type: 'string' },
  zmin: { type: 'string' },
  zmax: { type: 'string' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** Output point format for an input format (waveform formats lose the wave packet). */
export function clipPointFormat(input: number): number {
  const map: Record<number, number> = { 4: 1, 5: 3, 9: 6, 10: 8 };
  return map[input] ?? input;
}

/** Runs the command; returns the exit code (errors are thrown and printed by the CLI with exit code 2). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseFileCommand(argv, OPTIONS, USAGE);
  if (!parsed) return 0;
  const { values, path } = parsed;
  if (values.polygon === undefined) throw new CliError(`Invalid polygon: missing --polygon for ${path} (see --help)`);
  const out = values.output;
  if (out === undefined) throw new CliError(`Invalid output: missing -o <out.las|out.laz> for ${path} (see --help)`);
  const laz = /\.laz$/i.test(out);
  if (!laz && !/\.las$/i.test(out)) throw new CliError(`Invalid output: ${out} (must end in .las or .laz)`);
  const zmin = parseNumber(values.zmin, '--zmin', path);
  const zmax = parseNumber(values.zmax, '--zmax', path);
  if (zmin !== undefined && zmax !== undefined && zmin > zmax) throw new CliError(`Invalid height range: ${zmin}..${zmax} (zmin > zmax) for ${path}`);
  const input = await openInput(path);
  try {
    const ring = parseRing(values.polygon, 'polygon', input);
    const header = input.source.header;
    const pointFormat = clipPointFormat(header.pointFormat);
    if (laz && pointFormat < 6) {
      throw new CliError(`Invalid output: ${out} (LAZ output needs point format 6-8; ${path} has format ${header.pointFormat}; write .las)`);
    }
    const { points } = await input.source.query(Region.polygon(ring, 0, { ...(zmin !== undefined ? { zmin } : {}), ...(zmax !== undefined ? { zmax } : {}) })).catch((error: unknown) => {
      throw new CliError(withFile(messageOf(error), path));
    });
    const extraBytes: ExtraBytesSpec[] = [];
    for (const d of input.source.las.extraBytes) {
      if (!d.type) continue;
      extraBytes.push({
        name: d.name,
        type: d.type,
        ...(d.scale !== undefined ? { scale: d.scale } : {}),
        ...(d.offset !== undefined ? { offset: d.offset } : {}),
        ...(d.description ? { description: d.description } : {}),
        ...(d.noData !== undefined ? { noData: d.noData } : {}),
      });
    }
    const version = pointFormat >= 6 || Number(header.version) >= 1.4 ? '1.4' : '1.2';
    let bytes: Uint8Array;
    try {
      bytes = writeLas(points, {
        version,
        pointFormat,
        scale: header.scale,
        offset: header.offset,
        ...(input.source.wkt !== undefined ? { wkt: input.source.wkt } : {}),
        extraBytes,
        fileSourceId: header.fileSourceId,
        globalEncoding: header.globalEncoding & GLOBAL_ENCODING_ADJUSTED_GPS_TIME,
        systemIdentifier: 'twinview clip',
      });
      if (laz) bytes = compressLasToLaz(bytes);
    } catch (error) {
      throw new CliError(`${messageOf(error)} (writing ${out} from ${path})`);
    }
    await writeFileAtomic(out, bytes);
    if (!values.quiet) {
      const crs = input.source.wkt !== undefined ? 'WKT kept' : input.source.las.geoKeys ? 'warning: GeoTIFF CRS keys not copied' : 'no CRS';
      console.log(`${out}: ${points.count} points (LAS ${version}, format ${pointFormat}${laz ? ', LAZ' : ''}), ${crs}`);
    }
    return 0;
  } finally {
    await input.close();
  }
}
