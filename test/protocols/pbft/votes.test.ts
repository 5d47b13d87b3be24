// VoteSet against the single-Uint32Array bitset it replaced, for small and large groups, on any
// ids (out of range, negative, fractional) in random order: same answers, counts and member lists.

import { describe, expect, it } from "vitest";
import { VoteSet } from "../../../src/protocols/pbft/index.js";

class WordsSet {
  readonly words: Uint32Array;
  count = 0;
  constructor(n: number) {
    this.words = new Uint32Array((n + 31) >>> 5);
  }
  has(id: number): boolean {
    return ((this.words[id >>> 5]! >>> (id & 31)) & 1) === 1;
  }
  add(id: number): boolean {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    const cur = this.words[w]!;
    if ((cur & bit) !== 0) return false;
    this.words[w] = cur | bit;
    this.count++;
    return true;
  }
  remove(id: number): boolean {
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    const cur = this.words[w]!;
    if ((cur & bit) === 0) return false;
    this.words[w] = cur & ~bit;
    this.count--;
    return true;
  }
}

describe("VoteSet", () => {
  for (const n of [0, 1, 4, 31, 32, 33, 64, 100]) {
    it(`behaves like a Uint32Array bitset (n = ${n})`, () => {
      let seed = n + 1;
      const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
      const ids = [-1, 1.5, 31, 32, 63, 64, 2 ** 32, Number.NaN, n, n - 1];
      const a = new VoteSet(n);
      const b = new WordsSet(n);
      for (let i = 0; i < 2000; i++) {
        const id = rnd() < 0.1 ? ids[Math.floor(rnd() * ids.length)]! : Math.floor(rnd() * (n + 2));
        const op = rnd();
        if (op < 0.5) expect(a.add(id)).toBe(b.add(id));
        else if (op < 0.8) expect(a.remove(id)).toBe(b.remove(id));
        else expect(a.has(id)).toBe(b.has(id));
        expect(a.count).toBe(b.count);
      }
      const members: number[] = [];
      for (let id = 0; id < 32 * b.words.length; id++) if (b.has(id)) members.push(id);
      expect(a.toArray()).toEqual(members);
      expect(a.toArray(2, (id) => id % 2 === 1)).toEqual(members.filter((id) => id % 2 === 0).slice(0, 2));
    });
  }
});
