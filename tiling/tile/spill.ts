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
  used: number;
}

/** The bucket files of a spill folder. */
class Buckets {
  private readonly map = new Map<string, Bucket>();

  constructor(
    private readonly dir: string,
    private readonly stride: number,
  ) {}

  append(key: VoxelKey, bytes: Uint8Array, at: number): void {
    const name = formatVoxelKey(key);
    let bucket = this.map.get(name);
    if (!bucket) {
      const path = join(this.dir, `${name}.bin`);
      bucket = { key, path, fd: openSync(path, 'w'), count: 0, buffer: new Uint8Array(BUFFER_BYTES - (BUFFER_BYTES % this.stride)), used: 0 };
      this.map.set(name, bucket);
    }
    if (bucket.used + this.stride > bucket.buffer.byteLength) this.flush(bucket);
    bucket.buffer.set(bytes.subarray(at, at + this.stride), bucket.used);
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
    }
    this.map.clear();
    return out;
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

/** Octree cell of a world position at `depth`, clamped to the cube. */
function keyAt(cube: CopcCube, depth: number, x: number, y: number, z: number): VoxelKey {
  const cells = 2 ** depth;
  const edge = (2 * cube.halfsize) / cells;
  const cell = (v: number, k: number): number => Math.min(cells - 1, Math.max(0, Math.floor((v - (cube.center[k]! - cube.halfsize)) / edge)));
  return [depth, cell(x, 0), cell(y, 1), cell(z, 2)];
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
  const stride = recordLength + 2;
  const cube = cubeFromHeaders(context);
  const perPoint = recordLength + OVERHEAD_PER_POINT;
  const bucketPoints = Math.max(1000, Math.floor(budget / 4 / perPoint));
  const depth = Math.min(MAX_BUCKET_DEPTH, Math.max(1, Math.ceil(Math.log(set.totalPoints / bucketPoints) / Math.log(8))));
  const dir = mkdtempSync(join(tempRoot, 'twinview-tile-'));
  const forgetDir = removeOnSignal(dir);
  try {
    // 1. Distribute into buckets at `depth`.
    const stats = new RecordStats();
    let buckets = new Buckets(dir, stride);
    const line = new Uint8Array(stride);
    progress.start('read', set.totalPoints);
    const maxRgb = await streamInputs(set, pool, (piece, n, input) => {
      stats.add(piece, n, recordLength);
      const points = positionsOf(context, piece, n, recordLength);
      const path = set.inputs[input]!.path;
      for (let i = 0; i < n; i++) {
        const x = points.x[i]!;
        const y = points.y[i]!;
        const z = points.z[i]!;
        for (const [k, v] of [x, y, z].entries()) {
          if (Math.abs(v - cube.center[k]!) > cube.halfsize) throw new CliError(`Invalid bounds: point (${x}, ${y}, ${z}) lies outside the header bounds of ${path}`);
        }
        line.set(piece.subarray(i * recordLength, (i + 1) * recordLength), 0);
        line[recordLength] = input & 255;
        line[recordLength + 1] = input >> 8;
        buckets.append(keyAt(cube, depth, x, y, z), line, 0);
      }
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
        buckets = new Buckets(dir, stride);
        for (const { bytes, count } of readBucket(bucket, stride, 1 << 20)) {
          const points = positionsOf(context, bytes, count, stride);
          for (let i = 0; i < count; i++) buckets.append(keyAt(cube, bucket.key[0] + 1, points.x[i]!, points.y[i]!, points.z[i]!), bytes, i * stride);
        }
        rmSync(bucket.path);
        queue.push(...buckets.close());
        continue;
      }
      const records = new Uint8Array(bucket.count * recordLength);
      let n = 0;
      for (const { bytes, count } of readBucket(bucket, stride, bucket.count)) {
        for (let i = 0; i < count; i++, n++) {
          records.set(bytes.subarray(i * stride, i * stride + recordLength), n * recordLength);
          if (stretch[bytes[i * stride + recordLength]! | (bytes[i * stride + recordLength + 1]! << 8)]) stretchRgb(records, n, 1, recordLength);
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
