/**
 * The decoder primitives against the exact byte vectors of LAZ-FORMAT.md Appendix A (produced by laz-perf's C++
 * encoder): ArithmeticDecoder symbols, bits and raw values, IntegerDecompressor with 32- and 16-bit folding, and
 * a layer that is read past its end.
 */
import { describe, expect, it } from 'vitest';
import { ArithmeticDecoder } from '../../../core/laz/ArithmeticDecoder.ts';
import { ArithmeticEncoder } from '../../../core/laz/ArithmeticEncoder.ts';
import { DecoderSymbolModel } from '../../../core/laz/DecoderSymbolModel.ts';
import { IntegerDecompressor } from '../../../core/laz/IntegerDecompressor.ts';
import { BitModel, SymbolModel } from '../../../core/laz/models.ts';

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.trim().split(/\s+/), (h) => parseInt(h, 16));
}

function decoderOf(bytes: Uint8Array): ArithmeticDecoder {
  const dec = new ArithmeticDecoder('test');
  dec.init(bytes, 0, bytes.byteLength);
  return dec;
}

describe('ArithmeticDecoder on Appendix A vectors', () => {
  it('B: a 3-symbol model', () => {
    const dec = decoderOf(hex('36 a0 00 00 00'));
    const m = new DecoderSymbolModel(3);
    expect(Array.from({ length: 8 }, () => dec.decodeSymbol(m))).toEqual([0, 1, 2, 2, 1, 0, 0, 0]);
  });

  it('C: a bit model', () => {
    const dec = decoderOf(hex('d0 24 00 00 00'));
    const m = new BitModel();
    expect(Array.from({ length: 10 }, () => dec.decodeBit(m))).toEqual([1, 1, 0, 1, 0, 0, 0, 0, 1, 1]);
  });

  it('D: raw bits above 19 and a raw u32', () => {
    const dec = decoderOf(hex('8d e6 38 6f cc 00 58 96 00 00 00'));
    expect(dec.readBits(5)).toBe(17);
    expect(dec.readBits(20)).toBe(0xabcde);
    expect(dec.readInt()).toBe(0xdeadbeef);
  });

  it('models of 2…2048 symbols (table search) decode what ArithmeticEncoder coded, across many updates', () => {
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (const symbols of [2, 3, 5, 16, 17, 33, 128, 256, 515, 2048]) {
      const enc = new ArithmeticEncoder();
      const em = new SymbolModel(symbols);
      // Skewed symbols (small ones frequent) so the distribution moves far from uniform and tables change.
      const values = Array.from({ length: 20000 }, () => (next() % 4 === 0 ? next() % symbols : (next() % 7) % symbols));
      for (const v of values) enc.encodeSymbol(em, v);
      enc.done();
      const dec = decoderOf(enc.bytes().slice());
      const dm = new DecoderSymbolModel(symbols);
      const got = values.map(() => dec.decodeSymbol(dm));
      expect(got, `${symbols} symbols`).toEqual(values);
      expect(dec.remaining, `${symbols} symbols`).toBe(0);
    }
  });

  it('throws Invalid LAZ chunk when a layer is read past its end or is shorter than 4 bytes', () => {
    const dec = decoderOf(hex('36 a0 00 00 00'));
    const m = new DecoderSymbolModel(256);
    expect(() => {
      for (let i = 0; i < 100; i++) dec.decodeSymbol(m);
    }).toThrow('Invalid LAZ chunk: test layer needs more than its 5 bytes');
    expect(() => new ArithmeticDecoder('Z').init(hex('01 00'), 0, 2)).toThrow('Invalid LAZ chunk: Z layer of 2 bytes (at least 4)');
  });
});

describe('IntegerDecompressor on Appendix A vectors', () => {
  it('E: IC(32, 2) including c = −2^31 (k = 32) and extreme predictions', () => {
    const dec = decoderOf(hex('1b 36 30 82 1b bd d6 e3 94 f2 3b 00 00 00'));
    const ic = new IntegerDecompressor(32, 2);
    const ops: [number, number, number][] = [[0, 5, 0], [5, 3, 1], [3, -1000, 0], [0, 2147483647, 1], [-2147483648, 0, 0], [0, -2147483648, 1], [100, 100, 0]];
    for (const [pred, real, ctx] of ops) expect(ic.decompress(dec, pred, ctx)).toBe(real);
    expect(dec.remaining).toBe(0);
  });

  it('F: IC(16, 1) folds into [0, 2^16)', () => {
    const dec = decoderOf(hex('0f 7b 3f bd b1 00 00 00'));
    const ic = new IntegerDecompressor(16, 1);
    const ops: [number, number][] = [[0, 65535], [65535, 0], [40000, 1], [7, 7]];
    for (const [pred, real] of ops) expect(ic.decompress(dec, pred, 0)).toBe(real);
  });
});

describe('DecoderSymbolModel', () => {
  it('keeps the statistics of SymbolModel through every update, and a table that brackets every code value', () => {
    let seed = 99;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (const symbols of [17, 33, 64, 256, 515]) {
      const a = new SymbolModel(symbols);
      const b = new DecoderSymbolModel(symbols);
      for (let i = 0; i < 40000; i++) {
        const s = next() % 3 === 0 ? next() % symbols : (next() % 5) % symbols;
        for (const m of [a, b]) {
          m.counts[s]!++;
          if (--m.untilUpdate === 0) m.update();
        }
        if (i % 997 === 0 || b.untilUpdate === b.cycle) {
          expect(Array.from(b.dist)).toEqual(Array.from(a.dist));
          expect([b.total, b.cycle, b.untilUpdate]).toEqual([a.total, a.cycle, a.untilUpdate]);
          // table[t] is the largest symbol whose interval starts at or below t << tableShift.
          for (let t = 0; t <= b.tableLast; t++) {
            const v = t << b.tableShift;
            let s2 = 0;
            while (s2 + 1 < symbols && b.dist[s2 + 1]! <= v) s2++;
            expect(b.table[t], `${symbols} symbols, bucket ${t}`).toBe(s2);
          }
        }
      }
    }
  });
});
