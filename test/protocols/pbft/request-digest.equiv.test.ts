// PBFT request digests of PoT ops are hashed piece by piece (protocols/pbft/digest.ts); they must equal
// the hash of the canonical text for every kind of value, including strings JSON.stringify escapes.

import { describe, expect, it } from "vitest";
import { canonical, hashString, requestDigest } from "../../../src/protocols/pbft/index.js";
import { PACKED_REPORT } from "../../../src/world/pot/app.js";
import { Lcg } from "../pot/helpers.js";

const reference = (client: number, ts: number, op: unknown) => hashString(`R|${client}|${ts}|${canonical(op)}`);

describe("request digest by pieces", () => {
  it("equals the hash of the canonical text", () => {
    const rnd = new Lcg(17);
    const strings = ["", "plain", 'q"uote', "back\\slash", "tab\tnl\n", "\u0001ctl", "\ud83d\ude00 pair", "lone \ud800", "é ü", "a,b,c"];
    const leaf = (): unknown => {
      switch (rnd.int(8)) {
        case 0:
          return strings[rnd.int(strings.length)];
        case 1:
          return [0, -0, 1.5, -7, Number.NaN, Number.POSITIVE_INFINITY, 1e21][rnd.int(7)];
        case 2:
          return BigInt(rnd.int(1e9)) * 10n ** 20n;
        case 3:
          return rnd.int(2) === 0;
        case 4:
          return null;
        case 5:
          return undefined;
        default:
          return `w${rnd.int(1000)}`.repeat(1 + rnd.int(50));
      }
    };
    const value = (depth: number): unknown => {
      if (depth === 0 || rnd.int(3) === 0) return leaf();
      if (rnd.int(2) === 0) return Array.from({ length: rnd.int(5) }, () => value(depth - 1));
      const o: Record<string, unknown> = {};
      for (let k = rnd.int(6); k > 0; k--) o[strings[rnd.int(strings.length)]! + k] = value(depth - 1);
      return o;
    };
    for (let t = 0; t < 300; t++) {
      const op = value(4);
      expect(requestDigest(t, t * 7, op)).toBe(reference(t, t * 7, op));
    }
    const packed = { type: PACKED_REPORT, wallets: Array.from({ length: 800 }, (_, i) => `rw${i}`).join(","), volumes: "1,2,3", signers: ["a", "b"], entries: 800 };
    expect(requestDigest(3, 9, packed)).toBe(reference(3, 9, packed));
  });

  it("covers byte arrays by length and content", () => {
    const op = (bytes: Uint8Array) => ({ type: PACKED_REPORT, lines: bytes, entries: 2 });
    const a = Buffer.from("rw1=5\nrw2=7\n", "latin1");
    const same = new Uint8Array(a);
    const flipped = new Uint8Array(a);
    flipped[4] = "6".charCodeAt(0);
    const longer = Buffer.concat([a, Buffer.from([0])]);
    expect(requestDigest(1, 1, op(a))).toBe(requestDigest(1, 1, op(same)));
    expect(requestDigest(1, 1, op(a))).toBe(reference(1, 1, op(a)));
    expect(requestDigest(1, 1, op(flipped))).not.toBe(requestDigest(1, 1, op(a)));
    expect(requestDigest(1, 1, op(longer))).not.toBe(requestDigest(1, 1, op(a)));
    // Not confused with the text of its canonical form.
    expect(requestDigest(1, 1, op(a))).not.toBe(requestDigest(1, 1, { type: PACKED_REPORT, lines: canonical(a), entries: 2 }));
    expect(canonical(a)).toMatch(/^bytes:12:[0-9a-f]{64}$/);
  });

  it("rejects what canonical rejects", () => {
    expect(() => requestDigest(1, 1, { f: () => 1 })).toThrow();
    expect(() => requestDigest(1, 1, Symbol("s"))).toThrow();
  });
});
