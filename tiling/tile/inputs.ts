/**
 * Opens the inputs of `twinview tile` and decides the output layout: one COPC point format for all of them,
 * one scale/offset, one CRS. Refuses mixed point formats, mixed CRSs (unless `--srs` overrides), empty files.
 */
import { CliError } from '../cli-error.ts';
import { findGeoKeys } from '../../core/las/crs-records.ts';
import { openLas, type LasFile } from '../../core/las/las-file.ts';
import { isWaveformFormat } from '../../core/las/point-format.ts';
import { getExtraByteCount, getTargetPointFormat } from '../../core/las/record-convert.ts';
import { findVlr, type Vlr } from '../../core/las/vlr.ts';
import { buildUtmDhhn2016Wkt, buildUtmWkt, DHHN2016_HEIGHT_EPSG } from '../../core/crs/known-wkt.ts';
import { resolveCrs } from '../../core/crs/resolve-crs.ts';
import type { Point3 } from '../../core/copc/writer/cube.ts';
import type { VlrRecord } from '../../core/las/vlr-writer.ts';
import { createFileGetter, type FileGetter } from '../file-getter.ts';

/** One opened input. */
export interface TileInput {
  readonly path: string;
  readonly las: LasFile;
  readonly getter: FileGetter;
}

/** The inputs and the output layout decided from them. */
export interface InputSet {
  readonly inputs: readonly TileInput[];
  readonly pointFormat: 6 | 7 | 8;
  readonly extraBytes: number;
  readonly extraBytesVlr?: Uint8Array;
  readonly scale: Point3;
  readonly offset: Point3;
  /** True when every input has exactly this scale and offset (their integers are kept as they are). */
  readonly sameQuantization: boolean;
  readonly wkt?: string;
  /** GeoTIFF key VLRs copied when no WKT could be made (CRS without EPSG code known to twinview). */
  readonly crsVlrs: readonly VlrRecord[];
  readonly globalEncoding: number;
  readonly totalPoints: number;
  readonly warnings: readonly string[];
}

/** CRS options of the command line. */
export interface CrsOptions {
  /** `EPSG:25832`, `EPSG:25833` or a WKT text; overrides or supplies the CRS. */
  readonly srs?: string;
  /** Vertical datum with `srs`: `EPSG:7837` / `DHHN2016`. */
  readonly vertical?: string;
}

/** The WKT for `--srs`/`--vertical`; throws a CliError for a CRS twinview cannot write. */
export function resolveSrsOption(options: CrsOptions): string | undefined {
  if (!options.srs) return undefined;
  const srs = options.srs.trim();
  const epsg = /^EPSG:(\d+)$/i.exec(srs)?.[1];
  let vertical: number | undefined;
  if (options.vertical) {
    const v = options.vertical.trim();
    if (/^(EPSG:)?7837$/i.test(v) || /^DHHN2016$/i.test(v)) vertical = DHHN2016_HEIGHT_EPSG;
    else throw new CliError(`Invalid --vertical: ${v} (supported: EPSG:7837, DHHN2016)`);
  }
  if (epsg === '25832' || epsg === '25833') {
    const code = Number(epsg) as 25832 | 25833;
    return vertical ? buildUtmDhhn2016Wkt(code) : buildUtmWkt(code);
  }
  if (epsg !== undefined) throw new CliError(`Invalid --srs: ${srs} (EPSG codes supported: 25832, 25833; or give a WKT text)`);
  if (!/^(PROJCS|GEOGCS|COMPD_CS|PROJCRS|GEOGCRS|COMPOUNDCRS|GEODCRS)\[/i.test(srs)) throw new CliError(`Invalid --srs: ${srs.slice(0, 60)}`);
  if (vertical) throw new CliError('Invalid --vertical: only with --srs EPSG:25832 or EPSG:25833');
  return srs;
}

/** The WKT twinview writes for one file: its own WKT, or one made from a known EPSG code of its GeoTIFF keys. */
function crsOf(las: LasFile): { wkt?: string; id: string; geoKeyVlrs: Vlr[] } {
  const geoKeyVlrs = las.vlrs.filter((v) => v.userId === 'LASF_Projection' && v.recordId >= 34735 && v.recordId <= 34737);
  if (las.wkt) {
    const crs = resolveCrs({ wkt: las.wkt });
    const id = crs.horizontalEpsg !== null ? `EPSG:${crs.horizontalEpsg}+${crs.verticalEpsg ?? ''}` : las.wkt;
    return { wkt: las.wkt, id, geoKeyVlrs };
  }
  const keys = findGeoKeys(las.vlrs, las.name);
  if (!keys || keys.length === 0) return { id: '', geoKeyVlrs };
  const crs = resolveCrs({ geoKeys: keys });
  if (crs.horizontalEpsg === 25832 || crs.horizontalEpsg === 25833) {
    const wkt = crs.verticalEpsg === DHHN2016_HEIGHT_EPSG ? buildUtmDhhn2016Wkt(crs.horizontalEpsg) : buildUtmWkt(crs.horizontalEpsg);
    return { wkt, id: `EPSG:${crs.horizontalEpsg}+${crs.verticalEpsg ?? ''}`, geoKeyVlrs };
  }
  return { id: JSON.stringify(keys), geoKeyVlrs };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i]);
}

/**
 * Opens every input and checks them against each other. Throws a CliError naming the file for an unreadable
 * or truncated file, zero points, mixed point formats or extra bytes, and mixed CRSs without `--srs`.
 */
export async function openInputs(paths: readonly string[], crsOptions: CrsOptions = {}): Promise<InputSet> {
  if (paths.length === 0) throw new CliError('Invalid inputs: none given');
  const inputs: TileInput[] = [];
  const warnings: string[] = [];
  try {
    for (const path of paths) {
      const getter = await createFileGetter(path);
      try {
        inputs.push({ path, las: await openLas(getter), getter });
      } catch (error) {
        await getter.close();
        throw new CliError(error instanceof Error ? error.message : String(error));
      }
    }
    const first = inputs[0]!;
    const pointFormat = getTargetPointFormat(first.las.header.pointFormat);
    const extraBytes = getExtraByteCount({ format: first.las.header.pointFormat, recordLength: first.las.header.pointRecordLength });
    const extraVlrOf = (las: LasFile): Uint8Array | undefined => findVlr([...las.vlrs, ...las.evlrs], 'LASF_Spec', 4)?.payload;
    const extraBytesVlr = extraBytes > 0 ? extraVlrOf(first.las) : undefined;
    let totalPoints = 0;
    for (const { path, las } of inputs) {
      const h = las.header;
      if (h.pointCount === 0) throw new CliError(`Invalid point count: 0 in ${path} (nothing to tile)`);
      const f = getTargetPointFormat(h.pointFormat);
      const e = getExtraByteCount({ format: h.pointFormat, recordLength: h.pointRecordLength });
      if (f !== pointFormat || e !== extraBytes || (extraBytes > 0 && !sameBytes(extraVlrOf(las), extraBytesVlr))) {
        throw new CliError(
          `Invalid point format: ${path} has format ${h.pointFormat} with ${e} extra bytes, ${first.path} has format ${first.las.header.pointFormat} with ${extraBytes}; inputs must share their point layout`,
        );
      }
      if (!las.compressed) {
        // The point data ends where the next structure starts: EVLRs, internal wave data, or the file end.
        // Note: a whole record's worth of bytes beyond the counted points means the header count is too small.
        const next = [h.evlrCount > 0 ? h.evlrOffset : 0, h.waveformDataOffset, las.size].filter((v) => v > h.pointDataOffset);
        const room = Math.min(...next) - h.pointDataOffset;
        const held = Math.floor(room / h.pointRecordLength);
        if (held > h.pointCount) throw new CliError(`Invalid point count: the header of ${path} says ${h.pointCount}, its point data holds ${held} records`);
      }
      if (isWaveformFormat(h.pointFormat)) warnings.push(`${path}: waveform format ${h.pointFormat}: points kept, wave packets dropped`);
      if (las.compressed && isWaveformFormat(h.pointFormat)) {
        throw new CliError(`Invalid point format: ${h.pointFormat} in ${path} (compressed waveform data cannot be decoded)`);
      }
      totalPoints += h.pointCount;
    }

    // CRS: all the same, or overridden by --srs. `--vertical` alone adds the height datum to the inputs' UTM CRS.
    let srsWkt = resolveSrsOption(crsOptions);
    if (!srsWkt && crsOptions.vertical) {
      const crs = crsOf(first.las);
      const code = /^EPSG:(2583[23])\+/.exec(crs.id)?.[1];
      if (!code) throw new CliError(`Invalid --vertical: the CRS of ${first.path} is not EPSG:25832 or 25833; give --srs too`);
      srsWkt = resolveSrsOption({ srs: `EPSG:${code}`, vertical: crsOptions.vertical });
      const other = inputs.find((input) => crsOf(input.las).id.split('+')[0] !== `EPSG:${code}`);
      if (other) throw new CliError(`Invalid CRS: ${other.path} differs from ${first.path}; give --srs to override`);
    }
    let wkt = srsWkt;
    let crsVlrs: VlrRecord[] = [];
    if (!srsWkt) {
      const crss = inputs.map((input) => ({ path: input.path, ...crsOf(input.las) }));
      const differing = crss.find((c) => c.id !== crss[0]!.id);
      if (differing) {
        throw new CliError(
          `Invalid CRS: ${differing.path} (${differing.id.slice(0, 80) || 'none'}) differs from ${crss[0]!.path} (${crss[0]!.id.slice(0, 80) || 'none'}); give --srs to override`,
        );
      }
      wkt = crss[0]!.wkt;
      if (!wkt && crss[0]!.geoKeyVlrs.length > 0) {
        crsVlrs = crss[0]!.geoKeyVlrs
          .filter((v) => v.payload)
          .map((v) => ({ userId: v.userId, recordId: v.recordId, description: v.description.slice(0, 32), data: v.payload! }));
        warnings.push('CRS given by GeoTIFF keys without a known EPSG code: copied the GeoTIFF key records, no WKT written');
      } else if (!wkt) {
        warnings.push('No CRS in the inputs and no --srs: the output has no CRS');
      }
    }

    // Scale and offset: kept when all inputs share them; otherwise the finest scale and the first offset.
    const h0 = first.las.header;
    const sameQuantization = inputs.every(({ las }) => [0, 1, 2].every((k) => las.header.scale[k] === h0.scale[k] && las.header.offset[k] === h0.offset[k]));
    const scale: Point3 = sameQuantization
      ? [...h0.scale] as unknown as Point3
      : ([0, 1, 2].map((k) => Math.min(...inputs.map(({ las }) => las.header.scale[k]!))) as unknown as Point3);
    const offset: Point3 = [...h0.offset] as unknown as Point3;
    if (!sameQuantization) warnings.push(`Inputs differ in scale or offset: using scale ${scale.join(', ')} and offset ${offset.join(', ')}`);

    // Global encoding bit 0 (adjusted standard GPS time) must agree, else GPS times mean different things.
    const gpsBit = h0.globalEncoding & 1;
    const mixedTime = inputs.find(({ las }) => (las.header.globalEncoding & 1) !== gpsBit);
    if (mixedTime) warnings.push(`${mixedTime.path}: GPS time type differs from ${first.path}; times are copied unchanged`);

    return {
      inputs,
      pointFormat,
      extraBytes,
      ...(extraBytesVlr ? { extraBytesVlr } : {}),
      scale,
      offset,
      sameQuantization,
      ...(wkt ? { wkt } : {}),
      crsVlrs,
      globalEncoding: gpsBit,
      totalPoints,
      warnings,
    };
  } catch (error) {
    await Promise.all(inputs.map((input) => input.getter.close()));
    throw error;
  }
}

/** Closes every input file. */
export async function closeInputs(set: InputSet): Promise<void> {
  await Promise.all(set.inputs.map((input) => input.getter.close()));
}
