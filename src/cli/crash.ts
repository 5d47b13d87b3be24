// Internal errors (exit 3) never reach the terminal as a raw stack trace: the terminal gets one
// line, and the details (message, stack, cause chain, command line, versions) go to a report file
// in the OS temporary folder, `potsim-crash-<UTC time>-<pid>.txt`. The temporary folder because it
// is writable wherever potsim runs (the results root may be the very thing that failed), a crash
// report must never sit inside a results folder where it could pass for a result, and it should
// not litter the working directory of a CI job. Its path is printed, so it is easy to attach.
// May import: node built-ins, ./version.js.

import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { version } from "./version.js";

/** Text of an error with its stack and `cause` chain (bounded, in case of a cyclic cause). */
export function describeError(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur !== undefined && depth < 8; depth++) {
    if (cur instanceof Error) {
      parts.push(cur.stack ?? `${cur.name}: ${cur.message}`);
      cur = (cur as { cause?: unknown }).cause;
      if (cur !== undefined) parts.push("caused by:");
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join("\n");
}

/** The first line of an error's message, for the terminal. */
export function oneLineMessage(e: unknown): string {
  const text = e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
  const line = text.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * Writes the crash report and returns its path, or undefined when even that failed.
 * `dir` is for tests; potsim itself always uses the OS temporary folder.
 */
export function saveCrashReport(e: unknown, argv: readonly string[], dir = tmpdir()): string | undefined {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const path = join(dir, `potsim-crash-${stamp}-${process.pid}.txt`);
  const text = [
    `potsim ${version} internal error`,
    `time: ${new Date().toISOString()}`,
    `node: ${process.version} (${process.platform} ${process.arch})`,
    `cwd: ${process.cwd()}`,
    `command: ${argv.map((a) => JSON.stringify(a)).join(" ")}`,
    "",
    describeError(e),
    "",
  ].join("\n");
  try {
    writeFileSync(path, text, { flag: "wx" });
    return path;
  } catch {
    return undefined;
  }
}

/** Prints the one-line notice for an internal error (saving the report) and returns exit code 3. */
export function reportInternalError(e: unknown, argv: readonly string[] = process.argv, write = (s: string) => process.stderr.write(s)): number {
  const path = saveCrashReport(e, argv);
  const where = path === undefined ? "(the crash report could not be saved)" : `(details: ${path})`;
  write(`internal error: ${oneLineMessage(e)} ${where}\n`);
  return 3;
}
