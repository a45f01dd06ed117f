/**
 * Helpers that read a core/measure `CrossSection` for the section exporters: the continuous parts of the
 * profile (never drawn across an unmeasured gap) and the section line in plan.
 */
import type { Point2 } from '../geometry/point3.ts';
import type { CrossSection, SectionVertex } from '../measure/cross-section.ts';

/**
 * Splits the profile into continuous parts: a new part starts where no segment of the section covers the step
 * between two vertices (cutSection leaves long occluded gaps unfilled and lists segments only inside measured
 * runs). Vertical kerb faces (two vertices at the same distance) stay connected.
 *
 * Note: the profile array itself does not mark gaps; the segments are the only record of where the surface was
 * measured. Without segments the profile is taken as one part.
 */
export function splitProfileParts(section: CrossSection): SectionVertex[][] {
  const p = section.profile;
  if (p.length === 0) return [];
  const parts: SectionVertex[][] = [[p[0]!]];
  const segs = section.segments;
  const eps = 1e-6;
  for (let k = 1; k < p.length; k++) {
    const a = p[k - 1]!.distM;
    const b = p[k]!.distM;
    if (segs.length === 0 || b - a <= eps || coveredBySegments(segs, a, b, eps)) parts[parts.length - 1]!.push(p[k]!);
    else parts.push([p[k]!]);
  }
  return parts;
}

/** True when the union of the segments covers [a, b] (segments are split around kerb faces). */
function coveredBySegments(segs: CrossSection['segments'], a: number, b: number, eps: number): boolean {
  let x = a;
  while (x < b - eps) {
    let next = x;
    for (const s of segs) if (s.fromDistM <= x + eps && s.toDistM > next) next = s.toDistM;
    if (next <= x + eps) return false;
    x = next;
  }
  return true;
}

/** The section line and its unit direction in plan, metres. */
export interface SectionFrame {
  /** Plan point at distM = 0, [E, N]. */
  readonly from: Point2;
  /** Plan point at distM = lengthM, [E, N]. */
  readonly to: Point2;
  /** Unit vector from `from` to `to`. */
  readonly dir: Point2;
  /** Plan point at the middle (offsetM = 0), [E, N]. */
  readonly centre: Point2;
}

/**
 * Recovers the section line from the profile (e, n = from + dir * distM): `dir` from the two vertices farthest
 * apart along the section; throws when the profile has no two vertices at different distances.
 */
export function sectionFrame(section: CrossSection): SectionFrame {
  const p = section.profile;
  if (p.length < 2) throw new Error(`Invalid section (core/export): ${p.length} profile vertices, need 2`);
  let lo = p[0]!;
  let hi = p[0]!;
  for (const v of p) {
    if (v.distM < lo.distM) lo = v;
    if (v.distM > hi.distM) hi = v;
  }
  const dd = hi.distM - lo.distM;
  if (!(dd > 1e-6)) throw new Error(`Invalid section (core/export): profile spans ${dd} m`);
  const ux = (hi.e - lo.e) / dd;
  const uy = (hi.n - lo.n) / dd;
  const len = Math.hypot(ux, uy);
  const dir: Point2 = [ux / len, uy / len];
  const from: Point2 = [lo.e - dir[0] * lo.distM, lo.n - dir[1] * lo.distM];
  const L = section.lengthM;
  return {
    from,
    to: [from[0] + dir[0] * L, from[1] + dir[1] * L],
    dir,
    centre: [from[0] + (dir[0] * L) / 2, from[1] + (dir[1] * L) / 2],
  };
}
