import { afterAll, describe, expect, it } from 'vitest';
import { openCopc, type CopcFile } from '../../../core/copc/copc-file.ts';
import { VoxelKey } from '../../../core/copc/key.ts';
import { createFileGetter, type FileGetter } from '../../../tiling/file-getter.ts';
import { listPointCloudFiles, pdalStats, rawHeaderTruth, sharedPath } from '../../helpers/shared-data.ts';

const COPC_FILES = listPointCloudFiles().filter((p) => p.endsWith('.copc.laz'));
const getters: FileGetter[] = [];
afterAll(async () => {
  await Promise.all(getters.map((g) => g.close()));
});

async function open(path: string): Promise<CopcFile> {
  const getter = await createFileGetter(sharedPath(path));
  getters.push(getter);
  return openCopc(getter);
}

/**
 * Checks class counts against PDAL: exact counts when PDAL wrote a histogram ('bins'), otherwise the set of
 * values ('values') and the mean class value, which pins the counts of a two-class file.
 */
function expectClassesLikePdal(classes: Record<string, number>, stats: any): void {
  const cls = stats.stats.statistic.find((s: any) => s.name === 'Classification');
  if (cls.bins) {
    const out: Record<string, number> = {};
    for (const [value, count] of Object.entries(cls.bins as Record<string, number>)) out[String(Number(value))] = count;
    expect(classes).toEqual(out);
    return;
  }
  expect(Object.keys(classes).map(Number).sort((a, b) => a - b)).toEqual(cls.values);
  const total = Object.values(classes).reduce((a, b) => a + b, 0);
  const mean = Object.entries(classes).reduce((s, [c, n]) => s + Number(c) * n, 0) / total;
  expect(Math.abs(mean - cls.average)).toBeLessThan(1e-8);
}

describe('openCopc on every shared-data COPC file', () => {
  it('finds the eight COPC files', () => expect(COPC_FILES.length).toBeGreaterThanOrEqual(8));

  for (const path of COPC_FILES) {
    it(`${path}: info, hierarchy and every node agree with the ground truth`, async () => {
      const truth = rawHeaderTruth(path);
      const stats = pdalStats(path);
      const copc = await open(path);
      const infoTruth = truth.vlrs.find((v: any) => v.userId === 'copc' && v.recordId === 1).copc;
      expect(copc.info.center).toEqual(infoTruth.center);
      expect(copc.info.halfSize).toBe(infoTruth.halfsize);
      expect(copc.info.spacing).toBe(infoTruth.spacing);
      expect(copc.info.rootHierarchyPage).toEqual({ pageOffset: infoTruth.rootHierOffset, pageLength: infoTruth.rootHierSize });
      expect(copc.header.pointCount).toBe(truth.count);

      const nodes = await copc.loadHierarchy();
      expect(nodes.has('0-0-0-0')).toBe(true);
      const sum = [...nodes.values()].reduce((s, n) => s + n.pointCount, 0);
      expect(sum).toBe(truth.count);
      expect(sum).toBe(stats.stats.statistic[0].count);

      const classes: Record<string, number> = {};
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      let decoded = 0;
      let outside = 0;
      const tol = Math.max(...copc.header.scale);
      for (const node of nodes.values()) {
        const cols = await copc.loadNode(node);
        expect(cols.count).toBe(node.pointCount);
        const b = VoxelKey.bounds(node.key, copc.info.cube);
        for (let i = 0; i < cols.count; i++) {
          const p = [cols.x[i]!, cols.y[i]!, cols.z[i]!];
          for (let a = 0; a < 3; a++) {
            if (p[a]! < b[a]! - tol || p[a]! > b[a + 3]! + tol) outside++;
            if (p[a]! < min[a]!) min[a] = p[a]!;
            if (p[a]! > max[a]!) max[a] = p[a]!;
          }
          const c = String(cols.classification![i]);
          classes[c] = (classes[c] ?? 0) + 1;
        }
        decoded += cols.count;
      }
      expect(outside).toBe(0);
      expect(decoded).toBe(truth.count);
      expectClassesLikePdal(classes, stats);
      const names = ['X', 'Y', 'Z'];
      for (let a = 0; a < 3; a++) {
        const s = stats.stats.statistic.find((st: any) => st.name === names[a]);
        expect(min[a]).toBeCloseTo(s.minimum, 4); // PDAL prints 4 decimals
        expect(max[a]).toBeCloseTo(s.maximum, 4);
      }
    }, 120_000);
  }
});

describe('openCopc errors and node loading', () => {
  it('loads the root page lazily and a node by key string', async () => {
    const copc = await open('laspy/tests/data/simple_with_page.copc.laz');
    const root = await copc.loadHierarchyPage();
    expect(root.nodes.size + root.pages.size).toBeGreaterThan(0);
    const points = await copc.loadNode('0-0-0-0');
    expect(points.count).toBe(root.nodes.get('0-0-0-0')!.pointCount);
    await expect(copc.loadNode('9-0-0-0')).rejects.toThrow(/Invalid node: 9-0-0-0 is not in the loaded hierarchy/);
    expect(copc.boundsOf('0-0-0-0')).toEqual(copc.info.cube);
  });

  it('decodes with an injected laz-perf instance (as browser workers pass theirs)', async () => {
    const { createLazPerf } = (await import('laz-perf')) as any;
    const lazPerf = await createLazPerf();
    let decoders = 0;
    const Original = lazPerf.ChunkDecoder;
    const counting = Object.assign(Object.create(lazPerf), {
      ChunkDecoder: function CountingDecoder() {
        decoders++;
        return new Original();
      },
    });
    const copc = await open('derived/autzen_trim.copc.laz');
    const nodes = await copc.loadHierarchy();
    const some = [...nodes.values()].slice(0, 3);
    let total = 0;
    for (const node of some) {
      const viaInjected = await copc.loadNode(node, { lazPerf: counting });
      const viaDefault = await copc.loadNode(node);
      expect(viaInjected.count).toBe(node.pointCount);
      expect(viaInjected.x).toEqual(viaDefault.x);
      expect(viaInjected.classification).toEqual(viaDefault.classification);
      total += node.pointCount;
    }
    expect(total).toBeGreaterThan(0);
    expect(decoders).toBe(some.length);
  });

  it('refuses a LAZ file without the COPC info VLR', async () => {
    const getter = await createFileGetter(sharedPath('PDAL/test/data/laz/simple.laz'));
    getters.push(getter);
    await expect(openCopc(getter)).rejects.toThrow(/^Invalid COPC file: no COPC info VLR .* in .*simple\.laz$/);
  });
});
