import { checkRange, type SizedGetter } from './getter.ts';

/** The part of the Fetch API the HTTP getter needs; the caller passes `fetch` (core has no DOM or node types). */
export type FetchLike = (
  url: string,
  init: { method?: string; headers?: Record<string, string>; signal?: unknown },
) => Promise<ResponseLike>;

/** The part of a Fetch `Response` the HTTP getter reads. */
export interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Options for {@link createHttpGetter}. */
export interface HttpGetterOptions {
  /** The fetch implementation: `globalThis.fetch` in browsers and Node 18+. */
  readonly fetch: FetchLike;
  /** Extra request headers, e.g. `Authorization` for an authenticated server. */
  readonly headers?: Record<string, string>;
}

/** Parses the total size out of a `Content-Range: bytes a-b/size` header; undefined when absent or `*`. */
export function parseContentRangeSize(value: string | null): number | undefined {
  const match = value ? /^bytes\s+\d+-\d+\/(\d+)\s*$/i.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * Attempts per request when fetch itself fails (no HTTP answer at all). Note: a keep-alive connection that the
 * server closes just as the next request goes out fails that request once ("fetch failed"); a new attempt opens
 * a new connection. HTTP errors (404, 500) are answers and are not retried.
 */
const FETCH_ATTEMPTS = 3;

/** `fetch` with up to FETCH_ATTEMPTS attempts on network failures; the last failure (a TypeError) names the URL. */
async function fetchRetrying(fetch: FetchLike, url: string, init: Parameters<FetchLike>[1]): Promise<ResponseLike> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      const aborted = (error as { name?: string } | null)?.name === 'AbortError';
      if (aborted || attempt >= FETCH_ATTEMPTS) {
        if (aborted) throw error;
        // A TypeError like fetch's own, so callers still tell a network failure from a bad file.
        throw new TypeError(`Invalid response: ${url} (${error instanceof Error ? error.message : String(error)}, ${attempt} attempts)`);
      }
    }
  }
}

/**
 * Opens a URL for HTTP range reads. The first request (bytes 0-0) learns the size and proves that the server
 * answers range requests with 206; a server that ignores ranges is refused rather than downloaded whole. A
 * request that fails without an HTTP answer is tried again (FETCH_ATTEMPTS in all).
 */
export async function createHttpGetter(url: string, options: HttpGetterOptions): Promise<SizedGetter> {
  const headers = options.headers ?? {};
  const probe = await fetchRetrying(options.fetch, url, { headers: { ...headers, Range: 'bytes=0-0' } });
  if (probe.status === 404) throw new Error(`Invalid URL: ${url} (404 not found)`);
  if (!probe.ok) throw new Error(`Invalid URL: ${url} (HTTP ${probe.status} ${probe.statusText})`);
  if (probe.status !== 206) {
    throw new Error(`Invalid server: ${url} does not answer range requests (HTTP ${probe.status} instead of 206)`);
  }
  const size = parseContentRangeSize(probe.headers.get('content-range'));
  if (size === undefined) throw new Error(`Invalid server: ${url} sent no Content-Range size`);
  await probe.arrayBuffer();

  const get = async (begin: number, end: number): Promise<Uint8Array> => {
    checkRange(url, begin, end, size);
    if (end === begin) return new Uint8Array(0);
    const response = await fetchRetrying(options.fetch, url, { headers: { ...headers, Range: `bytes=${begin}-${end - 1}` } });
    if (response.status !== 206) {
      throw new Error(`Invalid server: ${url} answered HTTP ${response.status} to a range request`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength !== end - begin) {
      throw new Error(`Invalid response: ${url} sent ${bytes.byteLength} bytes for range ${begin}-${end}`);
    }
    return bytes;
  };
  return { get, size, name: url };
}
