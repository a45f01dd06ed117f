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
import { findVlr } from '../../core/las/vlr.ts';
import { CopcAssembler } from '../../core/copc/writer/CopcAssembler.ts';
import { normalizeExtraBytesVlr } from '../../core/copc/writer/extra-bytes-vlr.ts';
import { computeCopcCube, type Point3 } from '../../core/copc/writer/cube.ts';
import type { HierarchyOptions } from '../../core/copc/writer/hierarchy-writer.ts';
import { buildOctree, computeRootSpacing, DEFAULT_GRID_CELLS, DEFAULT_MAX_NODE_POINTS } from '../../core/copc/writer/octree-builder.ts';
import { RecordStats } from '../../core/copc/writer/RecordStats.ts';
import { CliError } from '../cli-error.ts';
import { readLazChunks } from './laz-chunk-table.ts';
import { WorkerPool } from './WorkerPool.ts';
import { closeInputs, openInputs, type InputSet, type TileInput } from './inputs.ts';
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
  const threads = options.threads ?? availableParallelism();
  const pool = new WorkerPool(threads);
  try {
    let records: Uint8Array;
    try {
      for (const w of set.warnings) warn(w);
      records = await readAllRecords(set, pool, progress, warn);
      mark('read');
    } finally {
      await closeInputs(set);
    }
    return await buildAndWrite(set, records, pool, options, { started, progress, warnings, timings, mark });
  } finally {
    await pool.close();
  }
}

interface RunState {
  readonly started: number;
  readonly progress: Progress;
  readonly warnings: string[];
  readonly timings: Record<'read' | 'octree' | 'encode', number>;
  mark(phase: 'read' | 'octree' | 'encode'): void;
}

/** Builds the octree over the converted records, encodes the nodes and writes the file. */
async function buildAndWrite(set: InputSet, records: Uint8Array, pool: WorkerPool, options: TileOptions, state: RunState): Promise<TileSummary> {
  const { started, progress, warnings, timings, mark } = state;

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
  const layout = { pointFormat: set.pointFormat, extraBytes: set.extraBytes };
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
      pending.push(pool.encode(gathered, node.indices.length, layout));
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
  }
}

/**
 * Reads and converts the records of every input into one buffer of output records: PDRF 6/7/8, 8-bit colour
 * stretched to 16 bits per file, coordinates re-quantized when the inputs differ in scale or offset.
 */
async function readAllRecords(set: InputSet, pool: WorkerPool, progress: Progress, warn: (m: string) => void): Promise<Uint8Array> {
  const recordLength = EXTENDED_RECORD_LENGTH[set.pointFormat] + set.extraBytes;
  const out = new Uint8Array(set.totalPoints * recordLength);
  const view = new DataView(out.buffer);
  progress.start('read', set.totalPoints);
  let start = 0;
  for (const input of set.inputs) {
    const { path, las } = input;
    let maxRgb: number;
    let count: number;
    try {
      const parallel = await readLazInParallel(input, pool, out, start * recordLength, progress);
      if (parallel) {
        ({ maxRgb, count } = parallel);
      } else {
        const raw = await las.readRecords();
        const from = { format: raw.pointFormat, recordLength: raw.recordLength };
        maxRgb = findMaxRgb(raw.bytes, raw.count, from);
        convertRecords(raw.bytes, raw.count, from, { out, outOffset: start * recordLength });
        count = raw.count;
        progress.advance(raw.count);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new CliError(message.includes(path) ? message : `${message} in ${path}`);
    }
    if (isEightBitRgb(maxRgb)) {
      warn(`${path}: 8-bit colour (max ${maxRgb}) stretched to 16 bits`);
      for (let i = 0; i < count; i++) {
        const at = (start + i) * recordLength + 30;
        for (let c = 0; c < 3; c++) view.setUint16(at + 2 * c, view.getUint16(at + 2 * c, true) * 257, true);
      }
    }
    if (!set.sameQuantization) requantize(view, start, count, recordLength, las.header, set.scale, set.offset, path);
    start += count;
  }
  return out;
}

// Points per decode job: big enough to amortise the message, small enough to balance two workers.
const DECODE_JOB_POINTS = 200_000;

/**
 * Decodes a LAZ file chunk by chunk on the pool and writes converted records into `out` at `outOffset`.
 * Returns undefined (the caller reads serially through core/las) when the file is not LAZ, has no usable
 * chunk table, or the pool has no workers.
 */
async function readLazInParallel({ las, getter }: TileInput, pool: WorkerPool, out: Uint8Array, outOffset: number, progress: Progress): Promise<{ maxRgb: number; count: number } | undefined> {
  if (!las.compressed || pool.size === 0) return undefined;
  const vlr = findVlr(las.vlrs, 'laszip encoded', 22204)?.payload;
  if (!vlr || vlr.byteLength < 16) return undefined;
  const vlrView = new DataView(vlr.buffer, vlr.byteOffset, vlr.byteLength);
  const compressor = vlrView.getUint16(0, true);
  if (compressor !== 2 && compressor !== 3) return undefined;
  const file = await getter.get(0, getter.size);
  let chunks;
  try {
    chunks = readLazChunks(file, las.header.pointDataOffset, las.header.pointCount, vlrView.getUint32(12, true));
  } catch {
    return undefined;
  }
  const { pointFormat: format, pointRecordLength: recordLength } = las.header;
  const jobs: Array<{ first: number; last: number; points: number; before: number }> = [];
  let before = 0;
  for (let i = 0; i < chunks.length; ) {
    let j = i;
    let points = 0;
    while (j < chunks.length && (points < DECODE_JOB_POINTS || j === i)) points += chunks[j++]!.pointCount;
    jobs.push({ first: i, last: j, points, before });
    before += points;
    i = j;
  }
  let maxRgb = -1;
  let written = 0;
  const window = 2 * pool.size + 1;
  const pending: Array<Promise<void>> = [];
  let next = 0;
  const submit = (): void => {
    const job = jobs[next++]!;
    const begin = chunks[job.first]!.offset;
    const end = chunks[job.last - 1]!.offset + chunks[job.last - 1]!.byteCount;
    pending.push(
      pool
        .decode({ bytes: file.slice(begin, end), chunks: chunks.slice(job.first, job.last), format, recordLength })
        .then((result) => {
          const length = result.records.byteLength / Math.max(1, result.count);
          out.set(result.records, outOffset + job.before * length);
          maxRgb = Math.max(maxRgb, result.maxRgb);
          written += result.count;
          progress.advance(result.count);
        }),
    );
  };
  for (let k = 0; k < jobs.length; k++) {
    while (next < jobs.length && next < k + window) submit();
    await pending[k];
  }
  return { maxRgb, count: written };
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
