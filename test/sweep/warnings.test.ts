// Sweep points that silently did nothing are visible: each run's warning codes in runs.csv's
// `warnings` column, and a count of the points with warnings on stderr at the end of `sim sweep`.

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/report/index.js";
import { sweepWarnings, sweepWarningsLine, type TaskResult } from "../../src/sweep/index.js";
import { sim, tempDir } from "../cli/support.js";
import { BASE } from "../world/pot/support.js";

const tmp = tempDir("potsim-sweep-warnings-");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("warnings in a sweep", () => {
  it("runs.csv has each run's codes; stderr counts the points that have any", () => {
    // The test PoT economy with a silent validator: a run too short for an epoch warns, and so does a
    // fault that starts after the run ends. Point order: (until, at) = (30, 0), (30, 5000), (400, 0), (400, 5000).
    const spec = {
      ...BASE,
      pbft: { ...(BASE.pbft as object), faults: [{ type: "silent", replica: 3, at: 0 }] },
      sweep: { grid: { until: [30, 400], "pbft.faults.0.at": [0, 5000] }, replicates: 1, seed: 1 },
    };
    writeFileSync(join(tmp, "s.yaml"), stringify(spec));
    const out = join(tmp, "out");
    const r = sim(["sweep", join(tmp, "s.yaml"), "--out", out, "--workers", "1", "--no-charts"]);
    expect(r.code).toBe(0);
    // After the progress lines: the count of points with warnings, by code (first appearance in task order).
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe(
      "3 of 4 points have warnings: no-epoch-completed (2), fault-never-triggered (2) (see the warnings column of runs.csv)",
    );
    const runs = parseCsv(readFileSync(join(out, "runs.csv"), "utf8"));
    expect(runs.columns.slice(4, 9)).toEqual(["seed", "status", "error", "warnings", "trace_hash"]);
    expect(runs.rows.map((row) => [row.until, row["pbft.faults.0.at"], row.status, row.warnings])).toEqual([
      ["30", "0", "ok", "no-epoch-completed"],
      ["30", "5000", "ok", "fault-never-triggered;no-epoch-completed"],
      ["400", "0", "ok", ""],
      ["400", "5000", "ok", "fault-never-triggered"],
    ]);
  });

  it("a point warns when any of its replicates does; no line when none does", () => {
    const res = (point: number, warnings: string[]) => ({ point, warnings }) as unknown as TaskResult;
    const w = sweepWarnings([res(0, []), res(0, ["a"]), res(1, []), res(1, []), res(2, ["b", "a"])]);
    expect(w).toEqual({ points: 2, totalPoints: 3, byCode: [{ code: "a", points: 2 }, { code: "b", points: 1 }] });
    expect(sweepWarningsLine(w)).toBe("2 of 3 points have warnings: a (2), b (1) (see the warnings column of runs.csv)");
    expect(sweepWarningsLine(sweepWarnings([res(0, ["a"])]))).toBe("1 of 1 point has warnings: a (1) (see the warnings column of runs.csv)");
    expect(sweepWarningsLine(sweepWarnings([res(0, []), res(1, [])]))).toBeUndefined();
  });
});
