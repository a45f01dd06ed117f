/**
 * Region queries against brute force on real files: every point of every node is decoded once and filtered
 * with an independent region test; a query must return the same points and read exactly the nodes whose boxes
 * touch the region (checked with a Sutherland-Hodgman clip written here, not the query's Liang-Barsky test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCopc, type CopcFile } from '../../../core/copc/copc-file.ts';
import type { Box3 } from '../../../core/copc/key.ts';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { openPointSource } from '../../../core/query/point-source.ts';
import { Region, type QueryRegion } from '../../../core/query/region.ts';
import { createFileGetter, type FileGetter } from '../../../tiling/file-getter.ts';
import { sharedPath } from '../../helpers/shared-data.ts';

type P2 = [number, number];

const getters: FileGetter[] = [];
afterAll(async () => {
  await Promise.all(getters.map((g) => g.close()));
});

async function getter(path: string): Promise<FileGetter> {
  const g = await createFileGetter(sharedPath(path));
  getters.push(g);
  return g;
}

interface Brute {
  copc: CopcFile;
  nodes: { key: string; box: Box3; points: PointColumns }[];
}

async function bruteForce(path: string): Promise<Brute> {
  const copc = await openCopc(await getter(path));
  const nodes = [];
  for (const node of (await copc.loadHierarchy()).values()) {
    if (node.pointCount === 0) continue;
    nodes.push({ key: node.key, box: copc.boundsOf(node.key), points: await copc.loadNode(node) });
  }
  return { copc, nodes };
}

// Independent region description: a convex plan polygon (CCW) or a disc, plus the point test written from the
// definitions (mitred offset computed here from edge normals; slab as along/across).
interface Truth {
  hull: P2[] | null;
  disc: { c: P2; r: number } | null;
  inside(x: number, y: number): boolean;
  zmin: number;
  zmax: number;
}

function convexOffset(ring: P2[], d: number): P2[] {
  // Ring is CCW and convex: each vertex moves to the intersection of its two offset edges.
  const n = ring.length;
  const out: P2[] = [];
  for (let i = 0; i < n; i++) {
    const a = ring[(i + n - 1) % n]!;
    const b = ring[i]!;
    const c = ring[(i + 1) % n]!;
    const n1 = normalOut(a, b);
    const n2 = normalOut(b, c);
    const k = 1 + n1[0] * n2[0] + n1[1] * n2[1];
    out.push([b[0] + ((n1[0] + n2[0]) / k) * d, b[1] + ((n1[1] + n2[1]) / k) * d]);
  }
  return out;
}
function normalOut(a: P2, b: P2): P2 {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l = Math.hypot(dx, dy);
  return [dy / l, -dx / l];
}
function insideConvex(hull: P2[], x: number, y: number): boolean {
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) < -1e-9) return false;
  }
  return true;
}

/** Sutherland-Hodgman: clip the convex polygon by the closed box; non-empty = they touch. */
function hullTouchesBox(hull: P2[], b: Box3): boolean {
  let poly = hull;
  const planes: [(p: P2) => number][] = [[(p) => p[0] - b[0]], [(p) => b[3] - p[0]], [(p) => p[1] - b[1]], [(p) => b[4] - p[1]]];
  for (const [f] of planes) {
    const out: P2[] = [];
    for (let i = 0; i < poly.length; i++) {
      const p = poly[i]!;
      const q = poly[(i + 1) % poly.length]!;
      const fp = f(p);
      const fq = f(q);
      if (fp >= -1e-9) out.push(p);
      if ((fp >= -1e-9) !== (fq >= -1e-9)) {
        const t = fp / (fp - fq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
    poly = out;
    if (poly.length === 0) return false;
  }
  return true;
}

function truthTouches(t: Truth, b: Box3): boolean {
  if (b[5] < t.zmin || b[2] > t.zmax) return false;
  if (t.hull) return hullTouchesBox(t.hull, b);
  const { c, r } = t.disc!;
  const nx = Math.min(Math.max(c[0], b[0]), b[3]);
  const ny = Math.min(Math.max(c[1], b[1]), b[4]);
  return Math.hypot(nx - c[0], ny - c[1]) <= r;
}

function sortedXyz(p: PointColumns): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < p.count; i++) rows.push([p.x[i]!, p.y[i]!, p.z[i]!, p.gpsTime?.[i] ?? 0, p.intensity?.[i] ?? 0]);
  return rows.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || a[3]! - b[3]! || a[4]! - b[4]!);
}

/** Test regions around a centre (cx, cy) at the file's scale s (metres of a typical feature). */
function cases(cx: number, cy: number, s: number, zMid: number): { name: string; region: QueryRegion; truth: Truth }[] {
  const square: P2[] = [[cx - s, cy - 0.7 * s], [cx + 0.8 * s, cy - s], [cx + s, cy + 0.6 * s], [cx - 0.9 * s, cy + s]];
  const buf = 0.2 * s;
  const hull = convexOffset(square, buf);
  const from: P2 = [cx - 2 * s, cy - 0.5 * s];
  const to: P2 = [cx + 2 * s, cy + 0.8 * s];
  const hw = 0.05 * s;
  const L = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const u: P2 = [(to[0] - from[0]) / L, (to[1] - from[1]) / L];
  const slabHull: P2[] = [
    [from[0] + u[1] * hw, from[1] - u[0] * hw],
    [to[0] + u[1] * hw, to[1] - u[0] * hw],
    [to[0] - u[1] * hw, to[1] + u[0] * hw],
    [from[0] - u[1] * hw, from[1] + u[0] * hw],
  ];
  const r = 0.3 * s;
  const open = { zmin: -Infinity, zmax: Infinity };
  return [
    {
      name: 'polygon with buffer (footprint, reversed, closed)',
      region: Region.polygon([...square].reverse().concat([square[square.length - 1]!]), buf),
      truth: { hull, disc: null, inside: (x, y) => insideConvex(hull, x, y), ...open },
    },
    {
      name: 'slab (section)',
      region: Region.slab(from, to, hw),
      truth: { hull: slabHull, disc: null, inside: (x, y) => insideConvex(slabHull, x, y), ...open },
    },
    {
      name: 'disc (spot)',
      region: Region.disc([cx, cy], r),
      truth: { hull: null, disc: { c: [cx, cy], r }, inside: (x, y) => Math.hypot(x - cx, y - cy) <= r, ...open },
    },
    {
      name: 'polygon with z range (clip)',
      region: Region.polygon(square, 0, { zmin: zMid - 0.02 * s, zmax: zMid + 0.05 * s }),
      truth: { hull: square, disc: null, inside: (x, y) => insideConvex(square, x, y), zmin: zMid - 0.02 * s, zmax: zMid + 0.05 * s },
    },
    {
      name: 'box',
      region: Region.box([cx - s, cy - 0.5 * s], [cx + 0.5 * s, cy + s]),
      truth: {
        hull: [[cx - s, cy - 0.5 * s], [cx + 0.5 * s, cy - 0.5 * s], [cx + 0.5 * s, cy + s], [cx - s, cy + s]],
        disc: null,
        inside: (x, y) => x >= cx - s && x <= cx + 0.5 * s && y >= cy - 0.5 * s && y <= cy + s,
        ...open,
      },
    },
  ];
}

const FILES = [
  { path: 'derived/autzen_trim.copc.laz', centre: (b: Brute): P2 => centreOf(b), scale: 60 },
  { path: 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz', centre: (b: Brute): P2 => centreOf(b), scale: 15 },
];

function centreOf(b: Brute): P2 {
  const h = b.copc.header;
  // Off the exact middle, so regions straddle node faces at several levels without sitting on them.
  return [h.min[0] + (h.max[0] - h.min[0]) * 0.43, h.min[1] + (h.max[1] - h.min[1]) * 0.56];
}

describe.each(FILES)('region queries on $path', ({ path, centre, scale }) => {
  let brute: Brute;
  beforeAll(async () => {
    brute = await bruteForce(path);
  }, 120_000);

  it('returns the brute-force point set and reads exactly the touching nodes', async () => {
    const [cx, cy] = centre(brute);
    const h = brute.copc.header;
    const source = await openPointSource(await getter(path));
    expect(source.kind).toBe('copc');
    const zMid = medianZNear(brute.nodes.map((n) => n.points), cx, cy, scale);
    let fewer = 0;
    for (const { name, region, truth } of cases(cx, cy, scale, zMid)) {
      const expected: number[][] = [];
      const touching = new Set<string>();
      const holding = new Set<string>();
      for (const node of brute.nodes) {
        if (truthTouches(truth, node.box)) touching.add(node.key);
        const p = node.points;
        for (let i = 0; i < p.count; i++) {
          const z = p.z[i]!;
          if (z < truth.zmin || z > truth.zmax || !truth.inside(p.x[i]!, p.y[i]!)) continue;
          expected.push([p.x[i]!, p.y[i]!, z, p.gpsTime?.[i] ?? 0, p.intensity?.[i] ?? 0]);
          holding.add(node.key);
        }
      }
      expected.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || a[3]! - b[3]! || a[4]! - b[4]!);
      const { points, stats } = await source.query(region);
      expect(expected.length, name).toBeGreaterThan(0);
      expect(sortedXyz(points), name).toEqual(expected);
      expect(new Set(stats.nodeKeys), name).toEqual(touching);
      for (const key of holding) expect(touching.has(key), `${name}: ${key}`).toBe(true);
      expect(stats.nodesFetched, name).toBe(touching.size);
      if (stats.nodesFetched < brute.nodes.length) fewer++;
      const pointsInTouching = brute.nodes.filter((n) => touching.has(n.key)).reduce((s, n) => s + n.points.count, 0);
      expect(stats.pointsRead, name).toBe(pointsInTouching);
      expect(stats.bytesFetched, name).toBeGreaterThan(0);
    }
    // The spot at least reads a strict subset of the file.
    expect(fewer).toBeGreaterThan(0);
  });
});

/** Median height of the points within s of (cx, cy): a z range that cuts through real data. */
function medianZNear(parts: PointColumns[], cx: number, cy: number, s: number): number {
  const zs: number[] = [];
  for (const p of parts) for (let i = 0; i < p.count; i++) if (Math.abs(p.x[i]! - cx) < s && Math.abs(p.y[i]! - cy) < s) zs.push(p.z[i]!);
  zs.sort((a, b) => a - b);
  return zs[zs.length >> 1]!;
}

describe('LAS source', () => {
  it('answers like the COPC of the same points (autzen_trim.las vs its COPC)', async () => {
    const las = await openPointSource(await getter('PDAL/test/data/las/autzen_trim.las'));
    const copc = await openPointSource(await getter('derived/autzen_trim.copc.laz'));
    expect(las.kind).toBe('las');
    const h = las.header;
    const cx = h.min[0] + (h.max[0] - h.min[0]) * 0.6;
    const cy = h.min[1] + (h.max[1] - h.min[1]) * 0.3;
    let first = true;
    const all = await las.query(Region.box([h.min[0], h.min[1]], [h.max[0], h.max[1]]));
    expect(all.points.count).toBe(h.pointCount);
    expect(all.stats.pointsRead).toBe(h.pointCount);
    first = false;
    for (const { name, region } of cases(cx, cy, 50, medianZNear([all.points], cx, cy, 50))) {
      const a = await las.query(region);
      const b = await copc.query(region);
      expect(a.points.count, name).toBeGreaterThan(0);
      const xyz = (p: PointColumns): number[][] => sortedXyz(p).map((r) => r.slice(0, 3));
      expect(xyz(a.points), name).toEqual(xyz(b.points));
      expect(a.stats.pointsRead, name).toBe(first ? h.pointCount : 0);
      first = false;
    }
  });

  it('an empty region gives zero points with the file columns', async () => {
    const copc = await openPointSource(await getter('derived/autzen_trim.copc.laz'));
    const { points, stats } = await copc.query(Region.disc([0, 0], 1));
    expect(points.count).toBe(0);
    expect(points.classification).toBeDefined();
    expect(stats.nodesFetched).toBe(0);
  });

  it('rejects bad regions with Invalid messages', async () => {
    const copc = await openPointSource(await getter('derived/autzen_trim.copc.laz'));
    await expect(copc.query(Region.disc([0, 0], -1))).rejects.toThrow('Invalid radius: -1');
    await expect(copc.query(Region.slab([1, 1], [1, 1], 0.1))).rejects.toThrow('Invalid section line');
    await expect(copc.query(Region.polygon([[0, 0], [1, 1]]))).rejects.toThrow('Invalid ring');
    await expect(copc.query(Region.box([0, 0], [1, 1], { zmin: 5, zmax: 1 }))).rejects.toThrow('Invalid height range');
  });
});
