// `sim report DIR...`: re-renders the charts and report.html of run, sweep or tune folders from the
// CSV files in them (a sweep folder is recognised by its aggregate.csv, a tune folder by tune.csv),
// and a run's trace.html from its trace.jsonl(.gz) when it has one.

import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { EXIT_OK, UsageError } from "./exit-codes.js";

export async function reportCommand(dirs: string[]): Promise<number> {
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such results folder`);
    if (!existsSync(join(dir, "manifest.json"))) throw new UsageError(`${dir}: not a potsim run, sweep or tune folder (no manifest.json)`);
  }
  const { renderRunReport, renderSweepReport, renderTuneReport } = await import("../report/index.js");
  for (const dir of dirs) {
    const kind = existsSync(join(dir, "aggregate.csv")) ? "sweep" : existsSync(join(dir, "tune.csv")) ? "tune" : "run";
    const render = kind === "sweep" ? renderSweepReport : kind === "tune" ? renderTuneReport : renderRunReport;
    const traced = kind === "run" && (await import("../trace/index.js")).rewriteTraceHtml(dir);
    const { files } = await render(dir);
    if (traced) files.push("trace.html");
    process.stdout.write(`${dir}: ${files.length} files (${kind} report)\n`);
  }
  return EXIT_OK;
}
