/**
 * Tiling with bounded memory: records are distributed into bucket files by their octree cell at a fixed
 * depth (split further while a bucket is too big), each bucket's subtree is built and encoded on its own, and
 * the levels above the buckets are filled bottom-up: a parent keeps an evenly spread sample of its children's
 * top nodes, which give those points up. Every point is still stored exactly once.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { computeCopcCube, formatVoxelKey, type Bounds3, type CopcCube, type VoxelKey } from '../../core/copc/writer/cube.ts';
import { buildOctree, sampleNode, type OctreePoints } from '../../core/copc/writer/octree-builder.ts';
import { RecordStats } from '../../core/copc/writer/RecordStats.ts';
import { isEightBitRgb } from '../../core/las/record-convert.ts';
import { CliError } from '../cli-error.ts';
import { removeOnSignal } from './cleanup.ts';
import { streamInputs, stretchRgb } from './input-stream.ts';
import { NodeWriter } from './NodeWriter.ts';
import { createAssembler, gatherRecords, type TileContext, type TileResult } from './tile.ts';

const BUFFER_BYTES = 1 << 18;
const OVERHEAD_PER_POINT = 64;
const MAX_BUCKET_DEPTH = 12;

/** One bucket file: records of one octree cell, each followed by a uint16 input index. */
interface Bucket {
  readonly key: VoxelKey;
  readonly path: string;
  fd: number;
  count: number;
  buffer: Uint8Array;
  /** `buffer` as 32-bit words when the stride allows word copies. */
  words: Uint32Array | undefined;
  used: number;
}

/**
 * The bucket files of a spill folder, all at one depth. A bucket is named by its cell code
 * `(x · cells + y) · cells + z` (below 2^36 for depth 12: exact as a number), so the per-point lookup allocates
 * nothing; the last bucket used is kept at hand since neighbouring points mostly share a cell.
 */
class Buckets {
  private readonly map = new Map<number, Bucket>();
  private readonly cells: number;
  private lastCode = -1;
  private last: Bucket | undefined;

  constructor(
    private readonly dir: string,
    private readonly stride: number,
    readonly depth: number,
  ) {
    this.cells = 2 ** depth;
  }

  /**
   * Appends one line: `bytes` bytes of `from` at `at`, then (when shorter than the stride) the uint16 `input`.
   */
  append(code: number, from: Uint8Array, fromWords: Uint32Array | undefined, at: number, bytes: number, input: number): void {
    let bucket = code === this.lastCode ? this.last! : this.map.get(code);
    if (!bucket) {
      const cells = this.cells;
      const key: VoxelKey = [this.depth, Math.floor(code / (cells * cells)), Math.floor(code / cells) % cells, code % cells];
      const path = join(this.dir, `${formatVoxelKey(key)}.bin`);
      const buffer = new Uint8Array(BUFFER_BYTES - (BUFFER_BYTES % this.stride));
      bucket = { key, path, fd: openSync(path, 'w'), count: 0, buffer, words: this.stride % 4 === 0 ? new Uint32Array(buffer.buffer) : undefined, used: 0 };
      this.map.set(code, bucket);
    }
    this.lastCode = code;
    this.last = bucket;
    if (bucket.used + this.stride > bucket.buffer.byteLength) this.flush(bucket);
    const buffer = bucket.buffer;
    let to = bucket.used;
    const words = bucket.words;
    if (fromWords !== undefined && words !== undefined && (bytes & 3) === 0 && (at & 3) === 0) {
      for (let w = 0, f = at >> 2, t = to >> 2, end = bytes >> 2; w < end; w++) words[t + w] = fromWords[f + w]!;
      to += bytes;
    } else {
      for (let b = 0; b < bytes; b++) buffer[to++] = from[at + b]!;
    }
    if (bytes < this.stride) {
      buffer[to++] = input & 255;
      buffer[to] = input >> 8;
    }
    bucket.used += this.stride;
    bucket.count++;
  }

  private flush(bucket: Bucket): void {
    let done = 0;
    while (done < bucket.used) done += writeSync(bucket.fd, bucket.buffer, done, bucket.used - done);
    bucket.used = 0;
  }

  /** Closes every file and hands the buckets over (the set is empty afterwards). */
  close(): Bucket[] {
    const out = [...this.map.values()];
    for (const bucket of out) {
      this.flush(bucket);
      closeSync(bucket.fd);
      bucket.buffer = new Uint8Array(0);
      bucket.words = undefined;
    }
    this.map.clear();
    this.last = undefined;
    this.lastCode = -1;
    return out;
  }
}

/** Cell index along one axis at a depth of `cells` cells per edge, clamped to the cube. */
function cellIndex(v: number, low: number, edge: number, cells: number): number {
  const c = Math.floor((v - low) / edge);
  return c < 0 ? 0 : c >= cells ? cells - 1 : c;
}

/**
 * Appends the `count` records of `bytes` (`stride` apart, the first `recordLength` bytes of each a PDRF 6-8
 * record) to the buckets of their cells; lines shorter than the bucket stride get the uint16 `input` appended.
 * With `path` (distribution from an input), a point outside the cube is an error naming that input.
 */
function distribute(
  context: TileContext,
  cube: CopcCube,
  buckets: Buckets,
  bytes: Uint8Array,
  count: number,
  stride: number,
  copyBytes: number,
  input: number,
  path?: string,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2) : undefined;
  const [sx, sy, sz] = context.set.scale;
  const [ox, oy, oz] = context.set.offset;
  const [cx, cy, cz] = cube.center;
  const h = cube.halfsize;
  const cells = 2 ** buckets.depth;
  const edge = (2 * h) / cells;
  const lowX = cx - h;
  const lowY = cy - h;
  const lowZ = cz - h;
  for (let i = 0, at = 0; i < count; i++, at += stride) {
    const x = view.getInt32(at, true) * sx + ox;
    const y = view.getInt32(at + 4, true) * sy + oy;
    const z = view.getInt32(at + 8, true) * sz + oz;
    if (path !== undefined && (Math.abs(x - cx) > h || Math.abs(y - cy) > h || Math.abs(z - cz) > h)) {
      throw new CliError(`Invalid bounds: point (${x}, ${y}, ${z}) lies outside the header bounds of ${path}`);
    }
    const code = (cellIndex(x, lowX, edge, cells) * cells + cellIndex(y, lowY, edge, cells)) * cells + cellIndex(z, lowZ, edge, cells);
    buckets.append(code, bytes, words, at, copyBytes, input);
  }
}

/** Reads a bucket file in pieces of at most `maxRecords` records. */
function* readBucket(bucket: Bucket, stride: number, maxRecords: number): Generator<{ bytes: Uint8Array; count: number }> {
  const fd = openSync(bucket.path, 'r');
  try {
    let left = bucket.count;
    let position = 0;
    while (left > 0) {
      const count = Math.min(left, maxRecords);
      const bytes = new Uint8Array(count * stride);
      let done = 0;
      while (done < bytes.byteLength) {
        const n = readSync(fd, bytes, done, bytes.byteLength - done, position + done);
        if (n === 0) throw new Error(`Invalid spill file: ${bucket.path} is short`);
        done += n;
      }
      position += bytes.byteLength;
      left -= count;
      yield { bytes, count };
    }
  } finally {
    closeSync(fd);
  }
}

/** The cube over the header bounds of every input, one scale step larger so that edge points stay inside. */
function cubeFromHeaders(context: TileContext): CopcCube {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (const { las, path } of context.set.inputs) {
    for (let k = 0; k < 3; k++) {
      const lo = las.header.min[k]!;
      const hi = las.header.max[k]!;
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) throw new CliError(`Invalid bounds: ${lo}..${hi} in the header of ${path}`);
      min[k] = Math.min(min[k]!, lo);
      max[k] = Math.max(max[k]!, hi);
    }
  }
  const step = Math.max(...context.set.scale);
  const cube = computeCopcCube({ min, max } as unknown as Bounds3, step);
  return { center: cube.center, halfsize: cube.halfsize + step };
}

/** World positions of records. */
function positionsOf(context: TileContext, records: Uint8Array, count: number, stride: number): OctreePoints {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  const [sx, sy, sz] = context.set.scale;
  const [ox, oy, oz] = context.set.offset;
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    x[i] = view.getInt32(i * stride, true) * sx + ox;
    y[i] = view.getInt32(i * stride + 4, true) * sy + oy;
    z[i] = view.getInt32(i * stride + 8, true) * sz + oz;
  }
  return { count, x, y, z };
}


/** Tiles through bucket files in a temporary folder below `tempRoot` (removed afterwards). */
export async function tileWithSpill(context: TileContext, handle: FileHandle, tempRoot: string, budget: number): Promise<TileResult> {
  const { set, pool, progress, recordLength } = context;
  const started = performance.now();
  // Note: a line is the record, its uint16 input index and, for records of 4-byte multiples, 2 bytes of padding
  // so that lines can be copied as 32-bit words.
  const stride = recordLength % 4 === 0 ? recordLength + 4 : recordLength + 2;
  const cube = cubeFromHeaders(context);
  const perPoint = recordLength + OVERHEAD_PER_POINT;
  const bucketPoints = Math.max(1000, Math.floor(budget / 4 / perPoint));
  const depth = Math.min(MAX_BUCKET_DEPTH, Math.max(1, Math.ceil(Math.log(set.totalPoints / bucketPoints) / Math.log(8))));
  const dir = mkdtempSync(join(tempRoot, 'twinview-tile-'));
  const forgetDir = removeOnSignal(dir);
  try {
    // 1. Distribute into buckets at `depth`.
    const stats = new RecordStats();
    let buckets = new Buckets(dir, stride, depth);
    progress.start('read', set.totalPoints);
    const maxRgb = await streamInputs(set, pool, (piece, n, input) => {
      stats.add(piece, n, recordLength);
      distribute(context, cube, buckets, piece, n, recordLength, recordLength, input, set.inputs[input]!.path);
      progress.advance(n);
    });
    if (stats.count !== set.totalPoints) throw new CliError(`Invalid point count: the headers say ${set.totalPoints}, the files hold ${stats.count}`);
    const stretch = maxRgb.map((max, i) => {
      if (isEightBitRgb(max)) context.warn(`${set.inputs[i]!.path}: 8-bit colour (max ${max}) stretched to 16 bits`);
      return isEightBitRgb(max);
    });
    const readSeconds = (performance.now() - started) / 1000;

    // 2. Each bucket: split while too big, else build its subtree and encode all but its top node.
    const assembler = createAssembler(context, cube);
    const writer = new NodeWriter(pool, { pointFormat: set.pointFormat, extraBytes: set.extraBytes }, assembler, handle, progress);
    const octree = { cube, gridCells: context.gridCells, maxNodePoints: context.maxNodePoints };
    const tops = new Map<string, { key: VoxelKey; records: Uint8Array; count: number }>();
    const queue = buckets.close();
    progress.start('encode', set.totalPoints);
    while (queue.length > 0) {
      const bucket = queue.pop()!;
      if (bucket.count * perPoint > budget / 2 && bucket.key[0] < MAX_BUCKET_DEPTH) {
        buckets = new Buckets(dir, stride, bucket.key[0] + 1);
        for (const { bytes, count } of readBucket(bucket, stride, 1 << 20)) distribute(context, cube, buckets, bytes, count, stride, stride, 0);
        rmSync(bucket.path);
        queue.push(...buckets.close());
        continue;
      }
      const records = new Uint8Array(bucket.count * recordLength);
      for (const { bytes, count } of readBucket(bucket, stride, bucket.count)) {
        // Note: one piece (the whole bucket), so records start at 0.
        if (recordLength % 4 === 0) {
          const from = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
          const to = new Uint32Array(records.buffer);
          const words = recordLength >> 2;
          const lineWords = stride >> 2;
          for (let i = 0, f = 0, t = 0; i < count; i++, f += lineWords) {
            for (let w = 0; w < words; w++) to[t++] = from[f + w]!;
          }
        } else {
          for (let i = 0, from = 0, to = 0; i < count; i++, from += stride - recordLength) {
            for (let b = 0; b < recordLength; b++) records[to++] = bytes[from++]!;
          }
        }
        if (stretch.some(Boolean)) {
          for (let i = 0, at = recordLength; i < count; i++, at += stride) {
            if (stretch[bytes[at]! | (bytes[at + 1]! << 8)]) stretchRgb(records, i, 1, recordLength);
          }
        }
      }
      rmSync(bucket.path);
      const points = positionsOf(context, records, bucket.count, recordLength);
      for (const node of buildOctree(points, { ...octree, rootKey: bucket.key })) {
        const gathered = gatherRecords(records, node.indices, recordLength);
        if (node.key === bucket.key) tops.set(formatVoxelKey(node.key), { key: node.key, records: gathered, count: node.indices.length });
        else await writer.add(node.key, gathered, node.indices.length);
      }
    }

    // 3. Bottom-up above the buckets: parents sample their children's top nodes.
    for (let d = Math.max(...[...tops.values()].map((t) => t.key[0])); d > 0; d--) {
      const parents = new Map<string, Array<{ key: VoxelKey; records: Uint8Array; count: number }>>();
      for (const [name, top] of tops) {
        if (top.key[0] !== d) continue;
        tops.delete(name);
        const parent: VoxelKey = [d - 1, top.key[1] >> 1, top.key[2] >> 1, top.key[3] >> 1];
        const list = parents.get(formatVoxelKey(parent)) ?? [];
        list.push(top);
        parents.set(formatVoxelKey(parent), list);
      }
      for (const [name, children] of parents) {
        const parentKey = name.split('-').map(Number) as unknown as VoxelKey;
        const count = children.reduce((s, c) => s + c.count, 0);
        const union = new Uint8Array(count * recordLength);
        let at = 0;
        for (const child of children) {
          union.set(child.records, at * recordLength);
          at += child.count;
        }
        const all = new Uint32Array(count);
        for (let i = 0; i < count; i++) all[i] = i;
        const selected = sampleNode(positionsOf(context, union, count, recordLength), all, parentKey, octree);
        const taken = new Uint8Array(count);
        for (const i of selected) taken[i] = 1;
        let base = 0;
        for (const child of children) {
          const rest: number[] = [];
          for (let i = 0; i < child.count; i++) if (!taken[base + i]) rest.push(i);
          await writer.add(child.key, gatherRecords(child.records, Uint32Array.from(rest), recordLength), rest.length);
          base += child.count;
        }
        tops.set(name, { key: parentKey, records: gatherRecords(union, selected, recordLength), count: selected.length });
      }
    }
    const root = tops.get('0-0-0-0')!;
    await writer.add(root.key, root.records, root.count);
    await writer.flush();

    const finish = assembler.finish(stats.summarize(set.scale, set.offset));
    await handle.write(finish.tail, 0, finish.tail.byteLength, finish.tailOffset);
    await handle.write(finish.prelude, 0, finish.prelude.byteLength, 0);
    return { nodeCount: writer.nodeCount, maxDepth: writer.maxDepth, fileSize: finish.fileSize, hierarchyPages: finish.hierarchyPages, readSeconds };
  } finally {
    forgetDir();
    rmSync(dir, { recursive: true, force: true });
  }
}
