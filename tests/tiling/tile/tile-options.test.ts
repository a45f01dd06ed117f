import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UTM32N_DHHN2016_WKT } from '../../../core/crs/known-wkt.ts';
import { writeLas } from '../../../core/las/writer.ts';
import { Progress } from '../../../tiling/tile/Progress.ts';
import { tile } from '../../../tiling/tile/tile.ts';
import { readCopc } from './verify-copc.ts';

const work = mkdtempSync(join(tmpdir(), 'twinview-tile-options-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small PDRF 6 file of `count` points on a grid near (291000, 5744000). */
function writeGrid(path: string, count: number, scale: [number, number, number], offset: [number, number, number], shift: number): Float64Array[] {
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const z = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    x[i] = 291_000 + shift + (i % 50) * 0.37;
    y[i] = 5_744_000 + Math.floor(i / 50) * 0.41;
    z[i] = 50 + ((i * 7) % 13) * 0.11;
  }
  writeFileSync(path, writeLas({ count, x, y, z, gpsTime: new Float64Array(count).map((_, i) => i) }, { version: '1.4', pointFormat: 6, scale, offset, wkt: UTM32N_DHHN2016_WKT }));
  return [x, y, z];
}

describe('tile: scale and offset', () => {
  it('keeps a shared scale and offset, and re-quantizes inputs that differ without moving any point by more than half a step', async () => {
    const a = join(work, 'a.las');
    const b = join(work, 'b.las');
    const [ax, ay, az] = writeGrid(a, 2_000, [0.001, 0.001, 0.001], [291_000, 5_744_000, 0], 0);
    const [bx, by, bz] = writeGrid(b, 1_500, [0.01, 0.01, 0.01], [290_000, 5_700_000, 10], 40);
    const output = join(work, 'ab.copc.laz');
    const summary = await tile({ inputs: [a, b], output, threads: 0, quiet: true, warn: () => undefined, maxNodePoints: 500 });
    expect(summary.warnings.join('\n')).toMatch(/differ in scale or offset/);
    const copc = await readCopc(output);
    const h = copc.copc.header;
    expect(h.scale).toEqual([0.001, 0.001, 0.001]);
    expect(h.offset).toEqual([291_000, 5_744_000, 0]);
    // Every input position (as stored in its own file: rounded to its own scale) is found within half a step.
    const want = new Set<string>();
    const key = (x: number, y: number, z: number): string => [x, y, z].map((v) => Math.round(v * 1000)).join(',');
    ax!.forEach((_, i) => want.add(key(Math.round((ax![i]! - 291_000) / 0.001) * 0.001 + 291_000, Math.round((ay![i]! - 5_744_000) / 0.001) * 0.001 + 5_744_000, Math.round(az![i]! / 0.001) * 0.001)));
    bx!.forEach((_, i) => want.add(key(Math.round((bx![i]! - 290_000) / 0.01) * 0.01 + 290_000, Math.round((by![i]! - 5_700_000) / 0.01) * 0.01 + 5_700_000, Math.round((bz![i]! - 10) / 0.01) * 0.01 + 10)));
    const view = new DataView(copc.records.buffer);
    const got = new Set<string>();
    for (let i = 0; i < copc.count; i++) {
      const at = i * copc.recordLength;
      got.add(key(...([0, 1, 2].map((k) => view.getInt32(at + 4 * k, true) * h.scale[k]! + h.offset[k]!) as [number, number, number])));
    }
    expect(copc.count).toBe(3_500);
    expect([...got].sort()).toEqual([...want].sort());
  });
});

describe('Progress', () => {
  const sink = (isTTY: boolean): { isTTY: boolean; text: string; write(t: string): void } => ({
    isTTY,
    text: '',
    write(t: string) {
      this.text += t;
    },
  });

  it('draws phase, percentage, points/s and ETA on a terminal', async () => {
    const out = sink(true);
    const progress = new Progress(out, false);
    progress.start('encode', 1_000_000);
    await new Promise((r) => setTimeout(r, 120));
    progress.advance(500_000);
    progress.finishLine();
    expect(out.text).toMatch(/\rencode +\[#{12}-{12}\] +50% +\d+\.\d\d M pts\/s +ETA \d+ s/);
    expect(out.text.endsWith('\n')).toBe(true);
  });

  it('stays silent when not a terminal or when quiet', () => {
    for (const [tty, quiet] of [[false, false], [true, true]] as const) {
      const out = sink(tty);
      const progress = new Progress(out, quiet);
      progress.start('read', 10);
      progress.advance(10);
      progress.finishLine();
      expect(out.text).toBe('');
    }
  });
});
