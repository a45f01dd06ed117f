/**
 * truth.json: every true value of the scene, computed from the same layout numbers the geometry is built from.
 * Heights are m NHN (DHHN2016), positions EPSG:25832 metres; see samples/README.md for the shape.
 */
import type { BuildingLayout, SceneLayout, SideLayout } from './layout.ts';
import { applyChange, groundZ, profileNodes, sideHeights } from './layout.ts';
import { toWorld } from './frame.ts';
import { roofRidgeZ } from './scene.ts';

type En = [number, number];

// Note: values are rounded to the micrometre only to keep truth.json readable; tolerances in tests are mm-level.
const r4 = (x: number): number => Math.round(x * 1e6) / 1e6;
const r3 = r4;

/** Heights and lines of one building state (2023, or 2025 after the change). */
function buildingHeights(layout: SceneLayout, b: BuildingLayout): Record<string, unknown> {
  const w = (a: number, xi: number): En => {
    const [e, n] = toWorld(layout, a, b.sign * (b.frontOffsetM + xi));
    return [r4(e), r4(n)];
  };
  const D = b.depthM;
  const walls: Record<string, [En, En]> = {
    street: [w(b.u0, 0), w(b.u1, 0)],
    back: [w(b.u0, D), w(b.u1, D)],
    start: [w(b.u0, 0), w(b.u0, D)],
    end: [w(b.u1, 0), w(b.u1, D)],
  };
  const eaveWalls = b.roof === 'gable-eave' ? ['street', 'back'] : b.roof === 'gable-gable' ? ['start', 'end'] : b.roof === 'hip' ? ['street', 'back', 'start', 'end'] : [];
  const eaves = eaveWalls.map((name) => ({ wall: name, line: walls[name], heightZ: r4(b.eaveZ), overhangM: r4(b.overhangM) }));
  const ridgeZ = roofRidgeZ(b);
  let ridge: Record<string, unknown> | null = null;
  const W = b.u1 - b.u0;
  if (b.roof === 'gable-eave') ridge = { heightZ: r4(ridgeZ), line: [w(b.u0 - b.vergeOverhangM, D / 2), w(b.u1 + b.vergeOverhangM, D / 2)] };
  if (b.roof === 'gable-gable') ridge = { heightZ: r4(ridgeZ), line: [w(b.u0 + W / 2, -b.vergeOverhangM), w(b.u0 + W / 2, D + b.vergeOverhangM)] };
  if (b.roof === 'hip') {
    ridge = W >= D
      ? { heightZ: r4(ridgeZ), line: [w(b.u0 + D / 2, D / 2), w(b.u1 - D / 2, D / 2)] }
      : { heightZ: r4(ridgeZ), line: [w(b.u0 + W / 2, W / 2), w(b.u0 + W / 2, D - W / 2)] };
  }
  const parapet = b.roof === 'flat'
    ? { topZ: r4(b.eaveZ + b.parapetHeightM), roofSurfaceZ: r4(b.eaveZ), heightAboveRoofM: r4(b.parapetHeightM), thicknessM: r4(b.parapetThicknessM) }
    : null;
  const chimney = b.chimney
    ? {
        topZ: r4(b.chimney.topZ),
        footprint: [
          w(b.u0 + b.chimney.a0, b.chimney.xi0),
          w(b.u0 + b.chimney.a0 + b.chimney.sizeM, b.chimney.xi0),
          w(b.u0 + b.chimney.a0 + b.chimney.sizeM, b.chimney.xi0 + b.chimney.sizeM),
          w(b.u0 + b.chimney.a0, b.chimney.xi0 + b.chimney.sizeM),
        ],
      }
    : null;
  return { storeys: b.storeys, eaves, ridge, parapet, chimney, walls };
}

function buildingTruth(layout: SceneLayout, b: BuildingLayout): Record<string, unknown> {
  const nodes = profileNodes(layout);
  const g = (u: number, v: number): number => groundZ(layout, u, v, nodes);
  const w = (a: number, xi: number): En => {
    const [e, n] = toWorld(layout, a, b.sign * (b.frontOffsetM + xi));
    return [r4(e), r4(n)];
  };
  const D = b.depthM;
  const side = b.sign < 0 ? layout.left : layout.right;
  const propertyD = sideHeights(side).propertyD;
  const terrainAt = (a: number, xi: number): number => g(a, b.sign * (b.frontOffsetM + xi));
  const corners = [terrainAt(b.u0, 0), terrainAt(b.u1, 0), terrainAt(b.u1, D), terrainAt(b.u0, D)];
  const minZ = Math.min(...corners);
  const maxZ = Math.max(...corners);
  const mid = (b.u0 + b.u1) / 2;
  const footpathBackZ = (u: number): number => g(u, b.sign * (propertyD - 1e-6));
  const steps = b.steps
    ? {
        station: r3(b.steps.centerU),
        doorCenter: w(b.steps.centerU, 0),
        count: b.steps.count,
        riserM: r4(b.steps.riserM),
        risersM: Array.from({ length: b.steps.count }, () => r4(b.steps!.riserM)),
        stepTopsZ: Array.from({ length: b.steps.count }, (_, k) => r4(b.steps!.baseZ + (k + 1) * b.steps!.riserM)),
        baseZ: r4(b.steps.baseZ),
        thresholdZ: r4(b.steps.baseZ + b.steps.count * b.steps.riserM),
        treadM: r4(b.steps.treadM),
        landingDepthM: r4(b.steps.landingDepthM),
        widthM: r4(b.steps.widthM),
        footpathZ: r4(footpathBackZ(b.steps.centerU)),
        thresholdAboveFootpathM: r4(b.steps.baseZ + b.steps.count * b.steps.riserM - footpathBackZ(b.steps.centerU)),
      }
    : null;
  const lightWells = b.lightWells.map((lw) => {
    const uc = (lw.u0 + lw.u1) / 2;
    const terrainNextZ = terrainAt(uc, -lw.projectionM - 1e-6);
    return {
      station: r3(uc),
      center: w(uc, -lw.projectionM / 2),
      frontEdge: [w(lw.u0, -lw.projectionM), w(lw.u1, -lw.projectionM)],
      widthM: r4(lw.u1 - lw.u0),
      projectionM: r4(lw.projectionM),
      rimZ: r4(lw.rimZ),
      terrainNextZ: r4(terrainNextZ),
      rimAboveTerrainM: r4(lw.rimZ - terrainNextZ),
      footpathZ: r4(footpathBackZ(uc)),
      rimAboveFootpathM: r4(lw.rimZ - footpathBackZ(uc)),
    };
  });
  return {
    id: b.id,
    side: b.sign < 0 ? 'left' : 'right',
    roof: b.roof,
    footprint: [w(b.u0, 0), w(b.u1, 0), w(b.u1, D), w(b.u0, D)],
    local: { u0: r4(b.u0), u1: r4(b.u1), frontOffsetM: r4(b.frontOffsetM), depthM: r4(D), sign: b.sign },
    floorZ: r4(b.floorZ),
    storeyHeightM: r4(b.storeyHeightM),
    pitchDeg: r4(b.pitchDeg),
    overhangM: r4(b.overhangM),
    vergeOverhangM: r4(b.vergeOverhangM),
    roofThicknessM: r4(b.roofThicknessM),
    terrain: {
      cornersZ: corners.map(r4),
      minZ: r4(minZ),
      maxZ: r4(maxZ),
      meanMinMaxZ: r4((minZ + maxZ) / 2),
      // Note: the yard terrain is a plane per building, so it is linear along every wall; min and max sit at corners.
      walls: {
        street: { minZ: r4(Math.min(corners[0]!, corners[1]!)), maxZ: r4(Math.max(corners[0]!, corners[1]!)) },
        back: { minZ: r4(Math.min(corners[2]!, corners[3]!)), maxZ: r4(Math.max(corners[2]!, corners[3]!)) },
        start: { minZ: r4(Math.min(corners[0]!, corners[3]!)), maxZ: r4(Math.max(corners[0]!, corners[3]!)) },
        end: { minZ: r4(Math.min(corners[1]!, corners[2]!)), maxZ: r4(Math.max(corners[1]!, corners[2]!)) },
      },
      facadeMiddleZ: r4(terrainAt(mid, -1e-6)),
      footpathAtFacadeMiddleZ: r4(footpathBackZ(mid)),
    },
    ...buildingHeights(layout, b),
    steps,
    lightWells,
  };
}

function stationSide(layout: SceneLayout, s: SideLayout, u: number): Record<string, unknown> {
  const h = sideHeights(s);
  const base = layout.crownZ + layout.gradient * u;
  const at = (d: number): En => {
    const [e, n] = toWorld(layout, u, s.sign * d);
    return [r4(e), r4(n)];
  };
  return {
    kerbOffsetM: r4(s.sign * s.kerbOffsetM),
    kerbFace: at(s.kerbOffsetM),
    kerbHeightM: r4(s.kerbHeightM),
    kerbTopZ: r4(base + h.kerbTopZ),
    gutterZ: r4(base + h.gutterZ),
    gutterInnerOffsetM: r4(s.sign * h.gutterInnerD),
    gutterInner: at(h.gutterInnerD),
    gutterInnerZ: r4(base + h.gutterInnerZ),
    gutterWidthM: r4(s.gutterWidthM),
    gutterCrossFallPct: r4(s.gutterFall * 100),
    carriagewayCrossFallPct: r4(s.carriagewayFall * 100),
    footpathWidthM: r4(s.footpathWidthM),
    footpathCrossFallPct: r4(s.footpathFall * 100),
    footpathOuterOffsetM: r4(s.sign * h.propertyD),
    footpathOuterZ: r4(base + h.propertyZ),
  };
}

/** Everything the truth needs from an epoch's run. */
export interface EpochTruthInput {
  readonly name: string;
  readonly pointSourceId: number;
  readonly date: string;
  readonly pointCount: number;
  readonly scanner: Readonly<Record<string, number>>;
  readonly passes: readonly Record<string, unknown>[];
}

/** Builds the truth object (JSON-ready) of a layout and its epochs. */
export function buildTruth(layout: SceneLayout, meta: { generator: string; version: string; crsWkt: string }, epochs: readonly EpochTruthInput[]): Record<string, unknown> {
  const nodes = profileNodes(layout);
  const changedLayout = applyChange(layout);
  const changedBefore = layout.buildings.find((b) => b.id === layout.change.buildingId)!;
  const changedAfter = changedLayout.buildings.find((b) => b.id === layout.change.buildingId)!;
  const p = layout.pothole;
  const potholeSurfaceZ = groundZ(layout, p.u, p.v, nodes);
  const [pe, pn] = toWorld(layout, p.u, p.v);
  return {
    generator: meta.generator,
    version: meta.version,
    seed: layout.seed,
    crs: { horizontalEpsg: 25832, verticalEpsg: 7837, compound: 'ETRS89 / UTM zone 32N + DHHN2016 height', wkt: meta.crsWkt },
    frame: {
      originE: layout.originE,
      originN: layout.originN,
      bearingDeg: layout.bearingDeg,
      formula: 'E = originE + u*sin(bearing) + v*cos(bearing); N = originN + u*cos(bearing) - v*sin(bearing); u = station, v = offset (right positive)',
    },
    classes: { '1': 'other: vehicles, entrance steps, light wells', '2': 'ground incl. kerbs', '5': 'trees', '6': 'buildings', '7': 'mixed pixels (noise)' },
    street: {
      lengthM: r4(layout.lengthM),
      crownZAtStation0: r4(layout.crownZ),
      gradientPct: r4(layout.gradient * 100),
      gradient: layout.gradient,
      crossSection: nodes.map((n) => ({ offsetM: n.v, zBeforeM: n.zBefore, zAfterM: n.zAfter })),
      crossSectionNote: 'heights relative to the crown; add crownZAtStation0 + gradient * station; linear between nodes, a kerb face is a node whose zBefore and zAfter differ (before = smaller offset)',
    },
    stations: layout.stations.map((u) => {
      const [e, n] = toWorld(layout, u, 0);
      return {
        station: u,
        axis: [r4(e), r4(n)],
        crownZ: r4(layout.crownZ + layout.gradient * u),
        carriagewayWidthM: r4(layout.left.kerbOffsetM + layout.right.kerbOffsetM),
        carriagewayWidthNote: 'between the kerb faces, gutters included',
        left: stationSide(layout, layout.left, u),
        right: stationSide(layout, layout.right, u),
      };
    }),
    buildings: layout.buildings.map((b) => buildingTruth(layout, b)),
    trees: layout.trees.map((t) => {
      const [e, n] = toWorld(layout, t.u, t.v);
      return { position: [r4(e), r4(n)], groundZ: r4(t.groundZ), trunkRadiusM: r4(t.trunkRadiusM), crownCenterZ: r4(t.crownCenterZ), crownRadiusM: r4(t.crownRadiusM), crownHalfHeightM: r4(t.crownHalfHeightM) };
    }),
    vehicles: layout.cars.map((c) => ({
      footprint: [toWorld(layout, c.u0, c.v0), toWorld(layout, c.u0 + c.lengthM, c.v0), toWorld(layout, c.u0 + c.lengthM, c.v1), toWorld(layout, c.u0, c.v1)].map(([e, n]) => [r4(e), r4(n)]),
      stationRange: [r3(c.u0), r3(c.u0 + c.lengthM)],
    })),
    epochs,
    changes: [
      {
        epoch: '2025',
        kind: 'added-storey',
        buildingId: layout.change.buildingId,
        deltaZ: r4(layout.change.deltaZ),
        before: buildingHeights(layout, changedBefore),
        after: buildingHeights(changedLayout, changedAfter),
      },
      {
        epoch: '2025',
        kind: 'pothole',
        station: r3(p.u),
        offsetM: r4(p.v),
        center: [r4(pe), r4(pn)],
        radiusM: r4(p.radiusM),
        depthM: r4(p.depthM),
        surfaceZ: r4(potholeSurfaceZ),
        floorZ: r4(potholeSurfaceZ - p.depthM),
      },
    ],
  };
}
