/**
 * The street frame: local (u = station, v = offset, right positive) to EPSG:25832 (E, N) and back.
 * E = originE + u·sin(bearing) + v·cos(bearing); N = originN + u·cos(bearing) - v·sin(bearing).
 */

/** Origin and bearing of the street frame. */
export interface StreetFrame {
  /** World position of station 0 on the axis, EPSG:25832 m. */
  readonly originE: number;
  readonly originN: number;
  /** Direction of stationing, degrees clockwise from grid north. */
  readonly bearingDeg: number;
}

/** World (E, N) of local (u, v), metres. */
export function toWorld(frame: StreetFrame, u: number, v: number): [number, number] {
  const b = (frame.bearingDeg * Math.PI) / 180;
  const s = Math.sin(b);
  const c = Math.cos(b);
  return [frame.originE + u * s + v * c, frame.originN + u * c - v * s];
}

/** Local (u, v) of world (E, N), metres. */
export function toLocal(frame: StreetFrame, e: number, n: number): [number, number] {
  const b = (frame.bearingDeg * Math.PI) / 180;
  const s = Math.sin(b);
  const c = Math.cos(b);
  const de = e - frame.originE;
  const dn = n - frame.originN;
  return [de * s + dn * c, de * c - dn * s];
}
