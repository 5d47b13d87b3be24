// The metrics' compact table rows give back cells equal to the ones pushed (types included), as a
// whole and streamed one row at a time; a table streamed to CSV has the bytes of the same table as cells.

import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Cell, tableToCsv, writeTableCsv } from "../../../src/metrics/index.js";
import { formatRaw, LIMB_LIMIT, parseRaw } from "../../../src/protocols/pot/index.js";
import { CompactRows } from "../../../src/world/pot/metrics.js";

describe("CompactRows", () => {
  it("round-trips every kind of cell", () => {
    const rows: Cell[][] = [
      [1, 0.5, -0, Number.NaN, "", "accepted", true, false, null],
      [0n, 1n, -1n, LIMB_LIMIT - 1n, -(LIMB_LIMIT - 1n), LIMB_LIMIT, -(10n ** 40n), 12345678901234567890123n, 7],
    ];
    for (let i = 0; i < 3000; i++) rows.push([i, i * 1.5, `p${i}`, BigInt(i) * 10n ** 20n, i % 2 === 0, null, -BigInt(i), 2n ** 100n + BigInt(i), 0]);
    const c = new CompactRows(9);
    for (const r of rows) c.push(r);
    const back = c.toCells();
    expect(back).toEqual(rows);
    expect(Object.is(back[0]![2], -0)).toBe(true);
    for (let r = 0; r < rows.length; r++) for (let j = 0; j < 9; j++) expect(typeof back[r]![j]).toBe(typeof rows[r]![j]);
  });

  it("streams the same rows (one reused array) and the same CSV bytes across chunk boundaries", () => {
    const rows: Cell[][] = [];
    for (let i = 0; i < 9000; i++) rows.push([i, i / 7, i % 3 === 0 ? `quote "${i}", comma` : "plain", -BigInt(i) * 10n ** 21n, i % 2 === 0, null]);
    const c = new CompactRows(6);
    for (const r of rows) c.push(r);
    const streamed: Cell[][] = [];
    c.eachRow((r) => streamed.push([...r]));
    expect(streamed).toEqual(rows);
    const columns = ["a", "b", "c", "d", "e", "f"];
    const path = join(tmpdir(), `potsim-compact-rows-${process.pid}.csv`);
    writeTableCsv(path, { name: "t", columns, rows: [], eachRow: (v) => c.eachRow(v) });
    expect(readFileSync(path, "utf8")).toBe(tableToCsv({ name: "t", columns, rows }));
    rmSync(path, { force: true });
  });

  it("gives back decimal columns as formatRaw text of the raw values pushed", () => {
    const c = new CompactRows(2, 0, [1]);
    const raws = [parseRaw("1001871.086745379596743962"), 0n, parseRaw("0.000000000000000001"), 10n ** 40n, null];
    for (const [i, raw] of raws.entries()) c.push([i, raw]);
    expect(c.toCells()).toEqual(raws.map((raw, i) => [i, raw === null ? null : formatRaw(raw)]));
    expect(c.toCells()[0]![1]).toBe("1001871.086745379596743962");
  });
});
