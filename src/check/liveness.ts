// LIV-1: after the declared stabilisation time, every correct client's request completes within
// a bound. A request counts from max(submit time, stabilisation time); the checker is polled
// (world schedules periodic checks) and at the end of the run.

import type { Violation } from "./violation.js";

export class LivenessChecker {
  readonly violations: Violation[];
  private readonly pending = new Map<string, { client: number; timestamp: number; since: number }>();
  private reportedLate = false;

  constructor(
    private readonly stabilization: number,
    private readonly bound: number,
    sink: Violation[] = [],
  ) {
    this.violations = sink;
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

function fmt(t: number): string {
  return `${Number(t.toPrecision(9))}s`;
}
