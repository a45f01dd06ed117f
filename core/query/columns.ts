/**
 * Gathering chosen rows of PointColumns (one or several parts with the same columns) into new columns.
 */
import type { PointColumns } from '../las/point-columns.ts';

/** Rows `indices` of `points`. */
export interface ColumnsSelection {
  readonly points: PointColumns;
  readonly indices: ArrayLike<number>;
}

type TypedArray = Float64Array | Uint16Array | Uint8Array | Int16Array;
type TypedArrayConstructor = { new (length: number): TypedArray };

const OPTIONAL_COLUMNS = [
  'intensity',
  'returnNumber',
  'numberOfReturns',
  'classification',
  'classificationFlags',
  'scannerChannel',
  'scanDirectionFlag',
  'edgeOfFlightLine',
  'userData',
  'scanAngle',
  'pointSourceId',
  'gpsTime',
  'red',
  'green',
  'blue',
  'nir',
] as const;

/**
 * Copies the selected rows of every part into one PointColumns, in part order. Every part must have the same
 * optional columns and extra-byte names (parts of one file do); the columns of the first part decide.
 */
export function gatherColumns(parts: readonly ColumnsSelection[], template?: PointColumns): PointColumns {
  let count = 0;
  for (const p of parts) count += p.indices.length;
  const first = parts[0]?.points ?? template;
  const take = (get: (p: PointColumns) => TypedArray | undefined, ctor: TypedArrayConstructor): TypedArray => {
    const out = new ctor(count);
    let k = 0;
    for (const { points, indices } of parts) {
      const src = get(points);
      if (!src) throw new Error('Invalid point parts: a column is missing in one part');
      for (let j = 0; j < indices.length; j++) out[k++] = src[indices[j]!]!;
    }
    return out;
  };
  const result: Record<string, unknown> = {
    count,
    x: take((p) => p.x, Float64Array),
    y: take((p) => p.y, Float64Array),
    z: take((p) => p.z, Float64Array),
  };
  if (first) {
    for (const name of OPTIONAL_COLUMNS) {
      const column = first[name];
      if (column) result[name] = take((p) => p[name], column.constructor as TypedArrayConstructor);
    }
    if (first.extra) {
      const extra: Record<string, Float64Array> = {};
      for (const name of Object.keys(first.extra)) extra[name] = take((p) => p.extra?.[name], Float64Array) as Float64Array;
      result.extra = extra;
    }
  }
  return result as unknown as PointColumns;
}
