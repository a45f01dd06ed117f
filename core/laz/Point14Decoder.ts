/**
 * POINT14 (LASzip item type 10, version 3) layered decoder for the 30-byte core of PDRF 6/7/8 records
 * (LAZ-FORMAT.md §6): the mirror of Point14Encoder. Nine layers (XY, Z, classification, flags, intensity, scan
 * angle, user data, point source, GPS time), each its own arithmetic-coded stream; every layer depends only on
 * the XY layer and itself, so a layer that is not selected is never read and costs nothing (its fields keep the
 * chunk's first value, as in LASzip's selective decompression, §9 item 15).
 *
 * After each `decodeFirst`/`decodeNext` the decoded point is `current` (the fields of a layer that was not
 * selected are stale there).
 */
import { ArithmeticDecoder } from './ArithmeticDecoder.ts';
import { IntegerDecompressor } from './IntegerDecompressor.ts';
import { type DecoderSymbolModel, takeSymbolModel } from './DecoderSymbolModel.ts';
import { bumpExtreme, LEVEL8, MAP6, medianAdd, Point14State, TWO_POW_32 } from './point14-context.ts';

/** Layer order inside the POINT14 item (LAZ-FORMAT.md §6.2). */
export const POINT14_LAYERS = ['xy', 'z', 'classification', 'flags', 'intensity', 'scanAngle', 'userData', 'pointSource', 'gpsTime'] as const;

/** Everything one scanner channel remembers within a chunk (LAZ-FORMAT.md §6.3): its last point and models. */
export class Point14Context extends Point14State {
  /** Scanner channel (the context's index). */
  ch = 0;

  readonly changeModels: (DecoderSymbolModel | undefined)[] = new Array(8).fill(undefined);
  channelModel: DecoderSymbolModel | undefined;
  readonly nModels: (DecoderSymbolModel | undefined)[] = new Array(16).fill(undefined);
  readonly rModels: (DecoderSymbolModel | undefined)[] = new Array(16).fill(undefined);
  rSameGpsModel: DecoderSymbolModel | undefined;
  readonly classModels: (DecoderSymbolModel | undefined)[] = new Array(64).fill(undefined);
  readonly flagsModels: (DecoderSymbolModel | undefined)[] = new Array(64).fill(undefined);
  readonly userModels: (DecoderSymbolModel | undefined)[] = new Array(64).fill(undefined);
  gpsMultiModel: DecoderSymbolModel | undefined;
  gps0Model: DecoderSymbolModel | undefined;

  readonly icDx = new IntegerDecompressor(32, 2);
  readonly icDy = new IntegerDecompressor(32, 22);
  readonly icZ = new IntegerDecompressor(32, 20);
  readonly icIntensity = new IntegerDecompressor(16, 4);
  readonly icScanAngle = new IntegerDecompressor(16, 2);
  readonly icPointSource = new IntegerDecompressor(16, 1);
  readonly icGps = new IntegerDecompressor(32, 9);
}

/** Decoder of the POINT14 item of one chunk at a time; reuse it across chunks with `start()`. */
export class Point14Decoder {
  readonly layerCount = 9;
  /** The point decoded last (the context of its scanner channel). */
  current: Point14Context = new Point14Context();
  private readonly xy = new ArithmeticDecoder('XY');
  private readonly zDec = new ArithmeticDecoder('Z');
  private readonly classDec = new ArithmeticDecoder('classification');
  private readonly flagsDec = new ArithmeticDecoder('flags');
  private readonly intensityDec = new ArithmeticDecoder('intensity');
  private readonly scanAngleDec = new ArithmeticDecoder('scan angle');
  private readonly userDec = new ArithmeticDecoder('user data');
  private readonly sourceDec = new ArithmeticDecoder('point source');
  private readonly gpsDec = new ArithmeticDecoder('GPS time');
  /** Per layer 2…8: decode it (selected and not empty). XY and Z are always decoded. */
  private doClass = false;
  private doFlags = false;
  private doIntensity = false;
  private doScanAngle = false;
  private doUser = false;
  private doSource = false;
  private doGps = false;
  private readonly contexts: (Point14Context | undefined)[] = [undefined, undefined, undefined, undefined];
  private prevCh = 0;

  /**
   * Starts a chunk: the raw first point at `first` and the nine layers at `layerStart[i]` with `layerSize[i]`
   * bytes; layers 2…8 are decoded only where `selected[i]` is set. Returns the hand-over context of the first
   * point's following items (its scanner channel).
   */
  start(bytes: Uint8Array, first: number, layerStart: ArrayLike<number>, layerSize: ArrayLike<number>, selected: ArrayLike<boolean>): number {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const o = first;
    const fb = bytes[o + 15]!;
    const ch = (fb >> 4) & 3;
    const c = new Point14Context();
    c.readFirst(bytes, view, o);
    c.ch = ch;
    this.contexts.fill(undefined);
    this.contexts[ch] = c;
    this.prevCh = ch;
    this.current = c;

    // LAZ-FORMAT.md §6.8: a layer of size 0 means "never changed" (laz-perf then never reads it: scan angle, point
    // source and GPS are only read for points whose change mask says so, and then the layer is not empty).
    const use = (i: number, dec: ArithmeticDecoder): boolean => {
      if (!selected[i] || layerSize[i] === 0) return false;
      dec.init(bytes, layerStart[i]!, layerStart[i]! + layerSize[i]!);
      return true;
    };
    this.xy.init(bytes, layerStart[0]!, layerStart[0]! + layerSize[0]!);
    this.zDec.init(bytes, layerStart[1]!, layerStart[1]! + layerSize[1]!);
    this.doClass = use(2, this.classDec);
    this.doFlags = use(3, this.flagsDec);
    this.doIntensity = use(4, this.intensityDec);
    this.doScanAngle = use(5, this.scanAngleDec);
    this.doUser = use(6, this.userDec);
    this.doSource = use(7, this.sourceDec);
    this.doGps = use(8, this.gpsDec);
    return ch;
  }

  /** Throws `Invalid LAZ chunk: …` unless every layer decoded in this chunk was read to its end. */
  expectConsumed(points: number): void {
    this.xy.expectConsumed(points);
    this.zDec.expectConsumed(points);
    if (this.doClass) this.classDec.expectConsumed(points);
    if (this.doFlags) this.flagsDec.expectConsumed(points);
    if (this.doIntensity) this.intensityDec.expectConsumed(points);
    if (this.doScanAngle) this.scanAngleDec.expectConsumed(points);
    if (this.doUser) this.userDec.expectConsumed(points);
    if (this.doSource) this.sourceDec.expectConsumed(points);
    if (this.doGps) this.gpsDec.expectConsumed(points);
  }

  /** Decodes the next point of the chunk into `current`; returns the hand-over context of its following items. */
  next(): number {
    const xy = this.xy;
    const prevCh = this.prevCh;
    const contexts = this.contexts;
    const P = contexts[prevCh]!;

    // LAZ-FORMAT.md §6.6 steps 1-4: the change mask, coded with the previous point's context.
    const lpr = (P.r === 1 ? 1 : 0) + (P.r >= P.n ? 2 : 0) + (P.lastGpsChanged ? 4 : 0);
    const mask = xy.decodeSymbol(P.changeModels[lpr] ?? (P.changeModels[lpr] = takeSymbolModel(128)));
    const gpsChanged = (mask >> 4) & 1;

    // 5-6: scanner channel; a new context starts from the previous point (of the other channel).
    let R = P;
    let ch = prevCh;
    const chChanged = (mask & 64) !== 0;
    if (chChanged) {
      ch = (prevCh + xy.decodeSymbol(P.channelModel ?? (P.channelModel = takeSymbolModel(3))) + 1) & 3;
      const existing = contexts[ch];
      if (existing) {
        R = existing;
      } else {
        R = new Point14Context();
        R.initFrom(P);
        R.ch = ch;
        contexts[ch] = R;
      }
    }

    // 7-8: number of returns and return number (R's last point is the point compared against).
    if (mask & 4) R.n = xy.decodeSymbol(R.nModels[R.n] ?? (R.nModels[R.n] = takeSymbolModel(16)));
    const returnClass = mask & 3;
    const lr = R.r;
    let r: number;
    if (returnClass === 0) r = lr;
    else if (returnClass === 1) r = (lr + 1) & 15;
    else if (returnClass === 2) r = (lr + 15) & 15;
    else if (gpsChanged) r = xy.decodeSymbol(R.rModels[lr] ?? (R.rModels[lr] = takeSymbolModel(16)));
    else r = (lr + 2 + xy.decodeSymbol(R.rSameGpsModel ?? (R.rSameGpsModel = takeSymbolModel(13)))) & 15;
    R.r = r;
    const n = R.n;

    // 9-11: X and Y against streaming medians.
    const rnIndex = n * 16 + r;
    const mi = MAP6[rnIndex]! * 2 + gpsChanged;
    const one = n === 1 ? 1 : 0;
    const dx = R.icDx.decompress(xy, R.medX[mi * 5 + 2]!, one);
    R.x = (R.x + dx) | 0;
    medianAdd(R.medX, R.medXHigh, mi, dx);
    const kX = R.icDx.lastK;
    const dy = R.icDy.decompress(xy, R.medY[mi * 5 + 2]!, one + (kX < 20 ? kX & ~1 : 20));
    R.y = (R.y + dy) | 0;
    medianAdd(R.medY, R.medYHigh, mi, dy);

    // 12: Z.
    const kZ = (kX + R.icDy.lastK) >> 1;
    const l = LEVEL8[rnIndex]!;
    const z = R.icZ.decompress(this.zDec, R.lastZ[l]!, one + (kZ < 18 ? kZ & ~1 : 18));
    R.z = z;
    R.lastZ[l] = z;

    // 13-18: classification, flags, intensity, scan angle, user data, point source (each only if selected).
    const cpr = (r === 1 ? 2 : 0) + (r >= n ? 1 : 0);
    if (this.doClass) {
      const ci = ((R.cls & 31) << 1) + (cpr === 3 ? 1 : 0);
      R.cls = this.classDec.decodeSymbol(R.classModels[ci] ?? (R.classModels[ci] = takeSymbolModel(256)));
    }
    if (this.doFlags) {
      const lf = R.flags6;
      R.flags6 = this.flagsDec.decodeSymbol(R.flagsModels[lf] ?? (R.flagsModels[lf] = takeSymbolModel(64)));
    }
    if (this.doIntensity) {
      const ii = cpr * 2 + gpsChanged;
      const intensity = R.icIntensity.decompress(this.intensityDec, R.lastIntensity[ii]!, cpr);
      R.lastIntensity[ii] = intensity;
      R.intensity = intensity;
    }
    if (this.doScanAngle && mask & 8) {
      // The 16-bit decompressor returns [0, 2^16); the field is signed.
      R.sa = (R.icScanAngle.decompress(this.scanAngleDec, R.sa, gpsChanged) << 16) >> 16;
    }
    if (this.doUser) {
      const ui = R.ud >> 2;
      R.ud = this.userDec.decodeSymbol(R.userModels[ui] ?? (R.userModels[ui] = takeSymbolModel(256)));
    }
    if (this.doSource && mask & 32) R.psid = R.icPointSource.decompress(this.sourceDec, R.psid, 0);

    // 19: GPS time.
    if (this.doGps && gpsChanged) this.decodeGps(R);

    // 20-21.
    this.prevCh = ch;
    R.lastGpsChanged = gpsChanged === 1;
    this.current = R;
    return chChanged ? ch : 0;
  }

  /** LAZ-FORMAT.md §6.7, decoder side: the GPS pattern as a difference in one of four sequences. */
  private decodeGps(R: Point14Context): void {
    const dec = this.gpsDec;
    const seqHi = R.seqHi;
    const seqLo = R.seqLo;
    const seqDiff = R.seqDiff;
    const seqExtreme = R.seqExtreme;
    // Note: an encoder switches sequence at most once per point (it picks the first one the time fits), so a
    // layer that keeps switching is corrupt; stop rather than spin through its bytes.
    for (let pass = 0; ; pass++) {
      if (pass > 3) throw new Error('Invalid LAZ chunk: GPS time layer switches sequence without end');
      const s = R.seq;
      if (seqDiff[s] === 0) {
        const sym = dec.decodeSymbol(R.gps0Model ?? (R.gps0Model = takeSymbolModel(5)));
        if (sym === 0) {
          const d = R.icGps.decompress(dec, 0, 0);
          addToPattern(seqHi, seqLo, s, d);
          seqDiff[s] = d;
          seqExtreme[s] = 0;
        } else if (sym === 1) {
          this.startSequence(R, s);
        } else {
          R.seq = (s + sym - 1) & 3;
          continue;
        }
      } else {
        const sym = dec.decodeSymbol(R.gpsMultiModel ?? (R.gpsMultiModel = takeSymbolModel(515)));
        const last = seqDiff[s]!;
        const ic = R.icGps;
        if (sym === 1) {
          addToPattern(seqHi, seqLo, s, ic.decompress(dec, last, 1));
          seqExtreme[s] = 0;
        } else if (sym < 10 && sym > 1) {
          addToPattern(seqHi, seqLo, s, ic.decompress(dec, Math.imul(sym, last), 2));
        } else if (sym < 500 && sym > 1) {
          addToPattern(seqHi, seqLo, s, ic.decompress(dec, Math.imul(sym, last), 3));
        } else if (sym === 500) {
          const d = ic.decompress(dec, Math.imul(500, last), 4);
          addToPattern(seqHi, seqLo, s, d);
          bumpExtreme(seqExtreme, seqDiff, s, d);
        } else if (sym > 500 && sym < 510) {
          addToPattern(seqHi, seqLo, s, ic.decompress(dec, Math.imul(500 - sym, last), 5));
        } else if (sym === 510) {
          const d = ic.decompress(dec, Math.imul(-10, last), 6);
          addToPattern(seqHi, seqLo, s, d);
          bumpExtreme(seqExtreme, seqDiff, s, d);
        } else if (sym === 0) {
          const d = ic.decompress(dec, 0, 7);
          addToPattern(seqHi, seqLo, s, d);
          bumpExtreme(seqExtreme, seqDiff, s, d);
        } else if (sym === 511) {
          this.startSequence(R, s);
        } else {
          R.seq = (s + sym - 511) & 3;
          continue;
        }
      }
      R.gpsHi = seqHi[R.seq]!;
      R.gpsLo = seqLo[R.seq]!;
      return;
    }
  }

  /** A full pattern (hi against the current sequence's hi, lo raw) opens the next sequence slot. */
  private startSequence(R: Point14Context, s: number): void {
    const hi = R.icGps.decompress(this.gpsDec, R.seqHi[s]!, 8);
    const lo = this.gpsDec.readInt();
    R.nextSeq = (R.nextSeq + 1) & 3;
    R.seq = R.nextSeq;
    R.seqHi[R.seq] = hi;
    R.seqLo[R.seq] = lo;
    R.seqDiff[R.seq] = 0;
    R.seqExtreme[R.seq] = 0;
  }
}

/** Adds the i32 difference d to the 64-bit pattern (hi[i], lo[i]). */
function addToPattern(hi: Int32Array, lo: Uint32Array, i: number, d: number): void {
  const sum = lo[i]! + d;
  // sum lies in (−2^31, 2^32 + 2^31): the carry into the upper half is −1, 0 or 1.
  const carry = sum < 0 ? -1 : sum >= TWO_POW_32 ? 1 : 0;
  lo[i] = sum - carry * TWO_POW_32;
  hi[i] = (hi[i]! + carry) | 0;
}
