import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileGetter } from '../../tiling/file-getter.ts';
import { sharedPath } from '../helpers/shared-data.ts';

describe('createFileGetter', () => {
  it('reads the same bytes as readFileSync for any range, and knows the size', async () => {
    const path = sharedPath('PDAL/test/data/las/autzen_trim.las');
    const all = readFileSync(path);
    const getter = await createFileGetter(path);
    try {
      expect(getter.size).toBe(all.byteLength);
      expect(getter.name).toBe(path);
      for (const [begin, end] of [[0, 375], [1000, 1001], [all.byteLength - 17, all.byteLength], [5, 5], [0, all.byteLength]]) {
        expect(Buffer.from(await getter.get(begin!, end!)).equals(all.subarray(begin, end))).toBe(true);
      }
      await expect(getter.get(0, all.byteLength + 1)).rejects.toThrow(/^Invalid range: .* beyond the end of/);
      await expect(getter.get(10, 5)).rejects.toThrow(/^Invalid range/);
    } finally {
      await getter.close();
    }
    await expect(getter.get(0, 1)).rejects.toThrow(/read after close/);
  });

  it('names a missing file and a directory', async () => {
    const missing = join(tmpdir(), 'twinview-no-such-file.laz');
    await expect(createFileGetter(missing)).rejects.toThrow(`Invalid file: ${missing} (not found)`);
    await expect(createFileGetter(tmpdir())).rejects.toThrow(`Invalid file: ${tmpdir()} (is a directory)`);
  });
});
