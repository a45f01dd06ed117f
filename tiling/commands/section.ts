/**
 * `twinview section <file> --from E,N --to E,N [--half-width 0.1] [--json] [--csv F] [--dxf F] [--dxf3d F]
 * [--landxml F]`: a street cross-section (Querprofil) from the full-resolution points of a slab: ground line,
 * kerbs, segments, carriageway and footpaths (schemas/section.schema.json), exported through core/export.
 *
 * @example
 * npx twinview section drive.copc.laz --from 337300,5682370 --to 337290,5682388 --json --dxf profile.dxf
 */
import type { Point2 } from '../../core/geometry/point3.ts';
import { cutSection, type CrossSection } from '../../core/measure/cross-section.ts';
import type { PointSource, QueryStats } from '../../core/query/point-source.ts';
import { Region } from '../../core/query/region.ts';
import { EXPORTERS_BY_ID } from '../../core/export/registry.ts';
import { CliError } from '../cli-error.ts';
import { messageOf, openInput, parseFileCommand, parseNumber, parsePair, round, withFile, writeFileAtomic } from '../measure/cli-input.ts';

const USAGE = `usage: twinview section <file> --from E,N --to E,N [--half-width 0.1] [--json]
         [--csv F] [--dxf F] [--dxf3d F] [--landxml F]

  --from E,N, --to E,N  the section line (EPSG:25832 m; zone-prefixed eastings accepted); distM runs from --from
  --half-width M        half the slab width, metres (default 0.1)
  --json                print JSON (schemas/section.schema.json)
  --csv F               profile as CSV (dist, offset, E, N, H)
  --dxf F               2D profile in section coordinates, 1:1
  --dxf3d F             3D polyline in EPSG:25832 / m NHN
  --landxml F           LandXML 1.2 CrossSects`;

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  'half-width': { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'string' },
  dxf: { type: 'string' },
  dxf3d: { type: 'string' },
  landxml: { type: 'string' },
} as const;

/** Cuts a section from the points of a slab query. */
export async function sectionFromSource(source: PointSource, from: Point2, to: Point2, halfWidthM: number): Promise<{ section: CrossSection; stats: QueryStats }> {
  const { points, stats } = await source.query(Region.slab(from, to, halfWidthM));
  return { section: cutSection(points, { from, to }, halfWidthM), stats };
}

/** The `section --json` object (schemas/section.schema.json), values rounded to 0.1 mm. */
export function sectionJson(s: CrossSection): Record<string, unknown> {
  return {
    schemaVersion: 1,
    lengthM: round(s.lengthM),
    profile: s.profile.map((v) => ({ distM: round(v.distM), offsetM: round(v.offsetM), e: round(v.e), n: round(v.n), h: round(v.h) })),
    kerbs: s.kerbs.map((k) => ({
      distM: round(k.distM),
      offsetM: round(k.offsetM),
      e: round(k.e),
      n: round(k.n),
      heightM: round(k.heightM),
      gutterNhn: round(k.gutterNhn),
      topNhn: round(k.topNhn),
      side: k.side,
      sigmaM: round(k.sigmaM),
    })),
    segments: s.segments.map((g) => ({
      kind: g.kind,
      fromDistM: round(g.fromDistM),
      toDistM: round(g.toDistM),
      widthM: round(g.widthM),
      slopePercent: round(g.slopePercent, 3),
    })),
    carriageway: s.carriageway
      ? {
          fromDistM: round(s.carriageway.fromDistM),
          toDistM: round(s.carriageway.toDistM),
          widthM: round(s.carriageway.widthM),
          crossfallPercent: { nearFrom: round(s.carriageway.crossfallPercent.nearFrom, 3), nearTo: round(s.carriageway.crossfallPercent.nearTo, 3) },
        }
      : null,
    footpaths: s.footpaths.map((f) => ({
      side: f.side,
      fromDistM: round(f.fromDistM),
      toDistM: round(f.toDistM),
      widthM: round(f.widthM),
      crossfallPercent: round(f.crossfallPercent, 3),
    })),
    warnings: [...s.warnings],
  };
}

/** Runs the command; returns the exit code (errors are thrown and printed by the CLI with exit code 2). */
export async function run(argv: string[]): Promise<number> {
  const parsed = parseFileCommand(argv, OPTIONS, USAGE);
  if (!parsed) return 0;
  const { values, path } = parsed;
  if (values.from === undefined || values.to === undefined) throw new CliError(`Invalid section line: missing --from/--to E,N for ${path} (see --help)`);
  const halfWidthM = parseNumber(values['half-width'], '--half-width', path, { positive: true }) ?? 0.1;
  const input = await openInput(path);
  try {
    const from = parsePair(values.from, '--from', input);
    const to = parsePair(values.to, '--to', input);
    if (Math.hypot(to[0] - from[0], to[1] - from[1]) < 0.1) {
      throw new CliError(`Invalid section line: ${values.from} -> ${values.to} (shorter than 0.1 m) for ${path}`);
    }
    let section: CrossSection;
    try {
      section = (await sectionFromSource(input.source, from, to, halfWidthM)).section;
    } catch (error) {
      throw new CliError(withFile(messageOf(error), path));
    }
    const outputs: [string | undefined, keyof typeof EXPORTERS_BY_ID][] = [
      [values.csv, 'section-csv'],
      [values.dxf, 'section-dxf-2d'],
      [values.dxf3d, 'section-dxf-3d'],
      [values.landxml, 'section-landxml'],
    ];
    for (const [out, id] of outputs) {
      if (out === undefined) continue;
      let data;
      try {
        data = (EXPORTERS_BY_ID[id].export as (s: CrossSection) => string | Uint8Array)(section);
      } catch (error) {
        throw new CliError(`${messageOf(error)} (writing ${out} from ${path})`);
      }
      await writeFileAtomic(out, data);
    }
    if (values.json) {
      console.log(JSON.stringify(sectionJson(section), null, 2));
    } else {
      const f = (v: number): string => v.toFixed(3);
      console.log(`${path}: section ${f(section.lengthM)} m, ${section.profile.length} profile vertices`);
      for (const k of section.kerbs) console.log(`  kerb (${k.side}) at ${f(k.distM)} m: ${f(k.heightM)} m (gutter ${f(k.gutterNhn)}, top ${f(k.topNhn)} m NHN)`);
      const c = section.carriageway;
      if (c) console.log(`  carriageway ${f(c.widthM)} m, cross-fall ${c.crossfallPercent.nearFrom.toFixed(2)} % / ${c.crossfallPercent.nearTo.toFixed(2)} %`);
      for (const p of section.footpaths) console.log(`  footpath (${p.side}) ${f(p.widthM)} m, cross-fall ${p.crossfallPercent.toFixed(2)} %`);
      for (const w of section.warnings) console.log(`  warning: ${w}`);
    }
    return 0;
  } finally {
    await input.close();
  }
}
