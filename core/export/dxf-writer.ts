/**
 * A minimal AutoCAD R12 DXF (AC1009) text writer: HEADER (version, extents), TABLES (LTYPE, LAYER, STYLE),
 * an empty BLOCKS section and ENTITIES with POLYLINE (2D or 3D), LINE, POINT and TEXT. R12 needs no entity
 * handles and is read by every CAD program, by GDAL's DXF driver and by road-design software.
 *
 * Coordinates are written with every significant digit ({@link formatFull}): EPSG:25832 northings need 7 digits
 * before the point, so a fixed 6-significant-digit format (a common DXF writer default) would lose metres.
 *
 * @example
 * const dxf = writeDxf({ layers: [{ name: 'QP_GELAENDE', color: 3 }], entities: [
 *   { type: 'polyline', layer: 'QP_GELAENDE', points: [[0, 38.1, 0], [5, 38.2, 0]], is3d: false }] });
 */
import type { Point3 } from '../geometry/point3.ts';
import { formatFull } from './text-format.ts';

/** A DXF layer with its AutoCAD colour index (1 red, 2 yellow, 3 green, 4 cyan, 5 blue, 6 magenta, 7 white). */
export interface DxfLayer {
  readonly name: string;
  readonly color: number;
}

/** The entities this writer knows; coordinates in drawing units (metres). */
export type DxfEntity =
  | { readonly type: 'polyline'; readonly layer: string; readonly points: readonly Point3[]; readonly is3d: boolean }
  | { readonly type: 'line'; readonly layer: string; readonly a: Point3; readonly b: Point3 }
  | { readonly type: 'point'; readonly layer: string; readonly at: Point3 }
  | {
      readonly type: 'text';
      readonly layer: string;
      readonly at: Point3;
      readonly heightM: number;
      readonly text: string;
      readonly rotationDeg?: number;
    };

/** A drawing: its layers and entities. */
export interface DxfDrawing {
  readonly layers: readonly DxfLayer[];
  readonly entities: readonly DxfEntity[];
}

/** Writes the drawing as DXF R12 text with CRLF line ends. */
export function writeDxf(drawing: DxfDrawing): string {
  const names = new Set<string>();
  for (const l of drawing.layers) {
    if (!/^[A-Z0-9_$-]{1,31}$/.test(l.name)) throw new Error(`Invalid DXF layer name: ${l.name}`);
    if (!(Number.isInteger(l.color) && l.color >= 1 && l.color <= 255)) {
      throw new Error(`Invalid DXF layer colour: ${l.color}`);
    }
    names.add(l.name);
  }
  for (const e of drawing.entities) {
    if (!names.has(e.layer)) throw new Error(`Invalid DXF entity layer: ${e.layer} (not in the LAYER table)`);
  }
  const out: string[] = [];
  const g = (code: number, value: string | number): void => {
    out.push(String(code).padStart(3, ' '), typeof value === 'number' ? formatFull(value) : value);
  };
  const xyz = (p: Point3, base = 10): void => {
    g(base, p[0]);
    g(base + 10, p[1]);
    g(base + 20, p[2]);
  };
  const [min, max] = extents(drawing.entities);

  g(0, 'SECTION');
  g(2, 'HEADER');
  g(9, '$ACADVER');
  g(1, 'AC1009');
  g(9, '$INSBASE');
  xyz([0, 0, 0]);
  g(9, '$EXTMIN');
  xyz(min);
  g(9, '$EXTMAX');
  xyz(max);
  g(0, 'ENDSEC');

  g(0, 'SECTION');
  g(2, 'TABLES');
  g(0, 'TABLE');
  g(2, 'LTYPE');
  g(70, '1');
  g(0, 'LTYPE');
  g(2, 'CONTINUOUS');
  g(70, '0');
  g(3, 'Solid line');
  g(72, '65');
  g(73, '0');
  g(40, '0.0');
  g(0, 'ENDTAB');
  g(0, 'TABLE');
  g(2, 'LAYER');
  g(70, String(drawing.layers.length));
  for (const l of drawing.layers) {
    g(0, 'LAYER');
    g(2, l.name);
    g(70, '0');
    g(62, String(l.color));
    g(6, 'CONTINUOUS');
  }
  g(0, 'ENDTAB');
  g(0, 'TABLE');
  g(2, 'STYLE');
  g(70, '1');
  g(0, 'STYLE');
  g(2, 'STANDARD');
  g(70, '0');
  g(40, '0.0');
  g(41, '1.0');
  g(50, '0.0');
  g(71, '0');
  g(42, '0.2');
  g(3, 'txt');
  g(4, '');
  g(0, 'ENDTAB');
  g(0, 'ENDSEC');

  g(0, 'SECTION');
  g(2, 'BLOCKS');
  g(0, 'ENDSEC');

  g(0, 'SECTION');
  g(2, 'ENTITIES');
  for (const e of drawing.entities) {
    switch (e.type) {
      case 'polyline':
        if (e.points.length < 2) throw new Error(`Invalid DXF polyline: ${e.points.length} vertices`);
        g(0, 'POLYLINE');
        g(8, e.layer);
        g(66, '1');
        xyz([0, 0, 0]);
        // DXF R12 POLYLINE group 70: 8 = 3D polyline; its vertices carry flag 32 (3D polyline vertex).
        g(70, e.is3d ? '8' : '0');
        for (const p of e.points) {
          g(0, 'VERTEX');
          g(8, e.layer);
          xyz(e.is3d ? p : [p[0], p[1], 0]);
          g(70, e.is3d ? '32' : '0');
        }
        g(0, 'SEQEND');
        g(8, e.layer);
        break;
      case 'line':
        g(0, 'LINE');
        g(8, e.layer);
        xyz(e.a);
        xyz(e.b, 11);
        break;
      case 'point':
        g(0, 'POINT');
        g(8, e.layer);
        xyz(e.at);
        break;
      case 'text':
        g(0, 'TEXT');
        g(8, e.layer);
        xyz(e.at);
        g(40, e.heightM);
        g(1, encodeDxfText(e.text));
        if (e.rotationDeg) g(50, e.rotationDeg);
        break;
    }
  }
  g(0, 'ENDSEC');
  g(0, 'EOF');
  return out.join('\r\n') + '\r\n';
}

/**
 * Escapes text for a DXF string value: characters outside printable ASCII become `\U+XXXX` (the AutoCAD escape
 * GDAL and CAD programs decode), so the file is plain ASCII whatever code page the reader assumes.
 */
export function encodeDxfText(text: string): string {
  let s = '';
  for (const ch of text.replace(/[\r\n]+/g, ' ')) {
    const c = ch.codePointAt(0)!;
    s += c >= 0x20 && c < 0x7f ? ch : `\\U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return s;
}

function extents(entities: readonly DxfEntity[]): [Point3, Point3] {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const add = (p: Point3): void => {
    for (let i = 0; i < 3; i++) {
      lo[i] = Math.min(lo[i]!, p[i]!);
      hi[i] = Math.max(hi[i]!, p[i]!);
    }
  };
  for (const e of entities) {
    if (e.type === 'polyline') e.points.forEach(add);
    else if (e.type === 'line') {
      add(e.a);
      add(e.b);
    } else add(e.at);
  }
  if (lo[0] === Infinity) return [[0, 0, 0], [0, 0, 0]];
  return [lo as unknown as Point3, hi as unknown as Point3];
}
