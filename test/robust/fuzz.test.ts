// Seeded fuzz test of the whole CLI on hostile and extreme input (issue 12): a few hundred
// mutated copies of the shipped scenarios and sweep files, run with hostile arguments. Every case
// must end with exit 0, 1 or 2 — never an internal error (3), a stack trace, a hang (> 10 s) or
// more than 1 GB — and write nothing outside its results folder and its --out folder: the user's
// folder next to it and the scenario files stay as they were, and no temporary folder is left.
// Most cases run in this process (runCli); about 2.5% run as the real `sim` process (under
// /usr/bin/time, for their exact peak memory). POTSIM_FUZZ_CASES=5000 (and POTSIM_FUZZ_SEED) run a
// longer campaign; give it NODE_OPTIONS=--max-old-space-size=600 so that this process's own
// garbage does not count as a case's memory (V8 grows the heap lazily over thousands of cases).

import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fuzzCase } from "./fuzz-cases.js";
import { copyScenarios, hasStackTrace, listTree, runInProcess, runProcess, tempRoot, treeChanges } from "./harness.js";

const CASES = Number(process.env.POTSIM_FUZZ_CASES ?? 250);
const SEED = process.env.POTSIM_FUZZ_SEED ?? "potsim-fuzz-1";
const CASE_LIMIT_MS = 10_000;
const RSS_LIMIT_BYTES = 1024 ** 3;
/**
 * Keeps every case small enough for the suite: the size guard refuses what would need more memory
 * or events (the guard's own limits are tested in size.test.ts). A refusal is exit 2, as for any
 * user whose machine is smaller than the run.
 */
const ENV = { POTSIM_MEMORY_LIMIT: "400M", POTSIM_MAX_EVENTS: "1e6", CI: "1" };

let root: string;
let crashDir: string;
let shared: string;
const oldTmp = process.env.TMPDIR;

beforeAll(() => {
  root = tempRoot("fuzz");
  crashDir = join(root, "crash-reports");
  mkdirSync(crashDir);
  // Crash reports (there must be none) land here instead of the machine's temp folder.
  process.env.TMPDIR = crashDir;
  // The shipped scenarios and the special files `extends` may point at, made once for all cases.
  shared = join(root, "shared");
  const scen = copyScenarios(shared);
  for (const sub of [scen, join(scen, "sweeps")]) {
    writeFileSync(join(sub, "empty.yaml"), "# nothing\n");
    writeFileSync(join(sub, "list.yaml"), "- a\n- b\n");
    writeFileSync(join(sub, "self.yaml"), "extends: self.yaml\nmodel: phold\n");
    symlinkSync("loop.yaml", join(sub, "loop.yaml"));
    execFileSync("mkfifo", [join(sub, "fifo.yaml")]);
  }
});

afterAll(() => {
  if (oldTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = oldTmp;
  rmSync(root, { recursive: true, force: true });
});

/**
 * A case folder (the working directory): `scenarios` (a link to the shared copy, where the mutated
 * file is written) and a user's folder with a file of theirs.
 */
function setUp(dir: string, file: string, text: string, extra: Record<string, string>): void {
  mkdirSync(join(dir, "user"), { recursive: true });
  writeFileSync(join(dir, "user", "notes.txt"), "the user's own file\n");
  symlinkSync(join(shared, "scenarios"), join(dir, "scenarios"));
  writeFileSync(join(shared, file), text);
  for (const [p, t] of Object.entries(extra)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
}

it(`${CASES} hostile cases: exit 0/1/2, no stack trace, no write outside the output folders, < 10 s, < 1 GB`, async () => {
  const failures: string[] = [];
  const codes = new Map<number, number>();
  let slowest = 0;
  const t0 = performance.now();
  for (let id = 0; id < CASES; id++) {
    const c = fuzzCase(SEED, id);
    const dir = join(root, `case-${id}`);
    setUp(dir, c.file, c.text, c.extra);
    const allowed = ["results", ...c.outs];
    const before = listTree(root, allowed.map((o) => join(`case-${id}`, o)));
    const r = c.spawn ? runProcess(c.args, dir, ENV, 30_000, true) : await runInProcess(c.args, dir, ENV);
    const after = listTree(root, allowed.map((o) => join(`case-${id}`, o)));
    const what = `case ${id} [${c.notes.join("; ")}] sim ${c.args.map((a) => (a.length > 60 ? `${a.slice(0, 57)}...` : a)).join(" ")}`;
    codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    if (process.env.POTSIM_FUZZ_VERBOSE) console.log(`${what}\n  -> ${r.code} ${(r.wallMs / 1000).toFixed(2)}s ${r.stderr.split("\n")[0]?.slice(0, 200)}`);
    slowest = Math.max(slowest, r.wallMs);
    if (![0, 1, 2].includes(r.code)) failures.push(`${what}: exit ${r.code}: ${r.stderr.slice(0, 400)}`);
    if (hasStackTrace(r.stdout + r.stderr)) failures.push(`${what}: stack trace: ${r.stderr.slice(0, 600)}`);
    if (r.wallMs > CASE_LIMIT_MS) failures.push(`${what}: took ${(r.wallMs / 1000).toFixed(1)} s`);
    const changes = treeChanges(before, after).filter((x) => !/crash-reports/.test(x));
    if (changes.length > 0) failures.push(`${what}: wrote outside its output folders: ${changes.slice(0, 5).join(", ")}`);
    // Temporary folders of the writer must not survive a finished case.
    const leftovers = listTree(dir).keys();
    for (const p of leftovers) if (/(^|\/)\.[^/]+\.(tmp|old)-\d+$/.test(p)) failures.push(`${what}: left ${p}`);
    // A case run as its own process is measured exactly; in-process cases are bounded by the peak of
    // this whole test process (so no case, nor all of them together, went over the limit).
    const rss = r.rssBytes ?? process.resourceUsage().maxRSS * 1024;
    if (rss > RSS_LIMIT_BYTES) failures.push(`${what}: peak memory ${(rss / 2 ** 20).toFixed(0)} MB`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(shared, c.file), { force: true });
    if (failures.length >= 10) break;
  }
  const crashes = readdirSync(crashDir);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `fuzz: ${CASES} cases in ${seconds.toFixed(1)} s (slowest ${(slowest / 1000).toFixed(2)} s); exit codes ${JSON.stringify(Object.fromEntries(codes))}`,
  );
  expect(failures).toEqual([]);
  expect(crashes).toEqual([]);
}, 60_000 + CASES * 2_000);
