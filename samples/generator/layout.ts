/**
 * The scene layout: every parameter of the synthetic street drawn from the seed (street frame, cross-section,
 * buildings, trees, parked cars, truth stations, the 2025 changes). Plain data; geometry is built from it in
 * scene.ts and the truth in truth.ts, so both come from the same numbers.
 *
 * Local street frame: u = station along the axis (m), v = offset across it (m, left negative, right positive
 * looking in the direction of stationing), z = height in m NHN. Building frame: a = u, ξ = distance from the
 * street-facing wall face into the building (m).
 */
import { Rng } from './Rng.ts';

/** Roof kinds: gable with the eave towards the street, gable with the gable towards the street, hip, flat with parapet. */
export type RoofKind = 'gable-eave' | 'gable-gable' | 'hip' | 'flat';

/** One side of the street cross-section (offsets as distances from the axis, m). */
export interface SideLayout {
  /** -1 left, +1 right. */
  readonly sign: -1 | 1;
  /** Distance from the axis (crown) to the kerb face, m; the gutter lies inside it. */
  readonly kerbOffsetM: number;
  /** Carriageway cross-fall from the crown down towards the gutter, fraction (0.025 = 2.5 %). */
  readonly carriagewayFall: number;
  readonly gutterWidthM: number;
  /** Gutter cross-fall down towards the kerb foot, fraction. */
  readonly gutterFall: number;
  /** Kerb upstand above the gutter at the kerb face, m. */
  readonly kerbHeightM: number;
  readonly footpathWidthM: number;
  /** Footpath cross-fall down towards the kerb, fraction. */
  readonly footpathFall: number;
  /** Front-yard slope rising away from the street (negative: falling), fraction. */
  readonly yardSlope: number;
}

/** Entrance steps in front of the street facade. */
export interface StepsLayout {
  /** Door centre along the street, m (station). */
  readonly centerU: number;
  readonly widthM: number;
  readonly count: number;
  readonly treadM: number;
  readonly landingDepthM: number;
  /** Height of the ground at the foot of the lowest step, m NHN. */
  readonly baseZ: number;
  readonly riserM: number;
}

/** A light well (Kellerschacht) against the street facade. */
export interface LightWellLayout {
  readonly u0: number;
  readonly u1: number;
  /** How far it projects in front of the facade, m. */
  readonly projectionM: number;
  readonly rimZ: number;
}

/** A chimney box in building coordinates (a along the street, ξ inwards from the street wall face). */
export interface ChimneyLayout {
  readonly a0: number;
  readonly xi0: number;
  readonly sizeM: number;
  readonly topZ: number;
}

export interface BuildingLayout {
  readonly id: string;
  readonly sign: -1 | 1;
  readonly roof: RoofKind;
  /** Wall faces along the street: station range, m. */
  readonly u0: number;
  readonly u1: number;
  /** Distance of the street-facing wall face from the axis, m. */
  readonly frontOffsetM: number;
  readonly depthM: number;
  readonly storeys: number;
  readonly storeyHeightM: number;
  /** Ground-floor level, m NHN. */
  readonly floorZ: number;
  /** Pitched roofs: Traufpunkt height (outer wall face × outer roof skin), m NHN. Flat: roof surface. */
  readonly eaveZ: number;
  readonly pitchDeg: number;
  /** Horizontal eave overhang beyond the wall face, m. */
  readonly overhangM: number;
  /** Horizontal overhang at the verges (gable ends), m. */
  readonly vergeOverhangM: number;
  /** Roof slab thickness perpendicular to the skin, m. */
  readonly roofThicknessM: number;
  readonly parapetHeightM: number;
  readonly parapetThicknessM: number;
  readonly chimney?: ChimneyLayout;
  readonly steps?: StepsLayout;
  readonly lightWells: readonly LightWellLayout[];
  readonly wallColor: readonly [number, number, number];
  readonly roofColor: readonly [number, number, number];
}

export interface TreeLayout {
  readonly u: number;
  readonly v: number;
  readonly groundZ: number;
  readonly trunkRadiusM: number;
  readonly crownCenterZ: number;
  readonly crownRadiusM: number;
  readonly crownHalfHeightM: number;
}

export interface CarLayout {
  readonly u0: number;
  readonly lengthM: number;
  /** Offset range across the street, m (v0 < v1). */
  readonly v0: number;
  readonly v1: number;
  readonly groundZ: number;
  readonly color: readonly [number, number, number];
}

export interface PotholeLayout {
  readonly u: number;
  readonly v: number;
  readonly radiusM: number;
  readonly depthM: number;
}

/** Building change in the 2025 epoch: an added storey (walls and roof raised by one storey height). */
export interface BuildingChange {
  readonly buildingId: string;
  readonly kind: 'added-storey';
  readonly deltaZ: number;
}

export interface SceneLayout {
  readonly seed: number;
  readonly lengthM: number;
  /** Direction of stationing, degrees clockwise from grid north. */
  readonly bearingDeg: number;
  /** World position of station 0 on the axis, EPSG:25832 m. */
  readonly originE: number;
  readonly originN: number;
  /** Crown height at station 0, m NHN. */
  readonly crownZ: number;
  /** Longitudinal gradient dz/du (fraction). */
  readonly gradient: number;
  readonly left: SideLayout;
  readonly right: SideLayout;
  readonly buildings: readonly BuildingLayout[];
  readonly trees: readonly TreeLayout[];
  readonly cars: readonly CarLayout[];
  readonly stations: readonly number[];
  readonly pothole: PotholeLayout;
  readonly change: BuildingChange;
}

/** Cross-section node: offset v and height relative to the crown (before gradient) approached from each side. */
export interface ProfileNode {
  readonly v: number;
  readonly zBefore: number;
  readonly zAfter: number;
}

/** Relative heights of one side's cross-section nodes at distances d from the axis (crown height 0). */
export function sideHeights(s: SideLayout): {
  gutterInnerD: number;
  gutterInnerZ: number;
  gutterZ: number;
  kerbTopZ: number;
  propertyD: number;
  propertyZ: number;
} {
  const gutterInnerD = s.kerbOffsetM - s.gutterWidthM;
  const gutterInnerZ = -s.carriagewayFall * gutterInnerD;
  const gutterZ = gutterInnerZ - s.gutterFall * s.gutterWidthM;
  const kerbTopZ = gutterZ + s.kerbHeightM;
  const propertyD = s.kerbOffsetM + s.footpathWidthM;
  const propertyZ = kerbTopZ + s.footpathFall * s.footpathWidthM;
  return { gutterInnerD, gutterInnerZ, gutterZ, kerbTopZ, propertyD, propertyZ };
}

const FAR_M = 400;

/** The cross-section as nodes ordered by v (relative heights, the crown at 0); jumps are the kerb faces. */
export function profileNodes(layout: SceneLayout): ProfileNode[] {
  const side = (s: SideLayout): ProfileNode[] => {
    const h = sideHeights(s);
    const far = h.propertyZ + s.yardSlope * (FAR_M - h.propertyD);
    return [
      { v: h.gutterInnerD, zBefore: h.gutterInnerZ, zAfter: h.gutterInnerZ },
      { v: s.kerbOffsetM, zBefore: h.gutterZ, zAfter: h.kerbTopZ },
      { v: h.propertyD, zBefore: h.propertyZ, zAfter: h.propertyZ },
      { v: FAR_M, zBefore: far, zAfter: far },
    ];
  };
  const left = side(layout.left)
    .map((n) => ({ v: -n.v, zBefore: n.zAfter, zAfter: n.zBefore }))
    .reverse();
  return [...left, { v: 0, zBefore: 0, zAfter: 0 }, ...side(layout.right)];
}

/** Ground height (without buildings, pothole) at (u, v), m NHN; at a kerb face the upper value. */
export function groundZ(layout: SceneLayout, u: number, v: number, nodes = profileNodes(layout)): number {
  let z = 0;
  for (let i = 0; i + 1 < nodes.length; i++) {
    const a = nodes[i]!;
    const b = nodes[i + 1]!;
    if (v >= a.v && v <= b.v) {
      z = a.zAfter + ((b.zBefore - a.zAfter) * (v - a.v)) / (b.v - a.v);
      if (v === b.v) z = Math.max(b.zBefore, b.zAfter);
      break;
    }
  }
  return layout.crownZ + layout.gradient * u + z;
}

function drawSide(rng: Rng, sign: -1 | 1, kerbHeightM: number): SideLayout {
  return {
    sign,
    kerbOffsetM: sign < 0 ? rng.uniform(3.4, 3.9) : rng.uniform(3.0, 3.6),
    carriagewayFall: rng.uniform(0.02, 0.03),
    gutterWidthM: rng.uniform(0.3, 0.5),
    gutterFall: rng.uniform(0.03, 0.06),
    kerbHeightM,
    footpathWidthM: rng.uniform(1.8, 3.0),
    footpathFall: rng.uniform(0.01, 0.03),
    yardSlope: rng.uniform(-0.01, 0.03),
  };
}

const WALL_COLORS: readonly (readonly [number, number, number])[] = [
  [236, 230, 214], [226, 214, 188], [242, 240, 234], [168, 74, 52], [205, 190, 160], [214, 200, 180], [150, 60, 45],
];
const ROOF_COLORS: readonly (readonly [number, number, number])[] = [
  [150, 52, 38], [60, 60, 66], [120, 48, 36], [80, 72, 70], [170, 80, 50],
];
const CAR_COLORS: readonly (readonly [number, number, number])[] = [
  [200, 200, 205], [20, 22, 26], [150, 20, 24], [30, 60, 130], [230, 230, 230], [90, 95, 100],
];

/** Draws the whole scene layout from the seed. */
export function drawLayout(seed: number): SceneLayout {
  const rng = new Rng(seed, 1);
  const lengthM = rng.uniform(160, 230);
  // Note: never within 20° of a grid axis, so the street is visibly not axis-aligned in EPSG:25832.
  const bearingDeg = rng.chance(0.5) ? rng.uniform(20, 70) : rng.uniform(110, 160);
  const b = (bearingDeg * Math.PI) / 180;
  const centerE = rng.uniform(337300, 337700);
  const centerN = rng.uniform(5681400, 5682600);
  const originE = centerE - (lengthM / 2) * Math.sin(b);
  const originN = centerN - (lengthM / 2) * Math.cos(b);
  const crownZ = rng.uniform(32, 36);
  const gradient = rng.uniform(-0.008, 0.008);
  const kerbL = rng.uniform(0.08, 0.14);
  let kerbR = rng.uniform(0.08, 0.14);
  if (Math.abs(kerbR - kerbL) < 0.02) kerbR = kerbL + (kerbL < 0.11 ? 0.025 : -0.025);
  const left = drawSide(rng, -1, kerbL);
  const right = drawSide(rng, 1, kerbR);
  const partial = { seed, lengthM, bearingDeg, originE, originN, crownZ, gradient, left, right };
  const base = { ...partial, buildings: [], trees: [], cars: [], stations: [], pothole: { u: 0, v: 0, radiusM: 0, depthM: 0 }, change: { buildingId: '', kind: 'added-storey', deltaZ: 0 } } as SceneLayout;
  const nodes = profileNodes(base);
  const ground = (u: number, v: number): number => groundZ(base, u, v, nodes);

  const buildings: BuildingLayout[] = [];
  const trees: TreeLayout[] = [];
  for (const side of [left, right]) {
    const sideName = side.sign < 0 ? 'L' : 'R';
    const h = sideHeights(side);
    const kinds: RoofKind[] = ['gable-eave', 'gable-gable', 'hip', 'flat'];
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
    }
    let u = rng.uniform(4, 10);
    let index = 0;
    let previousEnd = -Infinity;
    while (true) {
      const width = rng.uniform(9, 16);
      if (u + width > lengthM - 4) break;
      const roof: RoofKind = index < kinds.length ? kinds[index]! : rng.pick(kinds);
      const depth = roof === 'hip' ? rng.uniform(9, Math.min(12, width - 0.5)) : rng.uniform(9, 13);
      const setback = rng.uniform(3, 7);
      const front = h.propertyD + setback;
      const sign = side.sign;
      const terrainFront = (uu: number, xi: number): number => ground(uu, sign * (front + xi));
      const uc = u + width / 2;

      let steps: StepsLayout | undefined;
      let floorZ: number;
      const occupied: [number, number][] = [];
      if (rng.chance(0.75)) {
        const count = rng.int(2, 4);
        const treadM = rng.uniform(0.28, 0.32);
        const landingDepthM = rng.uniform(0.9, 1.3);
        const widthM = rng.uniform(1.2, 1.8);
        const centerU = u + rng.uniform(0.25, 0.75) * width;
        const cu = Math.min(Math.max(centerU, u + widthM / 2 + 0.5), u + width - widthM / 2 - 0.5);
        const baseZ = terrainFront(cu, -(landingDepthM + (count - 1) * treadM));
        const riserM = rng.uniform(0.15, 0.18);
        steps = { centerU: cu, widthM, count, treadM, landingDepthM, baseZ, riserM };
        floorZ = baseZ + count * riserM;
        occupied.push([cu - widthM / 2 - 0.3, cu + widthM / 2 + 0.3]);
      } else {
        floorZ = terrainFront(uc, 0) + rng.uniform(0.2, 0.5);
      }
      const lightWells: LightWellLayout[] = [];
      const wells = rng.int(0, 2);
      for (let k = 0; k < wells; k++) {
        const w = rng.uniform(0.8, 1.2);
        const a0 = u + rng.uniform(0.6, width - 0.6 - w);
        if (occupied.some(([p, q]) => a0 < q && a0 + w > p)) continue;
        occupied.push([a0 - 0.3, a0 + w + 0.3]);
        const projectionM = rng.uniform(0.5, 0.8);
        const rimZ = terrainFront(a0 + w / 2, -projectionM) + rng.uniform(0.05, 0.15);
        lightWells.push({ u0: a0, u1: a0 + w, projectionM, rimZ });
      }
      const storeyHeightM = rng.uniform(2.75, 3.1);
      const pitched = roof !== 'flat';
      const storeys = pitched ? rng.int(1, 2) : rng.int(2, 3);
      const eaveZ = pitched ? floorZ + storeys * storeyHeightM + rng.uniform(0.1, 0.9) : floorZ + storeys * storeyHeightM + 0.25;
      const pitchDeg = roof === 'hip' ? rng.uniform(22, 35) : pitched ? rng.uniform(30, 48) : 0;
      const overhangM = pitched ? rng.uniform(0.3, 1.0) : 0;
      const vergeOverhangM = roof === 'gable-eave' || roof === 'gable-gable' ? rng.uniform(0.2, 0.5) : 0;
      const roofThicknessM = rng.uniform(0.22, 0.35);
      const parapetHeightM = roof === 'flat' ? rng.uniform(0.3, 0.9) : 0;
      const parapetThicknessM = roof === 'flat' ? rng.uniform(0.2, 0.3) : 0;
      let chimney: ChimneyLayout | undefined;
      if (pitched && rng.chance(0.65)) {
        const t = Math.tan((pitchDeg * Math.PI) / 180);
        const sizeM = rng.uniform(0.45, 0.7);
        const ridgeRise = roof === 'gable-gable' ? (width / 2) * t : roof === 'gable-eave' ? (depth / 2) * t : (Math.min(width, depth) / 2) * t;
        const a0 = rng.uniform(Math.min(2, width / 2 - 1), width - 2 - sizeM);
        const xi0 = rng.uniform(1.5, depth - 1.5 - sizeM);
        chimney = { a0, xi0, sizeM, topZ: eaveZ + ridgeRise + rng.uniform(0.4, 1.0) };
      }
      buildings.push({
        id: `${sideName}${index + 1}`,
        sign,
        roof,
        u0: u,
        u1: u + width,
        frontOffsetM: front,
        depthM: depth,
        storeys,
        storeyHeightM,
        floorZ,
        eaveZ,
        pitchDeg,
        overhangM,
        vergeOverhangM,
        roofThicknessM,
        parapetHeightM,
        parapetThicknessM,
        ...(chimney ? { chimney } : {}),
        ...(steps ? { steps } : {}),
        lightWells,
        wallColor: rng.pick(WALL_COLORS),
        roofColor: rng.pick(ROOF_COLORS),
      });
      // A tree in the side yard before this building when the gap is wide enough.
      const gap = u - previousEnd;
      if (gap > 4 && Number.isFinite(previousEnd) && rng.chance(0.7)) {
        const tu = previousEnd + gap / 2;
        const tv = sign * (h.propertyD + rng.uniform(1.2, setback + 2));
        const crownRadiusM = Math.min(rng.uniform(1.8, 3.2), gap / 2 + 0.8);
        const gz = ground(tu, tv);
        const crownBase = gz + rng.uniform(2.2, 3.5);
        const crownHalfHeightM = rng.uniform(2.0, 3.5);
        trees.push({
          u: tu,
          v: tv,
          groundZ: gz,
          trunkRadiusM: rng.uniform(0.12, 0.25),
          crownCenterZ: crownBase + crownHalfHeightM,
          crownRadiusM,
          crownHalfHeightM,
        });
      }
      previousEnd = u + width;
      u += width + rng.uniform(3, 8);
      index++;
    }
  }

  // Parked cars along the left kerb; truth stations keep clear of them.
  const cars: CarLayout[] = [];
  const carCount = rng.int(2, 4);
  const leftKerb = left.kerbOffsetM;
  let cu = rng.uniform(15, 30);
  for (let k = 0; k < carCount && cu < lengthM - 20; k++) {
    const lengthCar = rng.uniform(4.2, 4.9);
    const v0 = -(leftKerb - rng.uniform(0.15, 0.3));
    const v1 = v0 + rng.uniform(1.75, 1.9);
    const gz = Math.max(ground(cu, -leftKerb + 0.05), ground(cu + lengthCar, -leftKerb + 0.05));
    cars.push({ u0: cu, lengthM: lengthCar, v0: Math.min(v0, v1), v1: Math.max(v0, v1), groundZ: gz, color: rng.pick(CAR_COLORS) });
    cu += lengthCar + rng.uniform(6, 40);
  }
  const clearOfCars = (s: number, margin: number): boolean => cars.every((c) => s < c.u0 - margin || s > c.u0 + c.lengthM + margin);

  const stations: number[] = [];
  for (let tries = 0; tries < 400 && stations.length < 4; tries++) {
    const s = Math.round(rng.uniform(20, lengthM - 20) * 10) / 10;
    if (clearOfCars(s, 4) && stations.every((o) => Math.abs(o - s) > 15)) stations.push(s);
  }
  stations.sort((p, q) => p - q);

  let pothole: PotholeLayout = { u: lengthM / 2, v: right.kerbOffsetM - 0.8, radiusM: 0.35, depthM: 0.07 };
  for (let tries = 0; tries < 400; tries++) {
    const pu = rng.uniform(25, lengthM - 25);
    if (stations.some((s) => Math.abs(s - pu) < 5)) continue;
    const radiusM = rng.uniform(0.25, 0.45);
    const gutterInner = right.kerbOffsetM - right.gutterWidthM;
    pothole = { u: pu, v: rng.uniform(gutterInner - 1.0, gutterInner - 0.5), radiusM, depthM: rng.uniform(0.05, 0.1) };
    break;
  }
  const changed = rng.pick(buildings);
  const change: BuildingChange = { buildingId: changed.id, kind: 'added-storey', deltaZ: changed.storeyHeightM };
  return { ...partial, buildings, trees, cars, stations, pothole, change };
}

/** The layout of the 2025 epoch: the changed building raised by one storey (walls, roof and chimney). */
export function applyChange(layout: SceneLayout): SceneLayout {
  const { buildingId, deltaZ } = layout.change;
  const buildings = layout.buildings.map((b) => {
    if (b.id !== buildingId) return b;
    const chimney = b.chimney ? { ...b.chimney, topZ: b.chimney.topZ + deltaZ } : undefined;
    return { ...b, storeys: b.storeys + 1, eaveZ: b.eaveZ + deltaZ, ...(chimney ? { chimney } : {}) };
  });
  return { ...layout, buildings };
}
