/**
 * Growable point columns of one epoch in the street frame (u, v, z) plus the LAS attributes, filled by the scanner.
 */

/** Growable point columns in the street frame plus the attributes; `ensure` grows every column by 1.5×. */
export class PointBuffer {
  count = 0;
  u = new Float64Array(0);
  v = new Float64Array(0);
  z = new Float64Array(0);
  gpsTime = new Float64Array(0);
  intensity = new Uint16Array(0);
  red = new Uint16Array(0);
  green = new Uint16Array(0);
  blue = new Uint16Array(0);
  classification = new Uint8Array(0);
  scannerChannel = new Uint8Array(0);
  userData = new Uint8Array(0);
  scanAngle = new Int16Array(0);

  ensure(extra: number): void {
    const need = this.count + extra;
    if (need <= this.u.length) return;
    const size = Math.max(need, Math.ceil(this.u.length * 1.5), 65536);
    const grow = <T extends Float64Array | Uint16Array | Uint8Array | Int16Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, this.count) as never);
      return b;
    };
    this.u = grow(this.u, (n) => new Float64Array(n));
    this.v = grow(this.v, (n) => new Float64Array(n));
    this.z = grow(this.z, (n) => new Float64Array(n));
    this.gpsTime = grow(this.gpsTime, (n) => new Float64Array(n));
    this.intensity = grow(this.intensity, (n) => new Uint16Array(n));
    this.red = grow(this.red, (n) => new Uint16Array(n));
    this.green = grow(this.green, (n) => new Uint16Array(n));
    this.blue = grow(this.blue, (n) => new Uint16Array(n));
    this.classification = grow(this.classification, (n) => new Uint8Array(n));
    this.scannerChannel = grow(this.scannerChannel, (n) => new Uint8Array(n));
    this.userData = grow(this.userData, (n) => new Uint8Array(n));
    this.scanAngle = grow(this.scanAngle, (n) => new Int16Array(n));
  }
}

