/**
 * `twinview tile` as a function: reads LAS/LAZ inputs, converts their records to PDRF 6/7/8, builds the
 * octree, encodes one LAZ chunk per node and writes a COPC file through a temporary file that is renamed
 * only when everything succeeded. Inputs too big for the memory budget go through temporary bucket files
 * (spill.ts).
 *
 * @example
 * const summary = await tile({ inputs: ['a.laz', 'b.las'], output: 'drive.copc.laz' });
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CopcAssembler } from '../../core/copc/writer/CopcAssembler.ts';
import { computeCopcCube, type CopcCube } from '../../core/copc/writer/cube.ts';
import { normalizeExtraBytesVlr } from '../../core/copc/writer/extra-bytes-vlr.ts';
import type { HierarchyOptions } from '../../core/copc/writer/hierarchy-writer.ts';
import { computeRootSpacing, generateOctree, DEFAULT_GRID_CELLS, DEFAULT_MAX_NODE_POINTS } from '../../core/copc/writer/octree-builder.ts';
import { RecordStats } from '../../core/copc/writer/RecordStats.ts';
import { EXTENDED_RECORD_LENGTH, isEightBitRgb } from '../../core/las/record-convert.ts';
import { CliError } from '../cli-error.ts';
import { removeOnSignal } from './cleanup.ts';
import { closeInputs, openInputs, type InputSet } from './inputs.ts';
import { streamInputs, stretchRgb } from './input-stream.ts';
import { NodeWriter } from './NodeWriter.ts';
import { Progress, type ProgressStream } from './Progress.ts';
import { tileWithSpill } from './spill.ts';
import { WorkerPool } from './WorkerPool.ts';

/** Options of {@link tile}. */
export interface TileOptions {
  readonly inputs: readonly string[];
  /** Output path (`.copc.laz`). */
  readonly output: string;
  /** `EPSG:25832`, `EPSG:25833` or WKT: overrides or supplies the CRS. */
  readonly srs?: string;
  /** Height datum with `srs`: `EPSG:7837` / `DHHN2016`. */
  readonly vertical?: string;
  /** Worker threads decoding and encoding; default all cores; 0 or 1 works on the main thread. */
  readonly threads?: number;
  readonly quiet?: boolean;
  /** Progress output (default process.stderr). */
  readonly progressStream?: ProgressStream;
  /** Receives warnings (default: printed to stderr unless quiet). */
  readonly warn?: (message: string) => void;
  readonly maxNodePoints?: number;
  readonly gridCells?: number;
  readonly hierarchy?: HierarchyOptions;
  /**
   * Memory for points, bytes (default 1 GiB): inputs needing more are spilled to bucket files in `tempDir`
   * and tiled bucket by bucket.
   */
  readonly memoryBudgetBytes?: number;
  /** Folder for spill files (default the OS temp folder). */
  readonly tempDir?: string;
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
  /** True when the input went through spill files. */
  readonly spilled: boolean;
  readonly warnings: readonly string[];
  /** Wall time of each phase, seconds: read (decode + convert, + distribute when spilled), build + encode. */
  readonly timings: Readonly<Record<'read' | 'write', number>>;
}

/** Memory per point of the in-memory path besides its record: x/y/z float64, indices, sampling scratch. */
const BYTES_PER_POINT_OVERHEAD = 48;
const DEFAULT_MEMORY_BUDGET = 1024 ** 3;

/** Everything the write phase needs, shared by the in-memory and the spill path. */
export interface TileContext {
  readonly set: InputSet;
  readonly pool: WorkerPool;
  readonly progress: Progress;
  readonly options: TileOptions;
  readonly recordLength: number;
  readonly gridCells: number;
  readonly maxNodePoints: number;
  warn(message: string): void;
}

/** Runs the whole conversion; throws CliError (naming the file) for bad input and leaves no output then. */
export async function tile(options: TileOptions): Promise<TileSummary> {
  const started = performance.now();
  const progress = new Progress(options.progressStream ?? process.stderr, options.quiet ?? false);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    progress.finishLine();
    if (options.warn) options.warn(message);
    else if (!options.quiet) process.stderr.write(`warning: ${message}\n`);
  };

  const set = await openInputs(options.inputs, { srs: options.srs, vertical: options.vertical });
  const pool = new WorkerPool(options.threads ?? availableParallelism());
  const temp = join(dirname(options.output), `.${basename(options.output)}.${process.pid}.tmp`);
  let handle: FileHandle | undefined;
  const forgetTemp = removeOnSignal(temp);
  try {
    for (const w of set.warnings) warn(w);
    const context: TileContext = {
      set,
      pool,
      progress,
      options,
      recordLength: EXTENDED_RECORD_LENGTH[set.pointFormat] + set.extraBytes,
      gridCells: options.gridCells ?? DEFAULT_GRID_CELLS,
      maxNodePoints: options.maxNodePoints ?? DEFAULT_MAX_NODE_POINTS,
      warn,
    };
    handle = await open(temp, 'w');
    const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
    const spilled = set.totalPoints * (context.recordLength + BYTES_PER_POINT_OVERHEAD) > budget;
    const result = spilled
      ? await tileWithSpill(context, handle, options.tempDir ?? tmpdir(), budget)
      : await tileInMemory(context, handle);
    await handle.close();
    handle = undefined;
    await rename(temp, options.output);
    progress.finishLine();
    const seconds = (performance.now() - started) / 1000;
    return {
      output: options.output,
      pointCount: set.totalPoints,
      nodeCount: result.nodeCount,
      maxDepth: result.maxDepth,
      fileSize: result.fileSize,
      hierarchyPages: result.hierarchyPages,
      seconds,
      pointsPerSecond: set.totalPoints / seconds,
      pointFormat: set.pointFormat,
      spilled,
      warnings,
      timings: { read: result.readSeconds, write: seconds - result.readSeconds },
    };
  } catch (error) {
    progress.finishLine();
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  } finally {
    forgetTemp();
    await closeInputs(set);
    await pool.close();
  }
}

/** What one tiling path reports back. */
export interface TileResult {
  readonly nodeCount: number;
  readonly maxDepth: number;
  readonly fileSize: number;
  readonly hierarchyPages: number;
  readonly readSeconds: number;
}

/** The COPC layout for the inputs over a cube. */
export function createAssembler(context: TileContext, cube: CopcCube): CopcAssembler {
  const { set, options } = context;
  return new CopcAssembler({
    pointFormat: set.pointFormat,
    extraBytes: set.extraBytes,
    scale: set.scale,
    offset: set.offset,
    cube,
    spacing: computeRootSpacing(cube, context.gridCells),
    ...(set.wkt ? { wkt: set.wkt } : {}),
    ...(set.extraBytesVlr ? { extraBytesVlr: normalizeExtraBytesVlr(set.extraBytesVlr) } : {}),
    extraVlrs: set.crsVlrs,
    globalEncoding: set.globalEncoding,
    systemIdentifier: 'twinview',
    generatingSoftware: 'twinview tile',
    ...(options.hierarchy ? { hierarchy: options.hierarchy } : {}),
  });
}

/** All points in memory: read, build the whole tree, encode node by node. */
async function tileInMemory(context: TileContext, handle: FileHandle): Promise<TileResult> {
  const { set, pool, progress, recordLength } = context;
  const started = performance.now();
  const count = set.totalPoints;
  const records = new Uint8Array(count * recordLength);
  const starts: number[] = [];
  let filled = 0;
  // Stats and world positions (for the octree, from the stored integers: exactly what a reader will see) are
  // computed piece by piece while the workers decode the next pieces.
  const stats = new RecordStats();
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  const [sx, sy, sz] = set.scale;
  const [ox, oy, oz] = set.offset;
  progress.start('read', count);
  const maxRgb = await streamInputs(set, pool, (piece, n, input) => {
    if (starts.length === input) starts.push(filled);
    if (filled + n > count) throw new CliError(`Invalid point count: ${set.inputs[input]!.path} holds more points than its header says`);
    records.set(piece.subarray(0, n * recordLength), filled * recordLength);
    stats.add(piece, n, recordLength);
    if (recordLength % 4 === 0 && piece.byteOffset % 4 === 0) {
      // Note: records of 4-byte multiples (PDRF 7 + 0/4/8… extra bytes) are read as int32 words: faster.
      const words = new Int32Array(piece.buffer, piece.byteOffset, (n * recordLength) >> 2);
      const stride = recordLength >> 2;
      for (let i = 0, w = 0; i < n; i++, w += stride) {
        x[filled + i] = words[w]! * sx + ox;
        y[filled + i] = words[w + 1]! * sy + oy;
        z[filled + i] = words[w + 2]! * sz + oz;
      }
    } else {
      const view = new DataView(piece.buffer, piece.byteOffset, piece.byteLength);
      for (let i = 0; i < n; i++) {
        const at = i * recordLength;
        x[filled + i] = view.getInt32(at, true) * sx + ox;
        y[filled + i] = view.getInt32(at + 4, true) * sy + oy;
        z[filled + i] = view.getInt32(at + 8, true) * sz + oz;
      }
    }
    filled += n;
    progress.advance(n);
  });
  if (filled !== count) throw new CliError(`Invalid point count: the headers say ${count}, the files hold ${filled}`);
  maxRgb.forEach((max, i) => {
    if (!isEightBitRgb(max)) return;
    context.warn(`${set.inputs[i]!.path}: 8-bit colour (max ${max}) stretched to 16 bits`);
    const end = i + 1 < starts.length ? starts[i + 1]! : filled;
    stretchRgb(records, starts[i]!, end - starts[i]!, recordLength);
  });
  const readSeconds = (performance.now() - started) / 1000;

  const summary = stats.summarize(set.scale, set.offset);
  const cube = computeCopcCube(summary.bounds, Math.max(sx, sy, sz));
  const assembler = createAssembler(context, cube);
  const writer = new NodeWriter(pool, { pointFormat: set.pointFormat, extraBytes: set.extraBytes }, assembler, handle, progress);
  progress.start('encode', count);
  // Nodes are encoded on the pool while the main thread builds the rest of the tree.
  for (const node of generateOctree({ count, x, y, z }, { cube, gridCells: context.gridCells, maxNodePoints: context.maxNodePoints })) {
    const gathered = gatherRecords(records, node.indices, recordLength);
    await writer.add(node.key, gathered, node.indices.length);
  }
  await writer.flush();
  const finish = assembler.finish(summary);
  await handle.write(finish.tail, 0, finish.tail.byteLength, finish.tailOffset);
  await handle.write(finish.prelude, 0, finish.prelude.byteLength, 0);
  return { nodeCount: writer.nodeCount, maxDepth: writer.maxDepth, fileSize: finish.fileSize, hierarchyPages: finish.hierarchyPages, readSeconds };
}

/** Copies the records at `indices` into a new buffer, 4 bytes at a time when the record length allows. */
export function gatherRecords(records: Uint8Array, indices: Uint32Array, recordLength: number): Uint8Array {
  const out = new Uint8Array(indices.length * recordLength);
  if (recordLength % 4 === 0 && records.byteOffset % 4 === 0) {
    const from = new Uint32Array(records.buffer, records.byteOffset, records.byteLength >> 2);
    const to = new Uint32Array(out.buffer);
    const stride = recordLength >> 2;
    for (let n = 0, t = 0; n < indices.length; n++) {
      const at = indices[n]! * stride;
      for (let w = 0; w < stride; w++) to[t++] = from[at + w]!;
    }
    return out;
  }
  for (let n = 0, to = 0; n < indices.length; n++) {
    const at = indices[n]! * recordLength;
    for (let b = 0; b < recordLength; b++) out[to++] = records[at + b]!;
  }
  return out;
}
