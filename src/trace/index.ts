// trace/: the event trace of a run and its viewers. Owns the trace's event vocabulary (vocabulary.ts),
// the recorder — a world observer that turns a run's messages, node events, observations, economic
// events and violations into columnar rows, with filters and a row limit (recorder.ts, data.ts,
// filters.ts) — the trace.jsonl format and its (gzip) file (jsonl.ts, files.ts), the command-line
// session of a traced run (session.ts), and the viewers: trace.html (html.ts with its browser code in
// viewer.ts) and the Perfetto and ShiViz exports (perfetto.ts, shiviz.ts).
// May import: world (observer types), check (types), protocols/pbft (types), scenario/suggest.ts.
// Nothing in the world imports trace/: the CLI hands a recorder to the run.

export type { TraceColumns, TraceData, TraceEnd, TraceMeta } from "./data.js";
export { encodeTrace, GZIP_LEVEL, GZIP_THRESHOLD_BYTES, gzipDeterministic, readTrace, readTraceText, TRACE_FILE, TRACE_FILE_GZ, traceFileIn } from "./files.js";
export {
  DEFAULT_TRACE_LIMIT,
  MAX_TRACE_LIMIT,
  parseTraceOptions,
  type RawTraceOptions,
  type TraceFilters,
  TraceOptionError,
  type TraceOptions,
  traceKindNames,
} from "./filters.js";
export { DIGEST_PREFIX, eventLine, jsonlBytes, jsonlChunks, parseJsonl, type RowsView, TraceFormatError } from "./jsonl.js";
export { TraceRecorder } from "./recorder.js";
export { type FinishedTrace, type TraceManifest, TraceSession } from "./session.js";
export { DROP_REASON_NAMES, ECONOMIC_EVENTS, EV, EVENT_NAMES, type EventName } from "./vocabulary.js";
export { eventFields, eventTitle, laneLabel } from "./describe.js";
export { rewriteTraceHtml, TRACE_HTML, traceHtml, viewerData, writeTraceHtml } from "./html.js";
export { perfettoJson } from "./perfetto.js";
export { SHIVIZ_MAX_EVENTS, SHIVIZ_MAX_NODES, SHIVIZ_REGEX, ShivizLimitError, shivizLog } from "./shiviz.js";
export { ARROW_AT_SEND, ARROW_BYZANTINE, ARROW_DROPPED, ARROW_ORPHAN, buildModel, causalPast, type ViewerData, type ViewerModel, visibleArrows } from "./viewer.js";
