/**
 * A small reader for OGC Well-Known Text CRS descriptions as found in LAS files (LAS 1.4 R15 §2.5, the
 * `LASF_Projection` record 2112 VLR): WKT1 (OGC 01-009, incl. `COMPD_CS`) and WKT2 (ISO 19162, incl.
 * `COMPOUNDCRS`). It finds the horizontal and vertical parts, their names, EPSG codes and linear units; it does
 * not interpret projections (that is proj4's job, see proj.ts).
 *
 * @example
 * const crs = parseCrsWkt(wktFromLasVlr);
 * crs.horizontal?.epsg; // 25832
 * crs.vertical?.epsg;   // 7837
 */

/** One `KEYWORD[arg, …]` node of a WKT text with the span of its source text. */
export interface WktNode {
  readonly keyword: string;
  readonly args: readonly WktArg[];
  /** Offset of the keyword's first character in the parsed text. */
  readonly begin: number;
  /** Offset just past the closing bracket. */
  readonly end: number;
}

/** A WKT argument: a quoted string, a number, a bare enumeration word (e.g. `EAST`) or a nested node. */
export type WktArg = string | number | { readonly word: string } | WktNode;

/** Kind of a CRS part. */
export type CrsKind = 'projected' | 'geographic' | 'geocentric' | 'vertical' | 'engineering' | 'unknown';

/** A linear or angular unit: its name and the factor to metres (linear) or radians (angular). */
export interface CrsUnit {
  readonly name: string;
  readonly factor: number;
}

/** The horizontal or the vertical part of a CRS. */
export interface CrsPart {
  readonly kind: CrsKind;
  readonly name: string;
  /** EPSG code from `AUTHORITY["EPSG", …]` (WKT1) or `ID["EPSG", …]` (WKT2), when present. */
  readonly epsg?: number;
  /** The unit of the coordinates (metres factor for linear units), when stated. */
  readonly unit?: CrsUnit;
  /** The source text of just this part (e.g. the `PROJCS[…]` inside a `COMPD_CS`). */
  readonly wkt: string;
  /** 1 for WKT1 keywords, 2 for WKT2 keywords. */
  readonly wktVersion: 1 | 2;
}

/** A CRS read from WKT: the horizontal part, the vertical part, either possibly absent. */
export interface ParsedCrsWkt {
  /** The whole WKT as given (trimmed). */
  readonly wkt: string;
  /** Name of the root element (the compound name for a compound CRS). */
  readonly name: string;
  readonly horizontal?: CrsPart;
  readonly vertical?: CrsPart;
}

const HORIZONTAL_KEYWORDS: Record<string, { kind: CrsKind; version: 1 | 2 }> = {
  PROJCS: { kind: 'projected', version: 1 },
  GEOGCS: { kind: 'geographic', version: 1 },
  GEOCCS: { kind: 'geocentric', version: 1 },
  LOCAL_CS: { kind: 'engineering', version: 1 },
  PROJCRS: { kind: 'projected', version: 2 },
  PROJECTEDCRS: { kind: 'projected', version: 2 },
  GEOGCRS: { kind: 'geographic', version: 2 },
  GEOGRAPHICCRS: { kind: 'geographic', version: 2 },
  GEODCRS: { kind: 'geographic', version: 2 },
  GEODETICCRS: { kind: 'geographic', version: 2 },
  ENGCRS: { kind: 'engineering', version: 2 },
  ENGINEERINGCRS: { kind: 'engineering', version: 2 },
};
const VERTICAL_KEYWORDS: Record<string, 1 | 2> = { VERT_CS: 1, VERTCRS: 2, VERTICALCRS: 2 };
const COMPOUND_KEYWORDS = new Set(['COMPD_CS', 'COMPOUNDCRS']);
const UNIT_KEYWORDS = new Set(['UNIT', 'LENGTHUNIT']);

/** True when an argument is a nested node. */
export function isWktNode(arg: WktArg | undefined): arg is WktNode {
  return typeof arg === 'object' && arg !== null && 'keyword' in arg;
}

/**
 * Parses WKT text into a node tree. Accepts `[]` and `()` brackets, `""` as an escaped quote inside strings,
 * and whitespace anywhere between tokens. Throws `Invalid WKT: …` with the offset of the problem.
 */
export function parseWktTree(text: string): WktNode {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`Invalid WKT: ${what} at offset ${pos} in "${text.slice(0, 60)}${text.length > 60 ? '…' : ''}"`);
  };
  const skipSpace = (): void => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const readWord = (): string => {
    const start = pos;
    while (pos < text.length && /[A-Za-z0-9_.+-]/.test(text[pos]!)) pos++;
    if (pos === start) fail('expected a keyword');
    return text.slice(start, pos);
  };
  const readString = (): string => {
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text[pos]!;
      if (c === '"') {
        if (text[pos + 1] === '"') {
          out += '"';
          pos += 2;
          continue;
        }
        pos++;
        return out;
      }
      out += c;
      pos++;
    }
  };
  const readNode = (): WktNode => {
    skipSpace();
    const begin = pos;
    const keyword = readWord().toUpperCase();
    skipSpace();
    const open = text[pos];
    if (open !== '[' && open !== '(') fail(`expected "[" after ${keyword}`);
    const close = open === '[' ? ']' : ')';
    pos++;
    const args: WktArg[] = [];
    skipSpace();
    if (text[pos] === close) {
      pos++;
      return { keyword, args, begin, end: pos };
    }
    for (;;) {
      skipSpace();
      const c = text[pos];
      if (c === undefined) fail(`unterminated ${keyword}`);
      if (c === '"') {
        args.push(readString());
      } else if (/[-+.0-9]/.test(c!)) {
        const start = pos;
        while (pos < text.length && /[-+.0-9eE]/.test(text[pos]!)) pos++;
        const value = Number(text.slice(start, pos));
        if (!Number.isFinite(value)) fail(`bad number "${text.slice(start, pos)}"`);
        args.push(value);
      } else {
        const save = pos;
        const word = readWord();
        skipSpace();
        if (text[pos] === '[' || text[pos] === '(') {
          pos = save;
          args.push(readNode());
        } else {
          args.push({ word });
        }
      }
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === close) {
        pos++;
        return { keyword, args, begin, end: pos };
      }
      fail(`expected "," or "${close}" in ${keyword}`);
    }
  };
  const root = readNode();
  skipSpace();
  if (pos < text.length && text[pos] !== '\0') fail('unexpected text after the end');
  return root;
}

/** Direct child nodes of a node with the given keyword. */
export function childNodes(node: WktNode, keyword: string): WktNode[] {
  return node.args.filter((a): a is WktNode => isWktNode(a) && a.keyword === keyword);
}

/** The EPSG code of a node from its own `AUTHORITY` (WKT1) or `ID` (WKT2) child, or undefined. */
export function findEpsgOf(node: WktNode): number | undefined {
  for (const child of node.args) {
    if (!isWktNode(child) || (child.keyword !== 'AUTHORITY' && child.keyword !== 'ID')) continue;
    const [authority, code] = child.args;
    if (typeof authority === 'string' && authority.toUpperCase() === 'EPSG') {
      const value = typeof code === 'number' ? code : Number(code);
      if (Number.isInteger(value) && value > 0) return value;
    }
  }
  return undefined;
}

function unitOf(node: WktNode): CrsUnit | undefined {
  const direct = node.args.find((a): a is WktNode => isWktNode(a) && UNIT_KEYWORDS.has(a.keyword));
  // WKT2 may put the unit on each AXIS instead of on the CRS.
  const fromAxis = direct ?? childNodes(node, 'AXIS')
    .flatMap((axis) => axis.args.filter((a): a is WktNode => isWktNode(a) && UNIT_KEYWORDS.has(a.keyword)))[0];
  if (!fromAxis) {
    const angle = node.args.find((a): a is WktNode => isWktNode(a) && a.keyword === 'ANGLEUNIT');
    return angle ? unitFromNode(angle) : undefined;
  }
  return unitFromNode(fromAxis);
}

function unitFromNode(unit: WktNode): CrsUnit | undefined {
  const [name, factor] = unit.args;
  if (typeof name !== 'string' || typeof factor !== 'number') return undefined;
  return { name, factor };
}

function partOf(node: WktNode, text: string): CrsPart | undefined {
  const horizontal = HORIZONTAL_KEYWORDS[node.keyword];
  const verticalVersion = VERTICAL_KEYWORDS[node.keyword];
  if (!horizontal && !verticalVersion) return undefined;
  const name = typeof node.args[0] === 'string' ? node.args[0] : '';
  const epsg = findEpsgOf(node);
  const unit = unitOf(node);
  return {
    kind: horizontal ? horizontal.kind : 'vertical',
    name,
    ...(epsg !== undefined ? { epsg } : {}),
    ...(unit ? { unit } : {}),
    wkt: text.slice(node.begin, node.end),
    wktVersion: horizontal ? horizontal.version : verticalVersion!,
  };
}

/**
 * Reads a CRS WKT (WKT1 or WKT2, simple or compound) into its horizontal and vertical parts.
 * Throws `Invalid WKT: …` when the text is not WKT.
 */
export function parseCrsWkt(wkt: string): ParsedCrsWkt {
  // Note: LAS WKT VLRs are null-terminated and some writers pad them with several NULs.
  const text = wkt.replace(/\0+$/, '').trim();
  const root = parseWktTree(text);
  const name = typeof root.args[0] === 'string' ? root.args[0] : '';
  let horizontal: CrsPart | undefined;
  let vertical: CrsPart | undefined;
  const visit = (node: WktNode): void => {
    if (COMPOUND_KEYWORDS.has(node.keyword)) {
      for (const child of node.args) if (isWktNode(child)) visit(child);
      return;
    }
    if (node.keyword === 'BOUNDCRS') {
      // WKT2 (ISO 19162 §15): a CRS bound to a transformation; the data is in its SOURCECRS.
      for (const source of childNodes(node, 'SOURCECRS')) for (const child of source.args) if (isWktNode(child)) visit(child);
      return;
    }
    const part = partOf(node, text);
    if (!part) return;
    if (part.kind === 'vertical') vertical ??= part;
    else horizontal ??= part;
  };
  visit(root);
  return { wkt: text, name, ...(horizontal ? { horizontal } : {}), ...(vertical ? { vertical } : {}) };
}
