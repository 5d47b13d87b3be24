// A sweep killed with SIGKILL mid-run resumes (--resume) to the bytes of an uninterrupted sweep.

import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { runSweep } from "../../src/sweep/index.js";
import { ensureWorkerBuilt, FIXTURES, ROOT, snapshot, tempDir } from "./support.js";

const SPEC = join(FIXTURES, "phold-long.yaml");

function taskFiles(dir: string): string[] {
  const d = join(`${dir}.partial`, "tasks");
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith(".json") && !f.startsWith(".")) : [];
}

it("resumes after kill -9 to the bytes of an uninterrupted sweep", async () => {
  ensureWorkerBuilt();
  const tmp = tempDir("kill");
  const out = join(tmp, "killed");
  const entry = pathToFileURL(join(ROOT, "dist", "src", "sweep", "index.js")).href;
  const code = `import { runSweep } from ${JSON.stringify(entry)};\nawait runSweep(${JSON.stringify(SPEC)}, { workers: 1, out: ${JSON.stringify(out)} });`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const t0 = Date.now();
  while (taskFiles(out).length < 3 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
  child.kill("SIGKILL");
  await exited;
  const kept = taskFiles(out).length;
  expect(kept).toBeGreaterThanOrEqual(3);
  expect(kept).toBeLessThan(40);
  expect(existsSync(out)).toBe(false);

  const resumed = await runSweep(SPEC, { workers: 1, out, resume: true });
  expect(resumed.resumed).toBe(kept);
  expect(resumed.ran).toBe(40 - kept);

  const clean = join(tmp, "clean");
  await runSweep(SPEC, { workers: 1, out: clean });
  expect(snapshot(out)).toEqual(snapshot(clean));
});
