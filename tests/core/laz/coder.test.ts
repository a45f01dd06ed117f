/**
 * Arithmetic coder, adaptive models and integer compressor against the test vectors of LAZ-FORMAT.md Appendix A
 * (A-F), which were produced by laz-perf's own C++ encoder, plus the carry path checked by a decoder written here.
 */
import { describe, expect, it } from 'vitest';
import { ArithmeticEncoder } from '../../../core/laz/ArithmeticEncoder.ts';
import { IntegerCompressor } from '../../../core/laz/IntegerCompressor.ts';
import { BitModel, SymbolModel } from '../../../core/laz/models.ts';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

describe('ArithmeticEncoder and models (LAZ-FORMAT.md Appendix A)', () => {
  it('A: an empty stream is 01 00 00 00', () => {
    const enc = new ArithmeticEncoder();
    enc.done();
    expect(hex(enc.bytes())).toBe('01 00 00 00');
  });

  it('B: a 3-symbol model', () => {
    const enc = new ArithmeticEncoder();
    const m = new SymbolModel(3);
    for (const s of [0, 1, 2, 2, 1, 0, 0, 0]) enc.encodeSymbol(m, s);
    enc.done();
    expect(hex(enc.bytes())).toBe('36 a0 00 00 00');
  });

  it('C: a bit model', () => {
    const enc = new ArithmeticEncoder();
    const m = new BitModel();
    for (const b of [1, 1, 0, 1, 0, 0, 0, 0, 1, 1]) enc.encodeBit(m, b);
    enc.done();
    expect(hex(enc.bytes())).toBe('d0 24 00 00 00');
  });

  it('D: raw bits, including the > 19-bit split, and a raw int', () => {
    const enc = new ArithmeticEncoder();
    enc.writeBits(5, 17);
    enc.writeBits(20, 0xabcde);
    enc.writeInt(0xdeadbeef);
    enc.done();
    expect(hex(enc.bytes())).toBe('8d e6 38 6f cc 00 58 96 00 00 00');
  });

  it('E: IC(32, 2) including k = 32 and extreme differences', () => {
    const enc = new ArithmeticEncoder();
    const ic = new IntegerCompressor(32, 2);
    const ops: [number, number, number][] = [
      [0, 5, 0], [5, 3, 1], [3, -1000, 0], [0, 2147483647, 1], [-2147483648, 0, 0], [0, -2147483648, 1], [100, 100, 0],
    ];
    for (const [pred, real, ctx] of ops) ic.compress(enc, pred, real, ctx);
    enc.done();
    expect(hex(enc.bytes())).toBe('1b 36 30 82 1b bd d6 e3 94 f2 3b 00 00 00');
  });

  it('F: IC(16, 1) folds differences into 16 bits', () => {
    const enc = new ArithmeticEncoder();
    const ic = new IntegerCompressor(16, 1);
    for (const [pred, real] of [[0, 65535], [65535, 0], [40000, 1], [7, 7]] as const) ic.compress(enc, pred, real, 0);
    enc.done();
    expect(hex(enc.bytes())).toBe('0f 7b 3f bd b1 00 00 00');
  });

  it('grows its buffer and propagates carries: raw values survive a decoder written from §3.5', () => {
    // Many raw 16-bit values force buffer growth and, statistically, carries into earlier bytes.
    let seed = 12345;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    const values = Array.from({ length: 20000 }, rand);
    const enc = new ArithmeticEncoder(16);
    for (const v of values) enc.writeShort(v);
    enc.done();
    const bytes = enc.bytes();
    // Decoder of raw shorts: value/length registers, one byte in per renormalisation shift.
    let pos = 0;
    const next = (): number => bytes[pos++] ?? 0;
    let value = ((next() << 24) | (next() << 16) | (next() << 8) | next()) >>> 0;
    let length = 0xffffffff;
    const decoded: number[] = [];
    for (let i = 0; i < values.length; i++) {
      length = length >>> 16;
      const sym = Math.floor(value / length);
      value = (value - sym * length) >>> 0;
      while (length < 0x01000000) {
        value = ((value << 8) | next()) >>> 0;
        length = (length << 8) >>> 0;
      }
      decoded.push(sym);
    }
    expect(decoded).toEqual(values);
    expect(bytes.byteLength).toBe(values.length * 2 + 4);
  });
});
