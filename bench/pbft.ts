// `npm run bench -- pbft --n N --decisions D`: PBFT protocol messages per second of wall time
// through the real replicas, hosts, network and kernel (one client, closed loop, constant
// latency, no faults). Times only the event loop; reports peak RSS.

import { parseScenarioText, resolveScenario } from "../src/scenario/index.js";
import { PbftWorld, pbftScenarioOf } from "../src/world/pbft/world.js";

export interface PbftBenchArgs {
  n: number;
  decisions: number;
  seed: number;
  cpu: boolean;
}

export function runPbftBench(a: PbftBenchArgs): string {
  const yaml = `
model: pbft
name: bench-pbft
until: 1000000
network:
  latency: { model: constant, value: 0.01 }
pbft:
  n: ${a.n}
  checkpointInterval: 100
  requestTimeout: 1000
  cpu: ${a.cpu}
  clients: { count: 1, requests: ${a.decisions} }
check:
  liveness: false
`;
  const scenario = pbftScenarioOf(resolveScenario(parseScenarioText(yaml, "bench-pbft.yaml")));
  const world = new PbftWorld(scenario, a.seed);
  const t0 = process.hrtime.bigint();
  let completed = 0;
  world.sim.run({
    stop: () => {
      completed = world.safety.executedUpTo[0]!;
      return completed >= a.decisions && world.sim.pending < 4;
    },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const messages = world.net.stats().kinds.reduce((s, k) => s + k.delivered, 0);
  const out = world.finish();
  if (out.summary.requestsCompleted !== a.decisions) {
    throw new Error(`bench: only ${String(out.summary.requestsCompleted)} of ${a.decisions} decisions completed`);
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  return (
    `pbft n=${a.n} decisions=${a.decisions} messages=${messages} wall_s=${wall.toFixed(3)} ` +
    `messages_per_s=${Math.round(messages / wall)} rss_mb=${rss.toFixed(0)}`
  );
}
