/**
 * A SizedGetter over a local file (Node): range reads with `fs.promises` on one open file handle.
 *
 * @example
 * const getter = await createFileGetter('drive.copc.laz');
 * const header = await getter.get(0, 375);
 * await getter.close();
 */
import { open, type FileHandle } from 'node:fs/promises';
import { checkRange, type SizedGetter } from '../core/io/getter.ts';

/** A file getter; `close()` releases the file handle (reads after close throw). */
export interface FileGetter extends SizedGetter {
  close(): Promise<void>;
}

/**
 * Opens a file for range reads. Throws `Invalid file: <path> (not found)` for a missing file and
 * `Invalid file: <path> (is a directory)` / `(…)` for other problems.
 */
export async function createFileGetter(path: string): Promise<FileGetter> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`Invalid file: ${path} (not found)`);
    if (code === 'EACCES') throw new Error(`Invalid file: ${path} (permission denied)`);
    throw new Error(`Invalid file: ${path} (${error instanceof Error ? error.message : String(error)})`);
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new Error(`Invalid file: ${path} (is a directory)`);
  }
  const size = stat.size;
  let closed = false;
  const get = async (begin: number, end: number): Promise<Uint8Array> => {
    checkRange(path, begin, end, size);
    if (closed) throw new Error(`Invalid file: ${path} (read after close)`);
    const out = new Uint8Array(end - begin);
    let done = 0;
    while (done < out.byteLength) {
      const { bytesRead } = await handle.read(out, done, out.byteLength - done, begin + done);
      if (bytesRead === 0) throw new Error(`Invalid file: ${path} (ended at ${begin + done}, expected ${size} bytes)`);
      done += bytesRead;
    }
    return out;
  };
  return {
    get,
    size,
    name: path,
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
