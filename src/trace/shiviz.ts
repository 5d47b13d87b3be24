// A ShiViz log of a trace (GoVector style): the parser regular expression on the first line, an
// empty multiple-executions delimiter on the second, then two lines per event — "<host> <vector
// clock as JSON>" and the event's description. Hosts are the lane labels. Every event of a node
// ticks that node's own clock entry by one (the first event of a host is 1); a delivery also takes
// the element-wise maximum with its send's clock, so the clocks encode happens-before. Partition
// events (no node) are left out; a violation is logged at the first replica it names.
//
// ShiViz draws every event in the browser: beyond SHIVIZ_MAX_EVENTS events or SHIVIZ_MAX_NODES hosts
// the export refuses (unless forced) and suggests filtering the trace when running.

import type { TraceData } from "./data.js";
import { eventTitle, laneLabel } from "./describe.js";
import { EV } from "./vocabulary.js";

export const SHIVIZ_MAX_EVENTS = 20_000;
export const SHIVIZ_MAX_NODES = 64;
export const SHIVIZ_REGEX = "(?<host>\\S*) (?<clock>{.*})\\n(?<event>.*)";

export class ShivizLimitError extends Error {}

/** The host of row `r`: its node, or for a violation the first replica it names (−1: none). */
function hostOf(data: TraceData, r: number): number {
  const node = data.rows.node[r]!;
  if (node >= 0) return node;
  if (data.rows.ev[r] === EV.violation) {
    const replicas = data.rows.extra[r]?.replicas;
    if (Array.isArray(replicas) && typeof replicas[0] === "number") return replicas[0];
  }
  return -1;
}

export function shivizLog(data: TraceData, opts: { force?: boolean } = {}): string {
  const { meta, rows } = data;
  const nodes = meta.nodes.length;
  let events = 0;
  for (let r = 0; r < rows.count; r++) if (hostOf(data, r) >= 0) events++;
  if (!opts.force && (events > SHIVIZ_MAX_EVENTS || nodes > SHIVIZ_MAX_NODES)) {
    throw new ShivizLimitError(
      `shiviz: the trace has ${events} events on ${nodes} nodes; ShiViz stays usable up to ${SHIVIZ_MAX_EVENTS} events and ${SHIVIZ_MAX_NODES} nodes. ` +
        "Run again with --trace-window, --trace-nodes or --trace-kinds to trace less, or pass --force to export anyway.",
    );
  }
  const clocks = Array.from({ length: nodes }, () => new Int32Array(nodes));
  const sendClock = new Map<number, Int32Array>();
  const labels = meta.nodes.map((n) => laneLabel(meta, n.node));
  const lines: string[] = [SHIVIZ_REGEX, ""];
  for (let r = 0; r < rows.count; r++) {
    const host = hostOf(data, r);
    if (host < 0) continue;
    const c = clocks[host]!;
    c[host]!++;
    const ev = rows.ev[r]!;
    const msg = rows.msg[r]!;
    if (ev === EV.deliver) {
      const s = sendClock.get(msg);
      if (s !== undefined) for (let j = 0; j < nodes; j++) if (s[j]! > c[j]!) c[j] = s[j]!;
    } else if (ev === EV.send) sendClock.set(msg, c.slice());
    let json = "{";
    for (let j = 0; j < nodes; j++) {
      if (c[j] === 0) continue;
      json += `${json === "{" ? "" : ", "}${JSON.stringify(labels[j])}: ${c[j]}`;
    }
    lines.push(`${labels[host]} ${json}}`);
    lines.push(`${eventTitle(meta, rows, r)} [i=${rows.id[r]} t=${rows.t[r]}${msg > 0 ? ` msg=${msg}` : ""}]`);
  }
  return `${lines.join("\n")}\n`;
}
