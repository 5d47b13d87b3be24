// net/stats: message counters per kind (sent, delivered, dropped by reason, duplicated, bytes)
// and per (kind, node) (messages and bytes sent and received), kept in typed arrays indexed by
// kind id so counting is a few array increments; `snapshot` turns them into sorted plain rows.
// May import: ./kinds.

import type { KindTable } from "./kinds.js";

export type DropReason = "loss" | "partition" | "rule" | "down";

export const DROP_LOSS = 0;
export const DROP_PARTITION = 1;
export const DROP_RULE = 2;
export const DROP_DOWN = 3;
/** Reason names by code. */
export const DROP_REASONS: readonly DropReason[] = ["loss", "partition", "rule", "down"];

/** One row per message kind. `sent + duplicated = delivered + dropped + in flight`. */
export interface KindStats {
  kind: string;
  sent: number;
  bytesSent: number;
  delivered: number;
  bytesDelivered: number;
  /** Extra copies made by the network (random duplication and duplicate rules). */
  duplicated: number;
  dropped: number;
  droppedLoss: number;
  droppedPartition: number;
  droppedRule: number;
  droppedDown: number;
}

/** One row per (kind, node) with any traffic. */
export interface NodeKindStats {
  kind: string;
  node: number;
  messagesSent: number;
  bytesSent: number;
  messagesReceived: number;
  bytesReceived: number;
}

export interface NetStats {
  /** Sorted by kind name (code-unit order, locale independent); kinds with no traffic omitted. */
  kinds: KindStats[];
  /** Sorted by kind name, then node; (kind, node) pairs with no traffic omitted. */
  nodes: NodeKindStats[];
}

// per-kind fields, `F` slots per kind
const SENT = 0;
const BYTES_SENT = 1;
const DELIVERED = 2;
const BYTES_DELIVERED = 3;
const DUPLICATED = 4;
const DROPPED = 5; // 5..8 by reason
const F = 9;

export class NetCounters {
  private capacity = 0;
  private perKind : Float64Array = new Float64Array(0);
  private nodeSent : Float64Array = new Float64Array(0);
  private nodeSentBytes : Float64Array = new Float64Array(0);
  private nodeRecv : Float64Array = new Float64Array(0);
  private nodeRecvBytes : Float64Array = new Float64Array(0);

  constructor(private readonly nodeCount: number) {
    this.grow(8);
  }

  /** Makes room for kind ids < `kinds` (call when a kind is interned). */
  ensureKinds(kinds: number): void {
    if (kinds > this.capacity) this.grow(Math.max(kinds, this.capacity * 2));
  }

  sent(kind: number, from: number, size: number): void {
    const k = kind * F;
    this.perKind[k + SENT]++;
    this.perKind[k + BYTES_SENT] += size;
    const j = kind * this.nodeCount + from;
    this.nodeSent[j]++;
    this.nodeSentBytes[j] += size;
  }

  delivered(kind: number, to: number, size: number): void {
    const k = kind * F;
    this.perKind[k + DELIVERED]++;
    this.perKind[k + BYTES_DELIVERED] += size;
    const j = kind * this.nodeCount + to;
    this.nodeRecv[j]++;
    this.nodeRecvBytes[j] += size;
  }

  dropped(kind: number, reason: number): void {
    this.perKind[kind * F + DROPPED + reason]++;
  }

  duplicated(kind: number): void {
    this.perKind[kind * F + DUPLICATED]++;
  }

  snapshot(kinds: KindTable): NetStats {
    const ids: number[] = [];
    for (let id = 0; id < kinds.size; id++) ids.push(id);
    ids.sort((a, b) => compareStrings(kinds.name(a), kinds.name(b)));
    const kindRows: KindStats[] = [];
    const nodeRows: NodeKindStats[] = [];
    const n = this.nodeCount;
    for (const id of ids) {
      const c = this.perKind;
      const k = id * F;
      const row: KindStats = {
        kind: kinds.name(id),
        sent: c[k + SENT]!,
        bytesSent: c[k + BYTES_SENT]!,
        delivered: c[k + DELIVERED]!,
        bytesDelivered: c[k + BYTES_DELIVERED]!,
        duplicated: c[k + DUPLICATED]!,
        dropped: 0,
        droppedLoss: c[k + DROPPED + DROP_LOSS]!,
        droppedPartition: c[k + DROPPED + DROP_PARTITION]!,
        droppedRule: c[k + DROPPED + DROP_RULE]!,
        droppedDown: c[k + DROPPED + DROP_DOWN]!,
      };
      row.dropped = row.droppedLoss + row.droppedPartition + row.droppedRule + row.droppedDown;
      if (row.sent > 0 || row.duplicated > 0 || row.delivered > 0) kindRows.push(row);
      for (let node = 0; node < n; node++) {
        const j = id * n + node;
        if (this.nodeSent[j] === 0 && this.nodeRecv[j] === 0) continue;
        nodeRows.push({
          kind: row.kind,
          node,
          messagesSent: this.nodeSent[j]!,
          bytesSent: this.nodeSentBytes[j]!,
          messagesReceived: this.nodeRecv[j]!,
          bytesReceived: this.nodeRecvBytes[j]!,
        });
      }
    }
    return { kinds: kindRows, nodes: nodeRows };
  }

  private grow(capacity: number): void {
    const n = this.nodeCount;
    this.perKind = extend(this.perKind, capacity * F);
    this.nodeSent = extend(this.nodeSent, capacity * n);
    this.nodeSentBytes = extend(this.nodeSentBytes, capacity * n);
    this.nodeRecv = extend(this.nodeRecv, capacity * n);
    this.nodeRecvBytes = extend(this.nodeRecvBytes, capacity * n);
    this.capacity = capacity;
  }
}

function extend(a: Float64Array, length: number): Float64Array {
  const b = new Float64Array(length);
  b.set(a);
  return b;
}

/** Code-unit order: unlike localeCompare, the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
