// `sim report DIR...`: re-renders the charts and report.html of run, sweep or tune folders from the
// CSV files in them (a sweep folder is recognised by its aggregate.csv, a tune folder by tune.csv),
// and a run's trace.html from its trace.jsonl(.gz) when it has one. A folder is first checked
// to be potsim's (its manifest.json) with readable JSON and CSV files: a damaged one is a usage
// error naming the file (exit 2), not an internal error halfway through drawing.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { inspectOutput } from "../metrics/index.js";
import { EXIT_OK, UsageError } from "./exit-codes.js";

async function checkFolder(dir: string): Promise<void> {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`${dir}: no such results folder`);
  if (inspectOutput(dir).kind !== "potsim") throw new UsageError(`${dir}: not a potsim run, sweep or tune folder (no potsim manifest.json)`);
  const { parseCsv } = await import("../report/csv.js");
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!name.endsWith(".json") && !name.endsWith(".csv")) continue;
    try {
      if (!statSync(path).isFile()) throw new Error("not a file");
      const text = readFileSync(path, "utf8");
      if (name.endsWith(".json")) JSON.parse(text);
      else parseCsv(text);
    } catch (e) {
      throw new UsageError(`${path}: cannot be read (${e instanceof Error ? e.message : String(e)}); is the folder damaged?`);
    }
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export async function reportCommand(dirs: string[]): Promise<number> {
  for (const dir of dirs) await checkFolder(dir);
  const { renderRunReport, renderSweepReport, renderTuneReport } = await import("../report/index.js");
  for (const dir of dirs) {
    const kind = isFile(join(dir, "aggregate.csv")) ? "sweep" : isFile(join(dir, "tune.csv")) ? "tune" : "run";
    const render = kind === "sweep" ? renderSweepReport : kind === "tune" ? renderTuneReport : renderRunReport;
    const traced = kind === "run" && (await import("../trace/index.js")).rewriteTraceHtml(dir);
    const { files } = await render(dir);
    if (traced) files.push("trace.html");
    process.stdout.write(`${dir}: ${files.length} files (${kind} report)\n`);
  }
  return EXIT_OK;
}
