/**
 * Byte sources for viewer sources: core's Getter over a local File (drag and drop, file picker) and a cancellable
 * HTTP range read for node data (core's HTTP getter has no AbortSignal; node requests must be cancellable when a
 * node leaves the view).
 */
import { checkRange, type SizedGetter } from '../../core/io/getter.ts';
import type { FetchLike } from '../../core/io/http-getter.ts';

/** Reads bytes [begin, end) of one resource; aborting rejects with an `AbortError`. */
export type RangeReader = (begin: number, end: number, signal?: AbortSignal) => Promise<Uint8Array>;

/** The getter over a local File (core/io/blob-getter.ts), re-exported for the viewer's sources. */
export { createBlobGetter } from '../../core/io/blob-getter.ts';

/** A RangeReader over a getter: the read itself cannot be stopped, but an aborted read rejects at once. */
export function readerFromGetter(getter: SizedGetter): RangeReader {
  return async (begin, end, signal) => {
    signal?.throwIfAborted();
    const bytes = await getter.get(begin, end);
    signal?.throwIfAborted();
    return bytes;
  };
}

/** Options of {@link createHttpRangeReader}. */
export interface HttpRangeReaderOptions {
  readonly fetch: FetchLike;
  /** Extra request headers, e.g. `Authorization`. */
  readonly headers?: Record<string, string>;
}

/**
 * A RangeReader over HTTP range requests whose fetch is aborted with the signal. Throws
 * `Invalid server: …` when the answer is not a 206 of the asked length.
 */
export function createHttpRangeReader(url: string, options: HttpRangeReaderOptions): RangeReader {
  return async (begin, end, signal) => {
    if (end <= begin) return new Uint8Array(0);
    const response = await options.fetch(url, {
      headers: { ...(options.headers ?? {}), Range: `bytes=${begin}-${end - 1}` },
      ...(signal ? { signal } : {}),
    });
    if (response.status !== 206) throw new Error(`Invalid server: ${url} answered HTTP ${response.status} to a range request`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength !== end - begin) {
      throw new Error(`Invalid response: ${url} sent ${bytes.byteLength} bytes for range ${begin}-${end}`);
    }
    return bytes;
  };
}

/** Bytes read at once from each end of a COPC URL: header, VLRs, COPC info and WKT at the start; EVLRs and usually the root hierarchy page at the end. */
export const HEAD_BYTES = 65_536;

/** A block of a file read ahead: its bytes from `offset` on. */
export interface ReadAhead {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * Starts reading bytes [begin, end) in one range request; resolves to undefined when the answer is not a 206 of
 * that range (the caller then reads through its getter as usual, which reports any failure).
 */
export function readAhead(url: string, options: HttpRangeReaderOptions, begin: number, end: number): Promise<ReadAhead | undefined> {
  // Note: a server without range support answers 200 with the whole file; aborting drops that body unread.
  const controller = new AbortController();
  const read = async (): Promise<ReadAhead | undefined> => {
    const response = await options.fetch(url, {
      headers: { ...(options.headers ?? {}), Range: `bytes=${begin}-${end - 1}` },
      signal: controller.signal,
    });
    const at = /^bytes (\d+)-(\d+)\//.exec(response.headers.get('content-range') ?? '');
    if (response.status !== 206 || !at || Number(at[1]) !== begin) {
      controller.abort();
      return undefined;
    }
    const data = new Uint8Array(await response.arrayBuffer());
    if (data.byteLength !== Number(at[2]) - begin + 1) return undefined;
    return { offset: begin, bytes: data };
  };
  return read().catch(() => undefined);
}

/**
 * A getter that answers reads inside blocks read ahead (see {@link readAhead}) from them and everything else from
 * `getter`. Note: opening a COPC file reads the header, the VLR headers, the COPC info, the WKT, the EVLR headers
 * and the root hierarchy page, each waiting for the last; with the head requested next to the size probe and the
 * tail right after it these cost two round trips instead of six or seven.
 */
export function withReadAhead(getter: SizedGetter, blocks: ReadonlyArray<Promise<ReadAhead | undefined>>): SizedGetter {
  const get = async (begin: number, end: number): Promise<Uint8Array> => {
    // Only blocks that can hold the range are waited for: the head for reads near the start, the tail near the end.
    if (end <= HEAD_BYTES || begin >= getter.size - HEAD_BYTES) {
      for (const block of await Promise.all(blocks)) {
        if (block && begin >= block.offset && end <= block.offset + block.bytes.byteLength) {
          checkRange(getter.name, begin, end, getter.size);
          return block.bytes.slice(begin - block.offset, end - block.offset);
        }
      }
    }
    return getter.get(begin, end);
  };
  return { get, size: getter.size, name: getter.name };
}
