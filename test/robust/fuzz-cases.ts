// Seeded generator of hostile CLI cases built from the shipped scenarios: each case copies a
// scenario (or sweep file), mutates it (type swaps, deletions, extreme and non-finite numbers,
// scaled-up counts, aliases, tags, unicode, long strings, hostile names and extends paths, sweep
// blocks with bad keys) and picks a command with hostile arguments (--set values, --seed,
// --until, --out, --workers, --seeds). The same seed gives the same cases.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { parse, stringify } from "yaml";
import { ROOT } from "./harness.js";

export interface FuzzCase {
  readonly id: number;
  /** What was done, for failure messages. */
  readonly notes: string[];
  /** The mutated scenario, relative to the case folder, and its text. */
  readonly file: string;
  readonly text: string;
  readonly args: string[];
  /** Relative paths (besides `results`) where the case may write: its --out and that folder's `.partial`. */
  readonly outs: string[];
  /** Run as a real process (slower), to check the process-level behaviour too. */
  readonly spawn: boolean;
  /** More files to create in the case folder (relative path → text), e.g. damaged results folders. */
  readonly extra: Record<string, string>;
}

const BASES = [
  "scenarios/byzantine.yaml",
  "scenarios/baseline.yaml",
  "scenarios/partition.yaml",
  "scenarios/beyond-f.yaml",
  "scenarios/tokenomics.yaml",
  "scenarios/phold.yaml",
  "scenarios/mutation-hunt.yaml",
  "scenarios/mutation-hunt-n5.yaml",
  "scenarios/sweeps/pbft-loss.yaml",
  "scenarios/sweeps/tokenomics-tax.yaml",
];

type Rng = () => number;
type Plain = unknown;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

const EXTREME_NUMBERS: readonly number[] = [
  0,
  -1,
  -0.5,
  1e-300,
  1e-9,
  0.5,
  1e9,
  1e15,
  2 ** 31,
  2 ** 32 + 1,
  2 ** 53 + 2,
  1e21,
  1e300,
  -1e300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

const UNICODE = ["\u202e\u0645\u0631\u062d\u0628\u0627", "💥🚀", "e\u0301\u0301\u0301", "zero\u200bwidth", "nul\u0000byte", "tab\tand\nnewline", "\uFEFFbom", "\\x00\\u0000"];

const HOSTILE_NAMES = [
  "../escape",
  "../../escape-2",
  "/tmp/potsim-fuzz-absolute",
  "a/b",
  "..",
  ".",
  "",
  " ",
  "-rf",
  ".hidden",
  "x".repeat(300),
  "con",
  "name\nwith newline",
  "\u202eevil",
  "🚀",
  "results",
  "..\\..\\win",
];

/** extends targets; FIFO and folder ones are created by the runner. */
const HOSTILE_EXTENDS = [
  "/dev/zero",
  "/dev/urandom",
  "/dev/null",
  "/proc/self/status",
  "/etc/passwd",
  "/bin/sh",
  "/",
  ".",
  "..",
  "missing.yaml",
  "a".repeat(5000),
  "../user",
  "../user/notes.txt",
  "fifo.yaml",
  "loop.yaml",
  "self.yaml",
  "empty.yaml",
  "list.yaml",
];

const HOSTILE_SETS = [
  "until=-5",
  "until=.inf",
  "until=1e300",
  "seed=1e300",
  "seed=-1",
  "seed=9007199254740993",
  "name=../../escape-set",
  "name=/abs",
  "__proto__.x=1",
  "__proto__=1",
  "constructor.prototype=1",
  "a=&x [*x]",
  "network=!!binary aGVsbG8=",
  "network.latency=!foo 3",
  "pbft.faults[99999999]={type: crash, replica: 0}",
  "pbft.faults.0.replica=99",
  "=",
  "",
  "x",
  "...=1",
  "a..b=1",
  "phold.lps=9999999",
  "phold.init=1000000",
  "economics.epochs=100000000",
  "economics.resourceNodes.count=10000000",
  "traffic.users[0].count=10000000",
  "pbft.n=512",
  "pbft.clients.requests=1000000000",
  "economics.users.prepayStos=1e8",
  "economics.metaNodes.depositStos=1e8",
  "network.latency={model: pareto, scale: 1e-300, shape: 0.1}",
  "network.loss=1",
  "network.duplicate=1",
  "maxEvents=0",
  "sweep.grid.__proto__=[1, 2]",
  "sweep.grid={phold.lsp: [1, 2]}",
  "sweep.replicates=1000000000",
  `k${"e".repeat(10_000)}=1`,
  `description=${"d".repeat(20_000)}`,
  "phold.lps=[1, 2]",
  "model=pot",
  "model=phold",
  "extends=/dev/zero",
];

/** All paths to leaves and inner nodes of a plain tree. */
function paths(v: Plain, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) paths(v[i], [...at, i], out);
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  out.push(at);
  return out;
}

function getAt(v: Plain, path: readonly (string | number)[]): Plain {
  let cur = v;
  for (const seg of path) cur = (cur as Record<string | number, Plain>)?.[seg];
  return cur;
}

function setAt(v: Plain, path: readonly (string | number)[], value: Plain): Plain {
  if (path.length === 0) return value;
  const parent = getAt(v, path.slice(0, -1));
  if (parent !== null && typeof parent === "object") (parent as Record<string | number, Plain>)[path.at(-1)!] = value;
  return v;
}

function deleteAt(v: Plain, path: readonly (string | number)[]): Plain {
  if (path.length === 0) return {};
  const parent = getAt(v, path.slice(0, -1));
  if (Array.isArray(parent)) parent.splice(Number(path.at(-1)), 1);
  else if (parent !== null && typeof parent === "object") delete (parent as Record<string, Plain>)[String(path.at(-1))];
  return v;
}

function randomValue(rng: Rng): Plain {
  return pick(rng, [
    () => pick(rng, EXTREME_NUMBERS),
    () => "a string",
    () => true,
    () => null,
    () => [1, "two", null],
    () => ({ model: "constant", nested: { deeper: [] } }),
    () => pick(rng, UNICODE),
    () => "y".repeat(Math.floor(10 ** (2 + rng() * 4))),
  ])();
}

/** One mutation of the parsed tree; returns a note. */
function mutateTree(rng: Rng, doc: { v: Plain }): string {
  const all = paths(doc.v).filter((p) => p.length > 0);
  const numeric = all.filter((p) => typeof getAt(doc.v, p) === "number");
  const strings = all.filter((p) => typeof getAt(doc.v, p) === "string");
  const kind = pick(rng, ["swap", "delete", "extreme", "extreme", "scale", "unicode", "long", "name", "extends", "sweep", "key"] as const);
  switch (kind) {
    case "swap": {
      const p = pick(rng, all);
      doc.v = setAt(doc.v, p, randomValue(rng));
      return `swap ${p.join(".")}`;
    }
    case "delete": {
      const p = pick(rng, all);
      doc.v = deleteAt(doc.v, p);
      return `delete ${p.join(".")}`;
    }
    case "extreme": {
      if (numeric.length === 0) return "extreme (none)";
      const p = pick(rng, numeric);
      const x = pick(rng, EXTREME_NUMBERS);
      doc.v = setAt(doc.v, p, x);
      return `extreme ${p.join(".")}=${x}`;
    }
    case "scale": {
      if (numeric.length === 0) return "scale (none)";
      const p = pick(rng, numeric);
      const f = 10 ** Math.floor(1 + rng() * 6);
      doc.v = setAt(doc.v, p, (getAt(doc.v, p) as number) * f);
      return `scale ${p.join(".")}×${f}`;
    }
    case "unicode": {
      const p = strings.length > 0 && rng() < 0.7 ? pick(rng, strings) : pick(rng, all);
      doc.v = setAt(doc.v, p, pick(rng, UNICODE));
      return `unicode ${p.join(".")}`;
    }
    case "long": {
      const p = strings.length > 0 ? pick(rng, strings) : pick(rng, all);
      doc.v = setAt(doc.v, p, "L".repeat(Math.floor(10 ** (3 + rng() * 3))));
      return `long ${p.join(".")}`;
    }
    case "name": {
      const n = pick(rng, HOSTILE_NAMES);
      doc.v = setAt(doc.v, ["name"], n);
      return `name=${JSON.stringify(n.slice(0, 40))}`;
    }
    case "extends": {
      const e = pick(rng, HOSTILE_EXTENDS);
      doc.v = setAt(doc.v, ["extends"], e);
      return `extends=${e.slice(0, 40)}`;
    }
    case "sweep": {
      const s = pick(rng, [
        { grid: { "phold.lsp": [1, 2] } },
        { grid: { __proto__: [1, 2] } },
        { grid: { "until": [1, 2], "seed": [1, 2] }, replicates: 2 },
        { grid: { "network.loss": [0, 0.5], "network.latency.vlaue": [1] } },
        { lhs: { samples: 1e9, params: { until: { min: 1, max: 2 } } } },
        { grid: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, Array.from({ length: 20 }, (_, j) => j)])) },
        { random: { samples: 3, params: { "pbft.n": { min: 1, max: 1e9, integer: true } } } },
        {},
        null,
      ]);
      doc.v = setAt(doc.v, ["sweep"], s === null ? null : JSON.parse(JSON.stringify(s)));
      if (s !== null && "grid" in s && s.grid !== undefined && Object.hasOwn(s.grid, "__proto__")) {
        // JSON round trip drops a literal __proto__ key; set it as an own property.
        Object.defineProperty((doc.v as { sweep: { grid: object } }).sweep.grid, "__proto__", { value: [1, 2], enumerable: true });
      }
      return "sweep block";
    }
    case "key": {
      const p = pick(rng, all.filter((x) => x.length > 0 && typeof x.at(-1) === "string"));
      if (p === undefined) return "key (none)";
      const parent = getAt(doc.v, p.slice(0, -1)) as Record<string, Plain>;
      const k = String(p.at(-1));
      const typo = k.length > 2 ? k.slice(0, 1) + k.slice(2, 3) + k.slice(1, 2) + k.slice(3) : `${k}x`;
      parent[typo] = parent[k];
      delete parent[k];
      return `typo ${k}->${typo}`;
    }
  }
}

/** Text-level mutations the tree cannot express: aliases, tags, raw garbage. */
function mutateText(rng: Rng, text: string): { text: string; note: string } {
  const lines = text.split("\n");
  const valueLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[\w.-]+:\s+\S/.test(l) && !l.trim().startsWith("#"));
  const kind = pick(rng, ["selfAlias", "laughs", "bigAlias", "tag", "garbage", "deep", "dupKey", "multiDoc"] as const);
  switch (kind) {
    case "selfAlias":
      return { text: `${text}\nloop: &loop [*loop]\n`, note: "self alias" };
    case "laughs": {
      const width = 2 + Math.floor(rng() * 9);
      const depth = 3 + Math.floor(rng() * 9);
      const out = ["l0: &l0 [lol]"];
      for (let i = 1; i <= depth; i++) out.push(`l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(", ")}]`);
      return { text: `${out.join("\n")}\n${text}`, note: `laughs ${width}^${depth}` };
    }
    case "bigAlias": {
      const n = 100 + Math.floor(rng() * 5_000);
      const uses = Array.from({ length: 200 }, (_, i) => `  u${i}: *big`).join("\n");
      return { text: `big: &big [${Array.from({ length: n }, (_, i) => i).join(", ")}]\nuses:\n${uses}\n${text}`, note: `big alias ${n}×200` };
    }
    case "tag": {
      if (valueLines.length === 0) return { text, note: "tag (none)" };
      const [line, i] = pick(rng, valueLines);
      const tag = pick(rng, ["!foo", "!!binary", "!!timestamp", "!!set", "!!python/object:os.system", "!<tag:evil.com,2000:x>", "!!str", "!!float"]);
      lines[i] = line.replace(/:\s+/, `: ${tag} `);
      return { text: lines.join("\n"), note: `tag ${tag}` };
    }
    case "garbage": {
      const at = Math.floor(rng() * text.length);
      const junk = pick(rng, ["\t\t: [", "}}}", "\u0000\u0001", "- - -", "? ", "&", "*", "%YAML 1.1\n---\n", "'", '"']);
      return { text: text.slice(0, at) + junk + text.slice(at), note: `garbage ${JSON.stringify(junk)}` };
    }
    case "deep": {
      const d = 50 + Math.floor(rng() * 5000);
      return { text: `${text}\ndeep: ${"[".repeat(d)}${"]".repeat(d)}\n`, note: `deep ${d}` };
    }
    case "dupKey":
      return { text: `${text}\nmodel: phold\nmodel: pbft\n`, note: "duplicate key" };
    case "multiDoc":
      return { text: `${text}\n---\nmodel: phold\n`, note: "two documents" };
  }
}

const SEEDS_ARGS = ["1..2", "0", "5,3", "1..1000000000000", "-1", "abc", "99999999999999999999", ""];
const OUTS = ["out", "out", "user", "scenarios/byzantine.yaml", "../outside", "", ".", "results", "/", "out/nested/deeper"];

/** Numbers moved within a plausible range (× 0.5 to × 4, integers kept integers): mostly valid scenarios. */
function mildChanges(rng: Rng, doc: { v: Plain }): string[] {
  const numeric = paths(doc.v).filter((p) => p.length > 0 && typeof getAt(doc.v, p) === "number");
  const notes: string[] = [];
  for (let k = 0; k < 2 && numeric.length > 0; k++) {
    const p = pick(rng, numeric);
    const x = getAt(doc.v, p) as number;
    const f = pick(rng, [0.5, 2, 3, 4]);
    const y = Number.isInteger(x) ? Math.max(Number(x > 0), Math.round(x * f)) : x * f;
    doc.v = setAt(doc.v, p, y);
    notes.push(`mild ${p.join(".")}=${y}`);
  }
  return notes;
}

/** Results folders that are damaged or not potsim's, for `sim report` and `sim merge`. */
const DAMAGED_FOLDERS: Record<string, Record<string, string>> = {
  garbageManifest: { "d/manifest.json": "{{", "d/epochs.csv": "x\n1\n" },
  fakeRun: { "d/manifest.json": '{"potsim": "0.1.0"}', "d/summary.json": "[1, 2", "d/epochs.csv": '"unterminated\n1,2,3' },
  fakeSweep: { "d/manifest.json": '{"potsim": "0.1.0", "tasks": "no"}', "d/aggregate.csv": "\u0000\u0001", "d/runs.csv": "a\n" },
  fakeShard: { "d/shard.json": '{"specHash": 5, "tasks": [1]}', "d/manifest.json": "null", "d/tasks.jsonl": "{}\n[]\n" },
  hostileShard: {
    "d/shard.json": '{"index": 0, "count": 1, "specHash": "x", "totalTasks": 1, "tasks": [0]}',
    "d/manifest.json": '{"potsim": "0.1.0", "name": "../../escape", "specHash": "x", "scenarioFile": "s", "replicates": 1, "baseSeed": 1, "params": [], "set": [], "points": [{"point": 0, "values": [], "overrides": [], "error": ""}], "tasks": [{"task": 0, "point": 0, "replicate": 0, "seed": 1, "replay": ""}]}',
    "d/tasks.jsonl": '{"index": 0, "point": 0, "replicate": 0, "seed": 1, "status": "ok", "error": "", "traceHash": null, "events": 1, "metrics": {}}\n',
  },
};

function folderCase(rng: Rng, id: number): FuzzCase {
  const kind = pick(rng, Object.keys(DAMAGED_FOLDERS));
  const command = pick(rng, ["report", "merge"] as const);
  const target = pick(rng, ["d", "d", "d", "user", "/", "/dev", "missing", "scenarios"]);
  const args = command === "merge" ? ["merge", target, ...(rng() < 0.5 ? [target] : []), "--no-charts"] : ["report", target];
  return { id, notes: [`${command} ${target} (${kind})`], file: "scenarios/unused.yaml", text: "", args, outs: ["d"], spawn: false, extra: DAMAGED_FOLDERS[kind]! };
}

/** The i-th case of seed `seed`. */
export function fuzzCase(seed: string, id: number): FuzzCase {
  const rng = seedrandom(`${seed}/${id}`);
  if (rng() < 0.06) return folderCase(rng, id);
  const notes: string[] = [];
  const base = pick(rng, BASES);
  const text = readFileSync(join(ROOT, base), "utf8");
  const doc = { v: parse(text) as Plain };
  // A third of the cases keep the scenario valid or nearly so (mild numeric changes), so that
  // worlds get built and run, not only rejected.
  const mild = rng() < 0.35;
  if (mild) notes.push(...mildChanges(rng, doc));
  else {
    const treeMutations = 1 + Math.floor(rng() * 2);
    for (let i = 0; i < treeMutations; i++) notes.push(mutateTree(rng, doc));
  }
  let out = stringify(doc.v, { lineWidth: 0 });
  if (!mild && rng() < 0.2) {
    const m = mutateText(rng, out);
    out = m.text;
    notes.push(m.note);
  }
  const file = base.replace(/[^/]+\.yaml$/, `fuzz-${id}.yaml`);
  const isSweep = base.includes("/sweeps/") || (doc.v !== null && typeof doc.v === "object" && "sweep" in (doc.v as object));
  const command = isSweep && rng() < 0.75 ? "sweep" : pick(rng, ["run", "run", "run", "run", "validate", "check"] as const);
  const args: string[] = [command, file];
  const outs: string[] = [];
  const sets: string[] = [];
  const hostile = !mild || rng() < 0.3;
  if (command !== "validate" && hostile) for (let k = Math.floor(rng() * 3) - 1; k > 0; k--) sets.push(pick(rng, HOSTILE_SETS));
  if ((command === "run" || command === "sweep") && hostile) {
    if (rng() < 0.5) {
      const o = pick(rng, OUTS);
      args.push("--out", o);
      if (o === "out" || o === "../outside") outs.push(o, `${o}.partial`);
      if (o === "out/nested/deeper") outs.push("out"); // its parents are created too
      notes.push(`--out ${JSON.stringify(o)}`);
    }
    if (command === "run" && rng() < 0.3) {
      const v = pick(rng, ["-5", "0", ".inf", "1e20", "abc", "1e-300", "30", "0x10", "[1]", "1e9"]);
      args.push("--until", v);
      notes.push(`--until ${v}`);
    }
    if (command === "run" && rng() < 0.2) {
      const v = pick(rng, ["-1", "1e400", "abc", "3", "1.5", "9007199254740993", ""]);
      args.push("--seed", v);
      notes.push(`--seed ${v}`);
    }
  }
  if (command === "sweep") args.push("--workers", pick(rng, ["0", "1", "1", "1"]));
  // Sweep charts (hundreds of PNGs: ~16 s and 1.2 GB for tokenomics-tax.yaml) are the report's
  // cost, the same for any input; runs draw theirs in a fifth of the cases.
  if (command === "sweep" || (command === "run" && rng() > 0.2)) args.push("--no-charts");
  if (command === "check") {
    const s = !hostile || rng() < 0.7 ? "1..2" : pick(rng, SEEDS_ARGS);
    args.push("--seeds", s, "--workers", "0");
    notes.push(`--seeds ${s}`);
  }
  for (const s of sets) args.push("--set", s);
  if (sets.length > 0) notes.push(...sets.map((s) => `--set ${s.slice(0, 50)}`));
  // Every case is bounded: a run stops after 5,000 events, a sweep's or check's after 1,000 each
  // (memory is bounded by the size guard).
  if (command !== "validate") args.push("--set", `maxEvents=${command === "run" ? 5_000 : 1_000}`);
  return { id, notes, file, text: out, args, outs, spawn: rng() < 0.025, extra: {} };
}
