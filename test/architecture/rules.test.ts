// House rules from ARCHITECTURE.md, enforced on the source tree: no wall clock or global
// randomness in simulation code, folder import boundaries, and a header comment per folder.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const src = join(root, "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const sources = files(src).map((p) => ({ path: relative(src, p).replaceAll("\\", "/"), text: readFileSync(p, "utf8") }));

/** Strips comments so rules apply to code only. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
}

function importsOf(text: string): string[] {
  return [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
}

describe("architecture rules", () => {
  it("no Math.random, Date.now, performance.now or new Date() outside cli/ and sweep/", () => {
    const offenders = sources
      .filter((f) => !f.path.startsWith("cli/") && !f.path.startsWith("sweep/"))
      .filter((f) => /Math\.random|Date\.now|performance\.now|new Date\(/.test(code(f.text)))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it("the environment is read only by the CLI and by sweep sharding and progress (nothing model-affecting)", () => {
    // A variable read by simulation code would change outputs without changing the run id.
    const readers = sources.filter((f) => /process\.env\b/.test(code(f.text))).map((f) => f.path);
    expect(readers.filter((p) => !p.startsWith("cli/") && !["sweep/shard.ts", "sweep/progress.ts"].includes(p))).toEqual([]);
  });

  // Entries ending in ".ts" allow one file; the others a folder. A folder's own files are always allowed.
  const allowed: Record<string, string[]> = {
    kernel: [],
    net: ["kernel"],
    "protocols/pbft": [],
    "protocols/pot": [],
    // The fast room depends on nothing of the rules it speeds up (only the Dec scale and sha256).
    "protocols/pot/fast": ["protocols/pot/dec.ts", "protocols/pot/sha256.ts"],
    traffic: ["kernel"],
    metrics: ["kernel"],
    check: ["protocols/pbft", "protocols/pot", "metrics"],
    scenario: [],
    faults: ["kernel", "net", "protocols/pbft", "protocols/pot"],
    report: ["metrics"],
    world: ["kernel", "net", "protocols", "faults", "traffic", "check", "metrics", "scenario"],
    // The wings: PBFT never reaches into the PoT economy built on it; shared pieces are named one by one.
    "world/pbft": ["kernel", "net", "protocols/pbft", "faults", "check", "metrics", "world/cpu.ts", "world/observe.ts", "world/scenario.ts", "world/types.ts"],
    "world/phold": ["kernel", "world/scenario.ts", "world/types.ts"],
    "world/pot": [
      "kernel",
      "protocols",
      "faults",
      "traffic",
      "check",
      "metrics",
      "world/pbft",
      "world/observe.ts",
      "world/scenario.ts",
      "world/types.ts",
    ],
    // The traffic thread takes the scenario view only: the world's traffic takes epochs from the feed.
    "world/pot/feed": ["kernel", "traffic", "protocols/pot", "world/pot/config.ts"],
    // Traces watch a world through its observer interface only; the browser viewer (trace/viewer.ts) imports nothing.
    trace: ["world/observe.ts", "check", "protocols/pbft", "scenario/suggest.ts"],
    tune: ["scenario", "sweep", "world", "metrics", "report", "kernel"],
    // The shrink runs worlds and replays the network's rule draws beside them (the rule table, the pbft wing's reader).
    shrink: ["kernel", "net", "faults", "check", "protocols/pbft", "metrics", "scenario", "world"],
    // Coverage counts from the observation stream, like traces: the world never knows it is counted.
    coverage: ["world/observe.ts", "protocols/pbft"],
    ci: ["coverage", "metrics"],
  };

  const importTargets = (f: { path: string; text: string }) =>
    importsOf(f.text)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => relative(src, join(src, f.path, "..", spec)).replaceAll("\\", "/").replace(/\.js$/, ".ts"));

  for (const [folder, may] of Object.entries(allowed)) {
    it(`${folder}/ imports only ${may.length ? may.join(", ") : "its own files"}`, () => {
      const bad: string[] = [];
      for (const f of sources.filter((s) => s.path.startsWith(`${folder}/`))) {
        for (const target of importTargets(f)) {
          const ok = target.startsWith(`${folder}/`) || may.some((m) => (m.endsWith(".ts") ? target === m : target.startsWith(`${m}/`)));
          if (!ok) bad.push(`${f.path} -> ${target}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it("only cli/ and the package entry import trace/ (the world is watched, never told to trace)", () => {
    const bad = sources
      .filter((s) => !s.path.startsWith("cli/") && !s.path.startsWith("trace/") && s.path !== "index.ts")
      .flatMap((f) => importTargets(f).filter((t) => t.startsWith("trace/")).map((t) => `${f.path} -> ${t}`));
    expect(bad).toEqual([]);
  });

  it("trace/viewer.ts, inlined into trace.html by its source text, imports nothing", () => {
    const viewer = sources.find((s) => s.path === "trace/viewer.ts");
    expect(viewer).toBeDefined();
    expect(importsOf(viewer!.text)).toEqual([]);
  });

  it("world/pbft/ never imports world/pot/ (the PoT economy is built on PBFT, not the other way round)", () => {
    const bad = sources
      .filter((s) => s.path.startsWith("world/pbft/"))
      .flatMap((f) => importTargets(f).filter((t) => t.startsWith("world/pot/")).map((t) => `${f.path} -> ${t}`));
    expect(bad).toEqual([]);
  });

  it("protocols keep no mutable state at module level (memos and buffers are per world; only protocols/pot/fast/ may hold constant tables)", () => {
    const offenders = sources
      .filter((f) => f.path.startsWith("protocols/") && !f.path.startsWith("protocols/pot/fast/"))
      .flatMap((f) =>
        code(f.text)
          .split("\n")
          .filter((line) => /^let |^var |^const .* = new /.test(line))
          .map((line) => `${f.path}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it("no import cycle among world/ and protocols/ files (world/pot/traffic.ts and its feed included)", () => {
    const graph = new Map(sources.map((f) => [f.path, importTargets(f).filter((t) => t !== f.path)]));
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const visit = (p: string): void => {
      state.set(p, 1);
      stack.push(p);
      for (const q of graph.get(p) ?? []) {
        // index.ts files only re-export: a folder's files importing their own index would show here too.
        if (state.get(q) === 1) cycles.push([...stack.slice(stack.indexOf(q)), q].join(" -> "));
        else if (!state.has(q) && graph.has(q)) visit(q);
      }
      stack.pop();
      state.set(p, 2);
    };
    for (const p of [...graph.keys()].sort()) if (!state.has(p)) visit(p);
    expect(cycles.filter((c) => c.startsWith("world/") || c.startsWith("protocols/"))).toEqual([]);
  });

  it("the test tree mirrors src/: one test folder per source folder, and no test folder without one", () => {
    const dirs = (root: string): string[] =>
      readdirSync(root).flatMap((name) => {
        const p = join(root, name);
        return statSync(p).isDirectory() ? [relative(root, p), ...dirs(p).map((d) => join(name, d))] : [];
      });
    const srcDirs = dirs(src).map((d) => d.replaceAll("\\", "/"));
    const testDirs = dirs(join(root, "test")).map((d) => d.replaceAll("\\", "/"));
    // protocols/ only groups its two protocols; scenario/sections is tested from test/scenario (sections.test.ts).
    const untested = srcDirs.filter((d) => d !== "protocols" && d !== "scenario/sections" && !testDirs.includes(d));
    // test/notebooks and test/examples execute the top-level notebooks/ and examples/ folders, which have
    // no src/ counterpart; test/robust runs the whole CLI on hostile input (issue 12), across every folder at once.
    const infrastructure = (d: string) =>
      d === "protocols" || ["architecture", "fixtures", "support", "notebooks", "examples", "robust"].some((x) => d === x || d.startsWith(`${x}/`));
    const orphans = testDirs.filter((d) => !infrastructure(d) && !srcDirs.includes(d));
    expect({ untested, orphans }).toEqual({ untested: [], orphans: [] });
  });

  it("every folder has an index.ts whose header says what it owns and may import", () => {
    // Every folder under src/ (cli's entry is main.ts; protocols/ only groups its two protocols).
    const folders = [...new Set(sources.map((s) => s.path.split("/").slice(0, -1).join("/")))].filter((d) => d !== "" && d !== "protocols");
    expect(folders).toEqual(expect.arrayContaining(["world/pbft", "world/pot", "world/pot/feed", "world/phold"]));
    const missing = folders.filter((d) => {
      const idx = sources.find((s) => s.path === `${d}/index.ts` || (d === "cli" && s.path === "cli/main.ts"));
      const text = idx?.text.replace(/^#!.*\n/, "") ?? "";
      return !idx || !text.startsWith("//") || !/may import/i.test(text);
    });
    expect(missing).toEqual([]);
  });
});
