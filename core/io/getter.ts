/**
 * A Getter reads the bytes [begin, end) of one resource: a file, an HTTP URL or a buffer in memory.
 * Parsers never fetch; they take a Getter (copc.js habit: `parse` is synchronous, `load` reads).
 *
 * @example
 * const get = createBytesGetter(bytes);
 * const header = await get(0, 375);
 */
export type Getter = (begin: number, end: number) => Promise<Uint8Array>;

/** A Getter that also knows the total size of its resource in bytes. */
export interface SizedGetter {
  readonly get: Getter;
  /** Total size in bytes. */
  readonly size: number;
  /** Name for messages: a file path or URL. */
  readonly name: string;
}

/** Checks a requested range and throws `Invalid range: …` when it is not inside [0, size]. */
export function checkRange(name: string, begin: number, end: number, size: number): void {
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin) {
    throw new Error(`Invalid range: ${begin}-${end} for ${name}`);
  }
  if (end > size) {
    throw new Error(`Invalid range: ${begin}-${end} beyond the end of ${name} (${size} bytes)`);
  }
}

/** A Getter over bytes already in memory; returns views, not copies. */
export function createBytesGetter(bytes: Uint8Array, name = 'buffer'): SizedGetter {
  const get: Getter = async (begin, end) => {
    checkRange(name, begin, end, bytes.byteLength);
    return bytes.subarray(begin, end);
  };
  return { get, size: bytes.byteLength, name };
}

/**
 * Wraps a Getter so that every range end is clamped to the resource size.
 * Note: copc 0.0.8 asks for the first 64 KB of any file, even a smaller one.
 */
export function clampGetter(getter: SizedGetter): Getter {
  return (begin, end) => getter.get(Math.min(begin, getter.size), Math.min(end, getter.size));
}
