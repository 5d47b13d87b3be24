// The Sobol' sequence against an independent implementation (scipy's qmc.Sobol, unscrambled):
// test/fixtures/sobol/make-fixture.py made the fixture.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SOBOL_MAX_DIMENSIONS, sobolPoints } from "../../src/sweep/sobol.js";

interface Fixture {
  scale: number;
  sets: { d: number; n: number; points: number[][] }[];
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "sobol", "scipy-sobol.json"), "utf8")) as Fixture;

describe("sobolPoints", () => {
  for (const set of fixture.sets) {
    it(`equals scipy's unscrambled Sobol' points (d=${set.d}, n=${set.n})`, () => {
      const ours = sobolPoints(set.n, set.d).map((row) => row.map((x) => x * fixture.scale));
      expect(ours).toEqual(set.points);
    });
  }

  it("a prefix of 2^m points is a net: each coordinate hits every 1/2^m cell once", () => {
    const pts = sobolPoints(256, 10);
    for (let j = 0; j < 10; j++) {
      const cells = new Set(pts.map((p) => Math.floor(p[j]! * 256)));
      expect(cells.size).toBe(256);
    }
  });

  it("refuses dimensions it has no direction numbers for", () => {
    expect(() => sobolPoints(4, SOBOL_MAX_DIMENSIONS + 1)).toThrow(/1\.\.64 dimensions/);
  });
});
