// `npm run bench -- size`: calibration of the estimated-size guard (src/scenario/estimate.ts). Each
// case (a shipped scenario with overrides that scale one dimension) runs in a fresh process, which
// reports its kernel events and peak resident memory; the table shows them next to the estimate
// and the ratios estimate / measured. The estimate should be at or above the measurement (ratio
// >= 1) and not far above (about 3× at most), for memory where it matters (hundreds of MB and up).
// `--quick` runs the smaller half of the cases.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { estimateRunSize, loadScenario } from "../src/scenario/index.js";
import { runScenario } from "../src/world/run.js";
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

/** In the child: run the scenario and print events and peak RSS (bytes) as JSON. */
export function measureChild(file: string, sets: string[]): void {
  const s = loadScenario(file, { overrides: sets });
  const r = runScenario(s);
  console.log(JSON.stringify({ events: r.events, rssBytes: process.resourceUsage().maxRSS * 1024 }));
}

const mb = (b: number) => `${Math.round(b / 2 ** 20)}`;

export function runSizeBench(opts: { quick: boolean }): string {
  const lines = ["case | events measured / estimated (ratio) | peak MB measured / estimated (ratio)", "--- | --- | ---"];
  for (const c of CASES.filter((x) => x.quick || !opts.quick)) {
    const file = join(packageRoot, "scenarios", c.file);
    const est = estimateRunSize(loadScenario(file, { overrides: c.sets }));
    const r = spawnSync(process.execPath, [join(packageRoot, "dist", "bench", "main.js"), "size-child", file, ...c.sets], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${c.file} ${c.sets.join(" ")}: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { events: number; rssBytes: number };
    lines.push(
      `${c.file} ${c.sets.join(" ")} | ${m.events} / ${Math.round(est.events)} (${(est.events / m.events).toFixed(2)}) | ` +
        `${mb(m.rssBytes)} / ${mb(est.memoryBytes)} (${(est.memoryBytes / m.rssBytes).toFixed(2)})`,
    );
  }
  return lines.join("\n");
}
