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
/** Characters per write of `jsonlBytes`. */
const BATCH_CHARS = 1 << 16;
/** Strings JSON writes as they are between quotes (digests, names): no quote, backslash or control character. */
const PLAIN = /^[\w .:|+\-/']*$/;

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

const quote = (s: string): string => (PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));

/** `{"i":…,"t":…,"ev":"name"` per event code, ready to be completed. */
const EV_HEAD = EVENT_NAMES.map((n) => `,"ev":"${n}"`);
const DROP_TAIL = DROP_REASON_NAMES.map((n) => [`,"reason":"${n}","stage":"arrival"`, `,"reason":"${n}","stage":"send"`] as const);

/**
 * The JSON line of row `r`. Hot when a trace is written (one call per event): one template per part
 * and cached quoted names; JSON.stringify only for the rare fields with nested values.
 */
export function eventLine(rows: TraceColumns, r: number, kindJson: readonly string[] = rows.kinds.map(quote)): string {
  const msg = rows.msg[r]!;
  const node = rows.node[r]!;
  const view = rows.view[r]!;
  const seq = rows.seq[r]!;
  const digest = rows.digest[r]!;
  const reason = rows.reason[r]!;
  let s = `{"i":${rows.id[r]},"t":${rows.t[r]}${EV_HEAD[rows.ev[r]!]}${node >= 0 ? `,"node":${node}` : ""}`;
  if (msg > 0) s += `,"msg":${msg},"from":${rows.from[r]},"to":${rows.to[r]},"kind":${kindJson[rows.kind[r]!]}`;
  if (view >= 0) s += `,"view":${view}`;
  if (seq >= 0) s += `,"seq":${seq}`;
  if (digest !== "") s += `,"digest":${quote(digest.length > DIGEST_PREFIX ? digest.slice(0, DIGEST_PREFIX) : digest)}`;
  if (msg > 0) s += `,"bytes":${rows.bytes[r]}`;
  if (reason >= 0) s += DROP_TAIL[reason]![rows.atSend[r]!]!;
  const extra = rows.extra[r];
  if (extra !== undefined) {
    for (const k in extra) {
      const v = extra[k];
      s += `,"${k}":${typeof v === "number" || typeof v === "boolean" ? v : typeof v === "string" ? quote(v) : JSON.stringify(v)}`;
    }
  }
  return `${s}}`;
}

/** The whole file as strings of at most CHUNK_LINES lines each, every line ending in "\n". */
export function* jsonlChunks(data: TraceData): Generator<string> {
  yield `${metaLine(data.meta)}\n`;
  const rows = data.rows;
  const kindJson = rows.kinds.map(quote);
  for (let start = 0; start < rows.count; start += CHUNK_LINES) {
    const end = Math.min(rows.count, start + CHUNK_LINES);
    const lines = new Array<string>(end - start);
    for (let r = start; r < end; r++) lines[r - start] = eventLine(rows, r, kindJson);
    yield `${lines.join("\n")}\n`;
  }
  yield `${endLine(data.end)}\n`;
}

/**
 * The whole file as UTF-8 bytes (the same bytes as jsonlChunks' strings), made without building one
 * large string: lines are joined in batches of about 64 KiB, each written straight into one buffer
 * sized for the trace (grown by doubling if short). Two to three times faster than jsonlChunks with a
 * Buffer per chunk; test/trace checks that both give the same bytes.
 */
export function jsonlBytes(data: TraceData): Buffer {
  const rows = data.rows;
  let buf = Buffer.allocUnsafe(Math.max(1 << 16, rows.count * 160));
  let at = 0;
  const write = (text: string): void => {
    // a UTF-8 character takes at most 3 bytes per UTF-16 code unit
    const need = at + text.length * 3;
    if (need > buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
      buf.copy(grown, 0, 0, at);
      buf = grown;
    }
    at += buf.write(text, at, "utf8");
  };
  write(`${metaLine(data.meta)}\n`);
  const kindJson = rows.kinds.map(quote);
  let batch = "";
  for (let r = 0; r < rows.count; r++) {
    batch += `${eventLine(rows, r, kindJson)}\n`;
    if (batch.length > BATCH_CHARS) {
      write(batch);
      batch = "";
    }
  }
  write(`${batch}${endLine(data.end)}\n`);
  return buf.subarray(0, at);
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
