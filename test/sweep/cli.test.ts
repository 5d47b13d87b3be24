// The `sim sweep` / `sim merge` command functions: exit codes and usage errors.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/exit-codes.js";
import { mergeCommand } from "../../src/cli/merge-command.js";
import { sweepCommand } from "../../src/cli/sweep-command.js";
import { FIXTURES, snapshot, tempDir } from "./support.js";

const quiet = { workers: 1, quiet: true, charts: false };

describe("sim sweep / sim merge", () => {
  it("exits 0 when every run succeeds and 1 when some fail", async () => {
    const tmp = tempDir("cli");
    expect(await sweepCommand(join(FIXTURES, "phold-grid.yaml"), { ...quiet, out: join(tmp, "ok") })).toBe(0);
    expect(await sweepCommand(join(FIXTURES, "extends-zip.yaml"), { ...quiet, out: join(tmp, "bad") })).toBe(1);
    expect(existsSync(join(tmp, "bad", "runs.csv"))).toBe(true);
  });

  it("shards by --shard and merges", async () => {
    const tmp = tempDir("cli-shard");
    const spec = join(FIXTURES, "phold-grid.yaml");
    await sweepCommand(spec, { ...quiet, out: join(tmp, "all") });
    await sweepCommand(spec, { ...quiet, out: join(tmp, "s0"), shard: "0/2" });
    await sweepCommand(spec, { ...quiet, out: join(tmp, "s1"), shard: "1/2" });
    expect(await mergeCommand([join(tmp, "s0"), join(tmp, "s1")], { out: join(tmp, "m"), quiet: true, charts: false })).toBe(0);
    expect(snapshot(join(tmp, "m"))).toEqual(snapshot(join(tmp, "all")));
    await expect(mergeCommand([join(tmp, "s0")], { out: join(tmp, "m2"), quiet: true, charts: false })).rejects.toThrow(
      UsageError,
    );
  });

  it("turns bad shards, bad scenarios and bad specs into usage errors", async () => {
    const tmp = tempDir("cli-usage");
    await expect(sweepCommand(join(FIXTURES, "phold-grid.yaml"), { ...quiet, shard: "2/2" })).rejects.toThrow(UsageError);
    await expect(
      sweepCommand(join(FIXTURES, "phold-grid.yaml"), { ...quiet, out: join(tmp, "x"), set: ["sweep.zip=[{a: [1], b: [1, 2]}]"] }),
    ).rejects.toThrow(/zip lists must have equal lengths/);
    await expect(
      sweepCommand(join(FIXTURES, "phold-grid.yaml"), { ...quiet, out: join(tmp, "y"), set: ["phold.lps=0"] }),
    ).rejects.toThrow(UsageError);
  });
});
