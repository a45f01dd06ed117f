/**
 * A small PNG decoder for screenshots (8-bit greyscale, RGB or RGBA, non-interlaced, as Chromium writes them),
 * so the e2e tests can count pixels without an image library.
 */
import { inflateSync } from 'node:zlib';

/** Decoded pixels, 4 bytes (RGBA) per pixel, row by row. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG spec §9.4: the Paeth predictor. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG into RGBA; throws `Invalid PNG: …` for anything else. */
export function decodePng(png: Uint8Array): RgbaImage {
  if (SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('Invalid PNG: bad signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Uint8Array[] = [];
  for (let at = 8; at < png.byteLength; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const bitDepth = body[8]!;
      const colourType = body[9]!;
      const interlace = body[12]!;
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colourType] ?? 0;
      if (bitDepth !== 8 || channels === 0 || interlace !== 0) {
        throw new Error(`Invalid PNG: bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}`);
      }
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[out + x - channels]! : 0;
      const b = y > 0 ? pixels[out - stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[out - stride + x - channels]! : 0;
      const predictor = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c);
      pixels[out + x] = (line[x]! + predictor) & 0xff;
    }
  }
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    data[i * 4] = pixels[s]!;
    data[i * 4 + 1] = grey ? pixels[s]! : pixels[s + 1]!;
    data[i * 4 + 2] = grey ? pixels[s]! : pixels[s + 2]!;
    data[i * 4 + 3] = channels === 4 ? pixels[s + 3]! : channels === 2 ? pixels[s + 1]! : 255;
  }
  return { width, height, data };
}

/**
 * Share (0..1) of pixels inside a rectangle that differ from `background` by more than `tolerance` in any channel.
 */
export function foregroundShare(
  image: RgbaImage,
  background: readonly [number, number, number],
  rect = { x: 0, y: 0, width: image.width, height: image.height },
  tolerance = 24,
): number {
  let hits = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const i = (y * image.width + x) * 4;
      const d = Math.max(
        Math.abs(image.data[i]! - background[0]),
        Math.abs(image.data[i + 1]! - background[1]),
        Math.abs(image.data[i + 2]! - background[2]),
      );
      if (d > tolerance) hits++;
    }
  }
  return hits / (rect.width * rect.height);
}
