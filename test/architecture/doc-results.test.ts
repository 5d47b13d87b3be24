// docs/results.md documents every output: this runs a short world of each model through `sim run`'s
// writer (and a small sweep, with a shard) into temporary folders and checks that every CSV column and
// every JSON key they hold is named, in backticks, in the section of results.md about that file. An
// output added without its documentation fails here.
//
// Sections are found by heading: the file's name, optionally followed by " — <variant>" (`summary.json
// — pot`, `manifest.json — sweep`). Map-like summary keys are matched by their documented pattern:
// reports.rejectedByReason.<reason>, reports.inflated.coalition<i>.<field>.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCommand } from "../../src/cli/check-command.js";
import { runCommand } from "../../src/cli/run-command.js";
import { checkTraceOptions } from "../../src/cli/trace-command.js";
import { loadScenario } from "../../src/scenario/index.js";
import { runSweep } from "../../src/sweep/index.js";

const root = join(import.meta.dirname, "..", "..");
const doc = readFileSync(join(root, "docs", "results.md"), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "potsim-doc-results-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The text under the heading `name` or `name — variant` (backticks ignored), up to the next heading of its level or above. */
function section(name: string, variant?: string): string {
  const lines = doc.split("\n");
  const want = variant === undefined ? name : `${name} — ${variant}`;
  const start = lines.findIndex((l) => /^#{1,6}\s/.test(l) && l.replace(/^#+\s+/, "").replaceAll("`", "").trim() === want);
  if (start < 0) throw new Error(`docs/results.md has no heading "${want}"`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const h = /^#+/.exec(lines[i]!);
    if (h && h[0].length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join("\n");
}

/** Keys of a JSON value as dotted paths; lists and the `opaque` keys are leaves. */
function keyPaths(v: unknown, opaque: ReadonlySet<string>, prefix = ""): string[] {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return [prefix];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => {
    const p = prefix === "" ? k : `${prefix}.${k}`;
    return opaque.has(p) ? [p] : keyPaths(x, opaque, p);
  });
}

/** Documented form of a key: map entries by their pattern. */
function pattern(key: string): string {
  return key.replace(/^reports\.rejectedByReason\.[^.]+$/, "reports.rejectedByReason.<reason>").replace(/^reports\.inflated\.coalition\d+\./, "reports.inflated.coalition<i>.");
}

function missingIn(text: string, names: readonly string[]): string[] {
  return [...new Set(names.map(pattern))].filter((n) => !text.includes(`\`${n}\``));
}

function header(file: string): string[] {
  return readFileSync(file, "utf8").split("\n")[0]!.split(",");
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

const OPAQUE = new Set(["scenario", "sweep"]);

async function runFolder(scenario: string, sets: string[], until: number, traced = false): Promise<string> {
  const out = join(tmp, `${scenario.replace(/\W/g, "_")}${traced ? "_traced" : ""}`);
  const s = loadScenario(join(root, "scenarios", scenario), { overrides: sets });
  const trace = traced ? checkTraceOptions(s, { maxEvents: "500" }) : undefined;
  const saved = process.stderr.write;
  // A violation line would only be noise here; the outputs are what is checked.
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await runCommand(s, { out, until, charts: false, quiet: true, trace });
  } finally {
    process.stderr.write = saved;
  }
  return out;
}

describe("docs/results.md documents every output of sim run", () => {
  const models: Array<{ model: string; scenario: string; sets: string[]; until: number }> = [
    { model: "pbft", scenario: "partition.yaml", sets: [], until: 30 },
    // A scripted Byzantine replica adds script.csv.
    { model: "pbft", scenario: "attacks/m1-execute-on-prepared.yaml", sets: [], until: 8 },
    // The settlement rule adds its summary keys; byzantine.yaml has a coalition and an outage.
    { model: "pot", scenario: "byzantine.yaml", sets: ["economics.metaNodes.settleFraction=0.8"], until: 40 },
    { model: "phold", scenario: "phold.yaml", sets: [], until: 0.5 },
  ];
  for (const m of models) {
    it(`${m.model} (${m.scenario}): every table column and every summary, manifest and timing key`, async () => {
      const dir = await runFolder(m.scenario, m.sets, m.until);
      const files = readdirSync(dir).sort();
      const problems: string[] = [];
      for (const f of files.filter((x) => x.endsWith(".csv"))) {
        for (const c of missingIn(section(f), header(join(dir, f)))) problems.push(`${f}: column ${c}`);
      }
      const summary = readJson(join(dir, "summary.json")) as Record<string, unknown>;
      expect(summary.model).toBe(m.model);
      const allowed = section("summary.json", m.model) + section("summary.json", "every run");
      for (const k of missingIn(allowed, keyPaths(summary, OPAQUE))) problems.push(`summary.json: key ${k}`);
      for (const f of ["manifest.json", "timing.json"]) {
        for (const k of missingIn(section(f), keyPaths(readJson(join(dir, f)), OPAQUE))) problems.push(`${f}: key ${k}`);
      }
      for (const f of files.filter((x) => !/\.(csv|json)$/.test(x))) {
        if (!doc.includes(`\`${f}\``)) problems.push(`file ${f}`);
      }
      expect(problems).toEqual([]);
      // The model's row of the files table lists what it wrote.
      expect(files.filter((f) => f.endsWith(".csv")).length).toBeGreaterThan(0);
    });
  }
});

describe("docs/results.md documents the outputs of sim run --trace", () => {
  it("the trace file and every key of the manifest's trace block (a truncated trace: every key set)", async () => {
    const dir = await runFolder("partition.yaml", [], 30, true);
    const files = readdirSync(dir).sort();
    expect(files).toContain("trace.jsonl");
    const problems: string[] = [];
    const manifest = readJson(join(dir, "manifest.json")) as { trace: { truncated: boolean } };
    expect(manifest.trace.truncated).toBe(true);
    for (const k of missingIn(section("manifest.json"), keyPaths(manifest, OPAQUE))) problems.push(`manifest.json: key ${k}`);
    for (const k of missingIn(section("timing.json"), keyPaths(readJson(join(dir, "timing.json")), OPAQUE))) problems.push(`timing.json: key ${k}`);
    for (const f of files.filter((x) => !/\.(csv|json)$/.test(x))) if (!doc.includes(`\`${f}\``)) problems.push(`file ${f}`);
    expect(problems).toEqual([]);
  });
});

describe("docs/results.md documents every output of sim sweep", () => {
  it("runs.csv and aggregate.csv fixed columns, params, summary, manifest, timing and shard files", async () => {
    const spec = join(root, "scenarios", "sweeps", "pbft-loss.yaml");
    const sets = ["sweep.replicates=1", "until=5"];
    const out = join(tmp, "sweep");
    await runSweep(spec, { workers: 1, out, set: sets });
    const shard = join(tmp, "sweep-shard");
    await runSweep(spec, { workers: 1, out: shard, set: sets, shard: { index: 0, count: 2 } });

    const problems: string[] = [];
    const params = readJson(join(out, "params.json")) as { columns: string[] };
    const runs = header(join(out, "runs.csv"));
    // runs.csv: fixed and parameter columns are documented here; the rest are the model's summary keys.
    const fixed = runs.slice(0, runs.indexOf("replay") + 1).filter((c) => !params.columns.includes(c));
    for (const c of missingIn(section("runs.csv"), fixed)) problems.push(`runs.csv: column ${c}`);
    const metrics = runs.slice(runs.indexOf("replay") + 1);
    const pbftSummary = section("summary.json", "pbft") + section("summary.json", "every run");
    for (const c of missingIn(pbftSummary, metrics)) problems.push(`runs.csv: summary column ${c}`);
    const aggregate = header(join(out, "aggregate.csv")).filter((c) => !params.columns.includes(c));
    for (const c of missingIn(section("aggregate.csv"), aggregate)) problems.push(`aggregate.csv: column ${c}`);
    for (const [file, heading] of [
      ["params.json", section("params.json")],
      ["summary.json", section("summary.json", "sweep")],
      ["manifest.json", section("manifest.json", "sweep")],
      ["timing.json", section("timing.json", "sweep")],
    ] as const) {
      for (const k of missingIn(heading, keyPaths(readJson(join(out, file)), OPAQUE))) problems.push(`${file}: key ${k}`);
    }
    const shardKeys = keyPaths(readJson(join(shard, "shard.json")), OPAQUE);
    for (const k of missingIn(section("Shards and sim merge"), shardKeys)) problems.push(`shard.json: key ${k}`);
    for (const f of readdirSync(shard).filter((x) => !/\.(csv|json)$/.test(x))) {
      if (!doc.includes(`\`${f}\``)) problems.push(`file ${f}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("docs/results.md documents every output of sim check", () => {
  it("coverage.csv's columns and path names, the check folder's manifest keys", async () => {
    const out = join(tmp, "check");
    const file = join(root, "test", "fixtures", "coverage", "no-path.yaml");
    const pot = join(root, "scenarios", "byzantine.yaml");
    const code = await checkCommand([file, pot], { seeds: [1], checkDeterminism: false, workers: 1, set: ["until=3"], out, progress: false, env: {} });
    expect(code).toBe(0);
    const problems: string[] = [];
    const csv = join(out, "coverage.csv");
    for (const c of missingIn(section("coverage.csv"), header(csv))) problems.push(`coverage.csv: column ${c}`);
    const paths = readFileSync(csv, "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[2]!);
    expect(paths).toContain("report-rejected-bls-quorum-not-reached");
    const documented = paths.map((p) => p.replace(/^report-rejected-.*$/, "report-rejected-<reason>"));
    for (const p of missingIn(section("Coverage paths"), documented)) problems.push(`coverage path ${p}`);
    for (const k of missingIn(section("manifest.json", "check"), keyPaths(readJson(join(out, "manifest.json")), OPAQUE))) problems.push(`manifest.json: key ${k}`);
    expect(problems).toEqual([]);
  });
});

describe("the results check can fail", () => {
  it("reports an undocumented column and an undocumented key", () => {
    expect(missingIn(section("requests.csv"), ["client", "no_such_column"])).toEqual(["no_such_column"]);
    const keys = keyPaths({ model: "pbft", latency: { p50_s: 1, p42_s: 2 } }, OPAQUE);
    expect(missingIn(section("summary.json", "pbft"), keys)).toEqual(["latency.p42_s"]);
  });
});
