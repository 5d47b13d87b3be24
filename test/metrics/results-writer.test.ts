// The run folder is written atomically: everything lands in a hidden temporary folder renamed into
// place at the end, an older result at the same path is replaced whole, and a run that fails while
// writing leaves the old folder (or nothing) behind, never a half-written one.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeRunFolder } from "../../src/metrics/index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const parent = () => {
  const d = mkdtempSync(join(tmpdir(), "potsim-writer-"));
  dirs.push(d);
  return d;
};
const files = { manifest: { potsim: "test", seed: 1 }, summary: { b: 2, a: 1 }, tables: [{ name: "t", columns: ["x"], rows: [[1]] }], timing: { wall_s: 0.1 } };

describe("writeRunFolder", () => {
  it("writes manifest, summary, tables and timing into the folder, nothing else next to it", async () => {
    const p = parent();
    const dir = join(p, "run-1");
    await writeRunFolder(dir, { ...files, extra: [{ path: "charts/a.svg", content: "<svg/>" }] });
    expect(readdirSync(dir).sort()).toEqual(["charts", "manifest.json", "summary.json", "t.csv", "timing.json"]);
    expect(readFileSync(join(dir, "summary.json"), "utf8")).toBe('{\n  "a": 1,\n  "b": 2\n}\n');
    expect(readFileSync(join(dir, "t.csv"), "utf8")).toBe("x\n1\n");
    expect(readdirSync(p)).toEqual(["run-1"]);
  });

  it("replaces an older result whole, and leaves it untouched when the new one fails", async () => {
    const p = parent();
    const dir = join(p, "run-1");
    await writeRunFolder(dir, files);
    writeFileSync(join(dir, "stale.csv"), "old");
    await writeRunFolder(dir, files);
    expect(existsSync(join(dir, "stale.csv"))).toBe(false);
    writeFileSync(join(dir, "marker"), "kept");
    const failing = writeRunFolder(dir, {
      ...files,
      finalize: async () => {
        throw new Error("chart renderer died");
      },
    });
    await expect(failing).rejects.toThrow("chart renderer died");
    expect(readFileSync(join(dir, "marker"), "utf8")).toBe("kept");
    expect(existsSync(join(dir, "timing.json"))).toBe(true);
  });
});
