/**
 * Test support for the LAZ encoder: laz-perf 0.0.7 (the reference decoder, WASM) wrapped for whole chunks and
 * whole files, and a structural reader of LAZ 1.4 files that walks the layered chunks by their own size fields.
 * bench/laz-encode.bench.ts uses the same pieces (listed in bench/tsconfig.json), so the bench decodes and walks
 * chunks exactly as the tests that check the encoder do.
 */
import { createLazPerf } from 'laz-perf';

/** The parts of the laz-perf 0.0.7 module used here (its typings lean on the emscripten ambient types). */
export interface LazPerfModule {
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  ChunkDecoder: new () => { open(pdrf: number, recordLength: number, pointer: number): void; getPoint(pointer: number): void; delete(): void };
  LASZip: new () => {
    open(pointer: number, length: number): void;
    getPoint(pointer: number): void;
    getCount(): number;
    getPointLength(): number;
    getPointFormat(): number;
    delete(): void;
  };
}

let lazPerfPromise: Promise<LazPerfModule> | undefined;

/** The laz-perf WASM module, created once per test file. */
export function loadLazPerf(): Promise<LazPerfModule> {
  lazPerfPromise ??= (createLazPerf as unknown as () => Promise<LazPerfModule>)();
  return lazPerfPromise;
}

/**
 * Decodes `count` records of one chunk with laz-perf's ChunkDecoder (plain pdrf, record length incl. extra
 * bytes), the way copc.js does: copy into the WASM heap, getPoint per point, copy each record out. The chunk is
 * copied with 64 zero bytes of slack because the decoder does no bounds checks. bench/laz-encode.bench.ts times
 * this function as laz-perf's decode speed.
 */
export function decodeChunkWithLazPerf(
  lp: LazPerfModule,
  chunk: Uint8Array,
  pointFormat: number,
  recordLength: number,
  count: number,
): Uint8Array {
  const out = new Uint8Array(count * recordLength);
  const inPtr = lp._malloc(chunk.byteLength + 64);
  const recPtr = lp._malloc(recordLength);
  const decoder = new lp.ChunkDecoder();
  try {
    lp.HEAPU8.set(chunk, inPtr);
    lp.HEAPU8.fill(0, inPtr + chunk.byteLength, inPtr + chunk.byteLength + 64);
    decoder.open(pointFormat, recordLength, inPtr);
    for (let i = 0; i < count; i++) {
      decoder.getPoint(recPtr);
      out.set(lp.HEAPU8.subarray(recPtr, recPtr + recordLength), i * recordLength);
    }
  } finally {
    decoder.delete();
    lp._free(inPtr);
    lp._free(recPtr);
  }
  return out;
}

/** Reads every point of a whole LAZ file with laz-perf's file reader (LASZip). */
export function decodeFileWithLazPerf(
  lp: LazPerfModule,
  file: Uint8Array,
): { count: number; pointFormat: number; recordLength: number; records: Uint8Array } {
  const ptr = lp._malloc(file.byteLength);
  const reader = new lp.LASZip();
  try {
    lp.HEAPU8.set(file, ptr);
    reader.open(ptr, file.byteLength);
    const count = reader.getCount();
    const recordLength = reader.getPointLength();
    const pointFormat = reader.getPointFormat();
    const recPtr = lp._malloc(recordLength);
    const records = new Uint8Array(count * recordLength);
    for (let i = 0; i < count; i++) {
      reader.getPoint(recPtr);
      records.set(lp.HEAPU8.subarray(recPtr, recPtr + recordLength), i * recordLength);
    }
    lp._free(recPtr);
    return { count, pointFormat, recordLength, records };
  } finally {
    reader.delete();
    lp._free(ptr);
  }
}

/** One chunk of a LAZ file as found by walking the point data area. */
export interface FoundChunk {
  readonly offset: number;
  readonly byteCount: number;
  readonly pointCount: number;
}

/** What the tests need of a LAZ 1.4 layered file. */
export interface LazFileInfo {
  readonly pointFormat: number;
  readonly recordLength: number;
  readonly extraBytes: number;
  readonly pointCount: number;
  readonly pointDataOffset: number;
  readonly chunkTableOffset: number;
  /** LASzip VLR chunk size (0xFFFFFFFF = variable). */
  readonly chunkSize: number;
  /** LASzip VLR payload as stored. */
  readonly laszipVlr: Uint8Array;
  /** The version of every item listed in the LASzip VLR (3 for the layered coders here, 4 for LASzip 3.5's). */
  readonly itemVersions: number[];
  readonly chunks: FoundChunk[];
}

const BASE_LENGTH: Record<number, number> = { 6: 30, 7: 36, 8: 38 };

/**
 * Parses the LAS header and LASzip VLR and walks the chunks: each layered chunk's length is its raw first point
 * + 4 + 4·layers + Σ layer sizes, so the chunk boundaries follow from the chunks themselves (LAZ-FORMAT.md §2.3);
 * the tests then re-encode the chunk table and compare it with the file's, which cross-checks these offsets.
 */
export function parseLazFile(file: Uint8Array): LazFileInfo {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerSize = view.getUint16(94, true);
  const pointDataOffset = view.getUint32(96, true);
  const vlrCount = view.getUint32(100, true);
  const pointFormat = file[104]! & 0x3f;
  const recordLength = view.getUint16(105, true);
  const pointCount = Number(view.getBigUint64(247, true));
  let pos = headerSize;
  let laszipVlr: Uint8Array | undefined;
  for (let i = 0; i < vlrCount; i++) {
    let user = '';
    for (let k = 0; k < 16 && file[pos + 2 + k] !== 0; k++) user += String.fromCharCode(file[pos + 2 + k]!);
    const recordId = view.getUint16(pos + 18, true);
    const length = view.getUint16(pos + 20, true);
    if (user === 'laszip encoded' && recordId === 22204) laszipVlr = file.slice(pos + 54, pos + 54 + length);
    pos += 54 + length;
  }
  if (!laszipVlr) throw new Error('Invalid LAZ file: no LASzip VLR');
  const lvView = new DataView(laszipVlr.buffer);
  const chunkSize = lvView.getUint32(12, true);
  // LAZ-FORMAT.md §1.2: u16 item count at 32, then per item u16 type, u16 size, u16 version.
  const itemVersions = Array.from({ length: lvView.getUint16(32, true) }, (_, i) => lvView.getUint16(38 + 6 * i, true));
  const base = BASE_LENGTH[pointFormat];
  if (base === undefined) throw new Error(`Invalid LAZ file: point format ${pointFormat}`);
  const extraBytes = recordLength - base;
  const layerCount = 9 + (pointFormat === 7 ? 1 : pointFormat === 8 ? 2 : 0) + extraBytes;
  const chunkTableOffset = Number(view.getBigInt64(pointDataOffset, true));
  const chunks: FoundChunk[] = [];
  let offset = pointDataOffset + 8;
  let remaining = pointCount;
  while (remaining > 0) {
    const pointCountInChunk = view.getUint32(offset + recordLength, true);
    let byteCount = recordLength + 4 + 4 * layerCount;
    for (let l = 0; l < layerCount; l++) byteCount += view.getUint32(offset + recordLength + 4 + 4 * l, true);
    chunks.push({ offset, byteCount, pointCount: pointCountInChunk });
    offset += byteCount;
    remaining -= pointCountInChunk;
  }
  if (remaining !== 0 || offset !== chunkTableOffset) {
    throw new Error(`Invalid LAZ file: chunks end at ${offset}, table at ${chunkTableOffset}, ${remaining} points left`);
  }
  return { pointFormat, recordLength, extraBytes, pointCount, pointDataOffset, chunkTableOffset, chunkSize, laszipVlr, itemVersions, chunks };
}
