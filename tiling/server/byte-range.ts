/**
 * Parsing of the HTTP `Range` request header for a single byte range (RFC 9110 §14.1.2, §14.2).
 */

/** An inclusive byte range [start, end] inside a resource, as sent back in `Content-Range`. */
export interface ByteRange {
  /** First byte, 0-based. */
  readonly start: number;
  /** Last byte, inclusive. */
  readonly end: number;
}

/**
 * What to do with a `Range` header for a resource of `size` bytes:
 * - `{ kind: 'full' }`: no header, a syntax the server ignores, or several ranges: answer 200 with the whole body;
 * - `{ kind: 'partial', range }`: answer 206 with that range;
 * - `{ kind: 'unsatisfiable' }`: answer 416 with `Content-Range: bytes *\/size`.
 *
 * Note: RFC 9110 lets a server ignore a Range header it does not want to honour; several ranges
 * (multipart/byteranges) are answered whole, since readers here only ever ask for one.
 */
export type RangeDecision =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly range: ByteRange }
  | { readonly kind: 'unsatisfiable' };

/**
 * Decides how to answer a `Range` header for a resource of `size` bytes.
 *
 * @example
 * decideRange('bytes=0-99', 1000);  // { kind: 'partial', range: { start: 0, end: 99 } }
 * decideRange('bytes=-10', 1000);   // last 10 bytes: { start: 990, end: 999 }
 * decideRange('bytes=2000-', 1000); // { kind: 'unsatisfiable' }
 */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return { kind: 'full' };
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return { kind: 'full' };
  const specs = match[1]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (specs.length !== 1) return { kind: 'full' };
  const spec = /^(\d*)-(\d*)$/.exec(specs[0]!);
  if (!spec) return { kind: 'full' };
  const [, first, last] = spec as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'full' };

  if (first === '') {
    // Suffix range: the last N bytes. "bytes=-0" can never be satisfied.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - length), end: size - 1 } };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'full' }; // invalid per RFC 9110 §14.1.1: ignore it
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', range: { start, end } };
}
