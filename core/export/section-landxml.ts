/**
 * Sections as LandXML 1.2 cross-sections (road-design exchange: Civil 3D, CARD/1, VESTRA read it).
 *
 * Structure (LandXML-1.2.xsd): LandXML > Units/Metric, CoordinateSystem (EPSG:25832 + DHHN2016), Application,
 * Alignments > Alignment (name, length, staStart) > CoordGeom > Line (Start/End as "northing easting"), then
 * CrossSects > CrossSect (sta) > CrossSectSurf name="Gelaende" > PntList2D ("offset elevation" pairs, one list per
 * continuous part, as the schema handles gaps) and a Feature per kerb with its Bord values as Properties.
 *
 * The alignment (street axis) is derived: for one section it is a 2 m line through the middle of the cut,
 * perpendicular to it, directed so that the cut's `to` end lies on the right, hence LandXML offsets (right
 * positive looking along stationing) equal the section's offsetM. For several sections (cuts every N m along a
 * street) it is the polyline through their middles, stationed from `stationM`; each cut is assumed
 * perpendicular to the axis, and a cut drawn the other way round gets its offsets mirrored.
 *
 * @example
 * const xml = writeSectionLandXml(cutSection(points, line, 0.1), { stationM: 120, createdAt: new Date() });
 */
import type { Point2 } from '../geometry/point3.ts';
import type { CrossSection } from '../measure/cross-section.ts';
import { UTM32N_DHHN2016_WKT } from '../crs/known-wkt.ts';
import { sectionFrame, splitProfileParts, type SectionFrame } from './section-geometry.ts';
import { escapeXml, formatFixed } from './text-format.ts';

/** Options of {@link writeSectionLandXml}. */
export interface SectionLandXmlOptions {
  /** Station of the first section's middle on the axis, metres (default 0). */
  readonly stationM?: number;
  /** Alignment name (default "Achse"). */
  readonly alignmentName?: string;
  /** Project name (default "twinview Querprofile"). */
  readonly projectName?: string;
  /** File date/time written into LandXML@date/@time (UTC; default: now). */
  readonly createdAt?: Date | string;
}

/** LandXML 1.2 namespace. */
export const LANDXML_12_NS = 'http://www.landxml.org/schema/LandXML-1.2';

const HALF_AXIS_M = 1;

/** Writes one section or a series of sections along an axis as LandXML 1.2 text. */
export function writeSectionLandXml(
  sections: CrossSection | readonly CrossSection[],
  options: SectionLandXmlOptions = {},
): string {
  const list: readonly CrossSection[] = Array.isArray(sections) ? sections : [sections as CrossSection];
  if (list.length === 0) throw new Error('Invalid LandXML export (core/export): no sections');
  const frames = list.map(sectionFrame);
  const sta0 = options.stationM ?? 0;
  if (!Number.isFinite(sta0)) throw new Error(`Invalid LandXML station: ${sta0}`);

  // Axis vertices and the station of each section's middle.
  let axis: Point2[];
  let axisStaStart: number;
  const stations: number[] = [];
  if (frames.length === 1) {
    const f = frames[0]!;
    const a: Point2 = [-f.dir[1], f.dir[0]];
    axis = [
      [f.centre[0] - a[0] * HALF_AXIS_M, f.centre[1] - a[1] * HALF_AXIS_M],
      [f.centre[0] + a[0] * HALF_AXIS_M, f.centre[1] + a[1] * HALF_AXIS_M],
    ];
    axisStaStart = sta0 - HALF_AXIS_M;
    stations.push(sta0);
  } else {
    axis = frames.map((f) => f.centre);
    axisStaStart = sta0;
    let s = sta0;
    stations.push(s);
    for (let k = 1; k < axis.length; k++) {
      const step = Math.hypot(axis[k]![0] - axis[k - 1]![0], axis[k]![1] - axis[k - 1]![1]);
      if (!(step > 1e-3)) throw new Error(`Invalid LandXML export: sections ${k - 1} and ${k} share their middle`);
      s += step;
      stations.push(s);
    }
  }
  let axisLength = 0;
  for (let k = 1; k < axis.length; k++) {
    axisLength += Math.hypot(axis[k]![0] - axis[k - 1]![0], axis[k]![1] - axis[k - 1]![1]);
  }

  const { date, time } = landXmlDateTime(options.createdAt ?? new Date());
  const name = escapeXml(options.alignmentName ?? 'Achse');
  const f3 = (x: number): string => formatFixed(x, 3);
  const ne = (p: Point2): string => `${f3(p[1])} ${f3(p[0])}`;
  const x: string[] = [];
  x.push('<?xml version="1.0" encoding="UTF-8"?>');
  x.push(
    `<LandXML xmlns="${LANDXML_12_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xsi:schemaLocation="${LANDXML_12_NS} ${LANDXML_12_NS}/LandXML-1.2.xsd" ` +
      `date="${date}" time="${time}" version="1.2" language="German" readOnly="false">`,
  );
  x.push('  <Units>');
  x.push(
    '    <Metric areaUnit="squareMeter" linearUnit="meter" volumeUnit="cubicMeter" temperatureUnit="celsius" ' +
      'pressureUnit="milliBars" angularUnit="decimal degrees" directionUnit="decimal degrees" elevationUnit="meter"/>',
  );
  x.push('  </Units>');
  x.push(
    '  <CoordinateSystem name="ETRS89 / UTM zone 32N + DHHN2016 height" epsgCode="25832" ' +
      'horizontalDatum="ETRS89" verticalDatum="DHHN2016" ' +
      'projectedCoordinateSystemName="ETRS89 / UTM zone 32N" verticalCoordinateSystemName="DHHN2016 height" ' +
      `ogcWktCode="${escapeXml(UTM32N_DHHN2016_WKT)}"/>`,
  );
  x.push(`  <Project name="${escapeXml(options.projectName ?? 'twinview Querprofile')}"/>`);
  x.push('  <Application name="twinview" desc="Querprofile aus Mobile-Mapping-Punktwolken"/>');
  x.push('  <Alignments>');
  x.push(`    <Alignment name="${name}" length="${f3(axisLength)}" staStart="${f3(axisStaStart)}">`);
  x.push('      <CoordGeom>');
  let sta = axisStaStart;
  for (let k = 1; k < axis.length; k++) {
    const len = Math.hypot(axis[k]![0] - axis[k - 1]![0], axis[k]![1] - axis[k - 1]![1]);
    x.push(`        <Line staStart="${f3(sta)}" length="${f3(len)}">`);
    x.push(`          <Start>${ne(axis[k - 1]!)}</Start>`);
    x.push(`          <End>${ne(axis[k]!)}</End>`);
    x.push('        </Line>');
    sta += len;
  }
  x.push('      </CoordGeom>');
  x.push('      <CrossSects>');
  list.forEach((section, i) => {
    const sign = offsetSign(frames[i]!, axis, i, frames.length === 1);
    x.push(`        <CrossSect sta="${f3(stations[i]!)}" name="QP ${i + 1}">`);
    x.push('          <CrossSectSurf name="Gelaende" desc="Bestand aus Punktwolke, Hoehen m NHN (DHHN2016)">');
    for (const part of splitProfileParts(section)) {
      if (part.length < 2) continue;
      const pts = part.map((v) => [sign * v.offsetM, v.h] as const);
      if (sign < 0) pts.reverse();
      x.push(`            <PntList2D>${pts.map(([o, h]) => `${f3(o)} ${f3(h)}`).join(' ')}</PntList2D>`);
    }
    x.push('          </CrossSectSurf>');
    for (const k of section.kerbs) {
      x.push(`          <Feature name="Bord" code="kerb">`);
      const props: [string, string][] = [
        ['offset', f3(sign * k.offsetM)],
        ['heightM', f3(k.heightM)],
        ['gutterNhn', f3(k.gutterNhn)],
        ['topNhn', f3(k.topNhn)],
        ['easting', f3(k.e)],
        ['northing', f3(k.n)],
      ];
      for (const [label, value] of props) x.push(`            <Property label="${label}" value="${value}"/>`);
      x.push('          </Feature>');
    }
    x.push('        </CrossSect>');
  });
  x.push('      </CrossSects>');
  x.push('    </Alignment>');
  x.push('  </Alignments>');
  x.push('</LandXML>');
  return x.join('\n') + '\n';
}

/** +1 when the section's `to` end lies right of the axis direction at section i, else -1. */
function offsetSign(f: SectionFrame, axis: readonly Point2[], i: number, single: boolean): 1 | -1 {
  if (single) return 1;
  const a = axis[Math.min(i, axis.length - 2)]!;
  const b = axis[Math.min(i, axis.length - 2) + 1]!;
  const right: Point2 = [b[1] - a[1], -(b[0] - a[0])];
  return right[0] * f.dir[0] + right[1] * f.dir[1] >= 0 ? 1 : -1;
}

/** LandXML@date (xs:date) and @time (xs:time) in UTC. */
function landXmlDateTime(at: Date | string): { date: string; time: string } {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new Error(`Invalid LandXML date: ${String(at)}`);
  const iso = d.toISOString();
  return { date: iso.slice(0, 10), time: `${iso.slice(11, 19)}Z` };
}
