/**
 * `twinview tile` as a function: reads LAS/LAZ inputs, converts their records to PDRF 6/7/8, builds the
 * octree, encodes one LAZ chunk per node and writes a COPC file through a temporary file that is renamed
 * only when everything succeeded.
 *
 * @example
 * const summary = await tile({ inputs: ['a.laz', 'b.las'], output: 'drive.copc.laz' });
 */
import { open, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { convertRecords, findMaxRgb, isEightBitRgb, EXTENDED_RECORD_LENGTH } from '../../core/las/record-convert.ts';
import { CopcAssembler } from '../../core/copc/writer/CopcAssembler.ts';
import { normalizeExtraBytesVlr } from '../../core/copc/writer/extra-bytes-vlr.ts';
import { computeCopcCube, type Point3 } from '../../core/copc/writer/cube.ts';
import type { HierarchyOptions } from '../../core/copc/writer/hierarchy-writer.ts';
import { buildOctree, computeRootSpacing, DEFAULT_GRID_CELLS, DEFAULT_MAX_NODE_POINTS } from '../../core/copc/writer/octree-builder.ts';
import { RecordStats } from '../../core/copc/writer/RecordStats.ts';
import { CliError } from '../cli-error.ts';
import { ChunkEncoderPool } from './ChunkEncoderPool.ts';
import { closeInputs, openInputs, type InputSet } from './inputs.ts';
import { Progress, type ProgressStream } from './Progress.ts';

/** Options of {@link tile}. */
export interface TileOptions {
  readonly inputs: readonly string[];
  /** Output path (`.copc.laz`). */
  readonly output: string;
  /** `EPSG:25832`, `EPSG:25833` or WKT: overrides or supplies the CRS. */
  readonly srs?: string;
  /** Height datum with `srs`: `EPSG:7837` / `DHHN2016`. */
  readonly vertical?: string;
  /** Worker threads encoding chunks; default all cores; 0 or 1 encodes on the main thread. */
  readonly threads?: number;
  readonly quiet?: boolean;
  /** Progress output (default process.stderr). */
  readonly progressStream?: ProgressStream;
  /** Receives warnings (default: printed to stderr unless quiet). */
  readonly warn?: (message: string) => void;
  readonly maxNodePoints?: number;
  readonly gridCells?: number;
  readonly hierarchy?: HierarchyOptions;
}

/** What `tile` did. */
export interface TileSummary {
  readonly output: string;
  readonly pointCount: number;
  readonly nodeCount: number;
  readonly maxDepth: number;
  readonly fileSize: number;
  readonly hierarchyPages: number;
  readonly seconds: number;
  readonly pointsPerSecond: number;
  readonly pointFormat: 6 | 7 | 8;
  readonly warnings: readonly string[];
  /** Wall time of each phase, seconds: read (decode + convert), octree, encode (+ write). */
  readonly timings: Readonly<Record<'read' | 'octree' | 'encode', number>>;
}

/** Runs the whole conversion; throws CliError (naming the file) for bad input and leaves no output then. */
export async function tile(options: TileOptions): Promise<TileSummary> {
  const started = performance.now();
  const progress = new Progress(options.progressStream ?? process.stderr, options.quiet ?? false);
  const warnings: string[] = [];
  const timings = { read: 0, octree: 0, encode: 0 };
  let phaseStart = started;
  const mark = (phase: keyof typeof timings): void => {
    const now = performance.now();
    timings[phase] = (now - phaseStart) / 1000;
    phaseStart = now;
  };
  const warn = (message: string): void => {
    warnings.push(message);
    progress.finishLine();
    if (options.warn) options.warn(message);
    else if (!options.quiet) process.stderr.write(`warning: ${message}\n`);
  };

  const set = await openInputs(options.inputs, { srs: options.srs, vertical: options.vertical });
  let records: Uint8Array;
  try {
    for (const w of set.warnings) warn(w);
    records = await readAllRecords(set, progress, warn);
    mark('read');
  } finally {
    await closeInputs(set);
  }

  const recordLength = EXTENDED_RECORD_LENGTH[set.pointFormat] + set.extraBytes;
  const count = set.totalPoints;
  const stats = new RecordStats();
  stats.add(records, count, recordLength);
  const summary = stats.summarize(set.scale, set.offset);

  // World positions for the octree, from the stored integers (exactly what a reader will see).
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const [sx, sy, sz] = set.scale;
  const [ox, oy, oz] = set.offset;
  for (let i = 0; i < count; i++) {
    const at = i * recordLength;
    x[i] = view.getInt32(at, true) * sx + ox;
    y[i] = view.getInt32(at + 4, true) * sy + oy;
    z[i] = view.getInt32(at + 8, true) * sz + oz;
  }
  const cube = computeCopcCube(summary.bounds, Math.max(sx, sy, sz));
  const gridCells = options.gridCells ?? DEFAULT_GRID_CELLS;
  progress.start('octree', count);
  const nodes = buildOctree({ count, x, y, z }, { cube, gridCells, maxNodePoints: options.maxNodePoints ?? DEFAULT_MAX_NODE_POINTS });
  progress.advance(count);
  mark('octree');

  const assembler = new CopcAssembler({
    pointFormat: set.pointFormat,
    extraBytes: set.extraBytes,
    scale: set.scale,
    offset: set.offset,
    cube,
    spacing: computeRootSpacing(cube, gridCells),
    ...(set.wkt ? { wkt: set.wkt } : {}),
    ...(set.extraBytesVlr ? { extraBytesVlr: normalizeExtraBytesVlr(set.extraBytesVlr) } : {}),
    extraVlrs: set.crsVlrs,
    globalEncoding: set.globalEncoding,
    systemIdentifier: 'twinview',
    generatingSoftware: 'twinview tile',
    ...(options.hierarchy ? { hierarchy: options.hierarchy } : {}),
  });

  const temp = join(dirname(options.output), `.${basename(options.output)}.${process.pid}.tmp`);
  const threads = options.threads ?? availableParallelism();
  const pool = new ChunkEncoderPool(threads, { pointFormat: set.pointFormat, extraBytes: set.extraBytes });
  let handle;
  try {
    handle = await open(temp, 'w');
    progress.start('encode', count);
    // Chunks are written in node order; encoding runs ahead on the pool, a bounded number of nodes at a time.
    const window = Math.max(2, 2 * pool.size);
    const pending: Array<Promise<Uint8Array>> = [];
    let next = 0;
    const submit = (): void => {
      const node = nodes[next++]!;
      const gathered = new Uint8Array(node.indices.length * recordLength);
      for (let n = 0; n < node.indices.length; n++) {
        const at = node.indices[n]! * recordLength;
        gathered.set(records.subarray(at, at + recordLength), n * recordLength);
      }
      pending.push(pool.encode(gathered, node.indices.length));
    };
    for (let k = 0; k < nodes.length; k++) {
      while (next < nodes.length && next < k + window) submit();
      const chunk = await pending.shift()!;
      const node = nodes[k]!;
      const offset = assembler.addChunk(node.key, node.indices.length, chunk.byteLength);
      await handle.write(chunk, 0, chunk.byteLength, offset);
      progress.advance(node.indices.length);
    }
    const finish = assembler.finish(summary);
    await handle.write(finish.tail, 0, finish.tail.byteLength, finish.tailOffset);
    await handle.write(finish.prelude, 0, finish.prelude.byteLength, 0);
    await handle.close();
    handle = undefined;
    await rename(temp, options.output);
    mark('encode');
    progress.finishLine();
    const seconds = (performance.now() - started) / 1000;
    return {
      output: options.output,
      pointCount: count,
      nodeCount: nodes.length,
      maxDepth: Math.max(...nodes.map((n) => n.key[0])),
      fileSize: finish.fileSize,
      hierarchyPages: finish.hierarchyPages,
      seconds,
      pointsPerSecond: count / seconds,
      pointFormat: set.pointFormat,
      warnings,
      timings,
    };
  } catch (error) {
    progress.finishLine();
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  } finally {
    await pool.close();
  }
}

/**
 * Reads and converts the records of every input into one buffer of output records: PDRF 6/7/8, 8-bit colour
 * stretched to 16 bits per file, coordinates re-quantized when the inputs differ in scale or offset.
 */
async function readAllRecords(set: InputSet, progress: Progress, warn: (m: string) => void): Promise<Uint8Array> {
  const recordLength = EXTENDED_RECORD_LENGTH[set.pointFormat] + set.extraBytes;
  const out = new Uint8Array(set.totalPoints * recordLength);
  const view = new DataView(out.buffer);
  progress.start('read', set.totalPoints);
  let start = 0;
  for (const { path, las } of set.inputs) {
    let raw;
    try {
      raw = await las.readRecords();
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
    const from = { format: raw.pointFormat, recordLength: raw.recordLength };
    const maxRgb = findMaxRgb(raw.bytes, raw.count, from);
    const scaleRgb = isEightBitRgb(maxRgb);
    if (scaleRgb) warn(`${path}: 8-bit colour (max ${maxRgb}) stretched to 16 bits`);
    convertRecords(raw.bytes, raw.count, from, { out, outOffset: start * recordLength, scaleRgb });
    if (!set.sameQuantization) requantize(view, start, raw.count, recordLength, las.header, set.scale, set.offset, path);
    start += raw.count;
    progress.advance(raw.count);
  }
  return out;
}

/** Rewrites X/Y/Z of records from their file's scale/offset to the output's. */
function requantize(
  view: DataView,
  start: number,
  count: number,
  recordLength: number,
  header: { readonly scale: readonly number[]; readonly offset: readonly number[] },
  scale: Point3,
  offset: Point3,
  path: string,
): void {
  for (let k = 0; k < 3; k++) {
    const s = header.scale[k]!;
    const o = header.offset[k]!;
    if (s === scale[k] && o === offset[k]) continue;
    for (let i = 0; i < count; i++) {
      const at = (start + i) * recordLength + 4 * k;
      const world = view.getInt32(at, true) * s + o;
      const value = Math.round((world - offset[k]!) / scale[k]!);
      if (value < -0x80000000 || value > 0x7fffffff) throw new CliError(`Invalid coordinate: ${world} in ${path} does not fit the output scale and offset`);
      view.setInt32(at, value, true);
    }
  }
}
