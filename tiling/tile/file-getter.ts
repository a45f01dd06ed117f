/**
 * A SizedGetter over a local file (node:fs), for core/las readers.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { checkRange, type SizedGetter } from '../../core/io/getter.ts';

/** A SizedGetter on an open file; `close()` releases the handle. */
export interface FileGetter extends SizedGetter {
  close(): Promise<void>;
}

/** Opens `path` for reading; throws `Invalid input: …` naming the file when it cannot be opened. */
export async function openFileGetter(path: string): Promise<FileGetter> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new Error(`Invalid input: cannot open ${path} (${error instanceof Error ? error.message : String(error)})`);
  }
  const size = (await handle.stat()).size;
  return {
    name: path,
    size,
    get: async (begin, end) => {
      checkRange(path, begin, end, size);
      const out = new Uint8Array(end - begin);
      let done = 0;
      while (done < out.byteLength) {
        const { bytesRead } = await handle.read(out, done, out.byteLength - done, begin + done);
        if (bytesRead === 0) throw new Error(`Invalid input: ${path} ended at ${begin + done} while reading ${begin}-${end}`);
        done += bytesRead;
      }
      return out;
    },
    close: () => handle.close(),
  };
}
