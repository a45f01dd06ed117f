/**
 * A small seeded pseudo-random generator (mulberry32), so that RANSAC and the tests are reproducible.
 */

/** Returns a function yielding uniform numbers in [0, 1) from a 32-bit seed. */
export function createPrng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate from a uniform generator (Box-Muller). */
export function gaussian(random: () => number): number {
  let u = random();
  while (u <= 1e-12) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
