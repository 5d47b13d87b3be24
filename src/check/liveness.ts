// LIV-1: after the declared stabilisation time, every correct client's request completes within
// a bound. A request counts from max(submit time, stabilisation time).
// LIV-2 (the VOPR-style "liveness mode"): after stabilisation the correct replicas must converge —
// every one that is up in normal mode in the same view, having executed everything any correct
// replica had executed at the previous poll — within a bound, and again within every window of that
// length, whether clients still send or not. Both are polled (the world schedules periodic checks)
// and checked once more at the end of the run.

import type { Violation } from "./violation.js";

/** Where one correct, running replica stands (what LIV-2 reads at each poll). */
export interface ReplicaPosition {
  readonly replica: number;
  readonly view: number;
  /** In normal mode (not view changing). */
  readonly normal: boolean;
  readonly lastExecuted: number;
}

export class LivenessChecker {
  readonly violations: Violation[];
  private readonly pending = new Map<string, { client: number; timestamp: number; since: number }>();
  private reportedLate = false;
  /** LIV-2: last poll at or after stabilisation at which the replicas were converged. */
  private lastConverged: number;
  /** LIV-2: highest sequence number executed by a correct replica at the previous poll. */
  private prevMaxExec = 0;
  private reportedStuck = false;

  /**
   * @param convergenceBound LIV-2's bound in seconds (null: LIV-2 off).
   */
  constructor(
    private readonly stabilization: number,
    private readonly bound: number,
    sink: Violation[] = [],
    private readonly convergenceBound: number | null = null,
  ) {
    this.violations = sink;
    this.lastConverged = stabilization;
  }

  submitted(client: number, timestamp: number, time: number): void {
    this.pending.set(`${client}:${timestamp}`, { client, timestamp, since: time });
  }

  completed(client: number, timestamp: number, time: number): void {
    const key = `${client}:${timestamp}`;
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    const deadline = Math.max(p.since, this.stabilization) + this.bound;
    if (time > deadline) this.late(p.client, p.timestamp, deadline, time, `completed at ${fmt(time)}`);
  }

  /** Flags requests whose deadline passed without completion (call periodically and at the end). */
  poll(now: number): void {
    for (const p of this.pending.values()) {
      const deadline = Math.max(p.since, this.stabilization) + this.bound;
      if (now > deadline) {
        this.late(p.client, p.timestamp, deadline, now, "still pending");
        return;
      }
    }
  }

  /**
   * LIV-2 at one poll: `positions` are the correct replicas that are up. The group's view is the one
   * most of them are in normal mode in (ties: the higher); a replica is stuck if it is not in normal
   * mode in that view or has not executed up to what some correct replica had executed at the previous
   * poll. Converged = nobody stuck. Reported once, at the first poll that finds the replicas not
   * converged for longer than the bound since stabilisation or their last convergence.
   */
  pollReplicas(now: number, positions: ReadonlyArray<ReplicaPosition>): void {
    if (this.convergenceBound === null) return;
    const target = this.prevMaxExec;
    let maxExec = 0;
    for (const p of positions) maxExec = Math.max(maxExec, p.lastExecuted);
    this.prevMaxExec = maxExec;
    if (now < this.stabilization) return;
    const view = groupView(positions);
    // Polled all run long (every bound/4 s): nothing is allocated unless the replicas are stuck.
    let anyStuck = false;
    for (let i = 0; i < positions.length && !anyStuck; i++) anyStuck = stuckAt(positions[i]!, view, target);
    if (!anyStuck) {
      this.lastConverged = now;
      return;
    }
    if (this.reportedStuck || now - this.lastConverged <= this.convergenceBound) return;
    this.reportedStuck = true;
    const stuck = positions.filter((p) => stuckAt(p, view, target));
    const who = stuck
      .map((p) => `replica ${p.replica} ${p.normal ? "in" : "changing to"} view ${p.view} at seq ${p.lastExecuted}`)
      .join(", ");
    this.violations.push({
      invariant: "LIV-2",
      time: now,
      view: view < 0 ? undefined : view,
      seq: target,
      replicas: stuck.map((p) => p.replica),
      detail: `not converged for ${fmt(now - this.lastConverged)} (bound ${fmt(this.convergenceBound)}, stabilisation ${fmt(this.stabilization)}): ${who}; the group is ${view < 0 ? "in no view in normal mode" : `in view ${view}`} and had executed up to seq ${target} one poll earlier`,
    });
  }

  get outstanding(): number {
    return this.pending.size;
  }

  private late(client: number, timestamp: number, deadline: number, now: number, what: string): void {
    if (this.reportedLate) return;
    this.reportedLate = true;
    this.violations.push({
      invariant: "LIV-1",
      time: now,
      detail: `client ${client} request t ${timestamp} ${what}; deadline was ${fmt(deadline)} (stabilisation ${fmt(this.stabilization)} + bound ${fmt(this.bound)})`,
    });
  }
}

/** Not in normal mode in the group's view, or behind what some correct replica had executed at the previous poll. */
function stuckAt(p: ReplicaPosition, view: number, target: number): boolean {
  return !p.normal || p.view !== view || p.lastExecuted < target;
}

/** The view most replicas are in normal mode in (ties: the higher view); −1 if none is in normal mode. */
function groupView(positions: ReadonlyArray<ReplicaPosition>): number {
  // Each distinct view counted once, at its first position (no Map: polled all run long): O(n × views),
  // and the replicas are in one or two views nearly always.
  let best = -1;
  let bestCount = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    if (!p.normal || seenBefore(positions, i)) continue;
    let c = 0;
    for (let j = i; j < positions.length; j++) if (positions[j]!.normal && positions[j]!.view === p.view) c++;
    if (c > bestCount || (c === bestCount && p.view > best)) {
      best = p.view;
      bestCount = c;
    }
  }
  return best;
}

/** Whether a position before `i` is in normal mode in the same view as position `i`. */
function seenBefore(positions: ReadonlyArray<ReplicaPosition>, i: number): boolean {
  const v = positions[i]!.view;
  for (let j = 0; j < i; j++) if (positions[j]!.normal && positions[j]!.view === v) return true;
  return false;
}

function fmt(t: number): string {
  return `${Number(t.toPrecision(9))}s`;
}
