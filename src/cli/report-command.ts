// `sim report DIR...`: re-renders the charts and report.html of run or sweep folders from the
// CSV files in them (a sweep folder is recognised by its aggregate.csv), and a run's trace.html from
// its trace.jsonl(.gz) when it has one.

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
    const traced = !sweep && (await import("../trace/index.js")).rewriteTraceHtml(dir);
    const { files } = sweep ? await renderSweepReport(dir) : await renderRunReport(dir);
    if (traced) files.push("trace.html");
    process.stdout.write(`${dir}: ${files.length} files (${sweep ? "sweep" : "run"} report)\n`);
  }
  return EXIT_OK;
}
