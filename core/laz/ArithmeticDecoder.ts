/**
 * The LASzip arithmetic decoder (LAZ-FORMAT.md §3.5): the mirror of ArithmeticEncoder. It reads the first four
 * bytes of a layer most significant first into `value`, performs the encoder's interval updates and reads one
 * byte per renormalisation shift, so a finished layer of L bytes is consumed exactly. One instance per layer,
 * re-initialised for each chunk.
 */
import type { DecoderSymbolModel } from './DecoderSymbolModel.ts';
import type { BitModel } from './models.ts';

/** Renormalise while the interval length is below 2^24. */
const MIN_LENGTH = 0x01000000;

/** Decodes symbols, bits and raw values from one arithmetic-coded layer. */
export class ArithmeticDecoder {
  private bytes: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  private begin = 0;
  /** Offset of the value inside the interval, in [0, length). */
  private value = 0;
  /** Interval length, in [0, 2^32). */
  private length = 0;
  /** Name of the layer for error messages. */
  private readonly layer: string;
  /** What is invalid when the layer is: `Invalid <thing>: …`. */
  private readonly thing: string;

  /** A decoder of the layer named `layer` (in errors) of a `thing` (`LAZ chunk` or `LAZ chunk table`). */
  constructor(layer: string, thing = 'LAZ chunk') {
    this.layer = layer;
    this.thing = thing;
  }

  /**
   * Starts decoding the layer `bytes[begin, end)`. Throws `Invalid LAZ chunk: …` (or `Invalid LAZ chunk table: …`)
   * when the layer is shorter than the four bytes every finished stream has.
   */
  init(bytes: Uint8Array, begin: number, end: number): void {
    if (end - begin < 4) throw new Error(`Invalid ${this.thing}: ${this.layer} layer of ${end - begin} bytes (at least 4)`);
    this.bytes = bytes;
    this.begin = begin;
    this.end = end;
    this.value = ((bytes[begin]! << 24) | (bytes[begin + 1]! << 16) | (bytes[begin + 2]! << 8) | bytes[begin + 3]!) >>> 0;
    this.pos = begin + 4;
    this.length = 0xffffffff;
  }

  /** Bytes of the layer not read yet (0 after a complete, well-formed layer). */
  get remaining(): number {
    return this.end - this.pos;
  }

  /**
   * Throws `Invalid LAZ chunk: …` unless the layer was read to its last byte: a finished stream is consumed
   * exactly (LAZ-FORMAT.md §3.6), so bytes left over mean a wrong point count or a corrupt layer.
   */
  expectConsumed(points: number): void {
    if (this.pos !== this.end) throw new Error(`Invalid ${this.thing}: ${this.layer} layer has ${this.end - this.pos} bytes left after ${points} points`);
  }

  /** Decodes one bit with an adaptive bit model. */
  decodeBit(m: BitModel): number {
    const x = m.p0 * (this.length >>> 13);
    let bit: number;
    if (this.value < x) {
      bit = 0;
      this.length = x;
      m.count0++;
    } else {
      bit = 1;
      this.value -= x;
      this.length -= x;
    }
    if (this.length < MIN_LENGTH) this.renormalise();
    if (--m.untilUpdate === 0) m.update();
    return bit;
  }

  /** Decodes one symbol with an adaptive symbol model. */
  decodeSymbol(m: DecoderSymbolModel): number {
    const dist = m.dist;
    const l = this.length >>> 15;
    const value = this.value;
    // The symbol is the largest s with dist[s] * l <= value, i.e. dist[s] <= floor(value / l) (dist ascending).
    const dv = (value / l) >>> 0;
    let sym: number;
    let top: number;
    if (m.tableLast > 0) {
      let t = dv >>> m.tableShift;
      if (t > m.tableLast) t = m.tableLast;
      sym = m.table[t]!;
      top = m.table[t + 1]!;
    } else {
      sym = 0;
      top = m.lastSymbol;
    }
    while (top > sym) {
      const k = (sym + top + 1) >>> 1;
      if (dist[k]! > dv) top = k - 1;
      else sym = k;
    }
    const x = dist[sym]! * l;
    // The last symbol takes the whole remaining interval (LAZ-FORMAT.md §3.4).
    const y = sym === m.lastSymbol ? this.length : dist[sym + 1]! * l;
    this.value = value - x;
    this.length = y - x;
    if (this.length < MIN_LENGTH) this.renormalise();
    m.counts[sym]!++;
    if (--m.untilUpdate === 0) m.update();
    return sym;
  }

  /** Reads `bits` unmodelled bits (1 ≤ bits ≤ 32); above 19 bits a 16-bit half comes first (low half). */
  readBits(bits: number): number {
    if (bits > 19) {
      const lo = this.readShort();
      const hi = this.readBits(bits - 16);
      return (hi * 65536 + lo) >>> 0;
    }
    const l = this.length >>> bits;
    const v = (this.value / l) >>> 0;
    this.value -= v * l;
    this.length = l;
    if (l < MIN_LENGTH) this.renormalise();
    return v;
  }

  /** Reads a 16-bit unmodelled value. */
  readShort(): number {
    const l = this.length >>> 16;
    const v = (this.value / l) >>> 0;
    this.value -= v * l;
    this.length = l;
    if (l < MIN_LENGTH) this.renormalise();
    return v;
  }

  /** Reads a 32-bit unmodelled value (low half first), unsigned. */
  readInt(): number {
    const lo = this.readShort();
    const hi = this.readShort();
    return (hi * 65536 + lo) >>> 0;
  }

  private renormalise(): void {
    const bytes = this.bytes;
    let value = this.value;
    let length = this.length;
    let pos = this.pos;
    do {
      // Note: a well-formed layer is consumed exactly (LAZ-FORMAT.md §3.6), so reading past its end means a
      // truncated or corrupt chunk; stop there instead of decoding garbage from the next layer.
      if (pos >= this.end) throw new Error(`Invalid ${this.thing}: ${this.layer} layer needs more than its ${this.end - this.begin} bytes`);
      value = ((value << 8) | bytes[pos++]!) >>> 0;
      length = (length << 8) >>> 0;
    } while (length < MIN_LENGTH);
    this.value = value;
    this.length = length;
    this.pos = pos;
  }
}
