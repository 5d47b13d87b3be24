// `sim merge DIR... [--out OUT]`: combines sweep shard folders into the folder an unsharded
// sweep writes (same bytes, timing.json aside), after checking they come from the same spec and
// cover every task exactly once. Exit codes: 0 merged and all runs ok, 1 merged but some run
// failed, 2 the shards do not fit together.
// May import: everything.

import { MergeError, mergeShards, sweepWarningsLine } from "../sweep/index.js";
import { EXIT_OK, EXIT_VIOLATION, UsageError } from "./exit-codes.js";
import { reportFailures } from "./sweep-command.js";

export interface MergeCommandOptions {
  out?: string;
  /** Replace an output folder that is not a potsim result. */
  force?: boolean;
  charts?: boolean;
  quiet?: boolean;
}

export async function mergeCommand(dirs: string[], o: MergeCommandOptions): Promise<number> {
  try {
    const r = await mergeShards(dirs, o.out, { charts: o.charts !== false, force: o.force === true });
    reportFailures(r.failures);
    const warned = sweepWarningsLine(r.warnings);
    if (warned !== undefined) process.stderr.write(`${warned}\n`);
    if (!o.quiet) {
      process.stdout.write(`merged ${r.shards} shards: tasks=${r.total} ok=${r.status.ok} failed=${r.failed} -> ${r.dir}\n`);
    }
    return r.failed > 0 ? EXIT_VIOLATION : EXIT_OK;
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(e.message);
    throw e;
  }
}
