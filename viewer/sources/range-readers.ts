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
