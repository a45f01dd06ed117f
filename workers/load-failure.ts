/**
 * Loading failures as plain data (they cross the worker boundary by structured clone, where Error subclasses
 * lose their fields), sorted into the kinds the viewer explains to the user.
 */

/**
 * What went wrong while loading a point cloud URL. `foreignOrigin`: the URL is on another origin, which the
 * viewer's Content-Security-Policy (connect-src 'self') does not allow yet; `noPoints`: a valid file without points.
 */
export type LoadFailureKind =
  | 'notFound'
  | 'http'
  | 'noRange'
  | 'notLas'
  | 'network'
  | 'foreignOrigin'
  | 'noPoints'
  | 'other';

/** A loading failure: its kind, the URL as the user gave it, the underlying message and the HTTP status. */
export interface LoadFailure {
  readonly kind: LoadFailureKind;
  readonly url: string;
  readonly detail: string;
  readonly status?: number;
}

/** An Error carrying a {@link LoadFailure}, thrown inside the decode code and turned into data at its boundary. */
export class LoadFailureError extends Error {
  override readonly name = 'LoadFailureError';
  constructor(readonly failure: LoadFailure) {
    super(`${failure.kind}: ${failure.url}: ${failure.detail}`);
  }
}

/**
 * Sorts an error thrown by the HTTP getter, fetch or a parser into a {@link LoadFailure}.
 * Note: core/io/http-getter.ts reports HTTP problems as `Invalid URL: … (404 …)` and
 * `Invalid server: … (HTTP n instead of 206)`; fetch throws a TypeError when the network fails; the readers'
 * own errors start with `Invalid` and mean the bytes are no readable LAS/LAZ/COPC.
 */
export function classifyLoadFailure(error: unknown, url: string): LoadFailure {
  if (error instanceof LoadFailureError) return error.failure;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /fetch|network|load failed/i.test(message)) {
    return { kind: 'network', url, detail: message };
  }
  const noRange = /range requests \(HTTP (\d+)/.exec(message);
  if (noRange) return { kind: 'noRange', url, detail: message, status: Number(noRange[1]) };
  if (/^Invalid URL: .*\(404\b/.test(message)) return { kind: 'notFound', url, detail: message, status: 404 };
  const http = /^Invalid (?:URL|server): .*HTTP (\d{3})/.exec(message);
  if (http) return { kind: 'http', url, detail: message, status: Number(http[1]) };
  if (/^Invalid/.test(message)) return { kind: 'notLas', url, detail: message };
  return { kind: 'other', url, detail: message };
}
