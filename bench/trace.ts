// `npm run bench -- trace`: what tracing costs and how trace.html copes with a big trace.
//
// 1. overhead: `sim run SCENARIO --no-charts` as a user starts it (a fresh process each), untraced and
//    with --trace alternately, `rounds` times each after one warm-up of each; target: the traced
//    command's wall time ≤ 1.3 × the untraced one's (its CPU seconds are shown too, steadier on a shared
//    machine). Also shown, as stricter views: the run alone (timing.json's wallSeconds, with --trace
//    plus traceSeconds: no start-up, no chart-free file writing), and the same pipeline in this process
//    once the JIT is warm (runCommand), where the simulation is fastest and the trace's cost shows most.
// 2. --baseline DIR: the untraced run against another build (e.g. /work/base, the session-start
//    build), as child processes alternately; compares the simulation wall time each writes to
//    timing.json (target: no slower, within noise).
// 3. --html N: a PBFT run with at least N messages (default 100,000), traced; trace.html written and
//    opened in headless Chromium (playwright-core, /usr/bin/chromium): time from navigation start to
//    the diagram drawn and to the first frame showing it (target ≤ 2 s), then filter changes (a
//    message kind off and on), each timed from the click handler to the next frame (target ≤ 200 ms).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runCommand } from "../src/cli/run-command.js";
import { checkTraceOptions } from "../src/cli/trace-command.js";
import { loadScenario, type ResolvedScenario } from "../src/scenario/index.js";
import { packageRoot } from "../src/sweep/version.js";
import { median } from "./sweep.js";

export interface TraceBenchArgs {
  scenario: string;
  rounds: number;
  baseline?: string;
  /** Messages of the trace.html run (0: skip). */
  html: number;
  chromium: string;
}

const f3 = (x: number): string => x.toFixed(3);

async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const saved = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await f();
  } finally {
    process.stderr.write = saved;
  }
}

/** Wall seconds of one in-process `sim run` (no charts), traced or not. */
async function timedRun(scenario: ResolvedScenario, traced: boolean, tmp: string): Promise<number> {
  const out = join(tmp, traced ? "traced" : "plain");
  const trace = traced ? checkTraceOptions(scenario, {}) : undefined;
  const t0 = process.hrtime.bigint();
  await quietly(() => runCommand(scenario, { out, charts: false, quiet: true, trace }));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(out, { recursive: true, force: true });
  return wall;
}

const TIME = "/usr/bin/time";

/**
 * One `sim run --no-charts` child of this build: process wall seconds, timing.json's run seconds, and
 * the process's CPU seconds (user + system, from /usr/bin/time when installed: less disturbed than
 * wall time by other work on a shared machine).
 */
function childTimed(scenario: string, traced: boolean, tmp: string): { process: number; run: number; cpu: number } {
  const out = join(tmp, traced ? "child-traced" : "child-plain");
  const args = [join(packageRoot, "dist", "src", "cli", "main.js"), "run", scenario, "--out", out, "--no-charts"];
  if (traced) args.push("--trace");
  const timed = existsSync(TIME);
  const t0 = process.hrtime.bigint();
  const r = timed
    ? spawnSync(TIME, ["-f", "cpu %U %S", process.execPath, ...args], { encoding: "utf8" })
    : spawnSync(process.execPath, args, { encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`sim run exited ${r.status}: ${r.stderr}`);
  const m = /cpu ([0-9.]+) ([0-9.]+)\s*$/.exec(r.stderr);
  const t = JSON.parse(readFileSync(join(out, "timing.json"), "utf8")) as { wallSeconds: number; traceSeconds?: number };
  rmSync(out, { recursive: true, force: true });
  return { process: wall, run: t.wallSeconds + (t.traceSeconds ?? 0), cpu: m ? Number(m[1]) + Number(m[2]) : Number.NaN };
}

async function overhead(a: TraceBenchArgs, tmp: string): Promise<string[]> {
  const file = join(packageRoot, a.scenario);
  childTimed(file, false, tmp);
  childTimed(file, true, tmp);
  const cp: Array<{ process: number; run: number; cpu: number }> = [];
  const ct: Array<{ process: number; run: number; cpu: number }> = [];
  for (let i = 0; i < a.rounds; i++) {
    cp.push(childTimed(file, false, tmp));
    ct.push(childTimed(file, true, tmp));
  }
  const runRatio = median(ct.map((x) => x.run)) / median(cp.map((x) => x.run));
  const procRatio = median(ct.map((x) => x.process)) / median(cp.map((x) => x.process));
  const cpuRatio = median(ct.map((x) => x.cpu)) / median(cp.map((x) => x.cpu));
  const med = (xs: Array<{ process: number; run: number; cpu: number }>, k: "process" | "run" | "cpu") => median(xs.map((x) => x[k]));
  const lines = [
    `trace overhead ${a.scenario}, sim run --no-charts as a fresh process, alternating (target: traced <= 1.30 x untraced): rounds=${a.rounds} ` +
      `wall_s untraced=${f3(med(cp, "process"))} traced=${f3(med(ct, "process"))} ratio=${procRatio.toFixed(2)}; ` +
      `cpu_s untraced=${f3(med(cp, "cpu"))} traced=${f3(med(ct, "cpu"))} ratio=${cpuRatio.toFixed(2)}; ` +
      `the run alone (timing.json wallSeconds, + traceSeconds) untraced=${f3(med(cp, "run"))} traced=${f3(med(ct, "run"))} ratio=${runRatio.toFixed(2)} ` +
      `wall_all untraced=[${cp.map((x) => f3(x.process)).join(",")}] traced=[${ct.map((x) => f3(x.process)).join(",")}]`,
  ];
  const scenario = loadScenario(a.scenario);
  await timedRun(scenario, false, tmp);
  await timedRun(scenario, true, tmp);
  const plain: number[] = [];
  const traced: number[] = [];
  for (let i = 0; i < a.rounds; i++) {
    plain.push(await timedRun(scenario, false, tmp));
    traced.push(await timedRun(scenario, true, tmp));
  }
  const ratio = median(traced) / median(plain);
  lines.push(
    `trace overhead ${a.scenario} (runCommand in one process, JIT warm): rounds=${a.rounds} untraced_s=${f3(median(plain))} traced_s=${f3(median(traced))} ratio=${ratio.toFixed(2)} ` +
      `untraced_all=[${plain.map(f3).join(",")}] traced_all=[${traced.map(f3).join(",")}]`,
  );
  return lines;
}

/** Simulation wall seconds (timing.json) and process CPU seconds of one `sim run --no-charts` child of a build. */
function childRun(root: string, scenario: string, tmp: string): { run: number; cpu: number } {
  const out = join(tmp, "child");
  const args = [join(root, "dist", "src", "cli", "main.js"), "run", scenario, "--out", out, "--no-charts"];
  const timed = existsSync(TIME);
  const r = timed ? spawnSync(TIME, ["-f", "cpu %U %S", process.execPath, ...args], { encoding: "utf8" }) : spawnSync(process.execPath, args, { encoding: "utf8" });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${root}: sim run exited ${r.status}: ${r.stderr}`);
  const m = /cpu ([0-9.]+) ([0-9.]+)\s*$/.exec(r.stderr);
  const run = (JSON.parse(readFileSync(join(out, "timing.json"), "utf8")) as { wallSeconds: number }).wallSeconds;
  rmSync(out, { recursive: true, force: true });
  return { run, cpu: m ? Number(m[1]) + Number(m[2]) : Number.NaN };
}

function baseline(a: TraceBenchArgs, base: string, tmp: string): string[] {
  const scenario = join(packageRoot, a.scenario);
  const theirs: Array<{ run: number; cpu: number }> = [];
  const ours: Array<{ run: number; cpu: number }> = [];
  childRun(base, scenario, tmp);
  childRun(packageRoot, scenario, tmp);
  for (let i = 0; i < a.rounds; i++) {
    theirs.push(childRun(base, scenario, tmp));
    ours.push(childRun(packageRoot, scenario, tmp));
  }
  const run = (xs: Array<{ run: number }>) => median(xs.map((x) => x.run));
  const cpu = (xs: Array<{ cpu: number }>) => median(xs.map((x) => x.cpu));
  return [
    `untraced A/B ${a.scenario} (sim run --no-charts, fresh processes, alternating): rounds=${a.rounds} ` +
      `run_s (timing.json) baseline(${base})=${f3(run(theirs))} this=${f3(run(ours))} ratio=${(run(ours) / run(theirs)).toFixed(2)}; ` +
      `process_cpu_s baseline=${f3(cpu(theirs))} this=${f3(cpu(ours))} ratio=${(cpu(ours) / cpu(theirs)).toFixed(2)} ` +
      `baseline_run_all=[${theirs.map((x) => f3(x.run)).join(",")}] this_run_all=[${ours.map((x) => f3(x.run)).join(",")}]`,
  ];
}

async function html(a: TraceBenchArgs, tmp: string): Promise<string[]> {
  // A PBFT world of 7 replicas and 4 closed-loop clients: about 87 messages per request (at least N).
  const requests = Math.ceil(a.html / 87 / 4);
  const scenario = loadScenario(join(packageRoot, "scenarios", "partition.yaml"), { overrides: [`pbft.clients.requests=${requests}`, "until=100000", "check.liveness=false"] });
  const out = join(tmp, "html");
  const trace = checkTraceOptions(scenario, {});
  const t0 = process.hrtime.bigint();
  await quietly(() => runCommand(scenario, { out, charts: false, quiet: true, trace }));
  const { readTrace, writeTraceHtml } = await import("../src/trace/index.js");
  const data = readTrace(out)!;
  writeTraceHtml(out, data);
  const buildS = Number(process.hrtime.bigint() - t0) / 1e9;
  let messages = 0;
  for (let r = 0; r < data.rows.count; r++) if (data.rows.ev[r] === 0) messages++;
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: a.chromium, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const lines: string[] = [];
  try {
    const loads: Array<{ ready: number; frame: number }> = [];
    const filters: number[] = [];
    /** The synchronous part of each redraw (JavaScript and canvas calls), ms. */
    const draws: number[] = [];
    const idle: number[] = [];
    /** Filter change: refilter and redraw in JavaScript, ms. */
    const syncs: number[] = [];
    const strokes: number[] = [];
    for (let i = 0; i < Math.max(1, Math.min(3, a.rounds)); i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // The viewer reads no clock: the times at which it marks the page ready and shows its first
      // frame (since navigation start) are taken here, by an observer the bench puts in the page.
      await page.addInitScript(() => {
        const times: Record<string, number> = {};
        (window as unknown as { potsimBenchTimes: Record<string, number> }).potsimBenchTimes = times;
        new MutationObserver(() => {
          const b = document.body;
          if (b === null) return;
          if (b.dataset.ready !== undefined && times.ready === undefined) times.ready = performance.now();
          if (b.dataset.firstFrame !== undefined && times.frame === undefined) times.frame = performance.now();
        }).observe(document, { attributes: true, subtree: true });
      });
      await page.goto(pathToFileURL(join(out, "trace.html")).href);
      await page.waitForSelector("body[data-first-frame]", { timeout: 120_000 });
      if (errors.length > 0) throw new Error(`trace.html: ${errors.join("; ")}`);
      const { ready, frame } = await page.evaluate(() => (window as unknown as { potsimBenchTimes: { ready: number; frame: number } }).potsimBenchTimes);
      loads.push({ ready, frame });
      // a frame with nothing to draw: what waiting for a frame costs on this machine right now
      idle.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const t = performance.now();
              requestAnimationFrame(() => resolve(performance.now() - t));
            }),
        ),
      );
      strokes.push(Number(await page.$eval("#diagram", (e) => (e as HTMLElement).dataset.strokedLines)));
      for (const [kind, on] of [["commit", false], ["commit", true], ["prepare", false], ["prepare", true]] as const) {
        const [ms, sync] = await page.evaluate(
          ([k, o]) =>
            new Promise<[number, number]>((resolve) => {
              const t = performance.now();
              (window as unknown as { potsimTrace: { setKind(k: string, o: boolean): void } }).potsimTrace.setKind(k, o);
              const js = performance.now() - t;
              requestAnimationFrame(() => resolve([performance.now() - t, js]));
            }),
          [kind, on] as const,
        );
        filters.push(ms);
        syncs.push(sync);
        draws.push(
          await page.evaluate(() => {
            const t = performance.now();
            (window as unknown as { potsimTrace: { draw(): void } }).potsimTrace.draw();
            return performance.now() - t;
          }),
        );
      }
      await page.close();
    }
    const size = readFileSync(join(out, "trace.html")).length;
    lines.push(
      `trace.html: messages=${messages} events=${data.rows.count} html_mb=${(size / 1e6).toFixed(1)} build_s=${f3(buildS)} ` +
        `first_paint_ms=${median(loads.map((l) => l.ready)).toFixed(0)} first_frame_ms=${median(loads.map((l) => l.frame)).toFixed(0)} (target <= 2000) ` +
        `filter_ms_median=${median(filters).toFixed(0)} filter_ms_max=${Math.max(...filters).toFixed(0)} (target <= 200; to the next frame) filter_js_ms_median=${median(syncs).toFixed(0)} draw_ms_median=${median(draws).toFixed(0)} idle_frame_ms=${median(idle).toFixed(0)} stroked_lines=${median(strokes)} ` +
        `loads=[${loads.map((l) => `${l.ready.toFixed(0)}/${l.frame.toFixed(0)}`).join(",")}] filters=[${filters.map((x) => x.toFixed(0)).join(",")}]`,
    );
  } finally {
    await browser.close();
  }
  return lines;
}

export async function runTraceBench(a: TraceBenchArgs): Promise<string> {
  const tmp = mkdtempSync(join(tmpdir(), "potsim-bench-trace-"));
  try {
    const out: string[] = [];
    if (a.rounds > 0) out.push(...(await overhead(a, tmp)));
    if (a.baseline) out.push(...baseline(a, a.baseline, tmp));
    if (a.html > 0) out.push(...(await html(a, tmp)));
    return out.join("\n");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
