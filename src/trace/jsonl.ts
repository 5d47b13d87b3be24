// trace.jsonl: one JSON object per line. The first line is `meta`, then one line per event in
// processing order, then `end`. An event line's keys come in a fixed order — i, t, ev, node, then the
// message fields (msg, from, to, kind), view, seq, digest (first 8 characters), bytes, reason,
// stage, then the event's own fields — each present only when the event has it. Numbers are written
// as JavaScript writes them (shortest round-trip form), so the same rows always give the same bytes
// and parsing a line gives back the row it came from.

import { TraceColumns, type TraceData, type TraceEnd, type TraceMeta } from "./data.js";
import { DROP_REASON_NAMES, EV, EVENT_NAMES } from "./vocabulary.js";

/** Characters of a digest a trace keeps. */
export const DIGEST_PREFIX = 8;

/** Lines per chunk of `jsonlChunks` (bounds the size of one string). */
const CHUNK_LINES = 8192;

function metaLine(m: TraceMeta): string {
  return JSON.stringify({
    ev: "meta",
    format: "potsim-trace",
    version: 1,
    model: m.model,
    scenario: m.scenario,
    seed: m.seed,
    n: m.n,
    f: m.f,
    nodes: m.nodes.map((x) => ({ node: x.node, role: x.role, index: x.index, label: x.label })),
    kinds: m.kinds,
    filters: { kinds: m.filters.kinds, nodes: m.filters.nodes, window: m.filters.window },
    limit: m.limit,
  });
}

function endLine(e: TraceEnd): string {
  return JSON.stringify({ ev: "end", seen: e.seen, written: e.written, truncated: e.truncated, truncated_at: e.truncatedAt, sim_time: e.simTime });
}

/** The JSON line of row `r`. */
export function eventLine(rows: TraceColumns, r: number): string {
  const ev = rows.ev[r]!;
  let s = `{"i":${rows.id[r]},"t":${rows.t[r]},"ev":"${EVENT_NAMES[ev]}"`;
  const node = rows.node[r]!;
  if (node >= 0) s += `,"node":${node}`;
  const msg = rows.msg[r]!;
  if (msg > 0) s += `,"msg":${msg},"from":${rows.from[r]},"to":${rows.to[r]},"kind":${JSON.stringify(rows.kinds[rows.kind[r]!])}`;
  const view = rows.view[r]!;
  if (view >= 0) s += `,"view":${view}`;
  const seq = rows.seq[r]!;
  if (seq >= 0) s += `,"seq":${seq}`;
  const digest = rows.digest[r]!;
  if (digest !== "") s += `,"digest":${JSON.stringify(digest.length > DIGEST_PREFIX ? digest.slice(0, DIGEST_PREFIX) : digest)}`;
  if (msg > 0) s += `,"bytes":${rows.bytes[r]}`;
  const reason = rows.reason[r]!;
  if (reason >= 0) s += `,"reason":"${DROP_REASON_NAMES[reason]}","stage":"${rows.atSend[r] === 1 ? "send" : "arrival"}"`;
  const extra = rows.extra[r];
  if (extra !== undefined) for (const k in extra) s += `,${JSON.stringify(k)}:${JSON.stringify(extra[k])}`;
  return `${s}}`;
}

/** The whole file as strings of at most CHUNK_LINES lines each, every line ending in "\n". */
export function* jsonlChunks(data: TraceData): Generator<string> {
  yield `${metaLine(data.meta)}\n`;
  const rows = data.rows;
  for (let start = 0; start < rows.count; start += CHUNK_LINES) {
    const end = Math.min(rows.count, start + CHUNK_LINES);
    const lines = new Array<string>(end - start);
    for (let r = start; r < end; r++) lines[r - start] = eventLine(rows, r);
    yield `${lines.join("\n")}\n`;
  }
  yield `${endLine(data.end)}\n`;
}

export class TraceFormatError extends Error {}

const KNOWN = new Set(["i", "t", "ev", "node", "msg", "from", "to", "kind", "view", "seq", "digest", "bytes", "reason", "stage"]);

/** Parses trace.jsonl text back into rows (the inverse of jsonlChunks). */
export function parseJsonl(text: string, file = "trace.jsonl"): TraceData {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const at = (k: number): Record<string, unknown> => {
    try {
      const v = JSON.parse(lines[k]!) as unknown;
      if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
      return v as Record<string, unknown>;
    } catch (e) {
      throw new TraceFormatError(`${file}:${k + 1}: not a JSON object (${e instanceof Error ? e.message : String(e)})`);
    }
  };
  if (lines.length < 2) throw new TraceFormatError(`${file}: a trace has a meta line and an end line`);
  const m = at(0);
  if (m.ev !== "meta" || m.format !== "potsim-trace") throw new TraceFormatError(`${file}:1: not a potsim trace (no meta line)`);
  if (m.version !== 1) throw new TraceFormatError(`${file}:1: trace format version ${String(m.version)} is not supported (expected 1)`);
  const filters = m.filters as TraceMeta["filters"];
  const meta: TraceMeta = {
    model: String(m.model),
    scenario: String(m.scenario),
    seed: Number(m.seed),
    n: Number(m.n),
    f: Number(m.f),
    nodes: m.nodes as TraceMeta["nodes"],
    kinds: m.kinds as string[],
    filters: { kinds: filters.kinds, nodes: filters.nodes, window: filters.window },
    limit: Number(m.limit),
  };
  const e = at(lines.length - 1);
  if (e.ev !== "end") throw new TraceFormatError(`${file}:${lines.length}: the last line is not the end line (the trace is incomplete)`);
  const end: TraceEnd = {
    seen: Number(e.seen),
    written: Number(e.written),
    truncated: e.truncated === true,
    truncatedAt: e.truncated_at === null ? null : Number(e.truncated_at),
    simTime: Number(e.sim_time),
  };
  const rows = new TraceColumns(Math.max(16, lines.length));
  for (const k of meta.kinds) rows.kindOf(k);
  for (let k = 1; k < lines.length - 1; k++) {
    const o = at(k);
    const ev = EV[o.ev as keyof typeof EV];
    if (ev === undefined) throw new TraceFormatError(`${file}:${k + 1}: unknown event ${JSON.stringify(o.ev)}`);
    const r = rows.open(Number(o.i), Number(o.t), ev, typeof o.node === "number" ? o.node : -1);
    if (typeof o.msg === "number") {
      rows.msg[r] = o.msg;
      rows.from[r] = Number(o.from);
      rows.to[r] = Number(o.to);
      rows.kind[r] = rows.kindOf(String(o.kind));
      rows.bytes[r] = Number(o.bytes);
    }
    if (typeof o.view === "number") rows.view[r] = o.view;
    if (typeof o.seq === "number") rows.seq[r] = o.seq;
    if (typeof o.digest === "string") rows.digest[r] = o.digest;
    if (typeof o.reason === "string") {
      rows.reason[r] = (DROP_REASON_NAMES as readonly string[]).indexOf(o.reason);
      rows.atSend[r] = o.stage === "send" ? 1 : 0;
    }
    let extra: Record<string, unknown> | undefined;
    for (const key in o) {
      if (KNOWN.has(key)) continue;
      (extra ??= {})[key] = o[key];
    }
    rows.extra[r] = extra;
    rows.count++;
  }
  if (rows.count !== end.written) throw new TraceFormatError(`${file}: ${rows.count} event lines, but the end line says ${end.written}`);
  return { meta, rows, end };
}
