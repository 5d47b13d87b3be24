// sweep/work-dir: the `<out>.partial/` folder of a sweep in progress. It holds `plan.json` (spec
// hash and shard, to refuse resuming a different sweep) and `tasks/<point>-<replicate>.json`, one
// file per finished task, each written to a temporary name and renamed, so a kill -9 leaves only
// whole files. `--resume` reads them back (unreadable or mismatched files are simply run again).
// May import: scenario, world, metrics, report, kernel.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stableJson } from "../metrics/index.js";
import type { ShardInfo } from "./outputs.js";
import { canonicalResult, type TaskRef, type TaskResult } from "./task.js";

interface WorkPlan {
  specHash: string;
  shard: ShardInfo | null;
}

export class ResumeMismatchError extends Error {}

export class WorkDir {
  readonly tasksDir: string;

  constructor(readonly dir: string) {
    this.tasksDir = join(dir, "tasks");
  }

  static forOutput(out: string): WorkDir {
    return new WorkDir(`${out}.partial`);
  }

  /**
   * Prepares the folder. With `resume`, keeps finished tasks of the same sweep and returns them
   * (by task index); without, starts empty.
   */
  open(plan: WorkPlan, resume: boolean, tasks: readonly TaskRef[]): Map<number, TaskResult> {
    const done = new Map<number, TaskResult>();
    const planFile = join(this.dir, "plan.json");
    if (resume && existsSync(planFile)) {
      const old = JSON.parse(readFileSync(planFile, "utf8")) as WorkPlan;
      if (stableJson(old) !== stableJson(plan)) {
        throw new ResumeMismatchError(
          `${this.dir} belongs to a different sweep (spec ${old.specHash}${old.shard ? `, shard ${old.shard.index}/${old.shard.count}` : ""}); ` +
            "remove it or run without --resume",
        );
      }
      const byName = new Map(tasks.map((t) => [fileName(t), t]));
      for (const name of existsSync(this.tasksDir) ? readdirSync(this.tasksDir) : []) {
        const t = byName.get(name);
        if (t === undefined) continue;
        const r = readResult(join(this.tasksDir, name), t);
        if (r !== undefined) done.set(t.index, r);
      }
      return done;
    }
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.tasksDir, { recursive: true });
    writeFileSync(planFile, stableJson(plan));
    return done;
  }

  /** Stores one finished task (atomically). */
  save(r: TaskResult): void {
    const final = join(this.tasksDir, fileName(r));
    const tmp = join(this.tasksDir, `.${fileName(r)}.tmp-${process.pid}`);
    writeFileSync(tmp, stableJson(r));
    renameSync(tmp, final);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function fileName(t: Pick<TaskRef, "point" | "replicate">): string {
  return `${t.point}-${t.replicate}.json`;
}

function readResult(path: string, t: TaskRef): TaskResult | undefined {
  try {
    const r = JSON.parse(readFileSync(path, "utf8")) as TaskResult;
    if (r.index !== t.index || r.point !== t.point || r.replicate !== t.replicate || r.seed !== t.seed) return undefined;
    if (!["ok", "violation", "error"].includes(r.status) || typeof r.metrics !== "object" || r.metrics === null) return undefined;
    return canonicalResult(r);
  } catch {
    return undefined;
  }
}
