// `npm run bench -- pot [--epochs N] [--scenario FILE]`: simulated PoT epochs per second of wall
// time for a scenario (default scenarios/tokenomics.yaml: one simulated year, 52,560 epochs, 1,000
// resource nodes, 4 validators running PBFT). Times world construction, the event loop and the final
// tables; reports CPU seconds (wall time inflates on a shared machine), peak RSS and whether every
// epoch's report was settled. Like `sim run`, it draws aggregated traffic on a worker thread unless
// --no-traffic-thread (cpu_s counts both threads); fed_reports counts the epochs whose report the
// traffic thread also encoded (see world/pot/feed/feed.ts).

import { loadScenario } from "../src/scenario/index.js";
import { PotWorld } from "../src/world/pot/world.js";

export interface PotBenchArgs {
  scenario: string;
  /** Simulate only the first N epochs (default: the scenario's). */
  epochs?: number;
  seed?: number;
  /** Draw aggregated traffic on a worker thread, as `sim run` does (default true). */
  trafficThread?: boolean;
}

export function runPotBench(a: PotBenchArgs): string {
  const overrides: string[] = [];
  const base = loadScenario(a.scenario);
  if (a.epochs !== undefined && base.economics) {
    const len = base.economics.epochLength;
    overrides.push(`economics.epochs=${a.epochs}`, `until=${a.epochs * len + Math.min(60, len)}`);
  }
  const scenario = loadScenario(a.scenario, { overrides });
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const trafficThread = a.trafficThread ?? true;
  const world = new PotWorld(scenario, a.seed ?? scenario.seed, { trafficThread });
  world.sim.run({ until: scenario.until });
  const out = world.finish();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const s = out.summary as { reports: { accepted: number; pending: number }; violationCount: number };
  const rss = process.resourceUsage().maxRSS / 1024;
  return (
    `pot epochs=${world.epochs} resource_nodes=${world.nodes.count} wall_s=${wall.toFixed(3)} ` +
    `epochs_per_s=${Math.round(world.epochs / wall)} accepted=${s.reports.accepted} pending=${s.reports.pending} ` +
    `events=${world.sim.eventCount} violations=${s.violationCount} cpu_s=${cpuS.toFixed(1)} rss_mb=${rss.toFixed(0)} ` +
    `traffic_thread=${world.trafficThread} fed_reports=${world.committee.fedEpochs}`
  );
}
