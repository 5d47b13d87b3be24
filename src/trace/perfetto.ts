// Chrome Trace Event JSON of a trace, for ui.perfetto.dev and chrome://tracing. One process per node
// (named by its lane label), with four threads: events (a slice per message sent or received and
// an instant per node event), view change, state transfer and down (crash to recovery); plus a
// "network" process with the violations and one thread per concurrent partition. Messages are flow
// arrows (phases s and f, one flow per delivered copy) between the send and receive slices.
//
// Perfetto requires the slices of one thread to nest, never to overlap partially. Message slices last
// until the node's next event at a later time, at most 1 ms, so slices at one instant nest and later
// ones start after they end; the long slices sit on their own threads and never overlap there
// (view changes in a row merge into one slice until NEW-VIEW; a transfer restarted before it ended
// continues the same slice). Times: 1 µs of trace time = 1 µs of simulated time.

import type { TraceData } from "./data.js";
import { eventFields, eventTitle, laneLabel } from "./describe.js";
import { DROP_REASON_NAMES, EV } from "./vocabulary.js";

/** Longest message slice, µs. */
const MESSAGE_SLICE_US = 1000;

const TID_EVENTS = 1;
const TID_VIEW = 2;
const TID_TRANSFER = 3;
const TID_DOWN = 4;

type TraceEvent = Record<string, unknown>;

const us = (t: number): number => Math.round(t * 1e9) / 1e3;

export function perfettoJson(data: TraceData): string {
  const { meta, rows, end } = data;
  const out: TraceEvent[] = [];
  const nodes = meta.nodes.length;
  const pidOf = (node: number): number => node + 1;
  const netPid = nodes + 1;
  for (const n of meta.nodes) {
    const pid = pidOf(n.node);
    out.push({ name: "process_name", ph: "M", pid, args: { name: `${n.label} (${n.role} ${n.index})` } });
    out.push({ name: "process_sort_index", ph: "M", pid, args: { sort_index: n.node } });
    for (const [tid, name] of [
      [TID_EVENTS, "events"],
      [TID_VIEW, "view change"],
      [TID_TRANSFER, "state transfer"],
      [TID_DOWN, "down"],
    ] as const) {
      out.push({ name: "thread_name", ph: "M", pid, tid, args: { name } });
    }
  }
  out.push({ name: "process_name", ph: "M", pid: netPid, args: { name: "network and checkers" } });
  out.push({ name: "process_sort_index", ph: "M", pid: netPid, args: { sort_index: nodes } });
  out.push({ name: "thread_name", ph: "M", pid: netPid, tid: TID_EVENTS, args: { name: "violations" } });

  // Deliveries per message id, so a send can start one flow per delivered copy.
  const deliveries = new Map<number, number>();
  for (let r = 0; r < rows.count; r++) if (rows.ev[r] === EV.deliver) deliveries.set(rows.msg[r]!, (deliveries.get(rows.msg[r]!) ?? 0) + 1);
  const flowBase = new Map<number, number>();
  const flowNext = new Map<number, number>();
  let flows = 0;

  // Message slice length: up to the node's next event at a later time (rows are in time order).
  const sliceDur = new Float64Array(rows.count);
  const lastAt = new Float64Array(nodes + 1).fill(-1);
  const pendingFrom = new Int32Array(rows.count);
  const pendingHead = new Int32Array(nodes + 1).fill(-1);
  for (let r = 0; r < rows.count; r++) {
    const node = rows.node[r]!;
    if (node < 0) continue;
    const ts = us(rows.t[r]!);
    if (ts > lastAt[node]!) {
      // every row of this node still waiting ends here
      for (let p = pendingHead[node]!; p >= 0; p = pendingFrom[p]!) sliceDur[p] = Math.min(MESSAGE_SLICE_US, ts - us(rows.t[p]!));
      pendingHead[node] = -1;
      lastAt[node] = ts;
    }
    sliceDur[r] = MESSAGE_SLICE_US;
    pendingFrom[r] = pendingHead[node]!;
    pendingHead[node] = r;
  }

  const open = {
    view: new Map<number, { ts: number; from: number }>(),
    transfer: new Map<number, { ts: number; seq: number }>(),
    down: new Map<number, number>(),
  };
  const partitions: Array<{ ts: number; key: string; source: string } | null> = [];
  const endTs = us(end.simTime);

  for (let r = 0; r < rows.count; r++) {
    const ev = rows.ev[r]!;
    const node = rows.node[r]!;
    const ts = us(rows.t[r]!);
    const args = eventFields(rows, r);
    const title = eventTitle(meta, rows, r);
    const msg = rows.msg[r]!;
    if (ev === EV.send || ev === EV.deliver) {
      const pid = pidOf(node);
      const kind = rows.kinds[rows.kind[r]!]!;
      out.push({ name: title, cat: "message", ph: "X", ts, dur: sliceDur[r], pid, tid: TID_EVENTS, args });
      if (ev === EV.send) {
        const k = deliveries.get(msg) ?? 0;
        if (k > 0 && !flowBase.has(msg)) {
          flowBase.set(msg, flows);
          for (let j = 0; j < k; j++) out.push({ name: kind, cat: "message", ph: "s", id: flows + j, ts, pid, tid: TID_EVENTS });
          flows += k;
        }
      } else {
        const base = flowBase.get(msg);
        if (base !== undefined) {
          const j = flowNext.get(msg) ?? 0;
          flowNext.set(msg, j + 1);
          out.push({ name: kind, cat: "message", ph: "f", bp: "e", id: base + j, ts, pid, tid: TID_EVENTS });
        }
      }
      continue;
    }
    if (ev === EV.drop) {
      out.push({ name: title, cat: `drop,${DROP_REASON_NAMES[rows.reason[r]!]}`, ph: "i", s: "t", ts, pid: pidOf(node), tid: TID_EVENTS, args });
      continue;
    }
    if (ev === EV.violation) {
      out.push({ name: title, cat: "violation", ph: "i", s: "t", ts, pid: netPid, tid: TID_EVENTS, args });
      continue;
    }
    if (ev === EV.partition_start || ev === EV.partition_heal) {
      const x = rows.extra[r] ?? {};
      const key = `${String(x.source)}:${JSON.stringify(x.sides)}`;
      if (ev === EV.partition_start) {
        let slot = partitions.indexOf(null);
        if (slot < 0) slot = partitions.push(null) - 1;
        partitions[slot] = { ts, key, source: String(x.source) };
        out.push({ name: "thread_name", ph: "M", pid: netPid, tid: TID_EVENTS + 1 + slot, args: { name: `partition ${slot}` } });
      } else {
        const slot = partitions.findIndex((p) => p !== null && p.key === key);
        if (slot >= 0) {
          const p = partitions[slot]!;
          out.push({ name: `partition (${p.source})`, cat: "partition", ph: "X", ts: p.ts, dur: ts - p.ts, pid: netPid, tid: TID_EVENTS + 1 + slot, args: x });
          partitions[slot] = null;
        }
      }
      continue;
    }
    if (node < 0) continue;
    const pid = pidOf(node);
    out.push({ name: title, cat: "event", ph: "i", s: "t", ts, pid, tid: TID_EVENTS, args });
    switch (ev) {
      case EV.view_change:
        if (!open.view.has(node)) open.view.set(node, { ts, from: rows.view[r]! });
        break;
      case EV.new_view: {
        const o = open.view.get(node);
        if (o !== undefined) {
          out.push({ name: `view change → v${rows.view[r]}`, cat: "view", ph: "X", ts: o.ts, dur: ts - o.ts, pid, tid: TID_VIEW, args: { first: o.from, installed: rows.view[r] } });
          open.view.delete(node);
        }
        break;
      }
      case EV.state_transfer_start:
        if (!open.transfer.has(node)) open.transfer.set(node, { ts, seq: rows.seq[r]! });
        break;
      case EV.state_transfer_end: {
        const o = open.transfer.get(node);
        if (o !== undefined) {
          const installed = rows.extra[r]?.installed === true;
          out.push({ name: `state transfer → s${rows.seq[r]}${installed ? "" : " (not installed)"}`, cat: "transfer", ph: "X", ts: o.ts, dur: ts - o.ts, pid, tid: TID_TRANSFER, args: { seq: rows.seq[r], installed } });
          open.transfer.delete(node);
        }
        break;
      }
      case EV.crash: {
        if (!open.down.has(node)) open.down.set(node, ts);
        const o = open.transfer.get(node);
        if (o !== undefined) {
          out.push({ name: "state transfer (crashed)", cat: "transfer", ph: "X", ts: o.ts, dur: ts - o.ts, pid, tid: TID_TRANSFER, args: { seq: o.seq } });
          open.transfer.delete(node);
        }
        break;
      }
      case EV.recover: {
        const o = open.down.get(node);
        if (o !== undefined) {
          out.push({ name: `down (recovered, log ${String(rows.extra[r]?.log)})`, cat: "down", ph: "X", ts: o, dur: ts - o, pid, tid: TID_DOWN, args: {} });
          open.down.delete(node);
        }
        break;
      }
    }
  }
  // Slices still open at the end of the trace last until its end.
  for (const [node, o] of open.view) out.push({ name: "view change (unfinished)", cat: "view", ph: "X", ts: o.ts, dur: Math.max(0, endTs - o.ts), pid: pidOf(node), tid: TID_VIEW, args: { first: o.from } });
  for (const [node, o] of open.transfer) out.push({ name: "state transfer (unfinished)", cat: "transfer", ph: "X", ts: o.ts, dur: Math.max(0, endTs - o.ts), pid: pidOf(node), tid: TID_TRANSFER, args: { seq: o.seq } });
  for (const [node, o] of open.down) out.push({ name: "down (until the end)", cat: "down", ph: "X", ts: o, dur: Math.max(0, endTs - o), pid: pidOf(node), tid: TID_DOWN, args: {} });
  partitions.forEach((p, slot) => {
    if (p !== null) out.push({ name: `partition (${p.source}, unhealed)`, cat: "partition", ph: "X", ts: p.ts, dur: Math.max(0, endTs - p.ts), pid: netPid, tid: TID_EVENTS + 1 + slot, args: {} });
  });

  const head = {
    displayTimeUnit: "ms",
    otherData: { source: "potsim trace", scenario: meta.scenario, seed: meta.seed, model: meta.model, timeUnit: "1 µs = 1 µs of simulated time", nodes: meta.nodes.map((n) => laneLabel(meta, n.node)) },
  };
  // One event per line keeps the file diff- and grep-friendly.
  return `{"displayTimeUnit":${JSON.stringify(head.displayTimeUnit)},"otherData":${JSON.stringify(head.otherData)},"traceEvents":[\n${out.map((e) => JSON.stringify(e)).join(",\n")}\n]}\n`;
}
