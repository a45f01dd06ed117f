import { describe, expect, it } from 'vitest';
import { VoxelKey, type Box3 } from '../../../core/copc/key.ts';

const cube: Box3 = [100, 200, -50, 164, 264, 14];

describe('VoxelKey', () => {
  it('parses and prints D-X-Y-Z, rejecting malformed or out-of-range keys', () => {
    expect(VoxelKey.parse('2-1-3-0')).toEqual([2, 1, 3, 0]);
    expect(VoxelKey.toString([2, 1, 3, 0])).toBe('2-1-3-0');
    for (const bad of ['1-2-0-0', '0-0-0', 'a-0-0-0', '-1-0-0-0', '1-0-0-0-0', '1.5-0-0-0']) {
      expect(() => VoxelKey.parse(bad)).toThrow(/Invalid voxel key/);
    }
  });

  it('bounds halve the cube edge per level and tile it exactly', () => {
    expect(VoxelKey.bounds('0-0-0-0', cube)).toEqual(cube);
    expect(VoxelKey.bounds('1-1-0-1', cube)).toEqual([132, 200, -18, 164, 232, 14]);
    expect(VoxelKey.bounds('3-7-0-2', cube)).toEqual([156, 200, -34, 164, 208, -26]);
    const kids = VoxelKey.children('1-1-0-1');
    const volume = kids
      .map((k) => VoxelKey.bounds(k, cube))
      .reduce((sum, b) => sum + (b[3] - b[0]) * (b[4] - b[1]) * (b[5] - b[2]), 0);
    expect(volume).toBe(32 ** 3);
  });

  it('children and parent are inverse; contains follows the tree', () => {
    const kids = VoxelKey.children([2, 1, 2, 3]);
    expect(kids).toHaveLength(8);
    expect(new Set(kids.map(VoxelKey.toString)).size).toBe(8);
    for (const k of kids) {
      expect(VoxelKey.findParent(k)).toEqual([2, 1, 2, 3]);
      expect(VoxelKey.contains('2-1-2-3', k)).toBe(true);
      expect(VoxelKey.contains('1-0-1-1', k)).toBe(true);
      expect(VoxelKey.contains('1-1-1-1', k)).toBe(false);
    }
    expect(VoxelKey.findParent('0-0-0-0')).toBeUndefined();
  });
});
