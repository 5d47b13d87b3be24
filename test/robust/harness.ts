// Running the CLI on hostile input: in-process (runCli, with stdout/stderr captured, the working
// directory and environment set per case, timed) or as the real `sim` process. And the checks
// every hostile case must pass: an allowed exit code, no stack trace, no write outside the places a
// case may write, within its time and memory.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/program.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SIM = join(ROOT, "dist", "src", "cli", "main.js");

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Peak resident memory of the process (bytes), when it ran as its own process under /usr/bin/time. */
  rssBytes?: number;
}

const TIME = "/usr/bin/time";

/** A line of a JavaScript stack trace, or a V8 fatal error. */
const STACK = /^\s+at .*(\(|:\d+:\d+)|FATAL ERROR|Error: .*\n\s+at |node:internal/m;

export function hasStackTrace(text: string): boolean {
  return STACK.test(text);
}

/**
 * Runs `sim args...` in this process with `cwd` as the working directory and `env` added to the
 * environment; output is captured, not printed. POTSIM_PARALLEL_GC=1 keeps a sweep from running
 * itself again in a child (that child would be this test process).
 */
export async function runInProcess(args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<CliOutcome> {
  const env = { POTSIM_PARALLEL_GC: "1", ...extraEnv };
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  const oldCwd = process.cwd();
  const oldEnv: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    oldEnv[k] = process.env[k];
    process.env[k] = v;
  }
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  process.chdir(cwd);
  const t0 = performance.now();
  let code: number;
  try {
    code = await runCli(["node", "sim", ...args]);
  } finally {
    process.chdir(oldCwd);
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    for (const [k, v] of Object.entries(oldEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  return { code, stdout: out.join(""), stderr: err.join(""), wallMs: performance.now() - t0 };
}

/**
 * Runs the built `sim` as its own process (timeout in ms; a timed-out case gets code -1). With
 * `measure`, it runs under /usr/bin/time (when present) to report its peak resident memory.
 */
export function runProcess(args: readonly string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 20_000, measure = false): CliOutcome {
  const t0 = performance.now();
  const timed = measure && existsSync(TIME);
  const command = timed ? TIME : process.execPath;
  const argv = timed ? ["-f", "\n@potsim-maxrss-kb=%M", process.execPath, SIM, ...args] : [SIM, ...args];
  const r = spawnSync(command, argv, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "1", ...env },
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  let stderr = r.stderr ?? "";
  let rssBytes: number | undefined;
  const m = /\n?@potsim-maxrss-kb=(\d+)\n?$/.exec(stderr);
  if (timed && m !== null) {
    rssBytes = Number(m[1]) * 1024;
    stderr = stderr.slice(0, m.index);
    // time(1) prints "Command exited with non-zero status N" before its format line.
    stderr = stderr.replace(/Command (exited with non-zero status \d+|terminated by signal \d+)\n?$/, "");
  }
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr, wallMs: performance.now() - t0, rssBytes };
}

export function tempRoot(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `potsim-${prefix}-`));
}

/** Copies the shipped scenarios (with their sweeps/ folder, so `extends: ../x.yaml` works). */
export function copyScenarios(into: string): string {
  const dir = join(into, "scenarios");
  cpSync(join(ROOT, "scenarios"), dir, { recursive: true });
  return dir;
}

/**
 * Every entry under `dir` as `relative path -> kind:size:content-hash-ish`, skipping the subtrees in
 * `skip` (relative paths). Symbolic links are recorded, not followed.
 */
export function listTree(dir: string, skip: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (skip.some((s) => rel === s || rel.startsWith(`${s}${sep}`))) continue;
      const st = lstatSync(p);
      if (st.isDirectory()) {
        out.set(rel, "dir");
        walk(p);
      } else if (st.isFile()) {
        out.set(rel, `file:${st.size}:${st.size <= 1 << 16 ? readFileSync(p).toString("base64").slice(0, 64) : st.mtimeMs}`);
      } else out.set(rel, st.isSymbolicLink() ? "link" : "special");
    }
  };
  walk(dir);
  return out;
}

/** Paths added, removed or changed between two listings. */
export function treeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) changed.push(before.has(k) ? `changed ${k}` : `added ${k}`);
  for (const k of before.keys()) if (!after.has(k)) changed.push(`removed ${k}`);
  return changed.sort();
}

export function fresh(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export { existsSync };
