// Helpers for driving a single replica by hand: message constructors and effect inspection.

import {
  batchDigest,
  type Checkpoint,
  type Commit,
  type Effect,
  makeRequest,
  type Observation,
  type Prepare,
  type PrePrepare,
  type Replica,
  type Request,
} from "../../../src/protocols/pbft/index.js";

export function req(client: number, ts: number, op: unknown = { type: "put", key: "x", value: ts }): Request {
  return makeRequest(client, ts, op, 16);
}

export function pp(view: number, seq: number, reqs: Request[], replica = view): PrePrepare {
  return { type: "pre-prepare", view, seq, digest: batchDigest(reqs), replica, requests: reqs };
}

export function prep(view: number, seq: number, digest: string, replica: number): Prepare {
  return { type: "prepare", view, seq, digest, replica };
}

export function com(view: number, seq: number, digest: string, replica: number): Commit {
  return { type: "commit", view, seq, digest, replica };
}

export function ckpt(seq: number, digest: string, replica: number): Checkpoint {
  return { type: "checkpoint", seq, digest, replica };
}

export function observations(effects: Effect[]): Observation[] {
  return effects.flatMap((e) => (e.kind === "observe" ? [e.event] : []));
}

export function has(effects: Effect[], type: Observation["type"]): boolean {
  return observations(effects).some((o) => o.type === type);
}

export function broadcasts(effects: Effect[], type: string): number {
  return effects.filter((e) => e.kind === "broadcast" && e.msg.type === type).length;
}

/** Feeds a message and returns the effects it produced. */
export function feed(r: Replica, from: number, msg: Parameters<Replica["step"]>[1], now = 0): Effect[] {
  r.step(from, msg, now);
  return r.drainEffects();
}

/**
 * Commits and executes `reqs` at `seq` (view 0, primary 0) at backup `r` by feeding the
 * pre-prepare, PREPAREs and COMMITs of every other replica. Returns all effects.
 */
export function commitAt(r: Replica, n: number, seq: number, reqs: Request[], view = 0): Effect[] {
  const p = pp(view, seq, reqs);
  const primary = view % n;
  const out: Effect[] = [];
  if (r.id !== primary) out.push(...feed(r, primary, p));
  for (let j = 0; j < n; j++) if (j !== r.id && j !== primary) out.push(...feed(r, j, prep(view, seq, p.digest, j)));
  for (let j = 0; j < n; j++) if (j !== r.id) out.push(...feed(r, j, com(view, seq, p.digest, j)));
  return out;
}
