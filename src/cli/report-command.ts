// `sim report DIR...`: re-renders the charts and report.html of run or sweep folders from the
// CSV files in them (a sweep folder is recognised by its aggregate.csv).

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { EXIT_OK, UsageError } from "./exit-codes.js";

export async function reportCommand(dirs: string[]): Promise<number> {
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such results folder`);
    if (!existsSync(join(dir, "manifest.json"))) throw new UsageError(`${dir}: not a potsim run or sweep folder (no manifest.json)`);
  }
  const { renderRunReport, renderSweepReport } = await import("../report/index.js");
  for (const dir of dirs) {
    const sweep = existsSync(join(dir, "aggregate.csv"));
    const { files } = sweep ? await renderSweepReport(dir) : await renderRunReport(dir);
    process.stdout.write(`${dir}: ${files.length} files (${sweep ? "sweep" : "run"} report)\n`);
  }
  return EXIT_OK;
}
