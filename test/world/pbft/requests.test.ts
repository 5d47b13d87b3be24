// RequestLog (src/world/pbft/requests.ts) answers exactly as the Map of records and the completed
// array it replaces: table rows in first-submission order (a repeated submission overwrites in
// place), retransmissions, completion once, latencies and completion times in completion order.

import { describe, expect, it } from "vitest";
import { type Cell, round } from "../../../src/metrics/index.js";
import { RequestLog } from "../../../src/world/pbft/requests.js";

interface Rec {
  client: number;
  timestamp: number;
  submit: number;
  complete: number;
  retransmissions: number;
}

/** The structure RequestLog replaced (world.ts before it). */
class MapLog {
  readonly requests = new Map<string, Rec>();
  readonly completed: Rec[] = [];
  submitted(client: number, timestamp: number, now: number): void {
    this.requests.set(`${client}:${timestamp}`, { client, timestamp, submit: now, complete: -1, retransmissions: 0 });
  }
  retransmitted(client: number, timestamp: number): void {
    const r = this.requests.get(`${client}:${timestamp}`);
    if (r) r.retransmissions++;
  }
  accepted(client: number, timestamp: number, now: number): void {
    const r = this.requests.get(`${client}:${timestamp}`);
    if (r && r.complete < 0) {
      r.complete = now;
      this.completed.push(r);
    }
  }
  rows(): Cell[][] {
    return [...this.requests.values()].map((r) => [
      r.client,
      r.timestamp,
      round(r.submit),
      r.complete >= 0 ? round(r.complete) : null,
      r.complete >= 0 ? round(r.complete - r.submit) : null,
      r.retransmissions,
    ]);
  }
}

describe("RequestLog", () => {
  it("gives the Map's table, counts, latencies and completion order over a random history (with repeats)", () => {
    const log = new RequestLog();
    const ref = new MapLog();
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const next = [0, 0, 0, 0, 0];
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      now += 0.001 * (1 + rand(1000)) + 1 / 3;
      const c = rand(5);
      const op = rand(10);
      // Mostly new requests, sometimes a repeated timestamp (overwrites), retransmissions and acceptances of any known one.
      let t = op < 4 ? ++next[c]! : op === 4 ? Math.max(1, next[c]!) : 1 + rand(Math.max(1, next[c]! + 2));
      // Some timestamps outside the dense index: fractions, negatives, huge values (kept in a Map).
      if (rand(20) === 0) t = [t + 0.5, -t, 2 ** 40 + t, 2 ** 24 + (t % 3)][rand(4)]!;
      for (const l of [log, ref]) {
        if (op < 5) l.submitted(c, t, now);
        else if (op < 7) l.retransmitted(c, t);
        else l.accepted(c, t, now);
      }
    }
    expect(log.issued).toBe(ref.requests.size);
    expect(log.completed).toBe(ref.completed.length);
    expect(log.latencies()).toEqual(ref.completed.map((r) => r.complete - r.submit));
    const times: number[] = [];
    log.eachCompletion((t) => times.push(t));
    expect(times).toEqual(ref.completed.map((r) => r.complete));
    const table = log.table();
    expect(table.rows).toEqual(ref.rows());
    const streamed: Cell[][] = [];
    table.eachRow!((row) => streamed.push([...row]));
    expect(streamed).toEqual(ref.rows());
  });
});
