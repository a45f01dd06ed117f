/**
 * The elevation colour ramp: low heights blue, through cyan, green and yellow, to red at the top.
 */

/** Ramp stops as [t, r, g, b] with t in 0..1 and colours in 0..255. */
const STOPS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0.0, 40, 60, 200],
  [0.25, 30, 170, 220],
  [0.5, 60, 200, 90],
  [0.75, 240, 220, 60],
  [1.0, 220, 50, 40],
];

/** Writes the ramp colour for `t` (clamped to 0..1) as three bytes into `out` at `offset`. */
export function writeRampColour(t: number, out: Uint8Array, offset: number): void {
  const clamped = t <= 0 ? 0 : t >= 1 ? 1 : t;
  let i = 1;
  while (i < STOPS.length - 1 && STOPS[i]![0] < clamped) i++;
  const [t0, r0, g0, b0] = STOPS[i - 1]!;
  const [t1, r1, g1, b1] = STOPS[i]!;
  const f = t1 > t0 ? (clamped - t0) / (t1 - t0) : 0;
  out[offset] = Math.round(r0 + (r1 - r0) * f);
  out[offset + 1] = Math.round(g0 + (g1 - g0) * f);
  out[offset + 2] = Math.round(b0 + (b1 - b0) * f);
}
