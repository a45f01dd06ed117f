/**
 * Rewrites an input's extra-bytes description (`LASF_Spec`/4, LAS 1.4 R15 §2.5.2, 192 bytes per field) into
 * the form COPC readers accept, without touching the record bytes it describes.
 */

const DESCRIPTOR_LENGTH = 192;
// LAS 1.4 R15 table 24: per field, 3 slots of 8 bytes each for no_data (40), min (64), max (88), scale (112)
// and offset (136); option bits 0-4 say which of them are meaningful.
const SLOT_FIELDS: ReadonlyArray<{ at: number; bit: number }> = [
  { at: 40, bit: 1 },
  { at: 64, bit: 2 },
  { at: 88, bit: 4 },
  { at: 112, bit: 8 },
  { at: 136, bit: 16 },
];

// Byte width of the integer types 1-8 (uchar, char, ushort, short, ulong, long, ulonglong, longlong).
const INTEGER_SIZE: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4 };

/**
 * Splits the deprecated 2- and 3-element array types (11-30) into one field per element named `name[k]`
 * (same bytes, same order), zeroes the no_data/min/max/scale/offset slots whose option bit is clear, and trims integer slots to the
 * field's width.
 * Note: copc.js rejects types >= 11 and throws on uint64 slot values above 2^53 (e.g. an unused no_data of
 * all ones), so unnormalised descriptors from older files make the output unreadable there.
 */
export function normalizeExtraBytesVlr(payload: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  for (let at = 0; at + DESCRIPTOR_LENGTH <= payload.byteLength; at += DESCRIPTOR_LENGTH) {
    const source = payload.subarray(at, at + DESCRIPTOR_LENGTH);
    const type = source[2]!;
    const elements = type >= 21 && type <= 30 ? 3 : type >= 11 && type <= 20 ? 2 : 1;
    const baseType = elements === 3 ? type - 20 : elements === 2 ? type - 10 : type;
    let name = '';
    for (let i = 4; i < 36 && source[i] !== 0; i++) name += String.fromCharCode(source[i]!);
    for (let k = 0; k < elements; k++) {
      const d = new Uint8Array(DESCRIPTOR_LENGTH);
      d.set(source);
      d[2] = baseType;
      const options = d[3]!;
      for (const { at: slot, bit } of SLOT_FIELDS) {
        const value = source.subarray(slot + 8 * k, slot + 8 * k + 8);
        d.fill(0, slot, slot + 24);
        if (!(options & bit)) continue;
        d.set(value, slot);
        const size = INTEGER_SIZE[baseType];
        if (size !== undefined && slot < 112) {
          // Note: an integer slot holds the value in 64 bits; keep only what the field's own width can mean
          // (an all-ones uint16 no_data is 65535), sign-extended for signed types.
          const negative = baseType % 2 === 0 && (d[slot + size - 1]! & 0x80) !== 0;
          d.fill(negative ? 0xff : 0, slot + size, slot + 8);
        }
      }
      if (elements > 1) {
        const element = `${name.slice(0, 28)}[${k}]`;
        d.fill(0, 4, 36);
        for (let i = 0; i < element.length; i++) d[4 + i] = element.charCodeAt(i) & 0x7f;
      }
      out.push(d);
    }
  }
  const result = new Uint8Array(out.length * DESCRIPTOR_LENGTH);
  out.forEach((d, i) => result.set(d, i * DESCRIPTOR_LENGTH));
  return result;
}
