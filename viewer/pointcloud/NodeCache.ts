/**
 * A least-recently-used cache bounded in bytes. The entity keeps decoded nodes (CPU copies and GPU buffers) in
 * it; entries it still draws are protected from eviction, the rest go oldest first when the bound is passed.
 */
export class NodeCache<V> {
  /** Insertion order of a Map is the recency order here: a touch deletes and re-inserts. */
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  /**
   * @param maxBytes the bound, bytes
   * @param onEvict called for every evicted value (dispose GPU buffers there)
   */
  constructor(
    public maxBytes: number,
    private readonly onEvict: (key: string, value: V) => void = () => undefined,
  ) {
    if (!(maxBytes >= 0)) throw new Error(`Invalid cache size: ${maxBytes}`);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The value, marked as most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value without changing its recency. */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Adds (or replaces) a value of the given size as most recently used; does not evict (see {@link trim}). */
  set(key: string, value: V, bytes: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.total -= old.bytes;
      if (old.value !== value) this.onEvict(key, old.value);
    }
    this.entries.set(key, { value, bytes });
    this.total += bytes;
  }

  /** Removes a value without calling onEvict; returns it. */
  delete(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.total -= entry.bytes;
    return entry.value;
  }

  /**
   * Evicts least recently used values, skipping protected keys, until the total is within the bound (or only
   * protected values remain); returns the evicted keys in eviction order.
   */
  trim(isProtected: (key: string) => boolean = () => false): string[] {
    const evicted: string[] = [];
    if (this.total <= this.maxBytes) return evicted;
    for (const [key, entry] of this.entries) {
      if (this.total <= this.maxBytes) break;
      if (isProtected(key)) continue;
      this.entries.delete(key);
      this.total -= entry.bytes;
      evicted.push(key);
      this.onEvict(key, entry.value);
    }
    return evicted;
  }

  /** Keys from least to most recently used. */
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Evicts everything. */
  clear(): void {
    for (const [key, entry] of this.entries) this.onEvict(key, entry.value);
    this.entries.clear();
    this.total = 0;
  }
}
