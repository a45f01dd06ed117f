/**
 * Byte sources for viewer sources: a Getter over a local File (drag and drop, file picker) and a cancellable
 * HTTP range read for node data (core's HTTP getter has no AbortSignal; node requests must be cancellable when a
 * node leaves the view).
 */
import { checkRange, type SizedGetter } from '../../core/io/getter.ts';
import type { FetchLike } from '../../core/io/http-getter.ts';

/** Reads bytes [begin, end) of one resource; aborting rejects with an `AbortError`. */
export type RangeReader = (begin: number, end: number, signal?: AbortSignal) => Promise<Uint8Array>;

/**
 * A SizedGetter over a Blob or File (File.slice reads only the asked range from disk).
 *
 * @example
 * const getter = createBlobGetter(dropEvent.dataTransfer.files[0]);
 */
export function createBlobGetter(blob: Blob, name = (blob as File).name ?? 'file'): SizedGetter {
  const size = blob.size;
  const get = async (begin: number, end: number): Promise<Uint8Array> => {
    checkRange(name, begin, end, size);
    return new Uint8Array(await blob.slice(begin, end).arrayBuffer());
  };
  return { get, size, name };
}

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

/** Bytes read at once from the start of a COPC URL: the header, the VLRs and usually the COPC info and WKT. */
export const HEAD_BYTES = 65_536;

/**
 * Starts reading the first `bytes` of a URL in one range request; resolves to undefined when the answer is not a
 * 206 from offset 0 (the caller then reads through its getter as usual, which reports the failure).
 */
export function readHead(url: string, options: HttpRangeReaderOptions, bytes = HEAD_BYTES): Promise<Uint8Array | undefined> {
  // Note: a server without range support answers 200 with the whole file; aborting drops that body unread.
  const controller = new AbortController();
  const read = async (): Promise<Uint8Array | undefined> => {
    const response = await options.fetch(url, {
      headers: { ...(options.headers ?? {}), Range: `bytes=0-${bytes - 1}` },
      signal: controller.signal,
    });
    if (response.status !== 206 || !/^bytes 0-/.test(response.headers.get('content-range') ?? '')) {
      controller.abort();
      return undefined;
    }
    return new Uint8Array(await response.arrayBuffer());
  };
  return read().catch(() => undefined);
}

/**
 * A getter that answers reads inside an already requested head block from it and everything else from `getter`.
 * Note: opening a COPC file reads the header, then the VLR headers, then the COPC info and WKT, each waiting for
 * the last; with the head requested next to the size probe these cost one round trip instead of four or five.
 */
export function withHead(getter: SizedGetter, head: Promise<Uint8Array | undefined>): SizedGetter {
  const get = async (begin: number, end: number): Promise<Uint8Array> => {
    if (end <= HEAD_BYTES) {
      const bytes = await head;
      if (bytes && end <= bytes.byteLength) {
        checkRange(getter.name, begin, end, getter.size);
        return bytes.slice(begin, end);
      }
    }
    return getter.get(begin, end);
  };
  return { get, size: getter.size, name: getter.name };
}
