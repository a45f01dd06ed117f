import { describe, expect, it } from 'vitest';
import { Las } from 'copc';
import { normalizeExtraBytesVlr } from '../../../core/copc/writer/extra-bytes-vlr.ts';

/** One 192-byte extra-bytes descriptor (LAS 1.4 R15 table 24). */
function descriptor(type: number, options: number, name: string, slots: Partial<Record<'noData' | 'min' | 'max', bigint[]>>): Uint8Array {
  const d = new Uint8Array(192);
  const v = new DataView(d.buffer);
  d[2] = type;
  d[3] = options;
  for (let i = 0; i < name.length; i++) d[4 + i] = name.charCodeAt(i);
  const at = { noData: 40, min: 64, max: 88 } as const;
  for (const [slot, values] of Object.entries(slots) as Array<[keyof typeof at, bigint[]]>) {
    values.forEach((value, k) => v.setBigUint64(at[slot] + 8 * k, BigInt.asUintN(64, value), true));
  }
  return d;
}

describe('normalizeExtraBytesVlr', () => {
  it('splits a deprecated 3-element array into three fields with their own min/max', () => {
    const input = descriptor(23, 2 | 4, 'Colors', { min: [1n, 2n, 3n], max: [100n, 200n, 300n] });
    const out = normalizeExtraBytesVlr(input);
    expect(out.byteLength).toBe(3 * 192);
    const parsed = Las.ExtraBytes.parse(out);
    expect(parsed.map((e) => [e.name, e.type, e.length, e.min, e.max])).toEqual([
      ['Colors[0]', 'unsigned', 2, 1, 100],
      ['Colors[1]', 'unsigned', 2, 2, 200],
      ['Colors[2]', 'unsigned', 2, 3, 300],
    ]);
  });

  it('clears slots whose option bit is off and trims an all-ones no_data to the field width', () => {
    const input = descriptor(3, 1, 'Deviation', { noData: [-1n], min: [-1n], max: [-1n] });
    const out = normalizeExtraBytesVlr(input);
    const v = new DataView(out.buffer);
    expect(v.getBigUint64(40, true)).toBe(65535n);
    expect(v.getBigUint64(64, true)).toBe(0n);
    expect(v.getBigUint64(88, true)).toBe(0n);
    expect(Las.ExtraBytes.parse(out)[0]).toMatchObject({ name: 'Deviation', nodata: 65535 });
    // Signed fields keep their sign: -5000 in an int16 stays -5000.
    const signed = normalizeExtraBytesVlr(descriptor(4, 2, 'Reflectance', { min: [-5000n] }));
    expect(new DataView(signed.buffer).getBigInt64(64, true)).toBe(-5000n);
  });
});
