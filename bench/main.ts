// Benchmark entry: `npm run bench -- <phold|pbft|pot|sweep> [options]`. Prints one line per run.

import { Command } from "commander";
import { runPholdBench } from "./phold.js";

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
  .action((o) => {
    console.log(
      runPholdBench({
        lps: Number(o.lps),
        init: Number(o.init),
        events: Number(o.events),
        remote: Number(o.remote),
        lookahead: Number(o.lookahead),
        seed: Number(o.seed),
      }),
    );
  });

program.parseAsync(process.argv).catch((e) => {
  console.error(e);
  process.exit(3);
});
