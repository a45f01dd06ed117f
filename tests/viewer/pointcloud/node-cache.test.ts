import { describe, expect, it } from 'vitest';
import { NodeCache } from '../../../viewer/pointcloud/NodeCache.ts';
import { PriorityQueue } from '../../../viewer/pointcloud/PriorityQueue.ts';

describe('NodeCache', () => {
  it('evicts least recently used first until within the byte bound, skipping protected keys', () => {
    const evicted: string[] = [];
    const cache = new NodeCache<string>(100, (key) => evicted.push(key));
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 30);
    cache.set('c', 'C', 20);
    expect(cache.get('a')).toBe('A'); // a is now the most recent: order b, c, a
    cache.set('d', 'D', 30); // 120 bytes
    expect(cache.bytes).toBe(120);
    expect(cache.trim()).toEqual(['b']);
    expect(cache.bytes).toBe(90);
    cache.set('e', 'E', 50); // 140: c, a, d, e
    expect(cache.trim((key) => key === 'c')).toEqual(['a']);
    expect(evicted).toEqual(['b', 'a']);
    expect([...cache.keys()]).toEqual(['c', 'd', 'e']);
    expect(cache.bytes).toBe(100);
    expect(cache.peek('c')).toBe('C');
    expect([...cache.keys()][0]).toBe('c'); // peek leaves the order alone
  });

  it('keeps protected entries even beyond the bound, and replaces values in place', () => {
    const evicted: string[] = [];
    const cache = new NodeCache<number>(10, (key, value) => evicted.push(`${key}=${value}`));
    cache.set('x', 1, 8);
    cache.set('y', 2, 8);
    expect(cache.trim(() => true)).toEqual([]);
    expect(cache.bytes).toBe(16);
    cache.set('x', 3, 2); // replacement hands the old value to onEvict
    expect(evicted).toEqual(['x=1']);
    expect(cache.bytes).toBe(10);
    expect(cache.delete('y')).toBe(2);
    expect(cache.bytes).toBe(2);
    cache.clear();
    expect(evicted).toEqual(['x=1', 'x=3']);
    expect(cache.size).toBe(0);
    expect(() => new NodeCache(-1)).toThrow(/^Invalid cache size: -1/);
  });
});

describe('PriorityQueue', () => {
  it('pops in order of decreasing priority', () => {
    const queue = new PriorityQueue<number>();
    const values = Array.from({ length: 200 }, (_, i) => (i * 7919) % 211);
    for (const v of values) queue.push(v, v);
    const out: number[] = [];
    for (let v = queue.pop(); v !== undefined; v = queue.pop()) out.push(v);
    expect(out).toEqual([...values].sort((a, b) => b - a));
    expect(queue.size).toBe(0);
    expect(queue.pop()).toBeUndefined();
  });
});
