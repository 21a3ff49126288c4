// Stateless, seeded hashing: every simulated value is a pure function of (seed, index, salt, n),
// so a 100,000-SKU catalog needs no stored records and two runs with one seed agree.

// Bound once: looking `Math` up on every call is slow inside jest's VM sandbox.
const imul = Math.imul;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of up to four integers. */
export function hash(seed: number, a: number, b = 0, c = 0): number {
  let h = fmix((seed ^ 0x9e3779b9) >>> 0);
  h = fmix((h ^ a) >>> 0);
  h = fmix((h + imul(b + 1, 0x27d4eb2f)) >>> 0);
  return fmix((h ^ imul(c + 1, 0x165667b1)) >>> 0);
}

/** Uniform in [0, 1). */
export function unit(seed: number, a: number, b = 0, c = 0): number {
  return hash(seed, a, b, c) / 4294967296;
}

export function pick<T>(items: readonly T[], h: number): T {
  return items[h % items.length];
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Fills a pattern: `n` digit, `a` letter, `x` letter or digit; anything else is literal. */
export function fillPattern(pattern: string, seed: number, a: number, b: number): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const h = hash(seed, a, b, i);
    if (ch === 'n') out += String(h % 10);
    else if (ch === 'a') out += LETTERS[h % LETTERS.length];
    else if (ch === 'x') out += ALNUM[h % ALNUM.length];
    else out += ch;
  }
  return out;
}

/** A deterministic pseudo-random sequence (order numbers, tracking numbers, serials). */
export class Sequence {
  private n = 0;
  constructor(private readonly seed: number, private readonly salt: number) {}
  next(): number {
    return hash(this.seed, this.salt, this.n++);
  }
  nextUnit(): number {
    return this.next() / 4294967296;
  }
  pattern(p: string): string {
    return fillPattern(p, this.seed, this.salt * 7919 + 13, this.n++);
  }
}
