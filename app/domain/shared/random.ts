/**
 * Seeded pseudo-random numbers (mulberry32) so simulations and synthetic data repeat exactly for a seed.
 * Math.random would make every figure unreproducible.
 */
export interface Rng {
  next(): number;
  int(lo: number, hiInclusive: number): number;
  normal(): number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0 || 0x9e3779b9;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int(lo, hiInclusive) {
      return lo + Math.floor(next() * (hiInclusive - lo + 1));
    },
    normal() {
      const u = Math.max(next(), 1e-12);
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}
