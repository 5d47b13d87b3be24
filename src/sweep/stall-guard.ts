// sweep/stall-guard: a limit on how long the worker threads may go without returning a result.
// A world is a pure function of its task, so a task that never comes back means a stalled thread
// (a lost message, a wedged worker), not a long run: once no result has arrived for
// STALL_FLOOR_SEC + STALL_FACTOR × the longest estimated run in flight, every task in flight is
// aborted (Piscina terminates its thread and starts another) and submitted once more. The rerun
// gives the same bytes. A task that stalls twice becomes an error result naming the stall, so a
// check or sweep reports it instead of waiting forever. Why: one CI run of the mutation gate waited
// on its pool past the 120 s test timeout (4 s normally); no repeat here (3 full suites, 40 runs of
// the test file, 55 of the same check) showed it again, so the cause is unknown and the limit is
// what keeps such a stall from hanging a gate.
// The clock runs from the last result, not from a task's submission: tasks queued behind others
// are not counted as stalled while results keep coming.
// May import: nothing (the pool hands it each task's estimate).

/** Seconds without a result before tasks are presumed stalled, whatever their estimates. */
export const STALL_FLOOR_SEC = 60;
/** Multiple of the size guard's estimate (an upper bound on a quiet machine) allowed on top. */
export const STALL_FACTOR = 20;

/** The longest delay setTimeout takes as given. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface StallReport {
  /** Tasks (or batches) aborted and, for the first stall, submitted again. */
  readonly tasks: number;
  /** How long the threads had gone without a result. */
  readonly seconds: number;
  /** Whether they are run again (false: each becomes an error result). */
  readonly retried: boolean;
}

export interface StallEntry {
  readonly signal: AbortSignal;
  /** Set when this entry was aborted as stalled. */
  stalled: boolean;
}

interface Running extends StallEntry {
  readonly controller: AbortController;
  readonly limitSec: number;
  readonly retry: boolean;
}

/** Watches the tasks in flight on one pool; `now` in ms (injectable for tests). */
export class StallWatch {
  private readonly running = new Set<Running>();
  private lastResultMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly onStall: (r: StallReport) => void,
    private readonly floorSec = STALL_FLOOR_SEC,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastResultMs = now();
  }

  /** A task (estimated at `estimatedSec` on one thread) is submitted; `retry` when a stall would give it a second run. */
  start(estimatedSec: number, retry: boolean): StallEntry {
    if (this.running.size === 0) this.lastResultMs = this.now();
    const controller = new AbortController();
    // No usable estimate (NaN, negative): no limit, rather than aborting a run that may be long.
    const allowanceSec = estimatedSec >= 0 ? STALL_FACTOR * estimatedSec : Number.POSITIVE_INFINITY;
    const e: Running = { controller, signal: controller.signal, limitSec: this.floorSec + allowanceSec, retry, stalled: false };
    this.running.add(e);
    this.arm();
    return e;
  }

  /** The task settled (a result, or an error): progress, so the clock starts again. */
  done(e: StallEntry): void {
    if (!this.running.delete(e as Running)) return;
    this.lastResultMs = this.now();
    this.arm();
  }

  /** Stops watching (the pool is closing). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running.clear();
  }

  /** (Re)sets the one timer: due `limit` after the last result, for the longest limit in flight. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running.size === 0) return;
    let limitSec = 0;
    for (const e of this.running) limitSec = Math.max(limitSec, e.limitSec);
    const dueMs = Math.max(0, this.lastResultMs + limitSec * 1000 - this.now());
    // Not unref'd: while tasks are in flight this timer keeps the process up, so the guard always fires.
    // Node fires a delay above 2^31 - 1 ms (about 25 days) after 1 ms instead, so a longer limit (a run
    // estimated at 30 hours or more) waits in steps.
    this.timer = setTimeout(() => this.fire(limitSec), Math.min(dueMs, MAX_TIMER_MS));
  }

  private fire(limitSec: number): void {
    this.timer = undefined;
    if (this.now() < this.lastResultMs + limitSec * 1000) {
      this.arm();
      return;
    }
    const stalled = [...this.running];
    this.running.clear();
    this.lastResultMs = this.now();
    const retried = stalled.filter((e) => e.retry).length;
    if (retried > 0) this.onStall({ tasks: retried, seconds: limitSec, retried: true });
    if (retried < stalled.length) this.onStall({ tasks: stalled.length - retried, seconds: limitSec, retried: false });
    for (const e of stalled) {
      e.stalled = true;
      e.controller.abort(new Error(`no result from the worker threads in ${limitSec.toFixed(0)} s`));
    }
  }
}
