// Benchmark entry: `npm run bench -- <phold|pbft|pot|sweep|points|alloc|trace|sobol|tune|report|size> [options]`. Prints one line per run.

import { Command } from "commander";
import { runAllocBench } from "./alloc.js";
import { runPbftBench } from "./pbft.js";
import { runPholdBench } from "./phold.js";
import { runPointsBench, runPointsChild } from "./points.js";
import { runPotBench } from "./pot.js";
import { runReportBench, runSobolBench, runTuneBench } from "./sensitivity.js";
import { runSizeBench } from "./size.js";
import { runSweepBench } from "./sweep.js";
import { runTraceBench } from "./trace.js";

const program = new Command("bench").description("potsim benchmarks (run after `npm run build`)");

program
  .command("phold")
  .description("PHOLD events per second through the kernel")
  .option("--lps <n>", "logical processes", "1000")
  .option("--init <n>", "initial events per LP", "16")
  .option("--events <n>", "events to process", "5000000")
  .option("--remote <p>", "probability of a remote destination", "1.0")
  .option("--lookahead <t>", "minimum delay", "0.1")
  .option("--seed <n>", "seed", "1")
  .option("--no-baseline", "skip the bare-heap baseline run")
  .action((o) => {
    console.log(
      runPholdBench({
        baseline: o.baseline,
        lps: Number(o.lps),
        init: Number(o.init),
        events: Number(o.events),
        remote: Number(o.remote),
        lookahead: Number(o.lookahead),
        seed: Number(o.seed),
      }),
    );
  });

program
  .command("pbft")
  .description("PBFT protocol messages per second (real replicas, hosts, network, kernel)")
  .option("--n <n>", "replicas", "64")
  .option("--decisions <d>", "requests to commit", "20")
  .option("--seed <n>", "seed", "1")
  .option("--no-cpu", "do not charge the CPU cost model (it changes simulated time only)")
  .action((o) => {
    console.log(runPbftBench({ n: Number(o.n), decisions: Number(o.decisions), seed: Number(o.seed), cpu: o.cpu }));
  });

program
  .command("pot")
  .description("PoT world: simulated epochs per second (default: scenarios/tokenomics.yaml, one simulated year)")
  .option("--scenario <file>", "scenario", "scenarios/tokenomics.yaml")
  .option("--epochs <n>", "simulate only the first N epochs")
  .option("--seed <n>", "seed (default: the scenario's)")
  .option("--no-traffic-thread", "draw aggregated traffic on the main thread")
  .action((o) => {
    console.log(
      runPotBench({
        scenario: o.scenario,
        epochs: o.epochs ? Number(o.epochs) : undefined,
        seed: o.seed ? Number(o.seed) : undefined,
        trafficThread: o.trafficThread,
      }),
    );
  });

program
  .command("points")
  .description("why a sweep gains what it gains: per-point time of one worker's run alone and with --copies side by side, the first points' JIT warm-up, and the speed-up those figures predict")
  .option("--scenario <file>", "scenario", "scenarios/byzantine.yaml")
  .option("--epochs <n>", "economic epochs per point (default: the scenario's)")
  .option("--count <n>", "points per process (at least 5; the sweep bench runs 16)", "16")
  .option("--copies <n>", "processes side by side", "2")
  .option("--child", "(internal) run the points and print their times")
  .action(async (o) => {
    const args = { scenario: o.scenario, epochs: o.epochs ? Number(o.epochs) : undefined, count: Number(o.count), copies: Number(o.copies) };
    console.log(o.child ? runPointsChild(args) : await runPointsBench(args));
  });

program
  .command("sweep")
  .description("a 16-point sweep with 1 worker, with all cores and as N single-worker processes side by side (the ceiling): speedups, identical outputs, bytes per event")
  .option("--points <n>", "points", "16")
  .option("--workers <n>", "workers for the parallel run (default: all cores)")
  .option("--scenario <file>", "scenario", "scenarios/byzantine.yaml")
  .option("--epochs <n>", "economic epochs per point, each one a PBFT-ordered volume report (default: the scenario's)")
  .option("--rounds <n>", "repetitions of each measurement, alternating (medians shown)", "1")
  .option("--baseline <dir>", "another built checkout measured alternately (A/B) in the same rounds")
  .action(async (o) => {
    console.log(
      await runSweepBench({
        epochs: o.epochs ? Number(o.epochs) : undefined,
        points: Number(o.points),
        workers: o.workers ? Number(o.workers) : undefined,
        scenario: o.scenario,
        rounds: Number(o.rounds),
        baseline: o.baseline,
      }),
    );
  });

program
  .command("alloc")
  .description("bytes allocated per processed event and per executed request for one run of a scenario")
  .argument("<scenario>", "scenario file")
  .option("--epochs <n>", "economic epochs (as bench sweep --epochs)")
  .option("--seed <n>", "seed (default: the scenario's)")
  .option("--root <dir>", "measure another built checkout's world (e.g. /work/base)")
  .option("--json", "print the figures as JSON")
  .action(async (scenario: string, o) => {
    console.log(
      await runAllocBench({
        scenario,
        epochs: o.epochs ? Number(o.epochs) : undefined,
        seed: o.seed ? Number(o.seed) : undefined,
        root: o.root,
        json: o.json === true,
      }),
    );
  });

program
  .command("trace")
  .description("tracing cost (--trace vs untraced, A/B against another build) and trace.html with a 100,000-message trace in headless Chromium")
  .option("--scenario <file>", "scenario of the overhead runs", "scenarios/byzantine.yaml")
  .option("--rounds <n>", "alternating runs of each kind (0: skip the overhead runs)", "5")
  .option("--baseline <dir>", "another build's checkout (e.g. /work/base): untraced A/B")
  .option("--html <messages>", "messages in the trace.html run (0: skip)", "100000")
  .option("--chromium <path>", "Chromium binary", "/usr/bin/chromium")
  .action(async (o) => {
    console.log(
      await runTraceBench({ scenario: o.scenario, rounds: Number(o.rounds), baseline: o.baseline, html: Number(o.html), chromium: o.chromium }),
    );
  });

program
  .command("sobol")
  .description("Sobol' sweep (5 parameters, N samples) vs a zip sweep of the same points: per-run cost, design + analysis overhead")
  .option("--samples <n>", "N, Saltelli base points", "256")
  .option("--workers <n>", "workers (default: all cores)")
  .option("--rounds <n>", "A/B rounds", "2")
  .action(async (o) => {
    console.log(await runSobolBench({ samples: Number(o.samples), workers: o.workers ? Number(o.workers) : undefined, rounds: Number(o.rounds) }));
  });

program
  .command("tune")
  .description("sim tune on the short PoT economy: share of wall time outside simulation")
  .option("--workers <n>", "workers (default: all cores)")
  .option("--budget <n>", "evaluations (default: the spec's)")
  .option("--epochs <n>", "economic epochs per run (pot-short has 20)", "200")
  .action(async (o) => {
    console.log(
      await runTuneBench({ workers: o.workers ? Number(o.workers) : undefined, budget: o.budget ? Number(o.budget) : undefined, epochs: Number(o.epochs) }),
    );
  });

program
  .command("report")
  .description("render the report of a 200-run sweep (median of --repeats)")
  .option("--workers <n>", "workers for making the sweep (default: all cores)")
  .option("--repeats <n>", "renders", "3")
  .option("--baseline <dir>", "a potsim checkout with dist/ whose renderer runs A/B on the same folder")
  .action(async (o) => {
    console.log(await runReportBench({ workers: o.workers ? Number(o.workers) : undefined, repeats: Number(o.repeats), baseline: o.baseline }));
  });

program
  .command("size")
  .description("calibration of the estimated-size guard: measured events and peak memory against the estimate")
  .option("--quick", "only the smaller cases")
  .action((o) => {
    console.log(runSizeBench({ quick: o.quick === true }));
  });

program.parseAsync(process.argv).catch((e) => {
  console.error(e);
  process.exit(3);
});
