// How the PBFT world looks to its observers: the network nodes (replicas, clients, twin copies) with
// their lane labels, the message kinds, and what a trace shows of each message (view, sequence
// number, digest). Derived from the scenario alone, so `sim run --trace-nodes` can be checked
// before a world is built; test/trace checks it against a built world's hosts.

import type { Message, MessageType } from "../../protocols/pbft/index.js";
import type { MessageFacts, NodeInfo, NodeRole } from "../observe.js";
import type { PbftSection } from "../scenario.js";

/** Every PBFT message kind, in protocol order (pbft.md §3); the Record makes a new kind a compile error here. */
const KIND_ORDER: Record<MessageType, number> = {
  request: 0,
  "pre-prepare": 1,
  prepare: 2,
  commit: 3,
  reply: 4,
  checkpoint: 5,
  "view-change": 6,
  "new-view": 7,
  "fetch-state": 8,
  state: 9,
  "fetch-batch": 10,
  batch: 11,
  "fetch-new-view": 12,
  status: 13,
  "commit-certs": 14,
  "stable-proof": 15,
};

export const PBFT_MESSAGE_KINDS: readonly MessageType[] = (Object.keys(KIND_ORDER) as MessageType[]).sort((a, b) => KIND_ORDER[a] - KIND_ORDER[b]);

/**
 * The network nodes of a PBFT world: replicas 0…n−1, then the clients (labelled by `clientRole`:
 * for the pot model, `meta` then `gateway`), then the twin copies of twinned replicas (a twins fault's
 * or a Twins search's).
 */
export function pbftNodes(p: PbftSection, clients: ReadonlyArray<{ role: NodeRole; count: number }>): NodeInfo[] {
  const nodes: NodeInfo[] = [];
  for (let r = 0; r < p.n; r++) nodes.push({ node: r, role: "replica", index: r, label: `r${r}` });
  const prefix: Record<NodeRole, string> = { replica: "r", twin: "r", client: "c", meta: "m", gateway: "g" };
  for (const c of clients) {
    for (let i = 0; i < c.count; i++) nodes.push({ node: nodes.length, role: c.role, index: i, label: `${prefix[c.role]}${i}` });
  }
  const twinned = [...p.faults.flatMap((f) => (f.type === "twins" ? f.replicas : [])), ...(p.twinsSearch?.replicas ?? [])];
  for (const r of twinned) nodes.push({ node: nodes.length, role: "twin", index: r, label: `r${r}'` });
  return nodes;
}

const num = (x: unknown): number => (typeof x === "number" && Number.isInteger(x) ? x : -1);
const str = (x: unknown): string => (typeof x === "string" ? x : "");

/** View, sequence number and digest of a PBFT message (Byzantine senders may forge fields: anything malformed reads as absent). */
export function describePbftMessage(msg: unknown, out: MessageFacts): void {
  out.view = -1;
  out.seq = -1;
  out.digest = "";
  if (typeof msg !== "object" || msg === null) return;
  const m = msg as Message;
  switch (m.type) {
    case "request":
      out.digest = str((m.request as { digest?: unknown } | null)?.digest);
      return;
    case "pre-prepare":
    case "prepare":
    case "commit":
      out.view = num(m.view);
      out.seq = num(m.seq);
      out.digest = str(m.digest);
      return;
    case "checkpoint":
    case "fetch-state":
    case "state":
    case "stable-proof":
      out.seq = num(m.seq);
      out.digest = str(m.digest);
      return;
    case "fetch-batch":
    case "batch":
      out.digest = str(m.digest);
      return;
    case "status":
      out.view = num(m.view);
      out.seq = num(m.lastExec);
      return;
    case "reply":
    case "view-change":
    case "new-view":
    case "fetch-new-view":
      out.view = num(m.view);
      return;
    case "commit-certs":
      return;
  }
}
