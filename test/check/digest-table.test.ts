// DigestTable against the PairTable of { digest, replica } records it replaces: the same record (or
// none) and the same comparison for dense pairs, pairs beyond the dense limits, odd spellings of a
// pair, hex digests and any other text — including a record that moves between the dense rows and
// the side table when it is overwritten with a digest of the other kind.

import { describe, expect, it } from "vitest";
import { ABSENT, DIFFERENT, type DigestRecord, DigestTable, SAME } from "../../src/check/digest-table.js";
import { PairTable } from "../../src/check/pair-table.js";

const keys: unknown[] = [0, -0, 1, 2, 63, 64, 65, 5000, 2 ** 16 - 1, 2 ** 16, 2 ** 31 - 1, 2 ** 31, 1e21, -1, 1.5, Number.NaN, "3", "03", "a:b", 5n, null];
const digests = ["0123456789abcdef", "ffffffffffffffff", "0000000000000000", "80000000deadbeef", "0123456789ABCDEF", "null", "", "0123456789abcde", "0123456789abcdefg", "g123456789abcdef"];

function expected(ref: PairTable<DigestRecord>, a: unknown, b: unknown, d: string): number {
  const r = ref.get(a, b);
  return r === undefined ? ABSENT : r.digest === d ? SAME : DIFFERENT;
}

describe("DigestTable", () => {
  it("answers like a PairTable of records, whatever the keys and digests", () => {
    const table = new DigestTable();
    const ref = new PairTable<DigestRecord>();
    let n = 0;
    for (let round = 0; round < 3; round++) {
      for (const a of keys) {
        for (const b of keys) {
          const d = digests[(n * 7 + round) % digests.length]!;
          expect(table.compare(a, b, d)).toBe(expected(ref, a, b, d));
          expect(table.get(a, b)).toEqual(ref.get(a, b));
          if ((n + round) % 4 !== 3) {
            const replica = n % 5 === 4 ? -1 : n % 9;
            table.set(a, b, d, replica);
            ref.set(a, b, { digest: d, replica });
          }
          n++;
        }
      }
    }
    for (const a of keys) {
      for (const b of keys) {
        expect(table.get(a, b)).toEqual(ref.get(a, b));
        for (const d of digests) expect(table.compare(a, b, d)).toBe(expected(ref, a, b, d));
      }
    }
  });

  it("keeps hex digests of counting sequence numbers in its rows and gives their text back", () => {
    const t = new DigestTable();
    for (let seq = 1; seq <= 10_000; seq++) t.set(0, seq, (seq * 2654435761).toString(16).padStart(16, "0").slice(-16), seq % 4);
    expect(t.get(0, 7)).toEqual({ digest: (7 * 2654435761).toString(16).padStart(16, "0"), replica: 3 });
    expect(t.compare("0", "7", (7 * 2654435761).toString(16).padStart(16, "0"))).toBe(SAME);
    expect(t.compare(0, 7, "null")).toBe(DIFFERENT);
    expect(t.compare(0, 10_001, "0000000000000000")).toBe(ABSENT);
    // An overwrite with another kind of digest moves the record aside, and back.
    t.set(0, 7, "null", 1);
    expect(t.get(0, 7)).toEqual({ digest: "null", replica: 1 });
    t.set(0, 7, "00000000000000aa", 2);
    expect(t.get(0, 7)).toEqual({ digest: "00000000000000aa", replica: 2 });
    expect(t.compare(0, 7, "null")).toBe(DIFFERENT);
  });

  it("keeps a view that starts late in the run in its own row from that sequence number on", () => {
    const t = new DigestTable();
    const d = (seq: number) => seq.toString(16).padStart(16, "0");
    for (let seq = 10_000; seq < 10_500; seq++) t.set(3, seq, d(seq), 1);
    const rows = (t as unknown as { rows: Array<{ base: number; who: Int32Array } | undefined>; anyAside: boolean }).rows;
    expect(rows[3]!.base).toBe(9984);
    expect((t as unknown as { anyAside: boolean }).anyAside).toBe(false);
    expect(t.get(3, 10_499)).toEqual({ digest: d(10_499), replica: 1 });
    // A column before the row's first block goes aside and is still found.
    t.set(3, 5, d(5), 2);
    expect(t.get(3, 5)).toEqual({ digest: d(5), replica: 2 });
    expect(t.compare(3, 5, d(5))).toBe(SAME);
    expect(t.compare(3, 9_999, d(9_999))).toBe(ABSENT);
  });
});
