// `sim tune` on the real PoT world: the shipped tuning file finds a community tax and prepay size
// that meet its reward-share and ozone-price-inflation targets; its best.yaml replays to the same
// metrics; and a search killed with SIGKILL resumes to the bytes of an uninterrupted one.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runTune } from "../../src/tune/index.js";
import { ensureBuilt, ROOT, tempDir } from "./support.js";

const SPEC = join(ROOT, "scenarios", "tune", "tokenomics-target.yaml");

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ["tune.csv", "best.yaml", "summary.json", "manifest.json"]) out[f] = readFileSync(join(dir, f), "utf8");
  return out;
}

describe("sim tune on a short PoT economy", () => {
  it("meets the stated reward-share and inflation targets, and best.yaml replays them", { timeout: 120_000 }, async () => {
    ensureBuilt();
    const tmp = tempDir("pot");
    const out = join(tmp, "out");
    const r = await runTune(SPEC, { out, workers: 2 });
    const best = r.best!;
    expect(best.feasible).toBe(true);
    const [tax, prepay] = best.values as [number, number];
    // reward share: community tax = 4% of traffic rewards, i.e. τ · 0.8 = 0.04
    expect(Math.abs(best.means["rewardsByClass.communityTaxStos"]! / best.means["issuance.trafficPaidStos"]! - 0.04)).toBeLessThan(0.002);
    expect(Math.abs(tax - 0.05)).toBeLessThan(0.0025);
    // inflation: ozone price up by at most 0.1 ppm; service: at most 0.5% of requests unserved
    expect((best.means["market.ozonePrice"]! / 1e6 - 1) * 1e6).toBeLessThanOrEqual(0.1);
    expect(best.means["users.unservedRequests"]! / best.means["users.requests"]!).toBeLessThanOrEqual(0.005);
    expect(prepay).toBeGreaterThan(0.00001);
    expect(prepay).toBeLessThan(0.001);

    const replay = join(tmp, "replay");
    const cli = join(ROOT, "dist", "src", "cli", "main.js");
    const run = spawnSync(process.execPath, [cli, "run", join(out, "best.yaml"), "--out", replay, "--no-charts"], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(replay, "summary.json"), "utf8"));
    expect(summary.rewardsByClass.communityTaxStos).toBe(best.runs[0]!.metrics["rewardsByClass.communityTaxStos"]);
    expect(summary.market.ozonePrice).toBe(best.runs[0]!.metrics["market.ozonePrice"]);
  });

  it("resumes after kill -9 to the bytes of an uninterrupted search, on any number of workers", { timeout: 120_000 }, async () => {
    ensureBuilt();
    const tmp = tempDir("kill");
    const out = join(tmp, "killed");
    const set = ["tune.budget=36"];
    const entry = pathToFileURL(join(ROOT, "dist", "src", "tune", "index.js")).href;
    const code = `import { runTune } from ${JSON.stringify(entry)};\nawait runTune(${JSON.stringify(SPEC)}, { workers: 1, out: ${JSON.stringify(out)}, set: ${JSON.stringify(set)} });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, stdio: "ignore" });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const tasks = () => {
      const d = join(`${out}.partial`, "tasks");
      return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(".json") && !f.startsWith(".")).length : 0;
    };
    const t0 = Date.now();
    while (tasks() < 9 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await exited;
    const kept = tasks();
    expect(kept).toBeGreaterThanOrEqual(9);
    expect(kept).toBeLessThan(36);
    expect(existsSync(out)).toBe(false);

    const resumed = await runTune(SPEC, { workers: 1, out, set, resume: true });
    expect(resumed.resumed).toBe(kept);
    expect(resumed.ran).toBe(36 - kept);
    const clean = join(tmp, "clean");
    await runTune(SPEC, { workers: 1, out: clean, set });
    expect(files(out)).toEqual(files(clean));
    // and the worker count does not matter either
    const pooled = join(tmp, "pooled");
    await runTune(SPEC, { workers: 2, out: pooled, set });
    expect(files(pooled)).toEqual(files(clean));
  });
});
