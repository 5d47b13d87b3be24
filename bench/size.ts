// `npm run bench -- size`: calibration of the estimated-size guard (src/scenario/estimate.ts). Each
// case (a shipped scenario with overrides that scale one dimension) is a real `sim run --no-charts`
// in a fresh process under /usr/bin/time (its peak resident memory, everything the guard protects:
// start-up, world, run, writing the folder); the table shows events and memory next to the
// estimate, with the ratios estimate / measured. The estimate should be near or above the
// measurement for memory where it matters (hundreds of MB and up) and is meant as an upper bound
// for events. `--quick` runs the smaller cases.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimateRunSize, loadScenario } from "../src/scenario/index.js";
import { packageRoot } from "../src/sweep/version.js";

interface Case {
  file: string;
  sets: string[];
  /** Among the quick cases. */
  quick: boolean;
}

const CASES: Case[] = [
  { file: "phold.yaml", sets: ["phold.lps=100000", "phold.init=16", "until=1"], quick: true },
  { file: "phold.yaml", sets: ["phold.lps=1000000", "phold.init=8", "until=0.2"], quick: false },
  { file: "phold.yaml", sets: ["phold.lps=100000", "phold.init=100", "until=0.2"], quick: false },
  { file: "baseline.yaml", sets: ["pbft.n=4", "pbft.clients.requests=10000", "until=100000"], quick: true },
  { file: "baseline.yaml", sets: ["pbft.n=16", "pbft.clients.requests=2500", "until=100000"], quick: true },
  { file: "baseline.yaml", sets: ["pbft.n=64", "pbft.clients.requests=20", "until=100000"], quick: true },
  { file: "baseline.yaml", sets: ["pbft.n=4", "pbft.clients.count=1000", "until=100000"], quick: false },
  { file: "byzantine.yaml", sets: [], quick: true },
  { file: "byzantine.yaml", sets: ["until=3000", "economics.epochs=280"], quick: true },
  { file: "tokenomics.yaml", sets: ["economics.epochs=2000"], quick: true },
  { file: "tokenomics.yaml", sets: ["economics.epochs=2000", "economics.resourceNodes.count=10000"], quick: false },
  { file: "tokenomics.yaml", sets: ["economics.epochs=8000"], quick: false },
  { file: "tokenomics.yaml", sets: ["economics.epochs=2000", "traffic.users[0].count=50000"], quick: false },
  { file: "tokenomics.yaml", sets: [], quick: false },
];

const TIME = "/usr/bin/time";

/** Runs `sim run` on the case; its events (from its output line) and peak RSS in bytes. */
function measure(file: string, sets: readonly string[]): { events: number; rssBytes: number } {
  const out = mkdtempSync(join(tmpdir(), "potsim-size-bench-"));
  try {
    const args = ["-f", "@maxrss-kb=%M", process.execPath, join(packageRoot, "dist", "src", "cli", "main.js"), "run", file];
    for (const set of sets) args.push("--set", set);
    args.push("--out", join(out, "run"), "--no-charts", "--force");
    const r = spawnSync(TIME, args, { encoding: "utf8", env: { ...process.env, CI: "1" } });
    const events = /events=(\d+)/.exec(r.stdout)?.[1];
    const kb = /@maxrss-kb=(\d+)/.exec(r.stderr)?.[1];
    if (events === undefined || kb === undefined) throw new Error(`${file} ${sets.join(" ")}: ${r.stderr}`);
    return { events: Number(events), rssBytes: Number(kb) * 1024 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const mb = (b: number) => `${Math.round(b / 2 ** 20)}`;

export function runSizeBench(opts: { quick: boolean }): string {
  if (!existsSync(TIME)) throw new Error(`${TIME} is needed to measure peak memory`);
  const lines = ["case | events measured / estimated (ratio) | peak MB measured / estimated (ratio)", "--- | --- | ---"];
  for (const c of CASES.filter((x) => x.quick || !opts.quick)) {
    const file = join(packageRoot, "scenarios", c.file);
    const est = estimateRunSize(loadScenario(file, { overrides: c.sets }));
    const m = measure(file, c.sets);
    lines.push(
      `${c.file} ${c.sets.join(" ")} | ${m.events} / ${Math.round(est.events)} (${(est.events / m.events).toFixed(2)}) | ` +
        `${mb(m.rssBytes)} / ${mb(est.memoryBytes)} (${(est.memoryBytes / m.rssBytes).toFixed(2)})`,
    );
  }
  return lines.join("\n");
}
