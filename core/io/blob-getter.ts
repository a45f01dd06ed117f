/**
 * A SizedGetter over a Blob or File (a drive opened by drag and drop or the file picker): Blob.slice reads only
 * the asked range, so a multi-gigabyte COPC file is never read whole. The blob is described structurally, so
 * core needs no DOM types; a browser File, a worker's structured-cloned File and Node's Blob all fit.
 *
 * @example
 * const getter = createBlobGetter(dropEvent.dataTransfer.files[0]);
 * const source = await openPointSource(getter);
 */
import { checkRange, type SizedGetter } from './getter.ts';

/** The part of a Blob or File a getter uses. */
export interface BlobLike {
  readonly size: number;
  /** Present on a File. */
  readonly name?: string;
  slice(begin?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A getter over a Blob or File; `name` (default: the file's name, else `blob`) names it in errors. */
export function createBlobGetter(blob: BlobLike, name: string = blob.name ?? 'blob'): SizedGetter {
  const size = blob.size;
  const get = async (begin: number, end: number): Promise<Uint8Array> => {
    checkRange(name, begin, end, size);
    return new Uint8Array(await blob.slice(begin, end).arrayBuffer());
  };
  return { get, size, name };
}
