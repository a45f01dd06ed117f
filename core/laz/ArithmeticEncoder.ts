/**
 * The LASzip arithmetic encoder (LAZ-FORMAT.md §3): a 32-bit range coder with carry propagation into the bytes
 * already written, emitting into a growable byte buffer. One instance per layer stream.
 */
import type { BitModel, SymbolModel } from './models.ts';

/** Renormalise while the interval length is below 2^24. */
const MIN_LENGTH = 0x01000000;
const TWO_POW_32 = 4294967296;

/** Encodes symbols, bits and raw values into one arithmetic-coded byte stream. */
export class ArithmeticEncoder {
  private out: Uint8Array;
  private pos = 0;
  /** Lower end of the interval, kept in [0, 2^32) as a double. */
  private base = 0;
  /** Interval length, in [0, 2^32). */
  private length = 0xffffffff;

  constructor(initialCapacity = 256) {
    this.out = new Uint8Array(initialCapacity);
  }

  /** Bytes emitted so far (after `done()`: the whole finished stream). */
  get byteLength(): number {
    return this.pos;
  }

  /** Restarts an empty stream, keeping the buffer. */
  reset(): void {
    this.pos = 0;
    this.base = 0;
    this.length = 0xffffffff;
  }

  /** The finished stream (a view into the internal buffer; valid until the next reset). */
  bytes(): Uint8Array {
    return this.out.subarray(0, this.pos);
  }

  /** Codes one bit with an adaptive bit model. */
  encodeBit(m: BitModel, bit: number): void {
    const x = m.p0 * (this.length >>> 13);
    if (bit === 0) {
      this.length = x;
      m.count0++;
    } else {
      this.addToBase(x);
      this.length -= x;
    }
    if (this.length < MIN_LENGTH) this.renormalise();
    if (--m.untilUpdate === 0) m.update();
  }

  /** Codes symbol s (0 ≤ s < m.symbols) with an adaptive symbol model. */
  encodeSymbol(m: SymbolModel, s: number): void {
    const dist = m.dist;
    if (s === m.lastSymbol) {
      const x = dist[s]! * (this.length >>> 15);
      this.addToBase(x);
      this.length -= x;
    } else {
      const l = this.length >>> 15;
      const x = dist[s]! * l;
      this.addToBase(x);
      this.length = dist[s + 1]! * l - x;
    }
    if (this.length < MIN_LENGTH) this.renormalise();
    m.counts[s]!++;
    if (--m.untilUpdate === 0) m.update();
  }

  /** Writes the low `bits` bits of v unmodelled (1 ≤ bits ≤ 32). */
  writeBits(bits: number, v: number): void {
    if (bits > 19) {
      this.writeShort(v & 0xffff);
      v = v >>> 16;
      bits -= 16;
    }
    const l = this.length >>> bits;
    this.length = l;
    this.addToBase(v * l);
    if (l < MIN_LENGTH) this.renormalise();
  }

  /** Writes a 16-bit value unmodelled. */
  writeShort(v: number): void {
    const l = this.length >>> 16;
    this.length = l;
    this.addToBase(v * l);
    if (l < MIN_LENGTH) this.renormalise();
  }

  /** Writes a 32-bit value unmodelled: low half first. */
  writeInt(v: number): void {
    this.writeShort(v & 0xffff);
    this.writeShort(v >>> 16);
  }

  /** Finishes the stream: final interval bytes plus the zero bytes the decoder reads (LAZ-FORMAT.md §3.6). */
  done(): void {
    let extraZero: boolean;
    if (this.length > 2 * MIN_LENGTH) {
      this.addToBase(MIN_LENGTH);
      this.length = MIN_LENGTH >>> 1;
      extraZero = true;
    } else {
      this.addToBase(MIN_LENGTH >>> 1);
      this.length = 1 << 15;
      extraZero = false;
    }
    this.renormalise();
    this.put(0);
    this.put(0);
    if (extraZero) this.put(0);
  }

  private addToBase(x: number): void {
    let b = this.base + x;
    if (b >= TWO_POW_32) {
      b -= TWO_POW_32;
      this.propagateCarry();
    }
    this.base = b;
  }

  private propagateCarry(): void {
    const out = this.out;
    let i = this.pos - 1;
    while (out[i] === 0xff) {
      out[i] = 0;
      i--;
    }
    out[i]!++;
  }

  private renormalise(): void {
    let base = this.base;
    let length = this.length;
    do {
      this.put(base >>> 24);
      base = (base << 8) >>> 0;
      length = (length << 8) >>> 0;
    } while (length < MIN_LENGTH);
    this.base = base;
    this.length = length;
  }

  private put(byte: number): void {
    if (this.pos === this.out.length) {
      const bigger = new Uint8Array(this.out.length * 2);
      bigger.set(this.out);
      this.out = bigger;
    }
    this.out[this.pos++] = byte;
  }
}
