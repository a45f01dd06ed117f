/**
 * Loading failures sorted into the kinds the UI explains to the user (see viewer/ui/i18n.ts).
 */
import type { TextKey } from '../ui/i18n.ts';

/** What went wrong while loading a point cloud URL. */
export type LoadErrorKind = 'notFound' | 'http' | 'noRange' | 'notLas' | 'network' | 'other';

const TEXT_KEYS: Record<LoadErrorKind, TextKey> = {
  notFound: 'errorNotFound',
  http: 'errorHttp',
  noRange: 'errorNoRange',
  notLas: 'errorNotLas',
  network: 'errorNetwork',
  other: 'errorOther',
};

/** A loading failure with its kind and the values its message needs. */
export class LoadError extends Error {
  override readonly name = 'LoadError';
  constructor(
    readonly kind: LoadErrorKind,
    readonly url: string,
    readonly detail: string,
    readonly status?: number,
  ) {
    super(`${kind}: ${url}: ${detail}`);
  }

  /** The i18n key of the message. */
  get textKey(): TextKey {
    return TEXT_KEYS[this.kind];
  }
}

/**
 * Sorts an error thrown by the HTTP getter, fetch or a parser into a {@link LoadError}.
 * Note: core/io/http-getter.ts reports HTTP problems as `Invalid URL: … (404 …)` and
 * `Invalid server: … (HTTP n instead of 206)`; fetch itself throws a TypeError when the network fails.
 */
export function classifyLoadError(error: unknown, url: string): LoadError {
  if (error instanceof LoadError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /fetch|network|load failed/i.test(message)) {
    return new LoadError('network', url, message);
  }
  const noRange = /range requests \(HTTP (\d+)/.exec(message);
  if (noRange) return new LoadError('noRange', url, message, Number(noRange[1]));
  if (/\(404\b/.test(message)) return new LoadError('notFound', url, message, 404);
  const http = /HTTP (\d{3})/.exec(message);
  if (http) return new LoadError('http', url, message, Number(http[1]));
  return new LoadError('other', url, message);
}
