// Human-readable names of trace rows, shared by the exporters: lane names, a one-line title per event
// and its fields as a plain object.

import type { TraceColumns, TraceMeta } from "./data.js";
import { DIGEST_PREFIX } from "./jsonl.js";
import { DROP_REASON_NAMES, EV, EVENT_NAMES } from "./vocabulary.js";

/** Lane label of a node id ("n<id>" for a node the meta line does not name). */
export function laneLabel(meta: TraceMeta, node: number): string {
  return meta.nodes[node]?.label ?? `n${node}`;
}

/** One-line title of row `r`, e.g. "send pre-prepare v0 s3 → r2", "new_view v2 (O 3, null 1)". */
export function eventTitle(meta: TraceMeta, rows: TraceColumns, r: number): string {
  const ev = rows.ev[r]!;
  const name = EVENT_NAMES[ev]!;
  const v = rows.view[r]!;
  const s = rows.seq[r]!;
  const vs = `${v >= 0 ? ` v${v}` : ""}${s >= 0 ? ` s${s}` : ""}`;
  const x = rows.extra[r] ?? {};
  if (rows.msg[r]! > 0) {
    const kind = rows.kinds[rows.kind[r]!];
    const from = laneLabel(meta, rows.from[r]!);
    const to = laneLabel(meta, rows.to[r]!);
    if (ev === EV.send) return `send ${kind}${vs} → ${to}`;
    if (ev === EV.deliver) return `receive ${kind}${vs} ← ${from}`;
    return `drop ${kind}${vs} ${from} → ${to} (${DROP_REASON_NAMES[rows.reason[r]!]})`;
  }
  switch (ev) {
    case EV.timer:
      return `timer ${String(x.timer)}`;
    case EV.recover:
      return `recover (log ${String(x.log)})`;
    case EV.new_view:
      return `new_view${vs} (O ${String(x.o_set)}, null ${String(x.null_fills)})`;
    case EV.violation:
      return `violation ${String(x.invariant)}${vs}`;
    case EV.report_submit:
    case EV.report_accept:
      return `${name} epoch ${String(x.epoch)} (${String(x.report_kind)})`;
    case EV.report_reject:
      return `${name} epoch ${String(x.epoch)} (${String(x.reason)})`;
    case EV.alarm:
      return `alarm ${String(x.reason)}${vs}`;
    default:
      return `${name}${vs}`;
  }
}

/** Every field of row `r` but time and event name, as the JSONL line has them. */
export function eventFields(rows: TraceColumns, r: number): Record<string, unknown> {
  const o: Record<string, unknown> = { i: rows.id[r] };
  if (rows.node[r]! >= 0) o.node = rows.node[r];
  if (rows.msg[r]! > 0) {
    o.msg = rows.msg[r];
    o.from = rows.from[r];
    o.to = rows.to[r];
    o.kind = rows.kinds[rows.kind[r]!];
  }
  if (rows.view[r]! >= 0) o.view = rows.view[r];
  if (rows.seq[r]! >= 0) o.seq = rows.seq[r];
  if (rows.digest[r] !== "") o.digest = rows.digest[r]!.slice(0, DIGEST_PREFIX);
  if (rows.msg[r]! > 0) o.bytes = rows.bytes[r];
  if (rows.reason[r]! >= 0) {
    o.reason = DROP_REASON_NAMES[rows.reason[r]!];
    o.stage = rows.atSend[r] === 1 ? "send" : "arrival";
  }
  const x = rows.extra[r];
  if (x !== undefined) Object.assign(o, x);
  return o;
}
