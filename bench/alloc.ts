// `npm run bench -- alloc SCENARIO [--epochs N]`: bytes a world allocates on the V8 heap, per
// processed event and per executed (client-completed) request, for one run as a sweep task runs it
// (no traffic thread, no observer). The event loop is metered on its own (bytes_per_event); the
// world's construction and its final tables are reported separately. See alloc-meter.ts for how the
// bytes are counted.

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadScenario } from "../src/scenario/index.js";
import { buildWorld } from "../src/world/models.js";
import { AllocMeter } from "./alloc-meter.js";

export interface AllocBenchArgs {
  scenario: string;
  /** PoT scenarios: simulate only the first N economic epochs (sets `until` to match, as bench sweep does). */
  epochs?: number;
  seed?: number;
  /** Another checkout with a dist/ (e.g. the A/B baseline): measure its world instead of this build's. */
  root?: string;
}

export interface AllocFigures {
  events: number;
  /** Client requests completed (PBFT and PoT worlds; 0 for PHOLD). */
  requests: number;
  loopBytes: number;
  buildBytes: number;
  finishBytes: number;
  scavenges: number;
  fullGcs: number;
  wallSeconds: number;
}

/** The `--set` overrides bench sweep and bench alloc use for `epochs` economic epochs. */
export function epochOverrides(scenarioFile: string, epochs: number | undefined): string[] {
  if (epochs === undefined) return [];
  const len = loadScenario(scenarioFile).economics?.epochLength ?? 10;
  return [`economics.epochs=${epochs}`, `until=${epochs * len + 2 * len}`];
}

function requestsOf(summary: Record<string, unknown>): number {
  const consensus = summary.consensus as { requestsCompleted?: unknown } | undefined;
  const n = consensus?.requestsCompleted ?? summary.requestsCompleted;
  return typeof n === "number" ? n : 0;
}

interface WorldModules {
  loadScenario: typeof loadScenario;
  buildWorld: typeof buildWorld;
}

async function worldModules(root: string | undefined): Promise<WorldModules> {
  if (root === undefined) return { loadScenario, buildWorld };
  const load = (p: string) => import(pathToFileURL(join(root, "dist", "src", p)).href);
  return { loadScenario: (await load("scenario/index.js")).loadScenario, buildWorld: (await load("world/models.js")).buildWorld };
}

export async function measureAlloc(a: AllocBenchArgs): Promise<AllocFigures> {
  const { loadScenario, buildWorld } = await worldModules(a.root);
  const scenario = loadScenario(a.scenario, { overrides: epochOverrides(a.scenario, a.epochs) });
  const meter = new AllocMeter();
  const t0 = process.hrtime.bigint();
  meter.start();
  const world = buildWorld(scenario, a.seed ?? scenario.seed, {});
  const build = meter.stop();
  meter.start();
  world.sim.run({ until: scenario.until, maxEvents: scenario.maxEvents });
  const loop = meter.stop();
  meter.start();
  const out = world.finish();
  const fin = meter.stop();
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    events: world.sim.eventCount,
    requests: requestsOf(out.summary),
    loopBytes: loop.bytes,
    buildBytes: build.bytes,
    finishBytes: fin.bytes,
    scavenges: loop.scavenges,
    fullGcs: loop.fullGcs,
    wallSeconds,
  };
}

export async function runAllocBench(a: AllocBenchArgs & { json?: boolean }): Promise<string> {
  const m = await measureAlloc(a);
  if (a.json) return JSON.stringify(m);
  const perRequest = m.requests > 0 ? (m.loopBytes / m.requests).toFixed(0) : "n/a";
  return (
    `alloc scenario=${a.scenario}${a.epochs !== undefined ? ` epochs=${a.epochs}` : ""} events=${m.events} requests=${m.requests} ` +
    `bytes_per_event=${(m.loopBytes / Math.max(1, m.events)).toFixed(0)} bytes_per_request=${perRequest} ` +
    `loop_mb=${(m.loopBytes / 1e6).toFixed(1)} build_mb=${(m.buildBytes / 1e6).toFixed(1)} finish_mb=${(m.finishBytes / 1e6).toFixed(1)} ` +
    `scavenges=${m.scavenges} full_gcs=${m.fullGcs} wall_s=${m.wallSeconds.toFixed(3)}`
  );
}
