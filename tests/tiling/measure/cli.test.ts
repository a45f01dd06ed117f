/**
 * The measurement CLI end to end: `node bin/twinview.mjs measure-building | measure-buildings | section |
 * spot-height | clip` on generated sample drives (reduced density, several seeds), compared with truth.json at
 * issue 5's acceptance numbers; JSON validated against schemas/*.schema.json; the tiled COPC of the sample
 * answers like its LAS; clip output checked against a brute-force filter of the input file's points; errors are
 * exit code 2 with one line on stderr naming the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLas } from '../../../core/las/las-file.ts';
import { generateSample } from '../../../samples/generator/index.ts';
import { encodeEpochLas } from '../../../samples/write-sample.ts';
import { createFileGetter } from '../../../tiling/file-getter.ts';
import { readFootprints } from '../../../tiling/measure/footprints.ts';
import { REPO_ROOT } from '../../helpers/shared-data.ts';
import { twinview } from '../../helpers/twinview-cli.ts';

const SEEDS = (process.env.MEASURE_SEEDS ?? '3,11').split(',').map(Number);
// Note: 0.5 of the full profile rate. At 0.2 a light-well top (1 x 0.6 m) holds one point or none, so rims
// cannot be checked to 1 cm; 0.5 keeps a run near two minutes.
const DENSITY = Number(process.env.MEASURE_DENSITY ?? 0.5);
/** Spot checks per seed (light wells, steps): the first few keep the run short. */
const SPOTS_PER_SEED = 3;

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validators = Object.fromEntries(
  ['measure-building', 'section', 'spot-height'].map((name) => [
    name,
    ajv.compile(JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', `${name}.schema.json`), 'utf8'))),
  ]),
);

async function json(schema: 'measure-building' | 'section' | 'spot-height', ...args: string[]): Promise<any> {
  const r = await twinview(...args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, args.join(' ')).toBe(0);
  const out = JSON.parse(r.stdout);
  const validate = validators[schema]!;
  expect(validate(out) ? [] : validate.errors, `${schema} schema`).toEqual([]);
  return out;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- truth.json is read field by field */
interface Drive {
  seed: number;
  dir: string;
  las: string;
  /** The same points, every one class 1 (as unclassified mobile-mapping deliveries). */
  unclassified: string;
  copc?: string;
  truth: any;
}

const work = mkdtempSync(join(tmpdir(), 'twinview-measure-cli-'));
const drives: Drive[] = [];
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  for (const seed of SEEDS) {
    const sample = generateSample({ seed, density: DENSITY, epochs: ['2023'] });
    const dir = join(work, `seed-${seed}`);
    const las = join(dir, 'drive-2023.las');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const epoch = sample.epochs[0]!;
    writeFileSync(las, encodeEpochLas(epoch));
    const unclassified = join(dir, 'unclassified.las');
    writeFileSync(unclassified, encodeEpochLas({ ...epoch, points: { ...epoch.points, classification: new Uint8Array(epoch.points.count).fill(1) } }));
    writeFileSync(join(dir, 'truth.json'), JSON.stringify(sample.truth));
    const truth = JSON.parse(JSON.stringify(sample.truth));
    const fc = {
      type: 'FeatureCollection',
      features: truth.buildings.map((b: any) => ({
        type: 'Feature',
        id: b.id,
        properties: { name: b.id },
        geometry: { type: 'Polygon', coordinates: [[...b.footprint, b.footprint[0]]] },
      })),
    };
    writeFileSync(join(dir, 'footprints.geojson'), JSON.stringify(fc));
    drives.push({ seed, dir, las, unclassified, truth });
  }
  // The first seed also as COPC, tiled by `twinview tile`.
  const first = drives[0]!;
  const copc = join(first.dir, 'drive-2023.copc.laz');
  const r = await twinview('tile', first.las, '-o', copc, '--quiet');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  first.copc = copc;
}, 300_000);

/** World [E, N] of street-frame (station u, offset v) per truth.frame.formula. */
function world(truth: any, u: number, v: number): [number, number] {
  const b = (truth.frame.bearingDeg * Math.PI) / 180;
  return [truth.frame.originE + u * Math.sin(b) + v * Math.cos(b), truth.frame.originN + u * Math.cos(b) - v * Math.sin(b)];
}
const pair = (p: readonly number[]): string => `${p[0]!.toFixed(4)},${p[1]!.toFixed(4)}`;

/** True street surface height at (station u, offset v) per truth.street (crown, gradient, cross-section nodes). */
function streetZ(truth: any, u: number, v: number): number {
  const nodes: { offsetM: number; zBeforeM: number; zAfterM: number }[] = truth.street.crossSection;
  const k = nodes.findIndex((n) => n.offsetM > v);
  const a = nodes[k - 1]!;
  const b = nodes[k]!;
  const z = a.zAfterM + ((b.zBeforeM - a.zAfterM) * (v - a.offsetM)) / (b.offsetM - a.offsetM);
  return truth.street.crownZAtStation0 + truth.street.gradient * u + z;
}

/** The --reference values of every building from one measure-buildings run (GeoJSON), by building id. */
async function batchReferences(d: Drive, input: string, name: string, ...args: string[]): Promise<Map<string, any>> {
  const out = join(d.dir, `${name}.geojson`);
  const r = await twinview('measure-buildings', input, '--footprints', join(d.dir, 'footprints.geojson'), '-o', out, '--quiet', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const fc = JSON.parse(readFileSync(out, 'utf8'));
  return new Map(fc.features.map((f: any) => [f.properties.building_id, f.properties]));
}

/** Section line across the street at a truth station: offset -7.5 m (left) to +7.5 m (right). */
function stationLine(truth: any, station: any): { from: [number, number]; to: [number, number] } {
  return { from: world(truth, station.station, -7.5), to: world(truth, station.station, 7.5) };
}

/** Absolute errors that exceed a tolerance, as readable lines (empty when all hold). */
function misses(rows: { what: string; got: number | null; want: number }[], tol: number): string[] {
  return rows.filter((r) => r.got === null || !(Math.abs(r.got - r.want) <= tol)).map((r) => `${r.what}: ${r.got} vs truth ${r.want} (tol ${tol})`);
}

/**
 * Every light-well rim (at the well's centre) and step threshold (the middle of the landing in front of the
 * door) of a drive, with its truth height, m NHN.
 */
function spotTargets(t: any): { what: string; at: [number, number]; want: number }[] {
  const b2 = (t.frame.bearingDeg * Math.PI) / 180;
  const out: { what: string; at: [number, number]; want: number }[] = [];
  for (const b of t.buildings) {
    for (const w of b.lightWells) out.push({ what: `${b.id} light well at ${w.station} rim`, at: w.center, want: w.rimZ });
    if (b.steps) {
      // The street-ward direction is -sign along the offset axis (as the classified spot-height test).
      const sign = b.local.sign;
      const k = b.steps.landingDepthM / 2;
      const at: [number, number] = [b.steps.doorCenter[0] - k * sign * Math.cos(b2), b.steps.doorCenter[1] + k * sign * Math.sin(b2)];
      out.push({ what: `${b.id} threshold`, at, want: b.steps.thresholdZ });
    }
  }
  return out;
}

describe.each(SEEDS)('seed %i: CLI against truth.json', (seed) => {
  const drive = (): Drive => drives.find((d) => d.seed === seed)!;

  it('measure-buildings: ridge and eave within 3 cm for every building (GeoJSON output)', async () => {
    const d = drive();
    const out = join(d.dir, 'heights.geojson');
    const r = await twinview('measure-buildings', d.las, '--footprints', join(d.dir, 'footprints.geojson'), '-o', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features.length).toBe(d.truth.buildings.length);
    const rows: { what: string; got: number | null; want: number }[] = [];
    for (const b of d.truth.buildings) {
      const f = fc.features.find((x: any) => x.properties.building_id === b.id);
      expect(f, b.id).toBeDefined();
      const p = f.properties;
      if (b.parapet) {
        expect(p.roof_type, b.id).toBe('flat');
        rows.push({ what: `${b.id} parapet (ridge)`, got: p.ridge_nhn, want: b.parapet.topZ });
        rows.push({ what: `${b.id} parapet (eave)`, got: p.eave_nhn, want: b.parapet.topZ });
      } else {
        rows.push({ what: `${b.id} ridge`, got: p.ridge_nhn, want: b.ridge.heightZ });
        rows.push({ what: `${b.id} eave`, got: p.eave_nhn, want: Math.max(...b.eaves.map((e: any) => e.heightZ)) });
      }
      // The default reference: the mean of the highest and lowest terrain along the walls.
      expect(p.reference_kind, b.id).toBe('mean-terrain');
      rows.push({ what: `${b.id} mean-terrain reference`, got: p.reference_nhn, want: b.terrain.meanMinMaxZ });
      expect(p.ridge_height_m, b.id).toBeCloseTo(p.ridge_nhn - p.reference_nhn, 3);
    }
    expect(misses(rows, 0.03)).toEqual([]);
  }, 180_000);

  it('measure-building --json: schema, the batch values, references', async () => {
    const d = drive();
    const b = d.truth.buildings.find((x: any) => x.steps) ?? d.truth.buildings[0];
    const fp = b.footprint.map(pair).join(';');
    const one = await json('measure-building', 'measure-building', d.las, '--footprint', fp, '--json');
    const want = b.parapet ? b.parapet.topZ : b.ridge.heightZ;
    expect(Math.abs(one.ridgeNhn - want), `${b.id} ridge ${one.ridgeNhn} vs ${want}`).toBeLessThanOrEqual(0.03);
    expect(one.reference.kind).toBe('mean-terrain');
    expect(one.ridgeHeightM).toBeCloseTo(one.ridgeNhn - one.reference.nhn, 3);
    // Closed, clockwise ring and an absolute reference: same building, heights relative to 34.5 m NHN.
    const cw = [...b.footprint, b.footprint[0]].reverse().map(pair).join(';');
    const abs = await json('measure-building', 'measure-building', d.las, '--footprint', cw, '--reference', 'nhn:34.5', '--json');
    expect(abs.ridgeNhn).toBeCloseTo(one.ridgeNhn, 3);
    expect(abs.reference).toEqual({ kind: 'nhn', nhn: 34.5, at: null });
    expect(abs.ridgeHeightM).toBeCloseTo(abs.ridgeNhn - 34.5, 3);
    // Street-facade reference: the street point lies outside footprint + buffer, its points are queried too.
    const street = d.truth.stations[0].axis;
    const sf = await json('measure-building', 'measure-building', d.las, '--footprint', fp, '--reference', 'street-facade', '--street', pair(street), '--json');
    expect(sf.reference.kind).toBe('street-facade');
    expect(sf.warnings.filter((w: string) => /mean terrain used/.test(w))).toEqual([]);
    expect(Number.isFinite(sf.reference.nhn)).toBe(true);
  }, 120_000);

  it('section: kerbs within 1 cm, carriageway width within 5 cm, cross-falls within 0.2 pp; exports', async () => {
    const d = drive();
    const kerbRows: { what: string; got: number | null; want: number }[] = [];
    const widthRows: { what: string; got: number | null; want: number }[] = [];
    const fallRows: { what: string; got: number | null; want: number }[] = [];
    for (const [k, st] of d.truth.stations.entries()) {
      const { from, to } = stationLine(d.truth, st);
      const exports = k === 0 ? ['--csv', join(d.dir, 's.csv'), '--dxf', join(d.dir, 's.dxf'), '--dxf3d', join(d.dir, 's3d.dxf'), '--landxml', join(d.dir, 's.xml')] : [];
      const s = await json('section', 'section', d.las, '--from', pair(from), '--to', pair(to), '--json', ...exports);
      expect(s.lengthM).toBeCloseTo(15, 3);
      const at = `station ${st.station}`;
      const left = s.kerbs.find((x: any) => x.side === 'from');
      const right = s.kerbs.find((x: any) => x.side === 'to');
      kerbRows.push({ what: `${at} left kerb`, got: left?.heightM ?? null, want: st.left.kerbHeightM });
      kerbRows.push({ what: `${at} right kerb`, got: right?.heightM ?? null, want: st.right.kerbHeightM });
      widthRows.push({ what: `${at} carriageway width`, got: s.carriageway?.widthM ?? null, want: st.carriagewayWidthM });
      fallRows.push({ what: `${at} carriageway cross-fall left`, got: s.carriageway?.crossfallPercent.nearFrom ?? null, want: st.left.carriagewayCrossFallPct });
      fallRows.push({ what: `${at} carriageway cross-fall right`, got: s.carriageway?.crossfallPercent.nearTo ?? null, want: st.right.carriagewayCrossFallPct });
      // Footpaths: positive when falling towards the carriageway (the truth's footpaths rise away from the kerb).
      const footFrom = s.footpaths.find((f: any) => f.side === 'from');
      const footTo = s.footpaths.find((f: any) => f.side === 'to');
      fallRows.push({ what: `${at} footpath cross-fall left`, got: footFrom?.crossfallPercent ?? null, want: st.left.footpathCrossFallPct });
      fallRows.push({ what: `${at} footpath cross-fall right`, got: footTo?.crossfallPercent ?? null, want: st.right.footpathCrossFallPct });
      // Each footpath starts at its kerb and lies on its own side of the carriageway.
      if (footFrom && left) expect(footFrom.toDistM, `${at} left footpath`).toBeCloseTo(left.distM, 1);
      if (footTo && right) expect(footTo.fromDistM, `${at} right footpath`).toBeCloseTo(right.distM, 1);
      // The kerbs found are the truth's kerbs (the face within 10 cm), not some other step.
      if (left) expect(Math.abs(left.distM - (7.5 + st.left.kerbOffsetM)), `${at} left kerb position`).toBeLessThan(0.1);
      if (right) expect(Math.abs(right.distM - (7.5 + st.right.kerbOffsetM)), `${at} right kerb position`).toBeLessThan(0.1);
      if (k === 0) {
        // CSV rows are the JSON profile (mm), DXF holds the profile polyline, LandXML a CrossSect.
        const csv = readFileSync(join(d.dir, 's.csv'), 'utf8').trim().split(/\r?\n/);
        expect(csv[0]).toBe('dist_m,offset_m,e,n,h_nhn,part');
        expect(csv.length - 1).toBe(s.profile.length);
        const row = csv[1]!.split(',').map(Number);
        // Note: the CSV holds millimetres, the JSON 0.1 mm, so a value ending in 5 rounds by half a millimetre.
        expect(Math.abs(row[0]! - s.profile[0].distM)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(Math.abs(row[4]! - s.profile[0].h)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(readFileSync(join(d.dir, 's.dxf'), 'utf8')).toMatch(/POLYLINE/);
        expect(readFileSync(join(d.dir, 's3d.dxf'), 'utf8')).toMatch(/POLYLINE/);
        expect(readFileSync(join(d.dir, 's.xml'), 'utf8')).toMatch(/<CrossSect[\s>]/);
      }
    }
    expect([...misses(kerbRows, 0.01), ...misses(widthRows, 0.05), ...misses(fallRows, 0.2)]).toEqual([]);
  }, 180_000);

  it.each(['classified', 'unclassified'] as const)(
    'references (%s copy): mean-terrain, street-facade, facade-terrain, nhn: and point: against truth.json',
    async (variant) => {
      const d = drive();
      const t = d.truth;
      const input = variant === 'classified' ? d.las : d.unclassified;
      // Any point on the street, as the option asks: the axis at the first truth station, for every building of
      // the drive (so for most of them far along the street, off to one side of the facade).
      const street = pair(t.stations[0].axis);
      const [mean, facade, terrain] = await Promise.all([
        batchReferences(d, input, `${variant}-ref-mean`),
        batchReferences(d, input, `${variant}-ref-street`, '--reference', 'street-facade', '--street', street),
        batchReferences(d, input, `${variant}-ref-terrain`, '--reference', 'facade-terrain', '--street', street),
      ]);
      const terrainRows: { what: string; got: number | null; want: number }[] = [];
      const streetRows: { what: string; got: number | null; want: number }[] = [];
      for (const b of t.buildings) {
        for (const [props, kind] of [
          [mean.get(b.id), 'mean-terrain'],
          [facade.get(b.id), 'street-facade'],
          [terrain.get(b.id), 'facade-terrain'],
        ] as const) {
          expect(props?.reference_kind, `${b.id} ${kind}`).toBe(kind);
          expect(props.warnings ?? '', `${b.id} ${kind}`).not.toMatch(/mean terrain used/);
        }
        terrainRows.push({ what: `${b.id} mean-terrain`, got: mean.get(b.id).reference_nhn, want: b.terrain.meanMinMaxZ });
        terrainRows.push({ what: `${b.id} facade-terrain`, got: terrain.get(b.id).reference_nhn, want: b.terrain.facadeMiddleZ });
        streetRows.push({ what: `${b.id} street-facade (footpath at the facade middle)`, got: facade.get(b.id).reference_nhn, want: b.terrain.footpathAtFacadeMiddleZ });
      }
      // Note: street-facade takes the footpath at its building-side edge, and in the sample that edge is only a
      // change of slope (footpath 1-3 % against a front yard of -1…+3 %); where both slopes agree within a few
      // tenths of a percent no method can see the edge and the spot moves into the yard, a few centimetres
      // higher or lower. 6 cm covers that; the terrain references hold 3 cm.
      expect([...misses(terrainRows, 0.03), ...misses(streetRows, 0.06)]).toEqual([]);

      // nhn: is taken as given; point: is the surface at the point (here the footpath in front of a building).
      const b = t.buildings.find((x: any) => x.side === 'right') ?? t.buildings[0];
      const u = (b.local.u0 + b.local.u1) / 2;
      const side = b.side === 'left' ? t.stations[0].left : t.stations[0].right;
      const v = (side.kerbOffsetM + side.footpathOuterOffsetM) / 2;
      const at = world(t, u, v);
      const fp = b.footprint.map(pair).join(';');
      const point = await json('measure-building', 'measure-building', input, '--footprint', fp, '--reference', `point:${pair(at)}`, '--json');
      expect(point.reference.kind).toBe('point');
      expect(point.reference.at[0]).toBeCloseTo(at[0], 3);
      expect(Math.abs(point.reference.nhn - streetZ(t, u, v)), `point reference ${point.reference.nhn} vs ${streetZ(t, u, v)}`).toBeLessThanOrEqual(0.01);
      expect(point.eaveHeightM).toBeCloseTo(point.eaveNhn - point.reference.nhn, 3);
      const abs = await json('measure-building', 'measure-building', input, '--footprint', fp, '--reference', 'nhn:34.25', '--json');
      expect(abs.reference).toEqual({ kind: 'nhn', nhn: 34.25, at: null });
      expect(abs.ridgeNhn).toBe(point.ridgeNhn);
      expect(abs.ridgeHeightM).toBeCloseTo(abs.ridgeNhn - 34.25, 3);
    },
    300_000,
  );

  it('spot-height: light-well rims and step thresholds within 1 cm, absolute and relative to the footpath', async () => {
    const d = drive();
    const t = d.truth;
    const b2 = (t.frame.bearingDeg * Math.PI) / 180;
    const rows: { what: string; got: number | null; want: number }[] = [];
    const wells = t.buildings.flatMap((b: any) => b.lightWells.map((w: any) => ({ b, w }))).slice(0, SPOTS_PER_SEED);
    const steps = t.buildings.filter((b: any) => b.steps).slice(0, SPOTS_PER_SEED);
    expect(wells.length + steps.length).toBeGreaterThan(0);
    const footpathBack = (b: any, station: number): [number, number] => {
      const side = b.side === 'left' ? t.stations[0].left : t.stations[0].right;
      // 10 cm inside the footpath's outer edge (the property line), at the same station.
      const v = side.footpathOuterOffsetM - Math.sign(side.footpathOuterOffsetM) * 0.1;
      return world(t, station, v);
    };
    for (const { b, w } of wells) {
      const s = await json('spot-height', 'spot-height', d.las, '--at', pair(w.center), '--relative-to', pair(footpathBack(b, w.station)), '--json');
      rows.push({ what: `${b.id} light well at ${w.station} rim`, got: s.nhn, want: w.rimZ });
      rows.push({ what: `${b.id} light well at ${w.station} rim above footpath`, got: s.relative.deltaM, want: w.rimAboveFootpathM });
    }
    for (const b of steps) {
      // The middle of the landing (the top step, at threshold height) in front of the door: the street-ward
      // direction is -sign along the offset axis.
      const sign = b.local.sign;
      const out: [number, number] = [-sign * Math.cos(b2), sign * Math.sin(b2)];
      const k = b.steps.landingDepthM / 2;
      const at: [number, number] = [b.steps.doorCenter[0] + k * out[0], b.steps.doorCenter[1] + k * out[1]];
      const s = await json('spot-height', 'spot-height', d.las, '--at', pair(at), '--relative-to', pair(footpathBack(b, b.steps.station)), '--json');
      rows.push({ what: `${b.id} threshold`, got: s.nhn, want: b.steps.thresholdZ });
      rows.push({ what: `${b.id} threshold above footpath`, got: s.relative.deltaM, want: b.steps.thresholdAboveFootpathM });
    }
    expect(misses(rows, 0.01)).toEqual([]);
  }, 180_000);

  it('spot-height on the unclassified copy: every light-well rim and step threshold within 1 cm', async () => {
    // Note: without classes, mixed pixels and wall points beside a rim under a roof overhang fall into the
    // surface band; every spot of the drive is checked, not the first few, since the misses were at the ones
    // with the fewest points. Two spots per run (--relative-to) halve the CLI start-ups.
    const d = drive();
    const targets = spotTargets(d.truth);
    expect(targets.length).toBeGreaterThanOrEqual(10);
    const rows: { what: string; got: number | null; want: number }[] = [];
    // The stated uncertainty covers every error: |error| <= 2.5 sigma for each spot (sigmaM) and for each
    // difference of two spots (relative.sigmaM); the sigmas stay realistic (median below 2 cm).
    const beyond: string[] = [];
    const sigmas: number[] = [];
    for (let k = 0; k < targets.length; k += 2) {
      const a = targets[k]!;
      const b = targets[k + 1];
      const s = await json('spot-height', 'spot-height', d.unclassified, '--at', pair(a.at), ...(b ? ['--relative-to', pair(b.at)] : []), '--json');
      rows.push({ what: a.what, got: s.nhn, want: a.want });
      sigmas.push(s.sigmaM);
      // 0.05 mm: the JSON rounds to 0.1 mm.
      if (!(Math.abs(s.nhn - a.want) <= 2.5 * s.sigmaM + 5e-5)) beyond.push(`${a.what}: ${s.nhn} vs ${a.want}, sigma ${s.sigmaM}`);
      if (b) {
        rows.push({ what: b.what, got: s.relative.nhn, want: b.want });
        const want = a.want - b.want;
        if (!(Math.abs(s.relative.deltaM - want) <= 2.5 * s.relative.sigmaM + 5e-5)) beyond.push(`${a.what} - ${b.what}: ${s.relative.deltaM} vs ${want}, sigma ${s.relative.sigmaM}`);
      }
    }
    expect(misses(rows, 0.01)).toEqual([]);
    expect(beyond).toEqual([]);
    expect(sigmas.sort((p, q) => p - q)[Math.floor(sigmas.length / 2)]!).toBeLessThan(0.02);
  }, 300_000);
});

describe('--accuracy (the stated absolute height accuracy)', () => {
  it('raises the absolute sigmas (spot sigmaM, building sigmaNhnM) and not the relative ones; listed in --help', async () => {
    const d = drives[0]!;
    const [a, b] = spotTargets(d.truth);
    const args = ['spot-height', d.las, '--at', pair(a!.at), '--relative-to', pair(b!.at), '--json'];
    const plain = await json('spot-height', ...args);
    const acc = await json('spot-height', ...args, '--accuracy', '0.03');
    expect(acc.nhn).toBe(plain.nhn);
    expect(plain.uncertainty.accuracyM).toBeNull();
    expect(acc.uncertainty.accuracyM).toBe(0.03);
    expect(acc.uncertainty.sigmaDriveM).toBe(plain.uncertainty.sigmaDriveM);
    expect(plain.sigmaM).toBe(plain.uncertainty.sigmaDriveM);
    expect(Math.abs(acc.sigmaM - Math.hypot(plain.uncertainty.sigmaDriveM, 0.03))).toBeLessThanOrEqual(1e-4);
    expect(acc.relative.sigmaM).toBe(plain.relative.sigmaM);
    const fp = d.truth.buildings[0].footprint.map(pair).join(';');
    const building = ['measure-building', d.las, '--footprint', fp, '--json'];
    const bPlain = await json('measure-building', ...building);
    const bAcc = await json('measure-building', ...building, '--accuracy', '0.05');
    expect(bAcc.ridgeNhn).toBe(bPlain.ridgeNhn);
    expect(bAcc.sigmaM).toBe(bPlain.sigmaM);
    expect(bAcc.eaves).toEqual(bPlain.eaves);
    expect(Math.abs(bAcc.sigmaNhnM - Math.hypot(bPlain.sigmaNhnM, 0.05))).toBeLessThanOrEqual(1e-4);
    expect(bAcc.uncertainty.accuracyM).toBe(0.05);
    // An absolute reference: the heights above it are absolute values less a constant, so sigmaM is sigmaNhnM.
    const bNhn = await json('measure-building', ...building, '--accuracy', '0.05', '--reference', 'nhn:34.5');
    expect(bNhn.sigmaM).toBe(bNhn.sigmaNhnM);
    expect(bNhn.sigmaNhnM).toBe(bAcc.sigmaNhnM);
    for (const command of ['spot-height', 'measure-building', 'measure-buildings']) {
      const help = await twinview(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout, command).toMatch(/--accuracy M +the dataset's stated absolute height accuracy, 1 sigma, metres/);
    }
  }, 120_000);
});

describe('unclassified copy (every point class 1, as mobile-mapping deliveries often are)', () => {
  it('measures buildings, kerbs and a light well or threshold within the acceptance numbers', async () => {
    const d = drives[0]!;
    const unclassified = d.unclassified;
    const source = await openLas(await createFileGetter(unclassified));
    expect(source.header.pointCount).toBe((await openLas(await createFileGetter(d.las))).header.pointCount);
    const p = await source.readPoints();
    expect(p.classification!.every((c) => c === 1)).toBe(true);
    const out = join(d.dir, 'unclassified.geojson');
    const r = await twinview('measure-buildings', unclassified, '--footprints', join(d.dir, 'footprints.geojson'), '-o', out, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    const rows: { what: string; got: number | null; want: number }[] = [];
    for (const b of d.truth.buildings) {
      const f = fc.features.find((x: any) => x.properties.building_id === b.id).properties;
      rows.push({ what: `${b.id} ridge`, got: f.ridge_nhn, want: b.parapet ? b.parapet.topZ : b.ridge.heightZ });
      rows.push({ what: `${b.id} eave`, got: f.eave_nhn, want: b.parapet ? b.parapet.topZ : Math.max(...b.eaves.map((e: any) => e.heightZ)) });
    }
    const st = d.truth.stations[0];
    const { from, to } = stationLine(d.truth, st);
    const s = await json('section', 'section', unclassified, '--from', pair(from), '--to', pair(to), '--json');
    const kerbs = [
      { what: 'left kerb', got: s.kerbs.find((k: any) => k.side === 'from')?.heightM ?? null, want: st.left.kerbHeightM },
      { what: 'right kerb', got: s.kerbs.find((k: any) => k.side === 'to')?.heightM ?? null, want: st.right.kerbHeightM },
    ];
    const falls = [
      { what: 'left footpath cross-fall', got: s.footpaths.find((f: any) => f.side === 'from')?.crossfallPercent ?? null, want: st.left.footpathCrossFallPct },
      { what: 'right footpath cross-fall', got: s.footpaths.find((f: any) => f.side === 'to')?.crossfallPercent ?? null, want: st.right.footpathCrossFallPct },
      { what: 'left carriageway cross-fall', got: s.carriageway?.crossfallPercent.nearFrom ?? null, want: st.left.carriagewayCrossFallPct },
      { what: 'right carriageway cross-fall', got: s.carriageway?.crossfallPercent.nearTo ?? null, want: st.right.carriagewayCrossFallPct },
    ];
    const well = d.truth.buildings.flatMap((b: any) => b.lightWells)[0];
    const spots = [];
    if (well) {
      const w = await json('spot-height', 'spot-height', unclassified, '--at', pair(well.center), '--json');
      spots.push({ what: 'light-well rim', got: w.nhn, want: well.rimZ });
    }
    expect([...misses(rows, 0.03), ...misses(kerbs, 0.01), ...misses(spots, 0.01), ...misses(falls, 0.2)]).toEqual([]);
  }, 240_000);
});

describe('the tiled COPC answers like the LAS', () => {
  const drive = (): Drive => drives[0]!;

  it('measure-buildings, section and spot-height give the same values from COPC and LAS', async () => {
    const d = drive();
    const outs: any[] = [];
    for (const input of [d.las, d.copc!]) {
      const out = join(d.dir, `${input.endsWith('.las') ? 'las' : 'copc'}.csv`);
      const r = await twinview('measure-buildings', input, '--footprints', join(d.dir, 'footprints.geojson'), '-o', out, '--quiet');
      expect(r.code, r.stderr).toBe(0);
      outs.push(readFileSync(out, 'utf8'));
    }
    expect(outs[0]).toBe(outs[1]);
    const { from, to } = stationLine(d.truth, d.truth.stations[1]);
    const [a, b] = await Promise.all(
      [d.las, d.copc!].map((input) => json('section', 'section', input, '--from', pair(from), '--to', pair(to), '--json')),
    );
    expect(b).toEqual(a);
    const spot = world(d.truth, d.truth.stations[1].station, 0);
    const [sa, sb] = await Promise.all([d.las, d.copc!].map((input) => json('spot-height', 'spot-height', input, '--at', pair(spot), '--json')));
    expect(sb).toEqual(sa);
    // Zone-prefixed eastings (EPSG:4647 style) name the same spot.
    const prefixed = `${(32_000_000 + spot[0]).toFixed(4)},${spot[1].toFixed(4)}`;
    const sp = await json('spot-height', 'spot-height', d.copc!, '--at', prefixed, '--json');
    expect(sp.nhn).toBe(sa.nhn);
    expect(sp.at[0]).toBeCloseTo(spot[0], 3);
  }, 240_000);
});

describe('clip', () => {
  const drive = (): Drive => drives[0]!;

  it('writes exactly the points inside the polygon and height range, as LAS and LAZ, keeping format, scale, offset and WKT', async () => {
    const d = drive();
    // A square turned 17 degrees around a building's middle: its edges cross walls instead of lying on them, so
    // no scanned facade sits exactly on the boundary (where any two inside tests may round differently).
    const fp: [number, number][] = d.truth.buildings[1].footprint;
    const cx = fp.reduce((a, p) => a + p[0], 0) / fp.length;
    const cy = fp.reduce((a, p) => a + p[1], 0) / fp.length;
    const turn = (17 * Math.PI) / 180;
    const ring: [number, number][] = [0, 1, 2, 3].map((k) => {
      const a = turn + (k * Math.PI) / 2;
      return [Math.round((cx + 6.5 * Math.cos(a)) * 1e4) / 1e4, Math.round((cy + 6.5 * Math.sin(a)) * 1e4) / 1e4];
    });
    const zmin = 36;
    const zmax = 40.5;
    const poly = ring.map(pair).join(';');
    const lasOut = join(d.dir, 'clip.las');
    const lazOut = join(d.dir, 'clip.laz');
    for (const [input, out] of [
      [d.las, lasOut],
      [d.copc!, lazOut],
    ] as const) {
      const r = await twinview('clip', input, '--polygon', poly, '--zmin', String(zmin), '--zmax', String(zmax), '-o', out, '--quiet');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    // Brute force over the input file's points: the 4-corner footprint is convex, so a same-side test decides.
    const source = await openLas(await createFileGetter(d.las));
    const p = await source.readPoints();
    const inside = (x: number, y: number): boolean => {
      let pos = 0;
      let neg = 0;
      for (let i = 0; i < ring.length; i++) {
        const [ax, ay] = ring[i]!;
        const [bx, by] = ring[(i + 1) % ring.length]!;
        const c = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
        if (c > 0) pos++;
        if (c < 0) neg++;
      }
      return pos === 0 || neg === 0;
    };
    const expected: string[] = [];
    const q = (v: number): string => v.toFixed(3);
    for (let i = 0; i < p.count; i++) {
      const z = p.z[i]!;
      if (z < zmin || z > zmax || !inside(p.x[i]!, p.y[i]!)) continue;
      expected.push(`${q(p.x[i]!)} ${q(p.y[i]!)} ${q(z)} ${p.gpsTime![i]!.toFixed(6)}`);
    }
    expected.sort();
    expect(expected.length).toBeGreaterThan(100);
    for (const out of [lasOut, lazOut]) {
      const las = await openLas(await createFileGetter(out));
      expect(las.compressed).toBe(out.endsWith('.laz'));
      expect(las.header.pointFormat).toBe(7);
      expect(las.header.version).toBe('1.4');
      expect(las.header.scale).toEqual(source.header.scale);
      expect(las.header.offset).toEqual(source.header.offset);
      expect(las.wkt).toBe(source.wkt);
      const pts = await las.readPoints();
      const got: string[] = [];
      for (let i = 0; i < pts.count; i++) got.push(`${q(pts.x[i]!)} ${q(pts.y[i]!)} ${q(pts.z[i]!)} ${pts.gpsTime![i]!.toFixed(6)}`);
      got.sort();
      expect(got, out).toEqual(expected);
    }
    // A LAZ written by clip is itself an input: without a height range, a spot inside the clip (the roof at the
    // building's middle) answers as from the whole drive.
    const allOut = join(d.dir, 'clip-all.laz');
    const all = await twinview('clip', d.copc!, '--polygon', poly, '-o', allOut, '--quiet');
    expect(all.code, all.stderr).toBe(0);
    const spot = `${cx.toFixed(4)},${cy.toFixed(4)}`;
    const [fromLaz, fromLas] = await Promise.all(
      [allOut, d.las].map((input) => json('spot-height', 'spot-height', input, '--at', spot, '--radius', '0.5', '--json')),
    );
    expect(fromLaz).toEqual(fromLas);
  }, 120_000);
});

describe('measure-buildings with GeoPackage', () => {
  it('writes a GeoPackage and reads footprints back from one', async () => {
    const d = drives[0]!;
    const gpkg = join(d.dir, 'heights.gpkg');
    const r = await twinview('measure-buildings', d.las, '--footprints', join(d.dir, 'footprints.geojson'), '-o', gpkg, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const footprints = await readFootprints(gpkg);
    expect(footprints.map((f) => f.id).sort()).toEqual(d.truth.buildings.map((b: any) => b.id).sort());
    for (const f of footprints) {
      const b = d.truth.buildings.find((x: any) => x.id === f.id);
      // Closed ring written counter-clockwise: every truth vertex is among the written ones (mm).
      for (const v of b.footprint) expect(f.ring.some((p) => Math.hypot(p[0] - v[0], p[1] - v[1]) < 0.001), `${f.id} ${v}`).toBe(true);
    }
    // The GeoPackage footprints give the same rows as the GeoJSON ones.
    const a = join(d.dir, 'from-geojson.csv');
    const b = join(d.dir, 'from-gpkg.csv');
    for (const [fp, out] of [
      [join(d.dir, 'footprints.geojson'), a],
      [gpkg, b],
    ] as const) {
      const run = await twinview('measure-buildings', d.las, '--footprints', fp, '-o', out, '--quiet');
      expect(run.code, run.stderr).toBe(0);
    }
    const rows = (path: string): string[] => readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.replace(/^"POLYGON[^"]*",/, '')).sort();
    expect(rows(b)).toEqual(rows(a));
  }, 180_000);
});

describe('errors: exit code 2, one line on stderr naming the file', () => {
  const drive = (): Drive => drives[0]!;
  const cases = (d: Drive): { args: string[]; pattern: RegExp }[] => [
    { args: ['measure-building', d.las, '--footprint', '1,2;3'], pattern: /Invalid footprint: 1,2;3 .*drive-2023\.las/ },
    { args: ['measure-building', d.las, '--footprint', '0,0;1,0;0,1', '--reference', 'street-facade'], pattern: /Invalid --reference: street-facade \(needs --street/ },
    { args: ['measure-building', join(d.dir, 'missing.las'), '--footprint', '0,0;1,0;0,1'], pattern: /Invalid file: .*missing\.las \(not found\)/ },
    { args: ['spot-height', d.las, '--at', '337000;5682000'], pattern: /Invalid --at: 337000;5682000 .*drive-2023\.las/ },
    { args: ['spot-height', d.las, '--at', '1,1'], pattern: /Invalid .*drive-2023\.las/ },
    { args: ['section', d.las, '--from', '1,1', '--to', '1,1'], pattern: /Invalid section line: 1,1 -> 1,1 .*drive-2023\.las/ },
    { args: ['section', d.las, '--from', '1,1', '--to', '5,5', '--half-width=-1'], pattern: /Invalid --half-width: -1 .*drive-2023\.las/ },
    { args: ['clip', d.las, '--polygon', '0,0;1,0;0,1', '-o', join(d.dir, 'x.txt')], pattern: /Invalid output: .*x\.txt/ },
    { args: ['section', d.las, '--half-width', '-1'], pattern: /Invalid option: Option '--half-width' argument is ambiguous\. / },
    { args: ['spot-height', d.las, '--at', '1,1', '--bogus'], pattern: /Invalid option: Unknown option '--bogus'/ },
    { args: ['spot-height', d.las, '--at', '1,1', '--accuracy', '3cm'], pattern: /Invalid accuracy: 3cm \(metres, 1 sigma, 0 to 1\) for .*drive-2023\.las/ },
    { args: ['measure-building', d.las, '--footprint', '0,0;1,0;0,1', '--accuracy=-0.02'], pattern: /Invalid accuracy: -0\.02 .*drive-2023\.las/ },
    { args: ['measure-buildings', d.las, '--footprints', join(d.dir, 'footprints.geojson'), '-o', join(d.dir, 'x.csv'), '--accuracy', '2'], pattern: /Invalid accuracy: 2 .*drive-2023\.las/ },
    { args: ['measure-buildings', d.las, '--footprints', join(d.dir, 'truth.json'), '-o', join(d.dir, 'x.csv')], pattern: /Invalid footprints: .*truth\.json \(no polygon features\)/ },
  ];

  it('reports each problem as Invalid <thing>: <value>', async () => {
    const d = drive();
    for (const { args, pattern } of cases(d)) {
      const r = await twinview(...args);
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines.length, r.stderr).toBe(1);
      expect(lines[0], args.join(' ')).toMatch(pattern);
    }
  }, 120_000);
});
