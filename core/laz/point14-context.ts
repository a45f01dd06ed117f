/**
 * What the POINT14 encoder and decoder share (LAZ-FORMAT.md §6.3-6.7): the return map and level tables, the
 * last-point state of one scanner channel, the streaming median and the GPS sequence bookkeeping. Plain functions
 * on typed arrays, so the hot loops of both sides stay monomorphic.
 */

// LAZ-FORMAT.md §6.4: return map m = MAP6[n][r] (row n, column r).
export const MAP6 = Uint8Array.from([
  0, 1, 2, 3, 4, 5, 3, 4, 4, 5, 5, 5, 5, 5, 5, 5,
  1, 0, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
  2, 1, 2, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3,
  3, 3, 4, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 3, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  5, 3, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  3, 3, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 3, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4, 4,
  4, 3, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4, 4,
  5, 3, 4, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4, 4,
  5, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4, 4, 4,
  5, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 4, 4, 4,
  5, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 4, 4,
  5, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 4,
  5, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5,
  5, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5,
]);

// LAZ-FORMAT.md §6.4: return level l = min(|n − r|, 7).
export const LEVEL8 = new Uint8Array(256);
for (let n = 0; n < 16; n++) for (let r = 0; r < 16; r++) LEVEL8[n * 16 + r] = Math.min(Math.abs(n - r), 7);

/** 2^32, the weight of the upper half of a 64-bit GPS pattern. */
export const TWO_POW_32 = 4294967296;

/**
 * The last point of one scanner channel and the prediction state derived from it (LAZ-FORMAT.md §6.3), without
 * the models, which differ between encoder and decoder (each side extends this class with its own).
 */
export class Point14State {
  x = 0;
  y = 0;
  z = 0;
  intensity = 0;
  r = 0;
  n = 0;
  /** classFlags | scanDir << 4 | eof << 5. */
  flags6 = 0;
  cls = 0;
  ud = 0;
  /** Scan angle, signed. */
  sa = 0;
  psid = 0;
  /** GPS time as its 64-bit pattern: upper half signed, lower half unsigned. */
  gpsHi = 0;
  gpsLo = 0;
  lastGpsChanged = false;

  readonly lastZ = new Int32Array(8);
  readonly lastIntensity = new Int32Array(8);
  /** 12 streaming medians of five for dX and dY: slots at 5·i … 5·i + 4, flag `high` per median. */
  readonly medX = new Int32Array(60);
  readonly medY = new Int32Array(60);
  readonly medXHigh = new Uint8Array(12).fill(1);
  readonly medYHigh = new Uint8Array(12).fill(1);

  seq = 0;
  nextSeq = 0;
  readonly seqHi = new Int32Array(4);
  readonly seqLo = new Uint32Array(4);
  readonly seqDiff = new Int32Array(4);
  readonly seqExtreme = new Int32Array(4);

  /** Takes the raw first point of a chunk at byte `o` (LAS 1.4 R15 §2.6 table 12: the 30-byte core of PDRF 6-8). */
  readFirst(bytes: Uint8Array, view: DataView, o: number): void {
    this.x = view.getInt32(o, true);
    this.y = view.getInt32(o + 4, true);
    this.z = view.getInt32(o + 8, true);
    this.intensity = view.getUint16(o + 12, true);
    const rn = bytes[o + 14]!;
    this.r = rn & 15;
    this.n = rn >> 4;
    const fb = bytes[o + 15]!;
    this.flags6 = (fb & 15) | ((fb >> 2) & 0x30);
    this.cls = bytes[o + 16]!;
    this.ud = bytes[o + 17]!;
    this.sa = view.getInt16(o + 18, true);
    this.psid = view.getUint16(o + 20, true);
    this.gpsLo = view.getUint32(o + 22, true);
    this.gpsHi = view.getInt32(o + 26, true);
    this.startPredictions();
  }

  /** initContext (LAZ-FORMAT.md §6.3) for a fresh context: start from another context's last point. */
  initFrom(src: Point14State): void {
    this.x = src.x;
    this.y = src.y;
    this.z = src.z;
    this.intensity = src.intensity;
    this.r = src.r;
    this.n = src.n;
    this.flags6 = src.flags6;
    this.cls = src.cls;
    this.ud = src.ud;
    this.sa = src.sa;
    this.psid = src.psid;
    this.gpsHi = src.gpsHi;
    this.gpsLo = src.gpsLo;
    this.startPredictions();
  }

  /** The last-Z and last-intensity predictors and the first GPS sequence start from the current point. */
  private startPredictions(): void {
    this.lastZ.fill(this.z);
    this.lastIntensity.fill(this.intensity);
    this.seqHi[0] = this.gpsHi;
    this.seqLo[0] = this.gpsLo;
  }
}

/** The LASzip "streaming median of five" update of median i (LAZ-FORMAT.md §6.4; not a true sliding median). */
export function medianAdd(slots: Int32Array, high: Uint8Array, i: number, d: number): void {
  const b = i * 5;
  if (high[i]) {
    if (d < slots[b + 2]!) {
      slots[b + 4] = slots[b + 3]!;
      slots[b + 3] = slots[b + 2]!;
      if (d < slots[b]!) {
        slots[b + 2] = slots[b + 1]!;
        slots[b + 1] = slots[b]!;
        slots[b] = d;
      } else if (d < slots[b + 1]!) {
        slots[b + 2] = slots[b + 1]!;
        slots[b + 1] = d;
      } else {
        slots[b + 2] = d;
      }
    } else {
      if (d < slots[b + 3]!) {
        slots[b + 4] = slots[b + 3]!;
        slots[b + 3] = d;
      } else {
        slots[b + 4] = d;
      }
      high[i] = 0;
    }
  } else {
    if (slots[b + 2]! < d) {
      slots[b] = slots[b + 1]!;
      slots[b + 1] = slots[b + 2]!;
      if (slots[b + 4]! < d) {
        slots[b + 2] = slots[b + 3]!;
        slots[b + 3] = slots[b + 4]!;
        slots[b + 4] = d;
      } else if (slots[b + 3]! < d) {
        slots[b + 2] = slots[b + 3]!;
        slots[b + 3] = d;
      } else {
        slots[b + 2] = d;
      }
    } else {
      if (slots[b + 1]! < d) {
        slots[b] = slots[b + 1]!;
        slots[b + 1] = d;
      } else {
        slots[b] = d;
      }
      high[i] = 1;
    }
  }
}

/**
 * LAZ-FORMAT.md §6.7: after the fourth extreme multiple in a row, sequence s takes the difference d as its new
 * step.
 */
export function bumpExtreme(seqExtreme: Int32Array, seqDiff: Int32Array, s: number, d: number): void {
  if (++seqExtreme[s]! > 3) {
    seqDiff[s] = d;
    seqExtreme[s] = 0;
  }
}
