/**
 * Measurement for the viewer's tools, as plain functions over core (run in a Web Worker through
 * workers/measure-client.ts, or directly on the main thread when workers are unavailable): each call opens the
 * COPC/LAS input (once per input) - a URL through core's HTTP range getter, or a local File/Blob (drag and drop,
 * file picker; structured-cloneable, so it crosses into the worker) through Blob.slice - reads exactly the nodes
 * that touch its spot, slab,
 * footprint or clip region at full resolution through core/query, whatever the viewer has on screen, and runs
 * core/measure on them. Every result reports the local point spacing and warnings (too sparse, occlusion edge).
 *
 * The CLI (tiling/commands/*) runs the same core functions on the same regions, so a value in the viewer's panel
 * equals the CLI's value for the same input.
 *
 * @example
 * const api = createMeasureApi();
 * const spot = await api.spotHeight('http://127.0.0.1:5173/data/drive.copc.laz', { at: [291450.2, 5744310.8] });
 * const local = await api.cutSection(droppedFile, { from: [291440, 5744300], to: [291455, 5744312] });
 */
import { transfer } from 'comlink';
import { fitPlane } from '../core/geometry/plane.ts';
import type { Point2, Point3 } from '../core/geometry/point3.ts';
import { createBlobGetter } from '../core/io/blob-getter.ts';
import type { SizedGetter } from '../core/io/getter.ts';
import { createHttpGetter, type FetchLike } from '../core/io/http-getter.ts';
import type { LazPerfModule } from '../core/las/laz.ts';
import type { PointColumns } from '../core/las/point-columns.ts';
import { writeLas } from '../core/las/writer.ts';
import { compressLasToLaz } from '../core/laz/compress-las.ts';
import { measureBuildingHeight, type BuildingMeasurement, type BuildingReference } from '../core/measure/building-height.ts';
import { cutSection, type CrossSection } from '../core/measure/cross-section.ts';
import { spotDifferenceSigma, spotHeight, spotQueryRadiusM, type SpotHeight } from '../core/measure/spot-height.ts';
import { inContext, measureWarning, warningTexts, type MeasureWarning } from '../core/measure/warnings.ts';
import { buildingQueryRing } from '../core/query/building-ring.ts';
import { openPointSource, type ChunkDecodeFn, type PointSource, type PointSourceOptions, type QueryStats } from '../core/query/point-source.ts';
import { Region, type QueryRegion } from '../core/query/region.ts';

/**
 * What is measured: the absolute URL of a COPC/LAS/LAZ file (HTTP range requests), or a local File or Blob (read
 * with Blob.slice; a File crosses into the worker by structured clone, its bytes are not copied).
 */
export type MeasureInput = string | Blob;

/** The name of an input in messages: the URL, or the file's name. */
export function inputName(input: MeasureInput): string {
  return typeof input === 'string' ? input : ((input as Partial<File>).name ?? `blob of ${input.size} bytes`);
}

/**
 * The key an opened input is kept under. Note: every call into the worker receives a fresh structured clone of
 * a File, so identity cannot key the cache; name, size, type and modification time of a File name the same
 * file. A plain Blob (no name) is keyed by identity (a WeakMap), which holds when the api runs on the main thread.
 */
function fileKey(input: Blob): string | undefined {
  const f = input as Partial<File>;
  return f.name !== undefined ? `file:${f.name}:${input.size}:${input.type}:${f.lastModified ?? ''}` : undefined;
}

/** What a region query cost, as plain data (crosses the worker boundary). */
export interface FetchStats {
  readonly nodesFetched: number;
  readonly bytesFetched: number;
  readonly pointsRead: number;
  /** Nodes whose boxes touch the region (fetched or cached). */
  readonly nodesTouched: number;
}

/** Support of a pick: how dense the points around it are and whether it sits at the edge of what was scanned. */
export interface PickSupport {
  /** Mean spacing of the points around the pick, metres (Infinity when none). */
  readonly pointSpacingM: number;
  /** Points within the support radius. */
  readonly points: number;
  /** English warning texts. */
  readonly warnings: string[];
  /** The same warnings with stable codes and parameters (the viewer shows them in German or English). */
  readonly warningDetails: readonly MeasureWarning[];
}

/** A pick checked against the full-resolution points. */
export interface PickCheck extends PickSupport {
  /** The pick as given. */
  readonly at: Point3;
  /**
   * The nearest full-resolution point (float64 from the file's integers) within the snap radius, when one is
   * there; the support is assessed around it.
   */
  readonly snapped?: Point3;
  /** 3D distance from `at` to `snapped`, metres. */
  readonly snapDistanceM?: number;
  readonly stats: FetchStats;
}

/** Options of {@link MeasureApi.spotHeight}. */
export interface SpotRequest {
  readonly at: Point2;
  /** Plan radius, metres (default 0.1, as the CLI). */
  readonly radiusM?: number;
  /** A second spot (footpath, gutter): its height and the difference are reported too. */
  readonly relativeTo?: Point2;
  /** The dataset's stated absolute height accuracy, 1 sigma, metres (as the CLI's --accuracy). */
  readonly accuracyM?: number;
}

/** Spot height result (the CLI's `spot-height --json` plus spacing, warnings and cost). */
export interface SpotResult {
  readonly at: Point2;
  readonly nhn: number;
  readonly sigmaM: number;
  readonly pointsUsed: number;
  readonly pointSpacingM: number;
  readonly relative?: { readonly at: Point2; readonly nhn: number; readonly deltaM: number; readonly sigmaM: number; readonly pointSpacingM: number };
  /** English warning texts. */
  readonly warnings: string[];
  /** The same warnings with stable codes and parameters. */
  readonly warningDetails: readonly MeasureWarning[];
  readonly stats: FetchStats;
  /** core/measure spotHeight's own results at `at` and at `relativeTo` (for the protocol). */
  readonly measured: SpotHeight;
  readonly relativeMeasured?: SpotHeight;
}

/** Options of {@link MeasureApi.cutSection}. */
export interface SectionRequest {
  readonly from: Point2;
  readonly to: Point2;
  /** Half the slab width, metres (default 0.1, as the CLI). */
  readonly halfWidthM?: number;
}

/** A cut section with its spacing, warnings and cost. */
export interface SectionResult {
  readonly from: Point2;
  readonly to: Point2;
  readonly halfWidthM: number;
  readonly section: CrossSection;
  /** Mean plan spacing of the slab's points, metres. */
  readonly pointSpacingM: number;
  /** The section's own warnings plus spacing warnings (English texts). */
  readonly warnings: string[];
  /** The same warnings with stable codes and parameters. */
  readonly warningDetails: readonly MeasureWarning[];
  readonly stats: FetchStats;
}

/** Options of {@link MeasureApi.cutSectionSeries}: cuts across an axis every stepM. */
export interface SectionSeriesRequest {
  /** Axis start and end (e.g. along the street centre line). */
  readonly from: Point2;
  readonly to: Point2;
  /** Spacing of the cuts along the axis, metres. */
  readonly stepM: number;
  /** Half the length of each cut (to either side of the axis), metres. */
  readonly halfLengthM: number;
  readonly halfWidthM?: number;
}

/** Options of {@link MeasureApi.measureBuilding}. */
export interface BuildingRequest {
  /** Footprint ring [E, N], open or closed, any orientation. */
  readonly footprint: readonly Point2[];
  /** Plan buffer, metres (default 1.0, as the CLI). */
  readonly bufferM?: number;
  readonly reference?: BuildingReference;
  /** The dataset's stated absolute height accuracy, 1 sigma, metres (as the CLI's --accuracy). */
  readonly accuracyM?: number;
}

/** A building measurement with its cost. */
export interface BuildingResult {
  readonly footprint: readonly Point2[];
  readonly result: BuildingMeasurement;
  readonly stats: FetchStats;
}

/** Options of {@link MeasureApi.clipLas}. */
export interface ClipRequest {
  /** A plan polygon (>= 3 vertices), or a box as two opposite corners (exactly 2 vertices). */
  readonly ring: readonly Point2[];
  readonly zmin?: number;
  readonly zmax?: number;
  /**
   * File format (default `las`): `las` uncompressed, `laz` LAZ 1.4 (core/laz, point formats 6-8 only, as the
   * CLI's clip).
   */
  readonly format?: ClipFormat;
}

/** Output formats of a clip. */
export type ClipFormat = 'las' | 'laz';

/** The clipped points as a LAS or LAZ file. */
export interface ClipResult {
  readonly format: ClipFormat;
  readonly bytes: Uint8Array;
  readonly pointCount: number;
  readonly stats: FetchStats;
}

/** Options of {@link createMeasureApi}. */
export interface MeasureApiOptions {
  /** Fetch implementation (default globalThis.fetch). */
  readonly fetch?: FetchLike;
  /** Request headers for authenticated servers. */
  readonly headers?: Record<string, string>;
  /** laz-perf instance (default: the bundled browser build, workers/load-laz-perf.ts). */
  readonly lazPerf?: () => Promise<LazPerfModule>;
  /** Decoded nodes kept per URL between calls (default 64: neighbouring picks share nodes). */
  readonly nodeCacheSize?: number;
  /**
   * Decodes a query's COPC chunks elsewhere, all at once (the measure worker passes its nested decode workers,
   * so a building's nodes are decoded on every core); default: one after the other on this thread.
   */
  readonly decodeChunk?: ChunkDecodeFn;
}

/** The measurement functions (all arguments and results are plain data). */
export interface MeasureApi {
  /**
   * Checks a picked 3D point against the full-resolution points: the nearest one within snapRadiusM (default
   * {@link SNAP_RADIUS_M}), and the spacing and occlusion edge around it (support radius radiusM).
   */
  checkPick(input: MeasureInput, at: Point3, options?: { radiusM?: number; snapRadiusM?: number }): Promise<PickCheck>;
  spotHeight(input: MeasureInput, request: SpotRequest): Promise<SpotResult>;
  cutSection(input: MeasureInput, request: SectionRequest): Promise<SectionResult>;
  cutSectionSeries(input: MeasureInput, request: SectionSeriesRequest): Promise<SectionResult[]>;
  measureBuilding(input: MeasureInput, request: BuildingRequest): Promise<BuildingResult>;
  clipLas(input: MeasureInput, request: ClipRequest): Promise<ClipResult>;
  /** Forgets the opened sources (and their node caches). */
  reset(): void;
}

/** Support radius of a 3D pick, metres. */
export const PICK_RADIUS_M = 0.15;
/**
 * How far a pick may lie from the nearest full-resolution point and still snap to it, metres. A screen pick lands
 * on a coarse display node, and a ray picker may return the point on the ray next to the drawn point (up to its
 * pixel tolerance away, a metre or more in an overview); the nearest file point to it lies on the same surface.
 */
export const SNAP_RADIUS_M = 2;
/** Fewer points than this within the support radius (a disc of a surface) is too sparse to measure on. */
export const MIN_SUPPORT_POINTS = 6;
/** A section slab with a mean plan spacing above this (gaps included) cannot resolve a kerb face of a few centimetres. */
export const MAX_SECTION_SPACING_M = 0.1;
/** Sectors around a pick; this many empty neighbours in a row (>= 135 degrees) mark an occlusion edge. */
const SECTORS = 8;
const EDGE_EMPTY_SECTORS = 3;

function fetchStats(s: QueryStats): FetchStats {
  return { nodesFetched: s.nodesFetched, bytesFetched: s.bytesFetched, pointsRead: s.pointsRead, nodesTouched: s.nodeKeys.length };
}

function addStats(a: FetchStats, b: FetchStats): FetchStats {
  return {
    nodesFetched: a.nodesFetched + b.nodesFetched,
    bytesFetched: a.bytesFetched + b.bytesFetched,
    pointsRead: a.pointsRead + b.pointsRead,
    nodesTouched: a.nodesTouched + b.nodesTouched,
  };
}

/**
 * The support of a pick in the points: the points within radiusM (3D) of `at`, their mean spacing (disc area /
 * count, the pick lying on a surface) and whether they surround the pick. A pick is at an occlusion edge when,
 * seen in the plane fitted to its neighbours, three or more of eight sectors around it in a row hold no point:
 * the scanner saw the surface on one side only (a wall corner, a parked car's shadow), so the value may belong to
 * the hidden side's neighbour.
 */
export function assessPickSupport(points: Pick<PointColumns, 'x' | 'y' | 'z'>, at: Point3, radiusM = PICK_RADIUS_M): PickSupport {
  const r2 = radiusM * radiusM;
  const near: number[] = [];
  for (let i = 0; i < points.x.length; i++) {
    const dx = points.x[i]! - at[0];
    const dy = points.y[i]! - at[1];
    const dz = points.z[i]! - at[2];
    if (dx * dx + dy * dy + dz * dz <= r2) near.push(i);
  }
  const warnings: MeasureWarning[] = [];
  const n = near.length;
  const pointSpacingM = n > 0 ? Math.sqrt((Math.PI * r2) / n) : Infinity;
  if (n < MIN_SUPPORT_POINTS) {
    warnings.push(measureWarning('pick-too-sparse', { points: n, radiusM, spacingM: pointSpacingM }));
    return { pointSpacingM, points: n, warnings: warningTexts(warnings), warningDetails: warnings };
  }
  // In-plane axes of the neighbours' plane (least squares on points shifted to their centroid, core fitPlane).
  const { plane } = fitPlane(points, near);
  const normal = plane.normal;
  const helper: Point3 = Math.abs(normal[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  const u = normalized(cross(normal, helper));
  const v = cross(normal, u);
  const occupied = new Array<boolean>(SECTORS).fill(false);
  for (const i of near) {
    const d: Point3 = [points.x[i]! - at[0], points.y[i]! - at[1], points.z[i]! - at[2]];
    const a = Math.atan2(dot(d, v), dot(d, u));
    // Points right at the pick say nothing about the direction.
    if (Math.hypot(dot(d, u), dot(d, v)) < radiusM * 0.2) continue;
    occupied[Math.floor(((a + Math.PI) / (2 * Math.PI)) * SECTORS) % SECTORS] = true;
  }
  let run = 0;
  let longest = 0;
  for (let k = 0; k < SECTORS * 2; k++) {
    run = occupied[k % SECTORS] ? 0 : run + 1;
    longest = Math.max(longest, Math.min(run, SECTORS));
  }
  if (longest >= EDGE_EMPTY_SECTORS) warnings.push(measureWarning('pick-occlusion-edge', { degrees: Math.round((longest * 360) / SECTORS) }));
  return { pointSpacingM, points: n, warnings: warningTexts(warnings), warningDetails: warnings };
}

function cross(a: Point3, b: Point3): Point3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: Point3, b: Point3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function normalized(a: Point3): Point3 {
  const l = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / l, a[1] / l, a[2] / l];
}

/** Mean plan spacing of `count` points spread over `areaM2`, metres. */
export function planSpacing(count: number, areaM2: number): number {
  return count > 0 ? Math.sqrt(areaM2 / count) : Infinity;
}

/**
 * The section lines of an axis: cuts perpendicular to from-to every stepM (from the start, the end included when
 * it falls on a step), each running from the axis' left (-halfLengthM) to its right (+halfLengthM), so distM runs
 * left to right looking along the axis.
 */
export function sectionLinesAlongAxis(from: Point2, to: Point2, stepM: number, halfLengthM: number): { station: number; from: Point2; to: Point2 }[] {
  const lengthM = Math.hypot(to[0] - from[0], to[1] - from[1]);
  if (!(lengthM > 0)) throw new Error(`Invalid axis: ${from.join(',')} -> ${to.join(',')}`);
  if (!(stepM > 0)) throw new Error(`Invalid cut spacing: ${stepM}`);
  if (!(halfLengthM > 0)) throw new Error(`Invalid cut half length: ${halfLengthM}`);
  const ux = (to[0] - from[0]) / lengthM;
  const uy = (to[1] - from[1]) / lengthM;
  // Right of the axis direction (E right, N up): (uy, -ux).
  const rx = uy;
  const ry = -ux;
  const out: { station: number; from: Point2; to: Point2 }[] = [];
  const count = Math.floor(lengthM / stepM + 1e-9);
  for (let k = 0; k <= count; k++) {
    const s = k * stepM;
    const cx = from[0] + ux * s;
    const cy = from[1] + uy * s;
    out.push({ station: s, from: [cx - rx * halfLengthM, cy - ry * halfLengthM], to: [cx + rx * halfLengthM, cy + ry * halfLengthM] });
  }
  return out;
}

async function defaultLazPerf(): Promise<LazPerfModule> {
  // Note: imported on first use, so node tests that pass their own laz-perf never load the browser build.
  const { loadLazPerf } = await import('./load-laz-perf.ts');
  return (await loadLazPerf()) as unknown as LazPerfModule;
}

/** Creates the measurement functions over a fetch and a laz-perf instance. */
export function createMeasureApi(options: MeasureApiOptions = {}): MeasureApi {
  const sources = new Map<string, Promise<PointSource>>();
  let blobs = new WeakMap<Blob, Promise<PointSource>>();
  const open = (input: MeasureInput): Promise<PointSource> => {
    if (typeof input !== 'string' && !(typeof Blob !== 'undefined' && input instanceof Blob)) {
      throw new Error(`Invalid measure input: ${String(input)} (a URL, File or Blob)`);
    }
    const key = typeof input === 'string' ? input : fileKey(input);
    let source = key !== undefined ? sources.get(key) : blobs.get(input as Blob);
    if (!source) {
      source = (async () => {
        let getter: SizedGetter;
        if (typeof input === 'string') {
          const fetchImpl = options.fetch ?? (globalThis.fetch.bind(globalThis) as unknown as FetchLike);
          getter = await createHttpGetter(input, { fetch: fetchImpl, ...(options.headers ? { headers: options.headers } : {}) });
        } else {
          getter = createBlobGetter(input, inputName(input));
        }
        const lazPerf = (options.lazPerf ?? defaultLazPerf)();
        return openPointSource(getter, {
          lazPerf: lazPerf as PointSourceOptions['lazPerf'],
          nodeCacheSize: options.nodeCacheSize ?? 64,
          ...(options.decodeChunk ? { decodeChunk: options.decodeChunk } : {}),
        });
      })();
      const opened = source;
      if (key !== undefined) {
        sources.set(key, opened);
        opened.catch(() => sources.get(key) === opened && sources.delete(key));
      } else {
        blobs.set(input as Blob, opened);
        opened.catch(() => blobs.delete(input as Blob));
      }
    }
    return source;
  };
  const query = async (input: MeasureInput, region: QueryRegion): Promise<{ points: PointColumns; stats: FetchStats }> => {
    const { points, stats } = await (await open(input)).query(region);
    return { points, stats: fetchStats(stats) };
  };

  const cut = async (input: MeasureInput, from: Point2, to: Point2, halfWidthM: number): Promise<SectionResult> => {
    const { points, stats } = await query(input, Region.slab(from, to, halfWidthM));
    const section = cutSection(points, { from, to }, halfWidthM);
    const lengthM = Math.hypot(to[0] - from[0], to[1] - from[1]);
    const pointSpacingM = planSpacing(points.count, lengthM * 2 * halfWidthM);
    const warnings = [...section.warningDetails];
    if (pointSpacingM > MAX_SECTION_SPACING_M) {
      warnings.push(measureWarning('section-too-sparse', { spacingM: pointSpacingM, maxM: MAX_SECTION_SPACING_M }));
    }
    return { from, to, halfWidthM, section, pointSpacingM, warnings: warningTexts(warnings), warningDetails: warnings, stats };
  };

  const spot = async (input: MeasureInput, at: Point2, radiusM: number, accuracyM: number | undefined) => {
    // Note: the disc covers the widest radius spotHeight widens to on sparse data and the neighbourhood its
    // pass comparison reads, so the answer equals spotHeight over the whole file (as
    // tiling/commands/spot-height.ts).
    const { points, stats } = await query(input, Region.disc(at, spotQueryRadiusM(radiusM)));
    const result = spotHeight(points, at, radiusM, accuracyM !== undefined ? { accuracyM } : {});
    // Occlusion edge: the support of the spot in its own disc (the surface point at the measured height).
    const support = assessPickSupport(points, [at[0], at[1], result.nhn], radiusM * 1.5);
    const warnings = [...result.warningDetails, ...support.warningDetails.filter((w) => w.code === 'pick-occlusion-edge')];
    return { result, warnings, stats };
  };

  return {
    async checkPick(input, at, options = {}) {
      const radiusM = options.radiusM ?? PICK_RADIUS_M;
      const reach = Math.max(radiusM, options.snapRadiusM ?? SNAP_RADIUS_M);
      if (!at.every(Number.isFinite)) throw new Error(`Invalid pick: ${at.join(',')}`);
      // One query covers the snap search and the support around any snapped point.
      const r = reach + radiusM;
      const { points, stats } = await query(input, Region.disc([at[0], at[1]], r, { zmin: at[2] - r, zmax: at[2] + r }));
      let best = -1;
      let bestD2 = reach * reach;
      for (let i = 0; i < points.count; i++) {
        const d2 = (points.x[i]! - at[0]) ** 2 + (points.y[i]! - at[1]) ** 2 + (points.z[i]! - at[2]) ** 2;
        if (d2 <= bestD2) {
          bestD2 = d2;
          best = i;
        }
      }
      if (best < 0) return { at, ...assessPickSupport(points, at, radiusM), stats };
      const snapped: Point3 = [points.x[best]!, points.y[best]!, points.z[best]!];
      return { at, snapped, snapDistanceM: Math.sqrt(bestD2), ...assessPickSupport(points, snapped, radiusM), stats };
    },

    async spotHeight(input, request) {
      const radiusM = request.radiusM ?? 0.1;
      const main = await spot(input, request.at, radiusM, request.accuracyM);
      let relative: SpotResult['relative'];
      let relativeMeasured: SpotHeight | undefined;
      let stats = main.stats;
      const warnings = [...main.warnings];
      if (request.relativeTo) {
        const other = await spot(input, request.relativeTo, radiusM, request.accuracyM);
        stats = addStats(stats, other.stats);
        relativeMeasured = other.result;
        warnings.push(...inContext(other.warnings, 'relative-to'));
        relative = {
          at: request.relativeTo,
          nhn: other.result.nhn,
          deltaM: main.result.nhn - other.result.nhn,
          sigmaM: spotDifferenceSigma(main.result, other.result),
          pointSpacingM: other.result.pointSpacingM,
        };
      }
      return {
        at: request.at,
        nhn: main.result.nhn,
        sigmaM: main.result.sigmaM,
        pointsUsed: main.result.pointsUsed,
        pointSpacingM: main.result.pointSpacingM,
        ...(relative ? { relative } : {}),
        warnings: warningTexts(warnings),
        warningDetails: warnings,
        stats,
        measured: main.result,
        ...(relativeMeasured ? { relativeMeasured } : {}),
      };
    },

    cutSection(input, request) {
      return cut(input, request.from, request.to, request.halfWidthM ?? 0.1);
    },

    async cutSectionSeries(input, request) {
      const out: SectionResult[] = [];
      for (const line of sectionLinesAlongAxis(request.from, request.to, request.stepM, request.halfLengthM)) {
        out.push(await cut(input, line.from, line.to, request.halfWidthM ?? 0.1));
      }
      return out;
    },

    async measureBuilding(input, request) {
      const bufferM = request.bufferM ?? 1.0;
      const ring = buildingQueryRing(request.footprint, bufferM, request.reference);
      const { points, stats } = await query(input, Region.polygon(ring, 0));
      const result = measureBuildingHeight(points, request.footprint, {
        bufferM,
        ...(request.reference ? { reference: request.reference } : {}),
        ...(request.accuracyM !== undefined ? { accuracyM: request.accuracyM } : {}),
      });
      return { footprint: request.footprint, result, stats };
    },

    async clipLas(input, request) {
      const { ring } = request;
      const z = { ...(request.zmin !== undefined ? { zmin: request.zmin } : {}), ...(request.zmax !== undefined ? { zmax: request.zmax } : {}) };
      let region: QueryRegion;
      if (ring.length === 2) {
        const [a, b] = ring as [Point2, Point2];
        region = Region.box([Math.min(a[0], b[0]), Math.min(a[1], b[1])], [Math.max(a[0], b[0]), Math.max(a[1], b[1])], z);
      } else {
        region = Region.polygon(ring, 0, z);
      }
      const format = request.format ?? 'las';
      if (format !== 'las' && format !== 'laz') throw new Error(`Invalid clip format: ${String(format)} (las or laz)`);
      const source = await open(input);
      const h = source.header;
      const pointFormat = h.pointFormat <= 3 || (h.pointFormat >= 6 && h.pointFormat <= 8) ? h.pointFormat : 6;
      if (format === 'laz' && pointFormat < 6) {
        throw new Error(`Invalid clip format: laz (the LAZ writer encodes point formats 6-8; ${inputName(input)} has format ${h.pointFormat}; save as LAS)`);
      }
      const { points, stats } = await query(input, region);
      const las = writeLas(points, {
        version: h.pointFormat >= 6 ? '1.4' : '1.2',
        pointFormat,
        scale: h.scale,
        offset: h.offset,
        ...(source.wkt !== undefined ? { wkt: source.wkt } : {}),
        globalEncoding: h.globalEncoding & 1,
        fileSourceId: h.fileSourceId,
        generatingSoftware: 'twinview viewer clip',
      });
      const bytes = format === 'laz' ? compressLasToLaz(las) : las;
      return transfer({ format, bytes, pointCount: points.count, stats }, [bytes.buffer as ArrayBuffer]);
    },

    reset() {
      sources.clear();
      blobs = new WeakMap();
    },
  };
}

/** The api the worker exposes and the client falls back to (browser fetch, bundled laz-perf). */
export const measureApi: MeasureApi = createMeasureApi();
