/**
 * POINT14 (LASzip item type 10, version 3) layered encoder for the 30-byte core of PDRF 6/7/8 records
 * (LAZ-FORMAT.md §6): nine streams (XY, Z, classification, flags, intensity, scan angle, user data, point source,
 * GPS time), four scanner-channel contexts, streaming-median X/Y prediction and the GPS sequence coder.
 */
import { ArithmeticEncoder } from './ArithmeticEncoder.ts';
import { IntegerCompressor } from './IntegerCompressor.ts';
import { EMPTY_LAYER } from './layered-item.ts';
import { SymbolModel } from './models.ts';
import { bumpExtreme, LEVEL8, MAP6, medianAdd, Point14State, TWO_POW_32 } from './point14-context.ts';

/** Layer order inside the item (LAZ-FORMAT.md §6.2). */
const XY = 0;
const Z = 1;
const CLASSIFICATION = 2;
const FLAGS = 3;
const INTENSITY = 4;
const SCAN_ANGLE = 5;
const USER_DATA = 6;
const POINT_SOURCE = 7;
const GPS_TIME = 8;
const LAYER_COUNT = 9;

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
/** Marks "difference does not fit in i32" (any value outside the i32 range works). */
const NO_FIT = TWO_POW_32;

/** Difference of two 64-bit patterns given as (signed hi, unsigned lo), or NO_FIT when it leaves the i32 range. */
function patternDiff(hiA: number, loA: number, hiB: number, loB: number): number {
  const dh = hiA - hiB;
  if (dh > 1 || dh < -1) return NO_FIT;
  const d = dh * TWO_POW_32 + (loA - loB);
  return d < I32_MIN || d > I32_MAX ? NO_FIT : d;
}

/** Everything one scanner channel remembers within a chunk (LAZ-FORMAT.md §6.3): its last point and models. */
class ChannelContext extends Point14State {
  /** The GPS time as a double, used only for the "changed" comparison (the pattern is in gpsHi/gpsLo). */
  gpsF = 0;

  readonly changeModels: (SymbolModel | undefined)[] = new Array(8).fill(undefined);
  channelModel: SymbolModel | undefined;
  readonly nModels: (SymbolModel | undefined)[] = new Array(16).fill(undefined);
  readonly rModels: (SymbolModel | undefined)[] = new Array(16).fill(undefined);
  rSameGpsModel: SymbolModel | undefined;
  readonly classModels: (SymbolModel | undefined)[] = new Array(64).fill(undefined);
  readonly flagsModels: (SymbolModel | undefined)[] = new Array(64).fill(undefined);
  readonly userModels: (SymbolModel | undefined)[] = new Array(64).fill(undefined);
  gpsMultiModel: SymbolModel | undefined;
  gps0Model: SymbolModel | undefined;

  readonly icDx = new IntegerCompressor(32, 2);
  readonly icDy = new IntegerCompressor(32, 22);
  readonly icZ = new IntegerCompressor(32, 20);
  readonly icIntensity = new IntegerCompressor(16, 4);
  readonly icScanAngle = new IntegerCompressor(16, 2);
  readonly icPointSource = new IntegerCompressor(16, 1);
  readonly icGps = new IntegerCompressor(32, 9);

  override initFrom(src: ChannelContext): void {
    super.initFrom(src);
    this.gpsF = src.gpsF;
  }
}

/** Encoder of the POINT14 item of one chunk at a time; reuse it across chunks with `reset()`. */
export class Point14Encoder {
  readonly layerCount = LAYER_COUNT;
  private readonly encoders: ArithmeticEncoder[] = [];
  private readonly changed = new Uint8Array(LAYER_COUNT);
  private readonly contexts: (ChannelContext | undefined)[] = [undefined, undefined, undefined, undefined];
  private prevCh = 0;

  constructor() {
    for (let i = 0; i < LAYER_COUNT; i++) this.encoders.push(new ArithmeticEncoder(i === XY ? 4096 : 1024));
  }

  /** Forgets the previous chunk. */
  reset(): void {
    for (const enc of this.encoders) enc.reset();
    this.changed.fill(0);
    this.contexts.fill(undefined);
    this.prevCh = 0;
  }

  /**
   * Remembers the first point of a chunk (stored raw by the caller) and returns the hand-over context for the
   * following items: its scanner channel.
   */
  encodeFirst(bytes: Uint8Array, view: DataView, o: number): number {
    const ch = (bytes[o + 15]! >> 4) & 3;
    const c = new ChannelContext();
    c.readFirst(bytes, view, o);
    c.gpsF = view.getFloat64(o + 22, true);
    this.contexts[ch] = c;
    this.prevCh = ch;
    return ch;
  }

  /** Codes a further point of the chunk and returns the hand-over context for the following items (§7.1). */
  encodeNext(bytes: Uint8Array, view: DataView, o: number): number {
    const x = view.getInt32(o, true);
    const y = view.getInt32(o + 4, true);
    const z = view.getInt32(o + 8, true);
    const intensity = bytes[o + 12]! | (bytes[o + 13]! << 8);
    const rn = bytes[o + 14]!;
    const r = rn & 15;
    const n = rn >> 4;
    const fb = bytes[o + 15]!;
    const ch = (fb >> 4) & 3;
    const flags6 = (fb & 15) | ((fb >> 2) & 0x30);
    const cls = bytes[o + 16]!;
    const ud = bytes[o + 17]!;
    const sa = ((bytes[o + 18]! | (bytes[o + 19]! << 8)) << 16) >> 16;
    const psid = bytes[o + 20]! | (bytes[o + 21]! << 8);
    const gpsLo = view.getUint32(o + 22, true);
    const gpsHi = view.getInt32(o + 26, true);
    const gpsF = view.getFloat64(o + 22, true);

    const encoders = this.encoders;
    const encXY = encoders[XY]!;
    const prevCh = this.prevCh;
    const contexts = this.contexts;
    const P = contexts[prevCh]!;
    const existing = contexts[ch];
    const L = existing ?? P;

    // 1-3: previous-point class, changes against the context's last point, change mask.
    const lpr = (P.r === 1 ? 1 : 0) + (P.r >= P.n ? 2 : 0) + (P.lastGpsChanged ? 4 : 0);
    // Note: a floating-point comparison, as the references do (+0.0 == −0.0, NaN != NaN; LAZ-FORMAT.md §6.9).
    const gpsChanged = gpsF !== L.gpsF ? 1 : 0;
    const lr = L.r;
    const returnClass = r === lr ? 0 : r === ((lr + 1) & 15) ? 1 : r === ((lr + 15) & 15) ? 2 : 3;
    const nChanged = n !== L.n;
    const saChanged = sa !== L.sa;
    const psChanged = psid !== L.psid;
    const chChanged = ch !== prevCh;
    const mask =
      returnClass | (nChanged ? 4 : 0) | (saChanged ? 8 : 0) | (gpsChanged << 4) | (psChanged ? 32 : 0) | (chChanged ? 64 : 0);
    encXY.encodeSymbol(P.changeModels[lpr] ?? (P.changeModels[lpr] = new SymbolModel(128)), mask);

    // 5-6: channel delta; a new context starts from the previous point (of the other channel).
    let R: ChannelContext;
    if (chChanged) {
      const d = ch - prevCh;
      encXY.encodeSymbol(P.channelModel ?? (P.channelModel = new SymbolModel(3)), d > 0 ? d - 1 : d + 3);
      if (existing) {
        R = existing;
      } else {
        R = new ChannelContext();
        R.initFrom(P);
        contexts[ch] = R;
      }
    } else {
      R = P;
    }

    // 7-8: number of returns and return number.
    if (nChanged) encXY.encodeSymbol(R.nModels[R.n] ?? (R.nModels[R.n] = new SymbolModel(16)), n);
    if (returnClass === 3) {
      if (gpsChanged) encXY.encodeSymbol(R.rModels[lr] ?? (R.rModels[lr] = new SymbolModel(16)), r);
      else encXY.encodeSymbol(R.rSameGpsModel ?? (R.rSameGpsModel = new SymbolModel(13)), ((r - lr) & 15) - 2);
    }

    // 9-11: X and Y against streaming medians.
    const rnIndex = n * 16 + r;
    const mi = MAP6[rnIndex]! * 2 + gpsChanged;
    const l = LEVEL8[rnIndex]!;
    const cpr = (r === 1 ? 2 : 0) + (r >= n ? 1 : 0);
    const one = n === 1 ? 1 : 0;
    const dx = (x - R.x) | 0;
    R.icDx.compress(encXY, R.medX[mi * 5 + 2]!, dx, one);
    medianAdd(R.medX, R.medXHigh, mi, dx);
    const kX = R.icDx.lastK;
    const dy = (y - R.y) | 0;
    R.icDy.compress(encXY, R.medY[mi * 5 + 2]!, dy, one + (kX < 20 ? kX & ~1 : 20));
    medianAdd(R.medY, R.medYHigh, mi, dy);

    // 12: Z.
    const kZ = (kX + R.icDy.lastK) >> 1;
    R.icZ.compress(encoders[Z]!, R.lastZ[l]!, z, one + (kZ < 18 ? kZ & ~1 : 18));
    R.lastZ[l] = z;

    // 13-14: classification and flags.
    const ci = ((R.cls & 31) << 1) + (cpr === 3 ? 1 : 0);
    encoders[CLASSIFICATION]!.encodeSymbol(R.classModels[ci] ?? (R.classModels[ci] = new SymbolModel(256)), cls);
    if (cls !== R.cls) this.changed[CLASSIFICATION] = 1;
    const lf = R.flags6;
    encoders[FLAGS]!.encodeSymbol(R.flagsModels[lf] ?? (R.flagsModels[lf] = new SymbolModel(64)), flags6);
    if (flags6 !== lf) this.changed[FLAGS] = 1;

    // 15: intensity.
    const ii = cpr * 2 + gpsChanged;
    R.icIntensity.compress(encoders[INTENSITY]!, R.lastIntensity[ii]!, intensity, cpr);
    R.lastIntensity[ii] = intensity;
    if (intensity !== R.intensity) this.changed[INTENSITY] = 1;

    // 16-18: scan angle, user data, point source.
    if (saChanged) {
      R.icScanAngle.compress(encoders[SCAN_ANGLE]!, R.sa, sa, gpsChanged);
      this.changed[SCAN_ANGLE] = 1;
    }
    const ui = R.ud >> 2;
    encoders[USER_DATA]!.encodeSymbol(R.userModels[ui] ?? (R.userModels[ui] = new SymbolModel(256)), ud);
    if (ud !== R.ud) this.changed[USER_DATA] = 1;
    if (psChanged) {
      R.icPointSource.compress(encoders[POINT_SOURCE]!, R.psid, psid, 0);
      this.changed[POINT_SOURCE] = 1;
    }

    // 19: GPS time.
    if (gpsChanged) {
      this.encodeGps(R, encoders[GPS_TIME]!, gpsHi, gpsLo);
      this.changed[GPS_TIME] = 1;
    }

    // 20-21: hand-over context, remember the point.
    this.prevCh = ch;
    R.lastGpsChanged = gpsChanged === 1;
    R.x = x;
    R.y = y;
    R.z = z;
    R.intensity = intensity;
    R.r = r;
    R.n = n;
    R.flags6 = flags6;
    R.cls = cls;
    R.ud = ud;
    R.sa = sa;
    R.psid = psid;
    R.gpsHi = gpsHi;
    R.gpsLo = gpsLo;
    R.gpsF = gpsF;
    return chChanged ? ch : 0;
  }

  /** LAZ-FORMAT.md §6.7: the GPS time as a difference in one of four sequences of 64-bit patterns. */
  private encodeGps(R: ChannelContext, enc: ArithmeticEncoder, hi: number, lo: number): void {
    const seqHi = R.seqHi;
    const seqLo = R.seqLo;
    const seqDiff = R.seqDiff;
    const seqExtreme = R.seqExtreme;
    for (;;) {
      const s = R.seq;
      if (seqDiff[s] === 0) {
        const gps0 = R.gps0Model ?? (R.gps0Model = new SymbolModel(5));
        let i = 0;
        let d = NO_FIT;
        for (; i < 4; i++) {
          const j = (s + i) & 3;
          d = patternDiff(hi, lo, seqHi[j]!, seqLo[j]!);
          if (d !== NO_FIT) break;
        }
        if (i === 0) {
          enc.encodeSymbol(gps0, 0);
          R.icGps.compress(enc, 0, d, 0);
          seqDiff[s] = d;
          seqExtreme[s] = 0;
        } else if (i < 4) {
          enc.encodeSymbol(gps0, i + 1);
          R.seq = (s + i) & 3;
          continue;
        } else {
          enc.encodeSymbol(gps0, 1);
          this.startSequence(R, enc, s, hi, lo);
        }
      } else {
        const multiModel = R.gpsMultiModel ?? (R.gpsMultiModel = new SymbolModel(515));
        const d = patternDiff(hi, lo, seqHi[s]!, seqLo[s]!);
        if (d !== NO_FIT) {
          const last = seqDiff[s]!;
          // Float32 division and float32 "+ 0.5" before truncation, as the references compute it.
          const q = Math.fround(Math.fround(d) / Math.fround(last));
          let multi = q >= 0 ? Math.trunc(Math.fround(q + 0.5)) : Math.trunc(Math.fround(q - 0.5));
          if (multi > I32_MAX || multi < I32_MIN) multi = I32_MIN;
          const ic = R.icGps;
          if (multi === 1) {
            enc.encodeSymbol(multiModel, 1);
            ic.compress(enc, last, d, 1);
            seqExtreme[s] = 0;
          } else if (multi > 1) {
            if (multi < 10) {
              enc.encodeSymbol(multiModel, multi);
              ic.compress(enc, Math.imul(multi, last), d, 2);
            } else if (multi < 500) {
              enc.encodeSymbol(multiModel, multi);
              ic.compress(enc, Math.imul(multi, last), d, 3);
            } else {
              enc.encodeSymbol(multiModel, 500);
              ic.compress(enc, Math.imul(500, last), d, 4);
              bumpExtreme(seqExtreme, seqDiff, s, d);
            }
          } else if (multi < 0) {
            if (multi > -10) {
              enc.encodeSymbol(multiModel, 500 - multi);
              ic.compress(enc, Math.imul(multi, last), d, 5);
            } else {
              enc.encodeSymbol(multiModel, 510);
              ic.compress(enc, Math.imul(-10, last), d, 6);
              bumpExtreme(seqExtreme, seqDiff, s, d);
            }
          } else {
            enc.encodeSymbol(multiModel, 0);
            ic.compress(enc, 0, d, 7);
            bumpExtreme(seqExtreme, seqDiff, s, d);
          }
        } else {
          let i = 1;
          for (; i < 4; i++) {
            const j = (s + i) & 3;
            if (patternDiff(hi, lo, seqHi[j]!, seqLo[j]!) !== NO_FIT) break;
          }
          if (i < 4) {
            enc.encodeSymbol(multiModel, 511 + i);
            R.seq = (s + i) & 3;
            continue;
          }
          enc.encodeSymbol(multiModel, 511);
          this.startSequence(R, enc, s, hi, lo);
        }
      }
      seqHi[R.seq] = hi;
      seqLo[R.seq] = lo;
      return;
    }
  }

  /** Codes the full pattern (hi against the current sequence's hi, lo raw) and moves to the next sequence slot. */
  private startSequence(R: ChannelContext, enc: ArithmeticEncoder, s: number, hi: number, lo: number): void {
    R.icGps.compress(enc, R.seqHi[s]!, hi, 8);
    enc.writeInt(lo);
    R.nextSeq = (R.nextSeq + 1) & 3;
    R.seq = R.nextSeq;
    R.seqDiff[R.seq] = 0;
    R.seqExtreme[R.seq] = 0;
  }

  /** Finishes all nine streams. */
  finish(): void {
    for (const enc of this.encoders) enc.done();
  }

  /** Bytes of layer i: XY and Z always, the others only when their field changed in this chunk (§6.8). */
  layerBytes(i: number): Uint8Array {
    if (i > Z && !this.changed[i]) return EMPTY_LAYER;
    return this.encoders[i]!.bytes();
  }
}
