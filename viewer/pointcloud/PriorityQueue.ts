/**
 * A binary max-heap of items by a numeric priority: the octree traversal pops the node with the largest projected
 * size first.
 */
export class PriorityQueue<T> {
  private readonly items: T[] = [];
  private readonly priorities: number[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Adds an item; larger priorities come out first. */
  push(item: T, priority: number): void {
    const items = this.items;
    const priorities = this.priorities;
    let i = items.length;
    items.push(item);
    priorities.push(priority);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (priorities[parent]! >= priority) break;
      items[i] = items[parent]!;
      priorities[i] = priorities[parent]!;
      i = parent;
    }
    items[i] = item;
    priorities[i] = priority;
  }

  /** Removes and returns the item of largest priority, or undefined when empty. */
  pop(): T | undefined {
    const items = this.items;
    const priorities = this.priorities;
    if (items.length === 0) return undefined;
    const top = items[0];
    const lastItem = items.pop()!;
    const lastPriority = priorities.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        const child = right < n && priorities[right]! > priorities[left]! ? right : left;
        if (priorities[child]! <= lastPriority) break;
        items[i] = items[child]!;
        priorities[i] = priorities[child]!;
        i = child;
      }
      items[i] = lastItem;
      priorities[i] = lastPriority;
    }
    return top;
  }
}
