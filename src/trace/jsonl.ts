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

/** What the encoders read of the rows: a TraceColumns, or a chunk of one in the encoding worker. */
export type RowsView = Pick<
  TraceColumns,
  "kinds" | "id" | "t" | "ev" | "node" | "msg" | "from" | "to" | "kind" | "view" | "seq" | "bytes" | "reason" | "atSend" | "digest" | "extra"
>;

/**
 * The JSON line of row `r`. Hot when a trace is written (one call per event): one template per part
 * and cached quoted names; JSON.stringify only for the rare fields with nested values.
 */
export function eventLine(rows: RowsView, r: number, kindJson: readonly string[] = rows.kinds.map(quote)): string {
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

// ---- fast path: the file as bytes ------------------------------------------------------------

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const B_I = ascii('{"i":');
const B_T = ascii(',"t":');
const B_NODE = ascii(',"node":');
const B_MSG = ascii(',"msg":');
const B_FROM = ascii(',"from":');
const B_TO = ascii(',"to":');
const B_VIEW = ascii(',"view":');
const B_SEQ = ascii(',"seq":');
const B_DIGEST = ascii(',"digest":"');
const B_BYTES = ascii(',"bytes":');
const B_EV = EV_HEAD.map(ascii);
const B_DROP = DROP_TAIL.map((pair) => pair.map(ascii));
/** Room one message line can take: fixed text, at most 24 characters per number, a kind and a digest prefix. */
const MESSAGE_LINE_MAX = 512;

/** Writes `v` as JavaScript prints it: digits of a non-negative safe integer directly, anything else through String(). */
function putNumber(buf: Uint8Array, at: number, v: number): number {
  if (v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v) {
    let end = at + 1;
    for (let x = v; x >= 10; x = Math.floor(x / 10)) end++;
    let p = end;
    let x = v;
    do {
      buf[--p] = 48 + (x % 10);
      x = Math.floor(x / 10);
    } while (x > 0);
    return end;
  }
  return putAscii(buf, at, String(v));
}

/** Writes an ASCII string (a number's text, a plain name) byte by byte. */
function putAscii(buf: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
  return at;
}

function putBytes(buf: Uint8Array, at: number, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) buf[at++] = b[i]!;
  return at;
}

/**
 * Message row `r` (send, deliver or drop, without extra fields) written byte by byte,
 * exactly as eventLine writes it, with its line end; returns the end, or −1 when its digest holds a
 * character other than letters, digits and "_" (then eventLine writes the row).
 */
function putMessageLine(rows: RowsView, r: number, buf: Uint8Array, at: number, kindBytes: readonly Uint8Array[]): number {
  const digest = rows.digest[r]!;
  at = putNumber(buf, putBytes(buf, at, B_I), rows.id[r]!);
  at = putNumber(buf, putBytes(buf, at, B_T), rows.t[r]!);
  at = putBytes(buf, at, B_EV[rows.ev[r]!]!);
  at = putNumber(buf, putBytes(buf, at, B_NODE), rows.node[r]!);
  at = putNumber(buf, putBytes(buf, at, B_MSG), rows.msg[r]!);
  at = putNumber(buf, putBytes(buf, at, B_FROM), rows.from[r]!);
  at = putNumber(buf, putBytes(buf, at, B_TO), rows.to[r]!);
  at = putBytes(buf, at, kindBytes[rows.kind[r]!]!);
  const view = rows.view[r]!;
  if (view >= 0) at = putNumber(buf, putBytes(buf, at, B_VIEW), view);
  const seq = rows.seq[r]!;
  if (seq >= 0) at = putNumber(buf, putBytes(buf, at, B_SEQ), seq);
  if (digest !== "") {
    at = putBytes(buf, at, B_DIGEST);
    // the prefix copied character by character (no slice); anything outside [0-9a-zA-Z_] is left to eventLine
    const n = Math.min(DIGEST_PREFIX, digest.length);
    for (let i = 0; i < n; i++) {
      const c = digest.charCodeAt(i);
      if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return -1;
      buf[at++] = c;
    }
    buf[at++] = 0x22;
  }
  at = putNumber(buf, putBytes(buf, at, B_BYTES), rows.bytes[r]!);
  const reason = rows.reason[r]!;
  if (reason >= 0) at = putBytes(buf, at, B_DROP[reason]![rows.atSend[r]!]!);
  buf[at++] = 0x7d;
  buf[at++] = 0x0a;
  return at;
}

/**
 * The whole file as UTF-8 bytes — a performance room whose reference is jsonlChunks (test/trace checks
 * both give the same bytes). Message rows, nine in ten, are written byte by byte without making a
 * string (no garbage per line); the other lines are made by eventLine and written in batches of about
 * 64 KiB; all into one buffer sized for the trace (grown by doubling if short).
 */
export function jsonlBytes(data: TraceData): Buffer {
  return encodeRows(data.rows, 0, data.rows.count, `${metaLine(data.meta)}\n`, `${endLine(data.end)}\n`);
}

/** Rows [from, to) as trace.jsonl bytes, after `head` and before `tail` (jsonlBytes's engine). */
function encodeRows(rows: RowsView, from: number, to: number, head: string, tail: string): Buffer {
  let buf = Buffer.allocUnsafe(Math.max(1 << 16, (to - from) * 160));
  let at = 0;
  const room = (bytes: number): void => {
    if (at + bytes <= buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(at + bytes, buf.length * 2));
    buf.copy(grown, 0, 0, at);
    buf = grown;
  };
  const write = (text: string): void => {
    if (text === "") return;
    // a UTF-8 character takes at most 3 bytes per UTF-16 code unit
    room(text.length * 3);
    at += buf.write(text, at, "utf8");
  };
  write(head);
  const kindJson = rows.kinds.map(quote);
  const kindBytes = rows.kinds.map((k) => (PLAIN.test(k) ? ascii(`,"kind":"${k}"`) : null));
  let batch = "";
  for (let r = from; r < to; r++) {
    // (a message row with extra fields — never recorded, possible in a parsed file — goes through eventLine)
    const kb = rows.msg[r]! > 0 && rows.extra[r] === undefined ? kindBytes[rows.kind[r]!] : null;
    if (kb !== null && kb !== undefined) {
      write(batch);
      batch = "";
      room(MESSAGE_LINE_MAX);
      const end = putMessageLine(rows, r, buf, at, kindBytes as Uint8Array[]);
      if (end >= 0) {
        at = end;
        continue;
      }
    }
    batch += `${eventLine(rows, r, kindJson)}\n`;
    if (batch.length > BATCH_CHARS) {
      write(batch);
      batch = "";
    }
  }
  write(`${batch}${tail}`);
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
