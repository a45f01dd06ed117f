/**
 * Scene geometry as analytic primitives in the local street frame (u, v, z) and a ray caster over them.
 *
 * Primitives: convex polyhedra (intersections of half-spaces: building bodies, roof slabs, parapets, steps,
 * light wells, chimneys, cars), vertical cylinders (tree trunks), porous ellipsoids (tree crowns: a ray
 * penetrates an exponentially distributed depth before it returns) and the ground, a height field that is
 * piecewise linear across the street (cross-section nodes, kerb faces as jumps) with a longitudinal gradient,
 * plus an optional pothole (a vertical-walled cylinder cut into the carriageway).
 * Acceleration: a uniform 2D grid over (u, v) with per-cell primitive lists, walked with a DDA; the ground is
 * intersected analytically first so that no cell beyond the ground hit is visited.
 */
import type { BuildingLayout, SceneLayout } from './layout.ts';
import { profileNodes } from './layout.ts';
import type { Rng } from './Rng.ts';

/** Surface materials (reflectance and colour per material). */
export const Material = {
  asphalt: 0,
  gutter: 1,
  kerb: 2,
  footpath: 3,
  grass: 4,
  wall: 5,
  roof: 6,
  flatRoof: 7,
  chimney: 8,
  steps: 9,
  lightWell: 10,
  car: 11,
  glass: 12,
  trunk: 13,
  crown: 14,
  pothole: 15,
} as const;

/** Reflectance per material (0-1) used for the intensity. */
export const REFLECTANCE: readonly number[] = [0.12, 0.2, 0.35, 0.3, 0.45, 0.6, 0.25, 0.2, 0.3, 0.4, 0.3, 0.5, 0.08, 0.25, 0.5, 0.1];

const KIND_CONVEX = 0;
const KIND_CYLINDER = 1;
const KIND_ELLIPSOID = 2;

interface Primitive {
  kind: number;
  /** convex: index of the first plane (4 numbers each) and the plane count. */
  planeStart: number;
  planeCount: number;
  /** cylinder: centre u, v, radius, z range; ellipsoid: centre u, v, z and radii (h, h, vertical). */
  p: readonly number[];
  box: readonly [number, number, number, number, number, number];
  material: number;
  cls: number;
  color: readonly [number, number, number];
  /** Building bodies: the window grid painted on the walls (colour and reflectance only, no geometry). */
  windows?: { readonly floorZ: number; readonly storeyHeightM: number; readonly storeys: number };
}

/** A ray hit: parameter t (m along the unit direction), the surface normal, material, class and base colour. */
export interface Hit {
  t: number;
  /** Surface identity: the primitive index, or -1 for the ground. */
  id: number;
  nx: number;
  ny: number;
  nz: number;
  material: number;
  cls: number;
  r: number;
  g: number;
  b: number;
}

/** Creates an empty hit record to be filled by {@link castRay}. */
export function createHit(): Hit {
  return { t: Infinity, id: -1, nx: 0, ny: 0, nz: 1, material: 0, cls: 0, r: 0, g: 0, b: 0 };
}

export interface Scene {
  readonly primitives: readonly Primitive[];
  readonly planes: Float64Array;
  readonly nodeV: Float64Array;
  readonly nodeZBefore: Float64Array;
  readonly nodeZAfter: Float64Array;
  readonly crownZ: number;
  readonly gradient: number;
  readonly sides: { readonly kerbOffsetM: number; readonly gutterInnerD: number; readonly propertyD: number }[];
  readonly pothole?: { u: number; v: number; r: number; depth: number };
  readonly grid: {
    readonly u0: number;
    readonly v0: number;
    readonly cell: number;
    readonly nu: number;
    readonly nv: number;
    readonly cells: readonly Int32Array[];
  };
  readonly zTop: number;
  /** Mean free path inside tree crowns, m. */
  readonly crownFreePathM: number;
  readonly stamp: Int32Array;
  stampValue: number;
}

type Color = readonly [number, number, number];
type Plane4 = readonly [number, number, number, number];

// Note: SceneBuilder and BuildingFrame are private helpers of buildScene, kept here rather than in class files.
class SceneBuilder {
  readonly primitives: Primitive[] = [];
  readonly planes: number[] = [];

  /** Adds a convex polyhedron given by planes n·x <= d in local (u, v, z) with its bounding box. */
  convex(planes: readonly Plane4[], box: Primitive['box'], material: number, cls: number, color: Color): void {
    const planeStart = this.planes.length / 4;
    for (const [a, b, c, d] of planes) {
      const n = Math.hypot(a, b, c);
      this.planes.push(a / n, b / n, c / n, d / n);
    }
    this.primitives.push({ kind: KIND_CONVEX, planeStart, planeCount: planes.length, p: [], box, material, cls, color });
  }

  box(u0: number, u1: number, v0: number, v1: number, z0: number, z1: number, material: number, cls: number, color: Color): void {
    this.convex(
      [[-1, 0, 0, -u0], [1, 0, 0, u1], [0, -1, 0, -v0], [0, 1, 0, v1], [0, 0, -1, -z0], [0, 0, 1, z1]],
      [u0, v0, z0, u1, v1, z1],
      material,
      cls,
      color,
    );
  }
}

/**
 * Adds primitives given in building coordinates (a = u, ξ inwards from the street wall face): a plane
 * na·a + nξ·ξ + nz·z <= d becomes na·u + (nξ·sign)·v + nz·z <= d + nξ·front in the street frame.
 */
class BuildingFrame {
  constructor(
    private readonly builder: SceneBuilder,
    private readonly b: BuildingLayout,
  ) {}

  convex(planes: readonly Plane4[], aRange: readonly [number, number], xiRange: readonly [number, number], zRange: readonly [number, number], material: number, cls: number, color: Color): void {
    const { sign, frontOffsetM: f } = this.b;
    const local = planes.map(([na, nx, nz, d]) => [na, nx * sign, nz, d + nx * f] as const);
    const v0 = sign * (f + xiRange[0]);
    const v1 = sign * (f + xiRange[1]);
    this.builder.convex(local, [aRange[0], Math.min(v0, v1), zRange[0], aRange[1], Math.max(v0, v1), zRange[1]], material, cls, color);
  }

  box(a0: number, a1: number, xi0: number, xi1: number, z0: number, z1: number, material: number, cls: number, color: Color): void {
    this.convex(
      [[-1, 0, 0, -a0], [1, 0, 0, a1], [0, -1, 0, -xi0], [0, 1, 0, xi1], [0, 0, -1, -z0], [0, 0, 1, z1]],
      [a0, a1],
      [xi0, xi1],
      [z0, z1],
      material,
      cls,
      color,
    );
  }
}

const GREY_STEPS: Color = [170, 168, 160];
const GREY_WELL: Color = [140, 142, 140];
const CHIMNEY: Color = [120, 60, 48];
const FLAT_ROOF: Color = [105, 105, 100];
const TRUNK: Color = [90, 70, 50];
const GLASS: Color = [30, 40, 50];

function addBuilding(builder: SceneBuilder, b: BuildingLayout, baseZ: number): void {
  const bf = new BuildingFrame(builder, b);
  const W0 = b.u0;
  const W1 = b.u1;
  const D = b.depthM;
  const zT = b.eaveZ;
  const wall = b.wallColor;
  const t = Math.tan((b.pitchDeg * Math.PI) / 180);
  const e = b.roofThicknessM / Math.cos((b.pitchDeg * Math.PI) / 180);
  const o = b.overhangM;
  const g = b.vergeOverhangM;
  const ridgeZ = roofRidgeZ(b);
  const wallBox: Plane4[] = [[-1, 0, 0, -W0], [1, 0, 0, W1], [0, -1, 0, 0], [0, 1, 0, D], [0, 0, -1, -baseZ]];
  const bodyIndex = builder.primitives.length;
  if (b.roof === 'flat') {
    const top = zT + b.parapetHeightM;
    const p = b.parapetThicknessM;
    bf.box(W0, W1, 0, D, baseZ, zT, Material.wall, 6, wall);
    bf.box(W0, W1, 0, p, zT - 0.01, top, Material.wall, 6, wall);
    bf.box(W0, W1, D - p, D, zT - 0.01, top, Material.wall, 6, wall);
    bf.box(W0, W0 + p, 0, D, zT - 0.01, top, Material.wall, 6, wall);
    bf.box(W1 - p, W1, 0, D, zT - 0.01, top, Material.wall, 6, wall);
    // The roof surface inside the parapet (a thin slab so the material differs from the walls).
    bf.box(W0 + p, W1 - p, p, D - p, zT - 0.05, zT, Material.flatRoof, 6, FLAT_ROOF);
  } else if (b.roof === 'gable-eave') {
    // Skin planes: front z <= zT + tξ, back z <= zT + t(D - ξ), relative to the wall faces ξ = 0 and ξ = D.
    bf.convex([...wallBox, [0, -t, 1, zT], [0, t, 1, zT + t * D]], [W0, W1], [0, D], [baseZ, ridgeZ], Material.wall, 6, wall);
    bf.convex(
      [[-1, 0, 0, -(W0 - g)], [1, 0, 0, W1 + g], [0, -1, 0, o], [0, 1, 0, D / 2], [0, -t, 1, zT], [0, t, -1, e - zT]],
      [W0 - g, W1 + g], [-o, D / 2], [zT - o * t - e, ridgeZ], Material.roof, 6, b.roofColor,
    );
    bf.convex(
      [[-1, 0, 0, -(W0 - g)], [1, 0, 0, W1 + g], [0, -1, 0, -D / 2], [0, 1, 0, D + o], [0, t, 1, zT + t * D], [0, -t, -1, e - zT - t * D]],
      [W0 - g, W1 + g], [D / 2, D + o], [zT - o * t - e, ridgeZ], Material.roof, 6, b.roofColor,
    );
  } else if (b.roof === 'gable-gable') {
    // Skin planes: left z <= zT + t(a - W0), right z <= zT + t(W1 - a).
    bf.convex([...wallBox, [-t, 0, 1, zT - t * W0], [t, 0, 1, zT + t * W1]], [W0, W1], [0, D], [baseZ, ridgeZ], Material.wall, 6, wall);
    const mid = (W0 + W1) / 2;
    bf.convex(
      [[-1, 0, 0, -(W0 - o)], [1, 0, 0, mid], [0, -1, 0, g], [0, 1, 0, D + g], [-t, 0, 1, zT - t * W0], [t, 0, -1, e - zT + t * W0]],
      [W0 - o, mid], [-g, D + g], [zT - o * t - e, ridgeZ], Material.roof, 6, b.roofColor,
    );
    bf.convex(
      [[-1, 0, 0, -mid], [1, 0, 0, W1 + o], [0, -1, 0, g], [0, 1, 0, D + g], [t, 0, 1, zT + t * W1], [-t, 0, -1, e - zT - t * W1]],
      [mid, W1 + o], [-g, D + g], [zT - o * t - e, ridgeZ], Material.roof, 6, b.roofColor,
    );
  } else {
    // Hip: four skins with equal pitch; hip lines run at 45° in plan from the wall corners.
    const front: Plane4 = [0, -t, 1, zT];
    const back: Plane4 = [0, t, 1, zT + t * D];
    const left: Plane4 = [-t, 0, 1, zT - t * W0];
    const right: Plane4 = [t, 0, 1, zT + t * W1];
    bf.convex([...wallBox, front, back, left, right], [W0, W1], [0, D], [baseZ, ridgeZ], Material.wall, 6, wall);
    const W = W1 - W0;
    const zr: [number, number] = [zT - o * t - e, ridgeZ];
    // Front slab: ξ >= -o, ξ <= D/2, ξ <= a - W0, ξ <= W1 - a.
    bf.convex([front, [0, t, -1, e - zT], [0, -1, 0, o], [0, 1, 0, D / 2], [-1, 1, 0, -W0], [1, 1, 0, W1]], [W0 - o, W1 + o], [-o, D / 2], zr, Material.roof, 6, b.roofColor);
    // Back slab with ξ' = D - ξ.
    bf.convex([back, [0, -t, -1, e - zT - t * D], [0, 1, 0, D + o], [0, -1, 0, -D / 2], [-1, -1, 0, -W0 - D], [1, -1, 0, W1 - D]], [W0 - o, W1 + o], [D / 2, D + o], zr, Material.roof, 6, b.roofColor);
    // Left slab: a >= W0 - o, a <= W0 + W/2, a - W0 <= ξ, a - W0 <= D - ξ.
    bf.convex([left, [t, 0, -1, e - zT + t * W0], [-1, 0, 0, -(W0 - o)], [1, 0, 0, W0 + W / 2], [1, -1, 0, W0], [1, 1, 0, W0 + D]], [W0 - o, W0 + W / 2], [-o, D + o], zr, Material.roof, 6, b.roofColor);
    // Right slab: a <= W1 + o, a >= W1 - W/2, W1 - a <= ξ, W1 - a <= D - ξ.
    bf.convex([right, [-t, 0, -1, e - zT - t * W1], [1, 0, 0, W1 + o], [-1, 0, 0, -(W1 - W / 2)], [-1, -1, 0, -W1], [-1, 1, 0, D - W1]], [W1 - W / 2, W1 + o], [-o, D + o], zr, Material.roof, 6, b.roofColor);
  }
  builder.primitives[bodyIndex]!.windows = { floorZ: b.floorZ, storeyHeightM: b.storeyHeightM, storeys: b.storeys };
  if (b.chimney) {
    const c = b.chimney;
    bf.box(W0 + c.a0, W0 + c.a0 + c.sizeM, c.xi0, c.xi0 + c.sizeM, zT - 0.5, c.topZ, Material.chimney, 6, CHIMNEY);
  }
  if (b.steps) {
    const s = b.steps;
    for (let k = 1; k <= s.count; k++) {
      const depth = s.landingDepthM + (s.count - k) * s.treadM;
      bf.box(s.centerU - s.widthM / 2, s.centerU + s.widthM / 2, -depth, 0.02, s.baseZ - 0.4, s.baseZ + k * s.riserM, Material.steps, 1, GREY_STEPS);
    }
  }
  for (const w of b.lightWells) {
    bf.box(w.u0, w.u1, -w.projectionM, 0.02, w.rimZ - 1.2, w.rimZ, Material.lightWell, 1, GREY_WELL);
  }
}

/** Ridge height of a pitched roof's skin (or the roof surface of a flat roof), m NHN. */
export function roofRidgeZ(b: BuildingLayout): number {
  if (b.roof === 'flat') return b.eaveZ;
  const t = Math.tan((b.pitchDeg * Math.PI) / 180);
  const W = b.u1 - b.u0;
  if (b.roof === 'gable-eave') return b.eaveZ + (b.depthM / 2) * t;
  if (b.roof === 'gable-gable') return b.eaveZ + (W / 2) * t;
  return b.eaveZ + (Math.min(W, b.depthM) / 2) * t;
}

const GRID_CELL_M = 4;

/** Builds the scene of one epoch from the layout; `withPothole` cuts the pothole into the carriageway. */
export function buildScene(layout: SceneLayout, withPothole: boolean): Scene {
  const builder = new SceneBuilder();
  const nodes = profileNodes(layout);
  const groundAt = (u: number, v: number): number => {
    for (let i = 0; i + 1 < nodes.length; i++) {
      const a = nodes[i]!;
      const b = nodes[i + 1]!;
      if (v >= a.v && v <= b.v) return layout.crownZ + layout.gradient * u + a.zAfter + ((b.zBefore - a.zAfter) * (v - a.v)) / (b.v - a.v);
    }
    return layout.crownZ;
  };
  for (const b of layout.buildings) {
    const corners = [groundAt(b.u0, b.sign * b.frontOffsetM), groundAt(b.u1, b.sign * b.frontOffsetM), groundAt(b.u0, b.sign * (b.frontOffsetM + b.depthM)), groundAt(b.u1, b.sign * (b.frontOffsetM + b.depthM))];
    addBuilding(builder, b, Math.min(...corners) - 1.5);
  }
  for (const tree of layout.trees) {
    const top = tree.crownCenterZ;
    builder.primitives.push({
      kind: KIND_CYLINDER,
      planeStart: 0,
      planeCount: 0,
      p: [tree.u, tree.v, tree.trunkRadiusM, tree.groundZ - 0.5, top],
      box: [tree.u - tree.trunkRadiusM, tree.v - tree.trunkRadiusM, tree.groundZ - 0.5, tree.u + tree.trunkRadiusM, tree.v + tree.trunkRadiusM, top],
      material: Material.trunk,
      cls: 5,
      color: TRUNK,
    });
    const r = tree.crownRadiusM;
    const h = tree.crownHalfHeightM;
    builder.primitives.push({
      kind: KIND_ELLIPSOID,
      planeStart: 0,
      planeCount: 0,
      p: [tree.u, tree.v, tree.crownCenterZ, r, h],
      box: [tree.u - r, tree.v - r, tree.crownCenterZ - h, tree.u + r, tree.v + r, tree.crownCenterZ + h],
      material: Material.crown,
      cls: 5,
      color: [70, 110, 50],
    });
  }
  for (const car of layout.cars) {
    const z0 = car.groundZ;
    const u1 = car.u0 + car.lengthM;
    builder.box(car.u0, u1, car.v0, car.v1, z0 + 0.3, z0 + 0.95, Material.car, 1, car.color);
    builder.box(car.u0 + 0.25 * car.lengthM, u1 - 0.2 * car.lengthM, car.v0 + 0.12, car.v1 - 0.12, z0 + 0.95, z0 + 1.45, Material.glass, 1, GLASS);
    for (const wu of [car.u0 + 0.7, u1 - 0.7]) {
      builder.box(wu - 0.32, wu + 0.32, car.v0 + 0.05, car.v0 + 0.25, z0 - 0.05, z0 + 0.6, Material.glass, 1, [25, 25, 25]);
      builder.box(wu - 0.32, wu + 0.32, car.v1 - 0.25, car.v1 - 0.05, z0 - 0.05, z0 + 0.6, Material.glass, 1, [25, 25, 25]);
    }
  }

  let umin = Infinity;
  let umax = -Infinity;
  let vmin = Infinity;
  let vmax = -Infinity;
  let zTop = -Infinity;
  for (const p of builder.primitives) {
    umin = Math.min(umin, p.box[0]);
    vmin = Math.min(vmin, p.box[1]);
    umax = Math.max(umax, p.box[3]);
    vmax = Math.max(vmax, p.box[4]);
    zTop = Math.max(zTop, p.box[5]);
  }
  const u0 = Math.min(umin, -40) - 1;
  const v0 = Math.min(vmin, -20) - 1;
  const nu = Math.ceil((Math.max(umax, layout.lengthM + 40) + 1 - u0) / GRID_CELL_M);
  const nv = Math.ceil((Math.max(vmax, 20) + 1 - v0) / GRID_CELL_M);
  const lists: number[][] = Array.from({ length: nu * nv }, () => []);
  builder.primitives.forEach((p, index) => {
    const i0 = Math.floor((p.box[0] - u0) / GRID_CELL_M);
    const i1 = Math.floor((p.box[3] - u0) / GRID_CELL_M);
    const j0 = Math.floor((p.box[1] - v0) / GRID_CELL_M);
    const j1 = Math.floor((p.box[4] - v0) / GRID_CELL_M);
    for (let i = i0; i <= i1; i++) for (let j = j0; j <= j1; j++) lists[i * nv + j]!.push(index);
  });
  const sideInfo = [layout.left, layout.right].map((s) => ({ kerbOffsetM: s.kerbOffsetM, gutterInnerD: s.kerbOffsetM - s.gutterWidthM, propertyD: s.kerbOffsetM + s.footpathWidthM }));
  return {
    primitives: builder.primitives,
    planes: Float64Array.from(builder.planes),
    nodeV: Float64Array.from(nodes.map((n) => n.v)),
    nodeZBefore: Float64Array.from(nodes.map((n) => n.zBefore)),
    nodeZAfter: Float64Array.from(nodes.map((n) => n.zAfter)),
    crownZ: layout.crownZ,
    gradient: layout.gradient,
    sides: sideInfo,
    ...(withPothole ? { pothole: { u: layout.pothole.u, v: layout.pothole.v, r: layout.pothole.radiusM, depth: layout.pothole.depthM } } : {}),
    grid: { u0, v0, cell: GRID_CELL_M, nu, nv, cells: lists.map((l) => Int32Array.from(l)) },
    zTop,
    crownFreePathM: 0.6,
    stamp: new Int32Array(builder.primitives.length),
    stampValue: 0,
  };
}

const ASPHALT: Color = [62, 62, 64];
const GUTTER: Color = [128, 126, 122];
const KERB: Color = [180, 178, 172];
const FOOTPATH: Color = [165, 120, 105];
const GRASS: Color = [85, 125, 60];
const POTHOLE: Color = [45, 42, 40];

function setHit(hit: Hit, t: number, nx: number, ny: number, nz: number, material: number, cls: number, color: Color): void {
  hit.t = t;
  hit.nx = nx;
  hit.ny = ny;
  hit.nz = nz;
  hit.material = material;
  hit.cls = cls;
  hit.r = color[0];
  hit.g = color[1];
  hit.b = color[2];
}

function groundMaterial(scene: Scene, v: number, face: boolean): [number, Color] {
  const side = v < 0 ? scene.sides[0]! : scene.sides[1]!;
  const d = Math.abs(v);
  if (face) return [Material.kerb, KERB];
  if (d < side.gutterInnerD) return [Material.asphalt, ASPHALT];
  if (d < side.kerbOffsetM) return [Material.gutter, GUTTER];
  if (d < side.kerbOffsetM + 0.15) return [Material.kerb, KERB];
  if (d < side.propertyD) return [Material.footpath, FOOTPATH];
  return [Material.grass, GRASS];
}

/** Intersects the ground height field (and the pothole) up to tMax; fills `hit` and returns true on a hit. */
function castGround(scene: Scene, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMax: number, hit: Hit): boolean {
  const nv = scene.nodeV;
  const zb = scene.nodeZBefore;
  const za = scene.nodeZAfter;
  const n = nv.length;
  const g = scene.gradient;
  let i = 0;
  while (i + 2 < n && oy >= nv[i + 1]!) i++;
  let ta = 0;
  const step = dy > 0 ? 1 : -1;
  while (ta < tMax) {
    const va = nv[i]!;
    const vb = nv[i + 1]!;
    const slope = (zb[i + 1]! - za[i]!) / (vb - va);
    // f(t) = ground(u(t), v(t)) - z(t), linear within the segment.
    const f0 = scene.crownZ + za[i]! + slope * (oy - va) + g * ox - oz;
    const f1 = slope * dy + g * dx - dz;
    let tb = dy > 0 ? (vb - oy) / dy : dy < 0 ? (va - oy) / dy : Infinity;
    if (tb > tMax) tb = tMax;
    if (f1 > 0) {
      const tRoot = -f0 / f1;
      if (tRoot <= tb && tRoot >= ta - 1e-9) {
        const nl = Math.hypot(g, slope, 1);
        const [mat, color] = groundMaterial(scene, oy + tRoot * dy, false);
        setHit(hit, tRoot, -g / nl, -slope / nl, 1 / nl, mat, 2, color);
        if (scene.pothole && mat === Material.asphalt) enterPothole(scene, ox, oy, oz, dx, dy, dz, f1, hit);
        return true;
      }
    }
    if (tb >= tMax) return false;
    const next = i + step;
    if (next < 0 || next + 1 >= n) return false;
    // Crossing a node: a jump up in the direction of travel is a vertical face (the kerb face).
    const boundary = dy > 0 ? vb : va;
    const k = dy > 0 ? i + 1 : i;
    const zFrom = dy > 0 ? zb[k]! : za[k]!;
    const zTo = dy > 0 ? za[k]! : zb[k]!;
    const zRay = oz + tb * dz - scene.crownZ - g * (ox + tb * dx);
    if (zTo > zFrom && zRay < zTo && zRay >= zFrom - 1e-9) {
      const [mat, color] = groundMaterial(scene, boundary, true);
      setHit(hit, tb, 0, -step, 0, mat, 2, color);
      return true;
    }
    ta = tb;
    i = next;
  }
  return false;
}

function enterPothole(scene: Scene, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, f1: number, hit: Hit): void {
  const p = scene.pothole!;
  const hu = ox + hit.t * dx - p.u;
  const hv = oy + hit.t * dy - p.v;
  if (hu * hu + hv * hv >= p.r * p.r) return;
  const tFloor = hit.t + p.depth / f1;
  // Exit of the infinite vertical cylinder: larger root of |(hu, hv) + s (dx, dy)| = r.
  const a = dx * dx + dy * dy;
  const b = hu * dx + hv * dy;
  const c = hu * hu + hv * hv - p.r * p.r;
  const s = a > 0 ? (-b + Math.sqrt(b * b - a * c)) / a : Infinity;
  const tWall = hit.t + s;
  if (tFloor <= tWall) {
    hit.t = tFloor;
    hit.material = Material.pothole;
    hit.r = POTHOLE[0];
    hit.g = POTHOLE[1];
    hit.b = POTHOLE[2];
  } else {
    const wu = hu + s * dx;
    const wv = hv + s * dy;
    hit.t = tWall;
    hit.nx = -wu / p.r;
    hit.ny = -wv / p.r;
    hit.nz = 0;
    hit.material = Material.pothole;
    hit.r = POTHOLE[0];
    hit.g = POTHOLE[1];
    hit.b = POTHOLE[2];
  }
}

function testPrimitive(scene: Scene, p: Primitive, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tBest: number, rng: Rng, hit: Hit): boolean {
  // Slab test against the bounding box first.
  let t0 = 0;
  let t1 = tBest;
  const box = p.box;
  for (let axis = 0; axis < 3; axis++) {
    const o = axis === 0 ? ox : axis === 1 ? oy : oz;
    const d = axis === 0 ? dx : axis === 1 ? dy : dz;
    const lo = box[axis]!;
    const hi = box[axis + 3]!;
    if (d === 0) {
      if (o < lo || o > hi) return false;
      continue;
    }
    let a = (lo - o) / d;
    let b = (hi - o) / d;
    if (a > b) [a, b] = [b, a];
    if (a > t0) t0 = a;
    if (b < t1) t1 = b;
    if (t0 > t1) return false;
  }
  if (p.kind === KIND_CONVEX) {
    const planes = scene.planes;
    let tIn = -Infinity;
    let tOut = Infinity;
    let best = -1;
    for (let k = p.planeStart, end = p.planeStart + p.planeCount; k < end; k++) {
      const o4 = k * 4;
      const nx = planes[o4]!;
      const ny = planes[o4 + 1]!;
      const nz = planes[o4 + 2]!;
      const denom = nx * dx + ny * dy + nz * dz;
      const dist = planes[o4 + 3]! - (nx * ox + ny * oy + nz * oz);
      if (denom === 0) {
        if (dist < 0) return false;
      } else if (denom < 0) {
        const t = dist / denom;
        if (t > tIn) {
          tIn = t;
          best = o4;
        }
      } else {
        const t = dist / denom;
        if (t < tOut) tOut = t;
      }
      if (tIn > tOut) return false;
    }
    if (best < 0 || tIn <= 0 || tIn >= tBest) return false;
    setHit(hit, tIn, planes[best]!, planes[best + 1]!, planes[best + 2]!, p.material, p.cls, p.color);
    return true;
  }
  if (p.kind === KIND_CYLINDER) {
    const [cu, cv, r, z0, z1] = p.p as [number, number, number, number, number];
    const fu = ox - cu;
    const fv = oy - cv;
    const a = dx * dx + dy * dy;
    if (a === 0) return false;
    const b = fu * dx + fv * dy;
    const c = fu * fu + fv * fv - r * r;
    const disc = b * b - a * c;
    if (disc < 0) return false;
    const t = (-b - Math.sqrt(disc)) / a;
    if (t <= 0 || t >= tBest) return false;
    const z = oz + t * dz;
    if (z < z0 || z > z1) return false;
    setHit(hit, t, (fu + t * dx) / r, (fv + t * dy) / r, 0, p.material, p.cls, p.color);
    return true;
  }
  // Porous ellipsoid: scale to a unit sphere, then return at an exponentially distributed depth inside.
  const [cu, cv, cz, rh, rz] = p.p as [number, number, number, number, number];
  const fu = (ox - cu) / rh;
  const fv = (oy - cv) / rh;
  const fz = (oz - cz) / rz;
  const eu = dx / rh;
  const ev = dy / rh;
  const ez = dz / rz;
  const a = eu * eu + ev * ev + ez * ez;
  const b = fu * eu + fv * ev + fz * ez;
  const c = fu * fu + fv * fv + fz * fz - 1;
  const disc = b * b - a * c;
  if (disc < 0) return false;
  const sq = Math.sqrt(disc);
  const tEnter = Math.max((-b - sq) / a, 0);
  const tExit = (-b + sq) / a;
  if (tExit <= 0 || tEnter >= tBest) return false;
  const t = tEnter - scene.crownFreePathM * Math.log(1 - rng.next());
  if (t >= tExit || t >= tBest) return false;
  // Leaves face every way: a random normal on the half-space towards the ray.
  let nx = rng.normal();
  let ny = rng.normal();
  let nz = rng.normal();
  if (nx * dx + ny * dy + nz * dz > 0) {
    nx = -nx;
    ny = -ny;
    nz = -nz;
  }
  const nl = Math.hypot(nx, ny, nz) || 1;
  setHit(hit, t, nx / nl, ny / nl, nz / nl, p.material, p.cls, p.color);
  return true;
}

/**
 * Casts a ray (unit direction) from (ox, oy, oz) in the local frame up to maxRange; fills `hit` with the nearest
 * return and returns true, or false for no return. The crown porosity consumes random numbers from `rng`.
 */
export function castRay(scene: Scene, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, maxRange: number, rng: Rng, hit: Hit): boolean {
  let tMax = maxRange;
  if (dz > 0 && oz < scene.zTop) tMax = Math.min(tMax, (scene.zTop - oz) / dz);
  let found = castGround(scene, ox, oy, oz, dx, dy, dz, tMax, hit);
  if (found) {
    hit.id = -1;
    tMax = hit.t;
  }
  const grid = scene.grid;
  const cell = grid.cell;
  scene.stampValue++;
  const stampValue = scene.stampValue;
  const stamp = scene.stamp;
  let i = Math.floor((ox - grid.u0) / cell);
  let j = Math.floor((oy - grid.v0) / cell);
  const stepI = dx > 0 ? 1 : -1;
  const stepJ = dy > 0 ? 1 : -1;
  const tDeltaI = dx !== 0 ? Math.abs(cell / dx) : Infinity;
  const tDeltaJ = dy !== 0 ? Math.abs(cell / dy) : Infinity;
  let tNextI = dx !== 0 ? ((grid.u0 + (i + (dx > 0 ? 1 : 0)) * cell - ox) / dx) : Infinity;
  let tNextJ = dy !== 0 ? ((grid.v0 + (j + (dy > 0 ? 1 : 0)) * cell - oy) / dy) : Infinity;
  let tCell = 0;
  while (tCell < tMax && i >= 0 && j >= 0 && i < grid.nu && j < grid.nv) {
    const list = grid.cells[i * grid.nv + j]!;
    for (let k = 0; k < list.length; k++) {
      const index = list[k]!;
      if (stamp[index] === stampValue) continue;
      stamp[index] = stampValue;
      if (testPrimitive(scene, scene.primitives[index]!, ox, oy, oz, dx, dy, dz, tMax, rng, hit)) {
        hit.id = index;
        tMax = hit.t;
        found = true;
      }
    }
    if (tNextI < tNextJ) {
      tCell = tNextI;
      tNextI += tDeltaI;
      i += stepI;
    } else {
      tCell = tNextJ;
      tNextJ += tDeltaJ;
      j += stepJ;
    }
  }
  if (found && hit.id >= 0) paintWindow(scene.primitives[hit.id]!, ox + hit.t * dx, oy + hit.t * dy, oz + hit.t * dz, hit);
  return found;
}

const WINDOW_WIDTH_M = 1.1;
const WINDOW_SILL_M = 0.9;
const WINDOW_TOP_M = 2.2;

/** Turns a wall hit into glass where it falls on the building's window grid (one row per storey). */
function paintWindow(p: Primitive, u: number, v: number, z: number, hit: Hit): void {
  const w = p.windows;
  if (!w || Math.abs(hit.nz) > 0.2) return;
  const alongU = Math.abs(hit.ny) > Math.abs(hit.nx);
  const s = alongU ? u - p.box[0] : v - p.box[1];
  const length = alongU ? p.box[3] - p.box[0] : p.box[4] - p.box[1];
  const columns = Math.floor((length - 1) / 2.6);
  if (columns < 1) return;
  const spacing = length / columns;
  const offset = s - (Math.floor(s / spacing) + 0.5) * spacing;
  if (Math.abs(offset) > WINDOW_WIDTH_M / 2) return;
  const rel = z - w.floorZ;
  const storey = Math.floor(rel / w.storeyHeightM);
  if (storey < 0 || storey >= w.storeys) return;
  const inStorey = rel - storey * w.storeyHeightM;
  if (inStorey < WINDOW_SILL_M || inStorey > WINDOW_TOP_M) return;
  hit.material = Material.glass;
  hit.r = GLASS[0];
  hit.g = GLASS[1];
  hit.b = GLASS[2];
}
