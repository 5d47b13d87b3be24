// The trace file of a run folder: trace.jsonl, or trace.jsonl.gz when the text passes
// GZIP_THRESHOLD_BYTES. Compression is made deterministic: fixed level, mtime 0 and a fixed OS byte
// in the gzip header, so the same trace gives the same compressed bytes with the same zlib (Node.js
// build); the content — what the determinism tests compare across machines — is the JSONL text.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { TraceData } from "./data.js";
import { jsonlBytes, parseJsonl } from "./jsonl.js";

/** Uncompressed size above which the trace is written gzip-compressed (16 MiB). */
export const GZIP_THRESHOLD_BYTES = 16 * 1024 * 1024;
/** zlib level of trace.jsonl.gz. */
export const GZIP_LEVEL = 6;
/** OS byte written in the gzip header: 255, "unknown" (RFC 1952), whatever the platform. */
const GZIP_OS_UNKNOWN = 255;

export const TRACE_FILE = "trace.jsonl";
export const TRACE_FILE_GZ = "trace.jsonl.gz";

export interface TraceFile {
  /** File name inside the run folder. */
  readonly path: typeof TRACE_FILE | typeof TRACE_FILE_GZ;
  readonly content: Buffer;
  /** Size of the JSONL text in bytes. */
  readonly textBytes: number;
}

/** Deterministic gzip (see the header). */
export function gzipDeterministic(text: Buffer): Buffer {
  const gz = gzipSync(text, { level: GZIP_LEVEL });
  gz[9] = GZIP_OS_UNKNOWN;
  return gz;
}

/** The trace as the run folder stores it. */
export function encodeTrace(data: TraceData, threshold = GZIP_THRESHOLD_BYTES): TraceFile {
  return traceFile(jsonlBytes(data), threshold);
}

/** The file of a trace whose JSONL text is `text` (compressed above `threshold`). */
export function traceFile(text: Buffer, threshold = GZIP_THRESHOLD_BYTES): TraceFile {
  const bytes = text.length;
  return bytes > threshold ? { path: TRACE_FILE_GZ, content: gzipDeterministic(text), textBytes: bytes } : { path: TRACE_FILE, content: text, textBytes: bytes };
}

/** The trace file of a run folder, or undefined if it has none. */
export function traceFileIn(dir: string): string | undefined {
  for (const f of [TRACE_FILE, TRACE_FILE_GZ]) if (existsSync(join(dir, f))) return join(dir, f);
  return undefined;
}

/** The JSONL text of a trace file (decompressed when .gz). */
export function readTraceText(file: string): string {
  const raw = readFileSync(file);
  return (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
}

/** Reads and parses a run folder's trace; undefined if the folder has none. */
export function readTrace(dir: string): TraceData | undefined {
  const file = traceFileIn(dir);
  return file === undefined ? undefined : parseJsonl(readTraceText(file), file);
}
