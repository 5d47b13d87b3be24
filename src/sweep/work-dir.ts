// sweep/work-dir: the `<out>.partial/` folder of a sweep in progress. It holds `plan.json` (spec
// hash, shard and potsim version, to refuse resuming a different sweep) and
// `tasks/<point>-<replicate>.json`, one file per finished task. Every file is written to a
// temporary name and renamed, so a kill -9 leaves only whole files; temporary files of killed
// processes are removed by the next run. A task file carries a checksum over its result and the
// inputs it was run for (sweep, task, seed, potsim version): on --resume a file that is damaged,
// edited or from other inputs is run again (and said so). What cannot be repaired without deleting
// something potsim did not write (a folder where a task file belongs, an unreadable plan, a
// partial folder holding other files) is refused with WorkDirError (exit 2).
// May import: scenario, world, metrics, report, kernel.

import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stableJson } from "../metrics/index.js";
import type { ShardInfo } from "./outputs.js";
import { canonicalResult, type TaskRef, type TaskResult } from "./task.js";
import { potsimVersion } from "./version.js";

interface WorkPlan {
  specHash: string;
  shard: ShardInfo | null;
}

/** What a stored task was run for; part of its checksum. */
interface TaskInputs {
  potsim: string;
  specHash: string;
  index: number;
  point: number;
  replicate: number;
  seed: number;
}

interface StoredTask {
  checksum: string;
  inputs: TaskInputs;
  result: TaskResult;
}

export class ResumeMismatchError extends Error {}
/** A partial folder that cannot be used or cleared without deleting something potsim did not write. */
export class WorkDirError extends Error {}

const PLAN = "plan.json";
const TASKS = "tasks";
const TEMP = /^\.(.+)\.tmp-(\d+)$/;

export class WorkDir {
  readonly tasksDir: string;

  constructor(
    readonly dir: string,
    /** Told about tasks that are run again and leftovers removed (the CLI prints them). */
    private readonly note: (message: string) => void = () => {},
  ) {
    this.tasksDir = join(dir, TASKS);
  }

  static forOutput(out: string, note?: (message: string) => void): WorkDir {
    return new WorkDir(`${out}.partial`, note);
  }

  private specHash = "";

  /**
   * Prepares the folder. With `resume`, keeps finished tasks of the same sweep and returns them
   * (by task index); without, starts empty (clearing a previous partial folder of potsim's).
   */
  open(plan: WorkPlan, resume: boolean, tasks: readonly TaskRef[]): Map<number, TaskResult> {
    this.specHash = plan.specHash;
    const done = new Map<number, TaskResult>();
    const kind = entryKind(this.dir);
    if (kind !== "none" && kind !== "dir") {
      throw new WorkDirError(`${this.dir} is ${describe(kind)}, not a sweep work folder; remove it or choose another --out`);
    }
    if (kind === "dir") {
      this.checkOwnFolder();
      if (resume && entryKind(join(this.dir, PLAN)) !== "none") return this.resume(plan, tasks, done);
      rmSync(this.dir, { recursive: true, force: true });
    }
    mkdirSync(this.tasksDir, { recursive: true });
    writeAtomic(join(this.dir, PLAN), stableJson(this.planFile(plan)));
    return done;
  }

  private planFile(plan: WorkPlan): WorkPlan & { potsim: string } {
    return { ...plan, potsim: potsimVersion };
  }

  /** A partial folder holds plan.json, tasks/ and temporary files only; anything else is not ours to delete. */
  private checkOwnFolder(): void {
    const other = readdirSync(this.dir).filter((n) => n !== PLAN && n !== TASKS && !TEMP.test(n));
    if (other.length > 0) {
      throw new WorkDirError(
        `${this.dir} is not a potsim sweep work folder (it also holds ${other
          .slice(0, 3)
          .map((n) => JSON.stringify(n))
          .join(", ")}${other.length > 3 ? ", ..." : ""}); remove it or choose another --out`,
      );
    }
  }

  private resume(plan: WorkPlan, tasks: readonly TaskRef[], done: Map<number, TaskResult>): Map<number, TaskResult> {
    const planPath = join(this.dir, PLAN);
    const redo = `remove ${this.dir} to start over, or run without --resume`;
    if (entryKind(planPath) !== "file") throw new WorkDirError(`${planPath} is ${describe(entryKind(planPath))}, not a plan file; ${redo}`);
    let old: Partial<WorkPlan & { potsim: string }>;
    try {
      old = JSON.parse(readFileSync(planPath, "utf8")) as Partial<WorkPlan & { potsim: string }>;
      if (old === null || typeof old !== "object" || typeof old.specHash !== "string") throw new Error("not a plan");
    } catch (e) {
      throw new WorkDirError(`${planPath} is damaged (${e instanceof Error ? e.message : String(e)}); ${redo}`);
    }
    if (old.specHash !== plan.specHash || stableJson(old.shard ?? null) !== stableJson(plan.shard)) {
      throw new ResumeMismatchError(
        `${this.dir} belongs to a different sweep (spec ${old.specHash}${old.shard ? `, shard ${old.shard.index}/${old.shard.count}` : ""}); ` +
          "remove it or run without --resume",
      );
    }
    const tasksKind = entryKind(this.tasksDir);
    if (tasksKind === "none") mkdirSync(this.tasksDir);
    else if (tasksKind !== "dir") throw new WorkDirError(`${this.tasksDir} is ${describe(tasksKind)}, not the folder of finished tasks; ${redo}`);
    if (old.potsim !== potsimVersion) {
      this.note(`${this.dir} was written by potsim ${old.potsim ?? "(older)"}: its tasks are run again`);
      writeAtomic(planPath, stableJson(this.planFile(plan)));
    }
    for (const removed of removeStaleTempFiles(this.dir).concat(removeStaleTempFiles(this.tasksDir))) {
      this.note(`removed ${removed} (left by a killed run)`);
    }
    const byName = new Map(tasks.map((t) => [fileName(t), t]));
    for (const name of readdirSync(this.tasksDir)) {
      const t = byName.get(name);
      if (t === undefined) continue;
      const path = join(this.tasksDir, name);
      const k = entryKind(path);
      if (k !== "file") throw new WorkDirError(`${path} is ${describe(k)}, not a task file; ${redo}`);
      const r = readStored(path, this.inputsOf(t));
      if (typeof r === "string") this.note(`task ${name.replace(/\.json$/, "")}: ${r}; running it again`);
      else done.set(t.index, r);
    }
    return done;
  }

  private inputsOf(t: TaskRef): TaskInputs {
    return { potsim: potsimVersion, specHash: this.specHash, index: t.index, point: t.point, replicate: t.replicate, seed: t.seed };
  }

  /** Stores one finished task (atomically), with its checksum. */
  save(r: TaskResult): void {
    const inputs = this.inputsOf(r);
    const result = canonicalResult(r);
    const stored: StoredTask = { checksum: checksumOf(inputs, result), inputs, result };
    writeAtomic(join(this.tasksDir, fileName(r)), stableJson(stored));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function fileName(t: Pick<TaskRef, "point" | "replicate">): string {
  return `${t.point}-${t.replicate}.json`;
}

function checksumOf(inputs: TaskInputs, result: TaskResult): string {
  return createHash("sha256").update(stableJson({ inputs, result })).digest("hex");
}

/** The stored result, or why it cannot be used. */
function readStored(path: string, want: TaskInputs): TaskResult | string {
  let s: Partial<StoredTask>;
  try {
    s = JSON.parse(readFileSync(path, "utf8")) as Partial<StoredTask>;
  } catch {
    return "stored result is damaged (not JSON; cut short by a kill?)";
  }
  if (s === null || typeof s !== "object" || typeof s.checksum !== "string" || typeof s.inputs !== "object" || typeof s.result !== "object") {
    return "stored result has no checksum";
  }
  const r = s.result as TaskResult;
  if (
    r === null ||
    !["ok", "violation", "error"].includes(r.status) ||
    typeof r.metrics !== "object" ||
    r.metrics === null ||
    typeof r.error !== "string" ||
    !Array.isArray(r.warnings) ||
    r.warnings.some((w) => typeof w !== "string")
  ) {
    return "stored result is malformed";
  }
  let result: TaskResult;
  try {
    result = canonicalResult(r);
  } catch {
    return "stored result is malformed";
  }
  if (checksumOf(s.inputs as TaskInputs, result) !== s.checksum) return "stored result does not match its checksum (edited or damaged)";
  if (stableJson(s.inputs) !== stableJson(want)) return "stored result was made for other inputs";
  if (result.index !== want.index || result.point !== want.point || result.replicate !== want.replicate || result.seed !== want.seed) {
    return "stored result is of another task";
  }
  return result;
}

type EntryKind = "none" | "file" | "dir" | "link" | "special";

function entryKind(path: string): EntryKind {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch {
    return "none";
  }
  if (st.isDirectory()) return "dir";
  if (st.isFile()) return "file";
  if (st.isSymbolicLink()) return "link";
  return "special";
}

function describe(k: EntryKind): string {
  return { none: "missing", file: "a file", dir: "a folder", link: "a symbolic link", special: "a special file" }[k];
}

/** Writes a file under a temporary name and renames it into place. */
function writeAtomic(path: string, text: string): void {
  const dir = join(path, "..");
  const tmp = join(dir, `.${path.slice(dir.length + 1)}.tmp-${process.pid}`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

/** Removes `.<name>.tmp-<pid>` files of processes that are gone; returns their paths. */
function removeStaleTempFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = TEMP.exec(name);
    if (m === null || alive(Number(m[2]))) continue;
    const p = join(dir, name);
    if (entryKind(p) !== "file") continue;
    rmSync(p, { force: true });
    out.push(p);
  }
  return out;
}
