/**
 * Small byte helpers shared by the LAS parsers and writer: fixed-width ASCII strings and 64-bit counts.
 */

/**
 * Reads a fixed-width, NUL-padded ASCII field; stops at the first NUL and drops trailing spaces (some writers pad
 * with spaces instead of NULs).
 */
export function readCString(bytes: Uint8Array, begin: number, length: number): string {
  let end = begin;
  const stop = Math.min(begin + length, bytes.byteLength);
  while (end < stop && bytes[end] !== 0) end++;
  let text = '';
  for (let i = begin; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text.replace(/ +$/, '');
}

/**
 * Writes ASCII text into a fixed-width field padded with NULs; throws `Invalid <what>: …` when it is longer
 * than the field or not ASCII.
 */
export function writeCString(bytes: Uint8Array, begin: number, length: number, text: string, what: string): void {
  if (text.length > length) throw new Error(`Invalid ${what}: "${text}" is longer than ${length} bytes`);
  for (let i = 0; i < length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0;
    if (code > 0x7f) throw new Error(`Invalid ${what}: "${text}" is not ASCII`);
    bytes[begin + i] = code;
  }
}

/**
 * Reads a uint64 as a number; throws `Invalid <what>: …` when it exceeds 2^53 - 1 (no real file has that many
 * bytes or points, so a larger value is corruption).
 */
export function readSafeUint64(view: DataView, offset: number, what: string, name: string): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`Invalid ${what}: ${value} in ${name}`);
  return Number(value);
}

/** A DataView over exactly the bytes of a Uint8Array (which may be a view into a larger buffer). */
export function dataViewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Encodes text as UTF-8 (core/ has no TextEncoder: its lib is ES2022 only).
 */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8 text up to the first NUL; a malformed sequence becomes U+FFFD, never an exception. */
export function decodeUtf8(bytes: Uint8Array): string {
  let text = '';
  let i = 0;
  while (i < bytes.byteLength) {
    const b = bytes[i]!;
    if (b === 0) break;
    let code = 0xfffd;
    let extra = 0;
    if (b < 0x80) code = b;
    else if (b >= 0xc2 && b < 0xe0) { code = b & 31; extra = 1; }
    else if (b >= 0xe0 && b < 0xf0) { code = b & 15; extra = 2; }
    else if (b >= 0xf0 && b < 0xf5) { code = b & 7; extra = 3; }
    let ok = i + extra < bytes.byteLength;
    for (let k = 1; ok && k <= extra; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else code = (code << 6) | (c & 63);
    }
    if (!ok || code > 0x10ffff) { code = 0xfffd; extra = 0; }
    text += String.fromCodePoint(code);
    i += 1 + extra;
  }
  return text;
}
