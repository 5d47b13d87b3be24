// With `charts`, the sweep folder also gets charts/*.svg|png and report.html (report module).

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runSweep } from "../../src/sweep/index.js";
import { FIXTURES, snapshot, tempDir } from "./support.js";

it("renders the sweep report into the folder, deterministically", async () => {
  const out = join(tempDir("charts"), "s");
  await runSweep(join(FIXTURES, "phold-grid.yaml"), { workers: 1, out, charts: true });
  expect(existsSync(join(out, "report.html"))).toBe(true);
  const charts = readdirSync(join(out, "charts"));
  expect(charts.some((f) => f.endsWith(".svg"))).toBe(true);
  expect(charts.some((f) => f.endsWith(".png"))).toBe(true);
  const again = join(tempDir("charts"), "s");
  await runSweep(join(FIXTURES, "phold-grid.yaml"), { workers: 1, out: again, charts: true });
  expect(snapshot(again)).toEqual(snapshot(out));
});
