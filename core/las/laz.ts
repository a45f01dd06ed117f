/**
 * LAZ decompression of whole files through laz-perf (the LASzip reference codec compiled to WebAssembly).
 */
import type { LasHeader } from './header.ts';
import { isWaveformFormat } from './point-format.ts';

/** The laz-perf file reader (a C++ object in WebAssembly memory; `delete()` frees it). */
export interface LazPerfFileReader {
  open(dataPointer: number, length: number): void;
  getPoint(destPointer: number): void;
  getCount(): number;
  getPointLength(): number;
  getPointFormat(): number;
  delete(): void;
}

/**
 * The part of a laz-perf module instance (npm laz-perf 0.0.7, `createLazPerf()`) this reader uses. A browser
 * worker creates its own with `createLazPerf({ locateFile: () => wasmUrl })` and passes it in.
 */
export interface LazPerfModule {
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  readonly LASZip: new () => LazPerfFileReader;
}

/** Creates a laz-perf instance; the default imports 'laz-perf' on first use. */
export type LazPerfFactory = () => Promise<LazPerfModule>;

let defaultInstance: Promise<LazPerfModule> | undefined;

/**
 * The shared default laz-perf instance, created on first call with the package's own wasm location (works in
 * node and in bundlers that resolve the wasm next to the script).
 */
export function getDefaultLazPerf(): Promise<LazPerfModule> {
  defaultInstance ??= import('laz-perf').then(async (module) => {
    const create = (module as { createLazPerf: () => Promise<unknown> }).createLazPerf;
    return (await create()) as LazPerfModule;
  });
  return defaultInstance;
}

/** The LASzip VLR (LASzip spec: user id "laszip encoded", record id 22204) marks a compressed file. */
export const LASZIP_USER_ID = 'laszip encoded';
export const LASZIP_RECORD_ID = 22204;

// Points decoded per call into WebAssembly memory before copying out.
const BATCH_POINTS = 4096;

/**
 * Decompresses every point record of a whole LAZ file (bytes from offset 0) into raw records.
 * Throws `Invalid point format: …` for the waveform formats 4, 5, 9, 10 (laz-perf has no codec for their wave
 * packets) and `Invalid LAZ data: …` when the chunk table contradicts the header (a truncated file or a lying
 * count), laz-perf disagrees with the header or fails. `laszipVlr` is the LASzip VLR payload, for the check.
 */
export async function decompressLaz(
  file: Uint8Array,
  header: LasHeader,
  name: string,
  lazPerf?: LazPerfModule | Promise<LazPerfModule>,
  laszipVlr?: Uint8Array,
): Promise<Uint8Array> {
  if (isWaveformFormat(header.pointFormat)) {
    throw new Error(`Invalid point format: ${header.pointFormat} (compressed waveform points are not supported) in ${name}`);
  }
  checkLazLayout(file, header, laszipVlr, name);
  const module = await (lazPerf ?? getDefaultLazPerf());
  const length = header.pointRecordLength;
  const count = header.pointCount;
  const out = new Uint8Array(count * length);
  if (count === 0) return out;
  let filePointer = 0;
  let batchPointer = 0;
  let reader: LazPerfFileReader | undefined;
  try {
    filePointer = module._malloc(file.byteLength);
    batchPointer = module._malloc(BATCH_POINTS * length);
    if (!filePointer || !batchPointer) throw new Error('out of WebAssembly memory');
    module.HEAPU8.set(file, filePointer);
    reader = new module.LASZip();
    reader.open(filePointer, file.byteLength);
    if (reader.getPointLength() !== length || reader.getPointFormat() !== header.pointFormat) {
      throw new Error(`laz-perf sees format ${reader.getPointFormat()} / ${reader.getPointLength()} bytes, the header ${header.pointFormat} / ${length}`);
    }
    if (reader.getCount() !== count) throw new Error(`laz-perf sees ${reader.getCount()} points, the header ${count}`);
    for (let done = 0; done < count; ) {
      const n = Math.min(BATCH_POINTS, count - done);
      for (let k = 0; k < n; k++) reader.getPoint(batchPointer + k * length);
      // Note: HEAPU8 is replaced when WebAssembly memory grows, so it is read again after every batch.
      out.set(module.HEAPU8.subarray(batchPointer, batchPointer + n * length), done * length);
      done += n;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Invalid LAZ data: ${message} in ${name}`);
  } finally {
    reader?.delete();
    if (filePointer) module._free(filePointer);
    if (batchPointer) module._free(batchPointer);
  }
  return out;
}

/**
 * Checks a LAZ file's layout without decoding: the chunk table offset stored in the first 8 bytes of the point
 * data must lie inside the file, and with fixed-size chunks the header count must fit the number of chunks.
 * Throws `Invalid LAZ data: …`. Note: laz-perf would otherwise read past the file into unrelated WebAssembly
 * memory and return garbage points for a truncated file or a count that lies.
 */
export function checkLazLayout(file: Uint8Array, header: LasHeader, laszipVlr: Uint8Array | undefined, name: string): void {
  if (header.pointCount === 0) return;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const at = header.pointDataOffset;
  if (at + 8 > file.byteLength) throw new Error(`Invalid LAZ data: no point data after offset ${at} in ${name}`);
  // LASzip: int64 offset of the chunk table at the start of the point data; -1 when the writer could not seek
  // back, and the offset then sits in the last 8 bytes of the file.
  let tableAt = Number(view.getBigInt64(at, true));
  if (tableAt === -1) tableAt = Number(view.getBigInt64(file.byteLength - 8, true));
  if (!(tableAt >= at + 8 && tableAt + 8 <= file.byteLength)) {
    throw new Error(`Invalid LAZ data: chunk table offset ${tableAt} outside the file (${file.byteLength} bytes; truncated?) in ${name}`);
  }
  // LASzip chunk table: uint32 version, uint32 number of chunks. LASzip VLR: uint32 chunk size at 12
  // (0xffffffff = variable-size chunks, e.g. COPC).
  const chunks = view.getUint32(tableAt + 4, true);
  if (!laszipVlr || laszipVlr.byteLength < 16) return;
  const chunkSize = new DataView(laszipVlr.buffer, laszipVlr.byteOffset, laszipVlr.byteLength).getUint32(12, true);
  if (chunkSize === 0xffffffff || chunkSize === 0) return;
  if (header.pointCount > chunks * chunkSize || header.pointCount <= (chunks - 1) * chunkSize) {
    throw new Error(`Invalid point count: ${header.pointCount} does not fit ${chunks} LAZ chunks of ${chunkSize} points in ${name}`);
  }
}
