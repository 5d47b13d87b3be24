// SetHash.toggleJoined(x, y, z) hashes the text `${x}:${y}:${z}` without building it: the same lanes
// and the same set digest as toggle(text), for empty, ASCII, non-ASCII and long parts; and a client
// table entry's digest is the one the joined text gives.

import { describe, expect, it } from "vitest";
import { ClientTable, SetHash } from "../../../src/protocols/pbft/index.js";

describe("SetHash.toggleJoined", () => {
  it("gives the lanes and digest of toggle(x + \":\" + y + \":\" + z)", () => {
    const parts: Array<[string, string, string]> = [
      ["0", "1", "ok"],
      ["", "", ""],
      ["12", "34567", "ok:volumeReport:epoch=12;Y=99"],
      ["7", "1.5", "é ✓ 𝄞 :: |"],
      ["3", "2", "x".repeat(5000)],
    ];
    const joined = new SetHash();
    const plain = new SetHash();
    for (const [x, y, z] of parts) {
      joined.toggleJoined(x, y, z);
      const lanes = plain.toggleKey(`${x}:${y}:${z}`);
      expect([joined.lastA, joined.lastB]).toEqual([lanes.a, lanes.b]);
      expect(joined.hex()).toBe(plain.hex());
    }
  });

  it("a client table's digest equals the set of its client:timestamp:result entries", () => {
    const t = new ClientTable();
    const ref = new SetHash();
    const entries: Array<[number, number, string]> = [
      [0, 1, "ok:a"],
      [3, 1, "ok:b"],
      [0, 2, "ok:c"], // replaces client 0's entry
      [11, 7, ""],
    ];
    const last = new Map<number, string>();
    for (const [c, ts, r] of entries) {
      t.set(c, { timestamp: ts, result: r });
      const old = last.get(c);
      if (old !== undefined) ref.toggle(old);
      last.set(c, `${c}:${ts}:${r}`);
      ref.toggle(`${c}:${ts}:${r}`);
      expect(t.digest()).toBe(ref.hex());
    }
  });
});
