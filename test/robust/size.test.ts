// Issue 12, class 4: values that pass validation must not crash or run away later. Every number
// has a range (checked on the JSON Schema and by pushing every numeric key of the shipped
// scenarios to non-finite and huge values); the genesis must be fundable and prepays affordable
// (checked against the world's own genesis on generated economies); a run too large for the
// machine stops before it starts unless --force; a long run shows progress on a terminal and
// stops cleanly on Ctrl-C.

import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { checkRunSize, MAX_EVENTS } from "../../src/cli/size-guard.js";
import {
  estimateRunSize,
  jsonSchemaText,
  loadScenario,
  parseScenarioText,
  type ResolvedScenario,
  resolveScenario,
  ScenarioError,
} from "../../src/scenario/index.js";
import { WORLD_SETUP_EVENTS } from "../../src/scenario/estimate.js";
import { buildGenesis, epochCount, type EconomicsSection, type SybilSpec } from "../../src/world/pot/config.js";
import { hasStackTrace, listTree, removeScratch, ROOT, runInProcess, SIM, tempRoot } from "./harness.js";

afterAll(removeScratch);

type J = Record<string, unknown>;

/** Not a speed target (those are benchmarks): the issue's bound for "did not hang" (10 s per case). */
const HANG_MS = 10_000;

function* subschemas(s: J, at = "#"): Generator<[string, J]> {
  yield [at, s];
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, J>)) yield* subschemas(v, `${at}/properties/${k}`);
  if (s.items !== undefined) yield* subschemas(s.items as J, `${at}/items`);
  for (const kw of ["oneOf", "anyOf", "allOf"]) for (const [i, x] of ((s[kw] ?? []) as J[]).entries()) yield* subschemas(x, `${at}/${kw}/${i}`);
  if (typeof s.additionalProperties === "object") yield* subschemas(s.additionalProperties as J, `${at}/additionalProperties`);
}

const SHIPPED = readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => join(ROOT, "scenarios", f));

/** Every numeric leaf of a plain tree, as a dotted key path (list indexes as `[i]`). */
function numericPaths(v: unknown, at = ""): string[] {
  if (typeof v === "number") return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => numericPaths(x, `${at}[${i}]`));
  if (v !== null && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => numericPaths(x, at === "" ? k : `${at}.${k}`));
  return [];
}

describe("class 4: ranges", () => {
  it("every number in the JSON Schema has a lower and an upper bound", () => {
    const schema = JSON.parse(jsonSchemaText()) as J;
    const open: string[] = [];
    let numbers = 0;
    for (const [at, node] of subschemas(schema)) {
      if (node.type !== "number" && node.type !== "integer") continue;
      numbers++;
      const lower = node.minimum !== undefined || node.exclusiveMinimum !== undefined;
      const upper = node.maximum !== undefined || node.exclusiveMaximum !== undefined;
      if (!lower || !upper) open.push(at);
    }
    expect(numbers).toBeGreaterThan(100);
    expect(open).toEqual([]);
  });

  it("every numeric key of every shipped scenario refuses non-finite and huge values at its key", () => {
    let cases = 0;
    for (const file of SHIPPED) {
      const text = readFileSync(file, "utf8");
      const plain = parse(text) as J;
      for (const path of numericPaths(plain)) {
        if (path.startsWith("extends")) continue;
        for (const bad of [".nan", ".inf", "-.inf", "1e308", "-1e308"]) {
          cases++;
          let err: unknown;
          try {
            loadScenario(file, { overrides: [`${path}=${bad}`] });
          } catch (e) {
            err = e;
          }
          expect(err, `${file} ${path}=${bad}`).toBeInstanceOf(ScenarioError);
          const issue = (err as ScenarioError).errors.find((i) => i.file === "--set");
          expect(issue?.path, `${file} ${path}=${bad}: ${(err as Error).message}`).toBe(path.replace(/\.(\d+)(?=\.|$)/g, "[$1]"));
        }
      }
    }
    expect(cases).toBeGreaterThan(500);
  });

  it("a required section written as null is an error, not a crash when the world is built (found by the fuzz test)", () => {
    for (const [model, section] of [["pbft", "pbft"], ["pot", "pbft"], ["pot", "economics"]] as const) {
      const text = `model: ${model}\npbft: ${section === "pbft" ? "null" : "{ n: 4 }"}\neconomics: ${section === "economics" ? "null" : "{}"}\n`;
      expect(() => resolveScenario(parseScenarioText(text, "n.yaml")), `${model} ${section}`).toThrow(
        `${section}: must be a mapping when model is "${model}", got null`,
      );
    }
  });

  it("the kernel's pending-event limit is a validation error (PHOLD lps × init)", () => {
    expect(() => resolveScenario(parseScenarioText("model: phold\nphold: { lps: 10000000, init: 2 }\n", "p.yaml"))).toThrow(
      "p.yaml:2:31 phold.init: lps × init must be <= 16777216 (the kernel's pending-event limit), got 10000000 × 2 = 20000000",
    );
  });
});

/** A PoT scenario with the given economy, as YAML text. */
function economy(e: {
  genesis: "mainnet" | "default";
  meta: [number, number];
  nodes: [number, number];
  users: [number, number, number];
  sybils: [number, number, number][];
  epochs: number;
}): string {
  return stringify({
    model: "pot",
    until: e.epochs * 60,
    pbft: { n: 4 },
    economics: {
      genesis: e.genesis,
      epochLength: 60,
      metaNodes: { count: e.meta[0], depositStos: e.meta[1] },
      resourceNodes: { count: e.nodes[0], depositStos: e.nodes[1] },
      users: { initialStos: e.users[1], prepayStos: e.users[2] },
    },
    traffic: { users: [{ count: e.users[0], arrival: { model: "poisson", rate: 0.01 } }], catalog: { files: 10, replicas: 1 } },
    attacks: { sybils: e.sybils.map(([wallets, depositStos, budgetStos]) => ({ wallets, depositStos, budgetStos })) },
  });
}

describe("class 4: cross-field economics", () => {
  it("on 300 generated economies around the supply, validation refuses exactly what the world's genesis cannot fund", () => {
    const rng = seedrandom("funding");
    let refused = 0;
    for (let k = 0; k < 300; k++) {
      const budget = 61_000_000 * (0.5 + rng()); // around what the mainnet preset leaves to allocate
      const shares = [rng(), rng(), rng(), rng()];
      const sum = shares.reduce((a, b) => a + b, 0);
      const split = shares.map((x) => (x / sum) * budget);
      const meta = 1 + Math.floor(rng() * 20);
      const nodes = 1 + Math.floor(rng() * 5000);
      const users = 1 + Math.floor(rng() * 5000);
      const wallets = 1 + Math.floor(rng() * 50);
      const e = {
        genesis: rng() < 0.7 ? ("mainnet" as const) : ("default" as const),
        meta: [meta, Math.max(1e-6, Math.round((split[0]! / meta) * 1e6) / 1e6)] as [number, number],
        nodes: [nodes, Math.max(1e-6, Math.round((split[1]! / nodes) * 1e6) / 1e6)] as [number, number],
        users: [users, Math.max(1e-6, Math.round((split[2]! / users) * 1e6) / 1e6), 1e-6] as [number, number, number],
        sybils: [[wallets, 1, Math.max(1e-6, Math.round((split[3]! / 100) * 1e6) / 1e6)]] as [number, number, number][],
        epochs: 100,
      };
      let message: string | undefined;
      let resolved: ResolvedScenario | undefined;
      try {
        resolved = resolveScenario(parseScenarioText(economy(e), "eco.yaml"));
      } catch (err) {
        message = (err as Error).message;
      }
      const s = (resolved ?? loadUnchecked(economy(e))) as unknown as { economics: EconomicsSection; until: number; attacks: { sybils: SybilSpec[] } };
      let worldThrew = false;
      try {
        buildGenesis(s.economics, e.users[0], s.attacks.sybils, epochCount(s.economics, s.until));
      } catch {
        worldThrew = true;
      }
      expect(message !== undefined, `${JSON.stringify(e)}: ${message}`).toBe(worldThrew);
      if (message !== undefined) {
        refused++;
        expect(message).toMatch(/genesis allocations of [\d,.]+ STOS exceed the initial supply of 100,000,000 STOS: foundation mining pool/);
        expect(message).toMatch(/^eco\.yaml:\d+:\d+ (economics\.(metaNodes|resourceNodes)\.depositStos|economics\.users\.initialStos|attacks\.sybils\[0\]\.(depositStos|budgetStos)): /);
      }
    }
    expect(refused).toBeGreaterThan(50);
    expect(refused).toBeLessThan(250);
  });

  it("a prepay larger than what users ever hold is an error naming both keys (and fine without users)", () => {
    const text = economy({ genesis: "mainnet", meta: [7, 100], nodes: [10, 10], users: [5, 1, 2], sybils: [], epochs: 10 });
    expect(() => resolveScenario(parseScenarioText(text, "eco.yaml"))).toThrow(
      /eco\.yaml:\d+:\d+ economics\.users\.prepayStos: must be <= economics\.users\.initialStos \(1\), got 2: a user holds only its initial STOS/,
    );
    const noUsers = text.replace(/count: 5\n/, "count: 0\n");
    expect(resolveScenario(parseScenarioText(noUsers, "eco.yaml")).economics?.users.prepayStos).toBe(2);
  });

  it("deposits below one micro-STOS (0 wei once rounded) are refused", () => {
    for (const key of ["metaNodes.depositStos", "resourceNodes.depositStos", "users.initialStos", "users.prepayStos"]) {
      const text = economy({ genesis: "mainnet", meta: [7, 100], nodes: [10, 10], users: [5, 10, 1], sybils: [], epochs: 10 });
      expect(() => loadScenarioText(text, [`economics.${key}=4e-7`]), key).toThrow(new RegExp(`economics\\.${key.replace(".", "\\.")}: must be >= 0\\.000001, got 4e-7`));
    }
  });
});

/** The scenario as plain data after defaults, without cross-section checks (for the world comparison). */
function loadUnchecked(text: string): unknown {
  const plain = parse(text) as { economics: J; attacks: { sybils: J[] }; until: number };
  const e = plain.economics as J;
  return {
    until: plain.until,
    economics: { ...e, strictSigners: false, gateways: 2, reportEntryBytes: 48, txBytes: 256, users: { ...(e.users as J), refillEpochs: 6 } },
    attacks: { sybils: plain.attacks.sybils.map((s) => ({ files: 1, fromEpoch: 1, ...s })) },
  };
}

function loadScenarioText(text: string, sets: string[]): ResolvedScenario {
  const dir = tempRoot("eco");
  writeFileSync(join(dir, "eco.yaml"), text);
  return loadScenario(join(dir, "eco.yaml"), { overrides: sets });
}

describe("class 4: estimated size", () => {
  const oversized: [string, string, RegExp][] = [
    ["phold", "model: phold\nphold: { lps: 10000000, init: 1 }\n", /phold\.lps × phold\.init: pending events \(10000000 × 1\)/],
    ["pbft", "model: pbft\npbft: { n: 64, clients: { count: 100000, requests: 100000 } }\n", /pbft\.clients\.count × pbft\.clients\.requests: requests/],
    [
      "pot",
      "model: pot\nuntil: 60000000\npbft: { n: 4 }\neconomics: { epochLength: 1, epochs: 50000000, resourceNodes: { count: 100 }, users: { initialStos: 1, prepayStos: 1 } }\n",
      /economics\.epochs × active wallets: epochs \(50000000\)/,
    ],
  ];
  for (const [model, text, term] of oversized) {
    it(`a ${model} run too large for the machine stops before it starts, naming the keys and the estimate`, async () => {
      const cwd = tempRoot("size");
      writeFileSync(join(cwd, "big.yaml"), text);
      const t0 = performance.now();
      const r = await runInProcess(["run", "big.yaml", "--no-charts"], cwd, { POTSIM_MEMORY_LIMIT: "1G" });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^big\.yaml: estimated peak memory [\d.]+ GB exceeds what this machine can hold \(1\.0 GB, POTSIM_MEMORY_LIMIT\)\. Largest parts:\n/);
      expect(r.stderr).toMatch(term);
      expect(r.stderr).toMatch(/Reduce these keys, or pass --force to run anyway\.\n$/);
      expect(performance.now() - t0).toBeLessThan(HANG_MS);
      expect(readdirSync(cwd)).toEqual(["big.yaml"]);
    });
  }

  it("memory reserved when the world is built counts in full even when maxEvents stops the run early (found by the fuzz test)", () => {
    // tokenomics.yaml with 0.5-second epochs: 63 M epoch rows are reserved at the start (25 GB).
    const s = loadScenario(join(ROOT, "scenarios", "tokenomics.yaml"), { overrides: ["economics.epochLength=0.5", "maxEvents=10000"] });
    const est = estimateRunSize(s);
    expect(est.memoryBytes).toBeGreaterThan(25e9);
    expect(est.terms[0]!.what).toBe("epoch rows reserved at the start (63072120 epochs)");
    expect(() => checkRunSize(s, { label: "t.yaml", env: {} })).toThrow(/^t\.yaml: estimated peak memory 2\d\.\d GB exceeds what this machine can hold/);
  });

  it("sim tune: candidates at the parameters' bounds are sized before the study starts (exit 2, nothing written)", async () => {
    const cwd = tempRoot("size-tune");
    // resourceNodes.count tuned up to 60,000 nodes: the upper corner does not fit in 200 MB
    writeFileSync(
      join(cwd, "t.yaml"),
      `extends: ${JSON.stringify(join(ROOT, "scenarios", "tune", "pot-short.yaml"))}\ntune:\n  params:\n    economics.resourceNodes.count: { min: 10, max: 60000, integer: true }\n  objective: { maximize: supplyOk }\n  budget: 4\n`,
    );
    const refused = await runInProcess(["tune", "t.yaml", "--workers", "1", "--no-charts"], cwd, { POTSIM_MEMORY_LIMIT: "200M" });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^t\.yaml \(candidates at the upper bounds, 4 evaluations × 1 replicates\): estimated peak memory [\d.]+ [MG]B/);
    expect(refused.stderr).toMatch(/economics\.resourceNodes\.count/);
    expect([...listTree(cwd).keys()]).toEqual(["t.yaml"]);
  });

  it("--force runs what the guard would stop; the machine's own budget is used without the variable", async () => {
    const cwd = tempRoot("size");
    writeFileSync(join(cwd, "t.yaml"), "model: phold\nuntil: 1\nphold: { lps: 10, init: 1 }\n");
    const refused = await runInProcess(["run", "t.yaml", "--no-charts"], cwd, { POTSIM_MEMORY_LIMIT: "10M" });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/exceeds what this machine can hold \(10 MB, POTSIM_MEMORY_LIMIT\)/);
    expect((await runInProcess(["run", "t.yaml", "--no-charts", "--force"], cwd, { POTSIM_MEMORY_LIMIT: "10M" })).code).toBe(0);
    expect((await runInProcess(["run", "t.yaml", "--no-charts", "--out", "o2"], cwd)).code).toBe(0);
    const bad = await runInProcess(["run", "t.yaml", "--no-charts"], cwd, { POTSIM_MEMORY_LIMIT: "lots" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('POTSIM_MEMORY_LIMIT must be a size such as 800M or 4G, got "lots"\n');
  });

  it("sweeps and checks add up their tasks: kept results for memory, every task's events", async () => {
    const cwd = tempRoot("size");
    writeFileSync(join(cwd, "s.yaml"), "model: phold\nuntil: 1\nphold: { lps: 10, init: 1 }\nsweep: { grid: { phold.init: [1, 2] }, replicates: 100000 }\n");
    const memory = await runInProcess(["sweep", "s.yaml", "--workers", "1", "--no-charts"], cwd, { POTSIM_MEMORY_LIMIT: "1G" });
    expect(memory.code).toBe(2);
    // Checked before any of the 200,000 tasks' points is resolved, with the base scenario standing for them.
    expect(memory.stderr).toMatch(/^s\.yaml \(2 points × 100000 replicates\): estimated peak memory 1\.9 GB \(1 run at once × \d+ MB \+ results of 200000 tasks\) exceeds what this machine can hold \(1\.0 GB, POTSIM_MEMORY_LIMIT\)\. Largest parts:\n +1\.9 GB {2}tasks: results of 200000 tasks kept until the end and 2 planned points\n/);
    const events = await runInProcess(["sweep", "s.yaml", "--workers", "1", "--no-charts", "--set", "sweep.replicates=1000"], cwd, { POTSIM_MAX_EVENTS: "1e4" });
    expect(events.code).toBe(2);
    expect(events.stderr).toMatch(/^s\.yaml \(2 points × 1000 replicates\): estimated 1\.0e\+7 kernel events \(2000 tasks × 5009\), more than 10000 \(POTSIM_MAX_EVENTS\)/);
    // A design of many points is stopped before its points are resolved.
    const t0 = performance.now();
    const huge = await runInProcess(["sweep", "s.yaml", "--workers", "1", "--no-charts", "--set", "sweep={lhs: {samples: 1000000, params: {phold.remote: {min: 0, max: 1}}}}"], cwd, { POTSIM_MEMORY_LIMIT: "1G" });
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/^s\.yaml \(1000000 points × 1 replicates\): estimated peak memory 15\.\d GB/);
    expect(performance.now() - t0).toBeLessThan(HANG_MS);
    const check = await runInProcess(["check", "s.yaml", "--seeds", "1..100000", "--workers", "0"], cwd, { POTSIM_MAX_EVENTS: "1e5" });
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/^s\.yaml: estimated 5\.0e\+8 kernel events \(100000 tasks × 5009\), more than 100000 \(POTSIM_MAX_EVENTS\)/);
    expect(readdirSync(cwd)).toEqual(["s.yaml"]);
    const bad = await runInProcess(["run", "s.yaml"], cwd, { POTSIM_MAX_EVENTS: "-3" });
    expect(bad.stderr).toBe('POTSIM_MAX_EVENTS must be a positive number such as 5e6, got "-3"\n');
  });

  it("a run of more kernel events than a week of computing is refused too", () => {
    const s = resolveScenario(parseScenarioText("model: phold\nuntil: 1000000000\nphold: { lps: 1000, init: 16 }\n", "p.yaml"));
    expect(() => checkRunSize(s, { label: "p.yaml", env: {} })).toThrow(/^p\.yaml: estimated 1\.5e\+13 kernel events, more than 1\.0e\+11/);
    expect(estimateRunSize(s).events).toBeGreaterThan(MAX_EVENTS);
    // maxEvents bounds it (plus building and summarising the world).
    const capped = resolveScenario(parseScenarioText("model: phold\nuntil: 1000000000\nmaxEvents: 1000000\nphold: { lps: 1000, init: 16 }\n", "p.yaml"));
    expect(checkRunSize(capped, { label: "p.yaml", env: {} }).events).toBe(1_000_000 + WORLD_SETUP_EVENTS);
  });

  it("the event estimate is at or above the measured count of the shipped runs, within 30×", () => {
    // Measured events of the baseline outputs (scenario, --until, events).
    const measured: [string, number | undefined, number][] = [
      ["byzantine.yaml", undefined, 26_197],
      ["partition.yaml", undefined, 23_175],
      ["tokenomics.yaml", 2_400_000, 376_847],
    ];
    for (const [file, until, events] of measured) {
      const est = estimateRunSize(loadScenario(join(ROOT, "scenarios", file)), until === undefined ? {} : { until }).events;
      expect(est, file).toBeGreaterThanOrEqual(events);
      expect(est, file).toBeLessThan(30 * events);
    }
  });
});

describe("class 4: a long run on a terminal", () => {
  it("shows progress and stops cleanly on Ctrl-C: exit 130, nothing written", async () => {
    const cwd = tempRoot("tty");
    writeFileSync(join(cwd, "long.yaml"), "model: phold\nname: longrun\nuntil: 100000\nphold: { lps: 1000, init: 16 }\n");
    const env = { ...process.env };
    delete env.CI;
    // `script` gives the run a terminal; writing ^C to it is a real Ctrl-C (SIGINT from the terminal).
    const child = spawn("script", ["-qfec", `${process.execPath} ${SIM} run long.yaml --no-charts`, "/dev/null"], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
    const t0 = Date.now();
    while (!/\[[#.]+\] \d+%/.test(out) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/long\.yaml: a long run \(about 1\.5e\+9 events, roughly \d+ min\); Ctrl-C stops it without writing anything/);
    expect(out).toMatch(/run longrun \[[#.]+\] \d+%( eta \d+s)? \d+ events/);
    const stopAt = Date.now();
    child.stdin.write("\x03");
    const code = await exited;
    expect(code).toBe(130);
    expect(Date.now() - stopAt).toBeLessThan(HANG_MS);
    expect(out).toMatch(/interrupted: long\.yaml stopped before the end; nothing was written/);
    expect(hasStackTrace(out)).toBe(false);
    expect(existsSync(join(cwd, "results"))).toBe(false);
    expect([...listTree(cwd).keys()]).toEqual(["long.yaml"]);
  });
});
