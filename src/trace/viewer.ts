/// <reference lib="dom" />
// trace/viewer: the browser code of trace.html — a space-time diagram drawn on a canvas. html.ts
// inlines these functions by their source text (Function.prototype.toString), so each must be
// self-contained: no imports, no module-level values, only calls to the other functions listed in
// VIEWER_FUNCTIONS. The pure parts (buildModel, causalPast, visibleArrows) are also tested in Node.
//
// Scale: everything is columnar (typed arrays indexed by row or arrow); arrows are sorted by start
// time in chunks of ARROW_CHUNK that know their time span, so a redraw visits only the chunks that
// overlap the window and draws one path per message kind. A filter change recomputes one flag per
// arrow and mark, then redraws.

/** The data html.ts embeds: the trace's columns, with `peer` (the send row of a delivery or drop, else −1). */
export interface ViewerData {
  meta: {
    scenario: string;
    seed: number;
    model: string;
    n: number;
    f: number;
    nodes: Array<{ node: number; role: string; index: number; label: string }>;
    seen: number;
    written: number;
    truncated: boolean;
    simTime: number;
  };
  events: string[];
  reasons: string[];
  kinds: string[];
  id: number[];
  t: number[];
  ev: number[];
  node: number[];
  peer: number[];
  msg: number[];
  from: number[];
  to: number[];
  kind: number[];
  view: number[];
  seq: number[];
  reason: number[];
  atSend: number[];
  digest: string[];
  /** Extra fields by row index. */
  extra: Record<string, Record<string, unknown>>;
}

/** Arrow flags. */
export const ARROW_DROPPED = 1;
export const ARROW_AT_SEND = 2;
export const ARROW_ORPHAN = 4;
export const ARROW_BYZANTINE = 8;

export interface ViewerModel {
  count: number;
  lanes: number;
  t: Float64Array;
  ev: Uint8Array;
  /** Lane (node) of each row, −1 for rows without one (partitions, violations). */
  lane: Int32Array;
  peer: Int32Array;
  /** The view each row happened in: its own view, else its node's (sender's) current view; −1 unknown. */
  effView: Int32Array;
  /** Arrows: one per delivery or drop, sorted by start time. */
  arrows: number;
  aRow: Int32Array;
  aT0: Float64Array;
  aT1: Float64Array;
  aL0: Int32Array;
  aL1: Int32Array;
  aKind: Int16Array;
  aFlags: Uint8Array;
  /** Per chunk of ARROW_CHUNK arrows: earliest start and latest end. */
  chunkT0: Float64Array;
  chunkT1: Float64Array;
  chunkSize: number;
  /** Rows drawn as glyphs (node events), in time order. */
  marks: Int32Array;
  /** Violation rows. */
  violations: Int32Array;
  /** Per lane: view segments [t0, t1, view, changing(0/1)] flattened. */
  viewSegs: number[][];
  /** Per lane: down windows [t0, t1] flattened. */
  downSegs: number[][];
  /** Partition windows: t0, t1 and the lanes cut off from the largest side. */
  partitions: Array<{ t0: number; t1: number; lanes: number[] }>;
  views: number[];
  t0: number;
  t1: number;
}

export function buildModel(d: ViewerData): ViewerModel {
  const ARROW_CHUNK = 256;
  const count = d.t.length;
  const lanes = d.meta.nodes.length;
  const ev = Uint8Array.from(d.ev);
  const t = Float64Array.from(d.t);
  const peer = Int32Array.from(d.peer);
  const E = (name: string): number => d.events.indexOf(name);
  const SEND = E("send");
  const DELIVER = E("deliver");
  const DROP = E("drop");
  const VIEW_CHANGE = E("view_change");
  const NEW_VIEW = E("new_view");
  const CRASH = E("crash");
  const RECOVER = E("recover");
  const ACCEPT = E("accept");
  const VIOLATION = E("violation");
  const P_START = E("partition_start");
  const P_HEAL = E("partition_heal");
  const byzantine = d.reasons.indexOf("byzantine");
  const lane = new Int32Array(count);
  const effView = new Int32Array(count);
  const cur = new Int32Array(lanes).fill(0);
  const simEnd = Math.max(d.meta.simTime, count > 0 ? t[count - 1]! : 0);
  const viewSegs: number[][] = Array.from({ length: lanes }, () => []);
  const downSegs: number[][] = Array.from({ length: lanes }, () => []);
  const segStart = new Float64Array(lanes).fill(0);
  const segView = new Int32Array(lanes).fill(0);
  const segChanging = new Uint8Array(lanes);
  const downAt = new Float64Array(lanes).fill(-1);
  const partitions: Array<{ t0: number; t1: number; lanes: number[] }> = [];
  const openParts: Array<{ t0: number; key: string; lanes: number[] }> = [];
  const viewSet = new Set<number>();
  let arrows = 0;
  let markCount = 0;
  let violationCount = 0;
  const closeSeg = (l: number, at: number): void => {
    if (at > segStart[l]!) viewSegs[l]!.push(segStart[l]!, at, segView[l]!, segChanging[l]!);
    segStart[l] = at;
  };
  for (let r = 0; r < count; r++) {
    const e = ev[r]!;
    const node = d.node[r]!;
    lane[r] = node >= 0 && node < lanes ? node : -1;
    const own = d.view[r]!;
    if (e === SEND || e === DELIVER || e === DROP) {
      effView[r] = own >= 0 ? own : cur[d.from[r]!] ?? -1;
      if (e !== SEND) arrows++;
    } else {
      if (lane[r] >= 0) {
        const l = lane[r]!;
        if (e === VIEW_CHANGE || e === NEW_VIEW) {
          closeSeg(l, t[r]!);
          segView[l] = own;
          segChanging[l] = e === VIEW_CHANGE ? 1 : 0;
          cur[l] = own;
        } else if (e === ACCEPT && own >= 0) cur[l] = own;
        else if (e === CRASH) downAt[l] = t[r]!;
        else if (e === RECOVER && downAt[l]! >= 0) {
          downSegs[l]!.push(downAt[l]!, t[r]!);
          downAt[l] = -1;
        }
        markCount++;
      } else if (e === VIOLATION) violationCount++;
      else if (e === P_START || e === P_HEAL) {
        const x = d.extra[r] ?? {};
        const sides = Array.isArray(x.sides) ? (x.sides as number[]) : [];
        const key = `${String(x.source)}:${sides.join(",")}`;
        if (e === P_START) {
          const size = new Map<number, number>();
          for (const s of sides) size.set(s, (size.get(s) ?? 0) + 1);
          let main = 0;
          let best = -1;
          for (const [s, c] of size) if (c > best || (c === best && s < main)) [main, best] = [s, c];
          const cut: number[] = [];
          sides.forEach((s, n) => {
            if (s !== main && n < lanes) cut.push(n);
          });
          openParts.push({ t0: t[r]!, key, lanes: cut });
        } else {
          const k = openParts.findIndex((p) => p.key === key);
          if (k >= 0) {
            const p = openParts.splice(k, 1)[0]!;
            partitions.push({ t0: p.t0, t1: t[r]!, lanes: p.lanes });
          }
        }
      }
      effView[r] = own >= 0 ? own : lane[r]! >= 0 ? cur[lane[r]!]! : -1;
    }
    if (effView[r]! >= 0) viewSet.add(effView[r]!);
  }
  for (let l = 0; l < lanes; l++) {
    closeSeg(l, simEnd);
    if (downAt[l]! >= 0) downSegs[l]!.push(downAt[l]!, simEnd);
  }
  for (const p of openParts) partitions.push({ t0: p.t0, t1: simEnd, lanes: p.lanes });

  // Arrows, then sorted by start time.
  const raw = new Int32Array(arrows);
  const rawT0 = new Float64Array(arrows);
  let k = 0;
  for (let r = 0; r < count; r++) {
    const e = ev[r]!;
    if (e !== DELIVER && e !== DROP) continue;
    raw[k] = r;
    rawT0[k] = peer[r]! >= 0 ? t[peer[r]!]! : t[r]!;
    k++;
  }
  const order = Array.from({ length: arrows }, (_, i) => i).sort((a, b) => rawT0[a]! - rawT0[b]! || raw[a]! - raw[b]!);
  const aRow = new Int32Array(arrows);
  const aT0 = new Float64Array(arrows);
  const aT1 = new Float64Array(arrows);
  const aL0 = new Int32Array(arrows);
  const aL1 = new Int32Array(arrows);
  const aKind = new Int16Array(arrows);
  const aFlags = new Uint8Array(arrows);
  for (let i = 0; i < arrows; i++) {
    const r = raw[order[i]!]!;
    aRow[i] = r;
    aT0[i] = rawT0[order[i]!]!;
    aL0[i] = d.from[r]!;
    aL1[i] = d.to[r]!;
    aKind[i] = d.kind[r]!;
    // flags: 1 dropped, 2 dropped at send, 4 no send in the trace, 8 Byzantine filter (ARROW_*)
    let f = 0;
    if (ev[r] === DROP) {
      f |= 1;
      if (d.atSend[r] === 1) f |= 2;
      if (d.reason[r] === byzantine) f |= 8;
    }
    if (peer[r]! < 0) f |= 4;
    aFlags[i] = f;
    aT1[i] = t[r]!;
  }
  const chunks = Math.ceil(arrows / ARROW_CHUNK);
  const chunkT0 = new Float64Array(chunks);
  const chunkT1 = new Float64Array(chunks);
  for (let c = 0; c < chunks; c++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = c * ARROW_CHUNK; i < Math.min(arrows, (c + 1) * ARROW_CHUNK); i++) {
      if (aT0[i]! < lo) lo = aT0[i]!;
      if (aT1[i]! > hi) hi = aT1[i]!;
    }
    chunkT0[c] = lo;
    chunkT1[c] = hi;
  }
  const marks = new Int32Array(markCount);
  const violations = new Int32Array(violationCount);
  let m = 0;
  let v = 0;
  for (let r = 0; r < count; r++) {
    const e = ev[r]!;
    if (e === SEND || e === DELIVER || e === DROP) continue;
    if (lane[r]! >= 0) marks[m++] = r;
    else if (e === VIOLATION) violations[v++] = r;
  }
  return {
    count,
    lanes,
    t,
    ev,
    lane,
    peer,
    effView,
    arrows,
    aRow,
    aT0,
    aT1,
    aL0,
    aL1,
    aKind,
    aFlags,
    chunkT0,
    chunkT1,
    chunkSize: ARROW_CHUNK,
    marks,
    violations,
    viewSegs,
    downSegs,
    partitions,
    views: [...viewSet].sort((a, b) => a - b),
    t0: 0,
    t1: simEnd > 0 ? simEnd : 1,
  };
}

/**
 * The causal past of row `start` (happens-before over the trace): every earlier row of the same lane,
 * and for every delivery in the past, its send and everything before it on the sender's lane,
 * transitively. One backward sweep: a row is in the past when it is at or before the latest past row
 * known on its lane; a delivery in the past pulls its send's lane up to the send.
 */
export function causalPast(lane: Int32Array, peer: Int32Array, isDelivery: Uint8Array, lanes: number, start: number): Uint8Array {
  const past = new Uint8Array(lane.length);
  const reach = new Int32Array(lanes).fill(-1);
  past[start] = 1;
  const l0 = lane[start]!;
  if (l0 >= 0) reach[l0] = start;
  else if (peer[start]! >= 0) reach[lane[peer[start]!]!] = peer[start]!;
  for (let i = start; i >= 0; i--) {
    const l = lane[i]!;
    if (l < 0 || i > reach[l]!) continue;
    past[i] = 1;
    if (isDelivery[i] === 1) {
      const p = peer[i]!;
      if (p >= 0) {
        const lp = lane[p]!;
        if (lp >= 0 && p > reach[lp]!) reach[lp] = p;
      }
    }
  }
  return past;
}

/** Arrow indices to draw in [t0, t1] among those flagged visible (visits only overlapping chunks). */
export function visibleArrows(m: ViewerModel, show: Uint8Array, t0: number, t1: number, out: Int32Array): number {
  let n = 0;
  const chunks = m.chunkT0.length;
  for (let c = 0; c < chunks; c++) {
    if (m.chunkT0[c]! > t1) break;
    if (m.chunkT1[c]! < t0) continue;
    const end = Math.min(m.arrows, (c + 1) * m.chunkSize);
    for (let i = c * m.chunkSize; i < end; i++) {
      if (show[i] === 0 || m.aT0[i]! > t1 || m.aT1[i]! < t0) continue;
      out[n++] = i;
    }
  }
  return n;
}

/** Starts the viewer on the page html.ts builds. */
export function startViewer(): void {
  const dataEl = document.getElementById("potsim-trace-data");
  const canvas = document.getElementById("diagram") as HTMLCanvasElement;
  if (dataEl === null || canvas === null) throw new Error("trace.html: missing data or canvas");
  const d = JSON.parse(dataEl.textContent ?? "{}") as ViewerData;
  const m = buildModel(d);
  const maybeCtx = canvas.getContext("2d");
  if (maybeCtx === null) throw new Error("trace.html: no 2d canvas");
  const ctx: CanvasRenderingContext2D = maybeCtx;
  const wrap = canvas.parentElement as HTMLElement;
  const E = (name: string): number => d.events.indexOf(name);
  const DELIVER = E("deliver");
  const DROP = E("drop");
  const VIOLATION = E("violation");
  // replicas the fault plan makes faulty (and their twin copies): labelled in red
  const faulty = new Set<number>();
  const FAULT_PLAN = E("fault_plan");
  for (let r = 0; r < m.count; r++) {
    if (m.ev[r] !== FAULT_PLAN) continue;
    const ids = d.extra[String(r)]?.faulty;
    if (Array.isArray(ids)) for (const n of d.meta.nodes) if ((n.role === "replica" || n.role === "twin") && (ids as number[]).includes(n.index)) faulty.add(n.node);
  }
  const isDelivery = new Uint8Array(m.count);
  for (let r = 0; r < m.count; r++) if (m.ev[r] === DELIVER) isDelivery[r] = 1;

  // ---- colours ----------------------------------------------------------------------------
  const PALETTE = ["#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"];
  const kindColor = d.kinds.map((_, i) => PALETTE[i % PALETTE.length]!);
  const MARK: Record<string, { color: string; shape: "diamond" | "dot" | "square" | "tick" | "cross" }> = {
    view_change: { color: "#e6550d", shape: "diamond" },
    new_view: { color: "#31a354", shape: "diamond" },
    crash: { color: "#000000", shape: "cross" },
    recover: { color: "#31a354", shape: "cross" },
    timer: { color: "#9e9e9e", shape: "tick" },
    prepared: { color: "#ff7f0e", shape: "tick" },
    committed: { color: "#2ca02c", shape: "tick" },
    execute: { color: "#252525", shape: "dot" },
    checkpoint: { color: "#8c564b", shape: "tick" },
    checkpoint_stable: { color: "#8c564b", shape: "dot" },
    state_transfer_start: { color: "#3182bd", shape: "square" },
    state_transfer_end: { color: "#3182bd", shape: "square" },
    body_fetched: { color: "#3182bd", shape: "dot" },
    equivocation: { color: "#d62728", shape: "diamond" },
    alarm: { color: "#d62728", shape: "cross" },
    submit: { color: "#1f77b4", shape: "dot" },
    retransmit: { color: "#d62728", shape: "dot" },
    accept: { color: "#2ca02c", shape: "dot" },
  };
  const markStyle = (e: number): { color: string; shape: string } => MARK[d.events[e]!] ?? { color: "#756bb1", shape: "square" };
  /** Event names shown unchecked at first (many, small). */
  const QUIET = new Set(["timer", "prepared", "committed", "checkpoint"]);

  // ---- filters ----------------------------------------------------------------------------
  const kindOn = new Uint8Array(d.kinds.length).fill(1);
  const evOn = new Uint8Array(d.events.length).fill(1);
  for (const q of QUIET) if (E(q) >= 0) evOn[E(q)] = 0;
  const laneOn = new Uint8Array(m.lanes).fill(1);
  let viewFilter = -1;
  const showArrow = new Uint8Array(m.arrows);
  const showMark = new Uint8Array(m.marks.length);
  const slotOf = new Int32Array(m.lanes);
  let slots = m.lanes;
  const drawnArrows = new Int32Array(m.arrows);
  let drawnArrowCount = 0;
  const drawnMarks: number[] = [];
  const buckets: number[][] = [];
  const seenLines = new Set<number>();

  const refilter = (): void => {
    slots = 0;
    for (let l = 0; l < m.lanes; l++) slotOf[l] = laneOn[l] === 1 ? slots++ : -1;
    for (let i = 0; i < m.arrows; i++) {
      const r = m.aRow[i]!;
      const dropped = (m.aFlags[i]! & 1) !== 0;
      showArrow[i] =
        kindOn[m.aKind[i]!] === 1 &&
        evOn[dropped ? DROP : DELIVER] === 1 &&
        slotOf[m.aL0[i]!]! >= 0 &&
        slotOf[m.aL1[i]!]! >= 0 &&
        (viewFilter < 0 || m.effView[r] === viewFilter)
          ? 1
          : 0;
    }
    for (let k = 0; k < m.marks.length; k++) {
      const r = m.marks[k]!;
      showMark[k] = evOn[m.ev[r]!] === 1 && slotOf[m.lane[r]!]! >= 0 && (viewFilter < 0 || m.effView[r] === viewFilter) ? 1 : 0;
    }
  };

  // ---- layout -------------------------------------------------------------------------------
  const GUTTER = 64;
  const AXIS = 28;
  const LANE_H = Math.max(14, Math.min(34, Math.floor(560 / Math.max(1, m.lanes))));
  let width = 800;
  let height = 400;
  let w0 = m.t0;
  let w1 = m.t1;
  const x = (tt: number): number => GUTTER + ((tt - w0) / (w1 - w0)) * (width - GUTTER - 8);
  const tAt = (px: number): number => w0 + ((px - GUTTER) / (width - GUTTER - 8)) * (w1 - w0);
  const y = (l: number): number => AXIS + slotOf[l]! * LANE_H + LANE_H / 2;

  const resize = (): void => {
    const dpr = window.devicePixelRatio || 1;
    width = Math.max(320, wrap.clientWidth);
    height = AXIS + slots * LANE_H + 8;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  };

  // ---- selection (causal past) ----------------------------------------------------------
  let selected = -1;
  /** The row whose causal past is shown: the selected row, or the event a selected violation cites. */
  let focus = -1;
  let past: Uint8Array | null = null;
  const rowOfId = (id: number): number => {
    let lo = 0;
    let hi = m.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = d.id[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const details = document.getElementById("details") as HTMLElement;
  const describe = (r: number): string => {
    const o: Record<string, unknown> = { i: d.id[r], t: d.t[r], ev: d.events[m.ev[r]!] };
    if (d.node[r]! >= 0) o.node = `${d.node[r]} (${d.meta.nodes[d.node[r]!]?.label ?? "?"})`;
    if (d.msg[r]! > 0) Object.assign(o, { msg: d.msg[r], from: d.from[r], to: d.to[r], kind: d.kinds[d.kind[r]!] });
    if (d.view[r]! >= 0) o.view = d.view[r];
    if (d.seq[r]! >= 0) o.seq = d.seq[r];
    if (d.digest[r] !== "") o.digest = d.digest[r];
    if (d.reason[r]! >= 0) Object.assign(o, { reason: d.reasons[d.reason[r]!], stage: d.atSend[r] === 1 ? "send" : "arrival" });
    Object.assign(o, d.extra[String(r)] ?? {});
    return JSON.stringify(o, null, 1);
  };
  const select = (r: number, center: boolean): void => {
    selected = r;
    focus = r;
    if (r < 0) {
      past = null;
      details.textContent = "Click an event or arrow: its causal past (everything that happened before it) stays highlighted.";
      canvas.dataset.selected = "";
      canvas.dataset.focus = "";
      canvas.dataset.pastCount = "0";
    } else {
      let start = r;
      if (m.ev[r] === VIOLATION) {
        const cause = d.extra[String(r)]?.cause;
        const cr = typeof cause === "number" ? rowOfId(cause) : -1;
        if (cr >= 0) start = cr;
      }
      focus = start;
      past = causalPast(m.lane, m.peer, isDelivery, m.lanes, start);
      let n = 0;
      for (let i = 0; i <= start; i++) n += past[i]!;
      details.textContent = `${describe(r)}${start !== r ? `\n\ndetected while processing:\n${describe(start)}` : ""}\n\n${n} events in its causal past`;
      canvas.dataset.selected = String(d.id[r]);
      canvas.dataset.focus = String(d.id[start]);
      canvas.dataset.pastCount = String(n);
      if (center) {
        const span = Math.min(w1 - w0, Math.max(1e-3, (m.t1 - m.t0) / 20));
        w0 = Math.max(m.t0, Math.min(m.t1 - span, d.t[r]! - span / 2));
        w1 = w0 + span;
      }
      if (history.replaceState) history.replaceState(null, "", `#event=${d.id[r]}`);
    }
    draw();
  };

  // ---- drawing ------------------------------------------------------------------------------
  const niceStep = (span: number): number => {
    const raw = span / 8;
    const p = 10 ** Math.floor(Math.log10(raw));
    const f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
  };
  const fmtT = (tt: number, step: number): string => {
    const dec = Math.max(0, -Math.floor(Math.log10(step)));
    return `${tt.toFixed(Math.min(9, dec))} s`;
  };
  const glyph = (shape: string, px: number, py: number): void => {
    switch (shape) {
      case "diamond":
        ctx.moveTo(px, py - 5);
        ctx.lineTo(px + 4, py);
        ctx.lineTo(px, py + 5);
        ctx.lineTo(px - 4, py);
        ctx.closePath();
        break;
      case "square":
        ctx.rect(px - 3, py - 3, 6, 6);
        break;
      case "tick":
        ctx.rect(px - 0.5, py - 5, 1, 10);
        break;
      case "cross":
        ctx.rect(px - 4, py - 1, 8, 2);
        ctx.rect(px - 1, py - 4, 2, 8);
        break;
      default:
        ctx.moveTo(px + 2.5, py);
        ctx.arc(px, py, 2.5, 0, Math.PI * 2);
    }
  };

  function draw(): void {
    ctx.clearRect(0, 0, width, height);
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    const right = width - 8;
    // lanes: background, view bands, down windows
    for (let l = 0; l < m.lanes; l++) {
      if (slotOf[l]! < 0) continue;
      const top = y(l) - LANE_H / 2;
      ctx.fillStyle = slotOf[l]! % 2 === 0 ? "#fafafa" : "#f2f2f2";
      ctx.fillRect(GUTTER, top, right - GUTTER, LANE_H);
      const segs = m.viewSegs[l]!;
      for (let s = 0; s < segs.length; s += 4) {
        const a = Math.max(GUTTER, x(segs[s]!));
        const b = Math.min(right, x(segs[s + 1]!));
        if (b <= a) continue;
        const v = segs[s + 2]!;
        if (segs[s + 3] === 1) ctx.fillStyle = "rgba(230,85,13,0.14)";
        else ctx.fillStyle = v % 2 === 0 ? "rgba(49,130,189,0.05)" : "rgba(49,130,189,0.12)";
        ctx.fillRect(a, top + 1, b - a, LANE_H - 2);
        if (b - a > 24 && (v > 0 || segs[s + 3] === 1) && d.meta.nodes[l]?.role !== "client" && d.meta.nodes[l]?.role !== "meta" && d.meta.nodes[l]?.role !== "gateway") {
          ctx.fillStyle = "#555";
          ctx.fillText(`v${v}${segs[s + 3] === 1 ? "…" : ""}`, a + 3, top + 7);
        }
      }
      const down = m.downSegs[l]!;
      ctx.fillStyle = "rgba(0,0,0,0.28)";
      for (let s = 0; s < down.length; s += 2) {
        const a = Math.max(GUTTER, x(down[s]!));
        const b = Math.min(right, x(down[s + 1]!));
        if (b > a) ctx.fillRect(a, top + 2, b - a, LANE_H - 4);
      }
    }
    for (const p of m.partitions) {
      const a = Math.max(GUTTER, x(p.t0));
      const b = Math.min(right, x(p.t1));
      if (b <= a) continue;
      ctx.fillStyle = "rgba(214,39,40,0.16)";
      for (const l of p.lanes) if (slotOf[l]! >= 0) ctx.fillRect(a, y(l) - LANE_H / 2, b - a, LANE_H);
    }
    // axis
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, AXIS);
    ctx.strokeStyle = "#999";
    ctx.fillStyle = "#333";
    ctx.lineWidth = 1;
    const step = niceStep(w1 - w0);
    ctx.beginPath();
    for (let tt = Math.ceil(w0 / step) * step; tt <= w1; tt += step) {
      const px = Math.round(x(tt)) + 0.5;
      ctx.moveTo(px, AXIS - 6);
      ctx.lineTo(px, AXIS);
      ctx.fillText(fmtT(tt, step), px + 2, AXIS - 14);
    }
    ctx.stroke();
    // lane labels
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, AXIS, GUTTER, height - AXIS);
    ctx.fillStyle = "#222";
    for (let l = 0; l < m.lanes; l++) {
      if (slotOf[l]! < 0) continue;
      ctx.fillStyle = faulty.has(l) ? "#b00020" : "#222";
      ctx.fillText(`${d.meta.nodes[l]!.label}${faulty.has(l) ? " ✗" : ""}`, 6, y(l));
    }
    // arrows, one path per kind (faded when not in the selected event's causal past)
    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, AXIS, right - GUTTER, height - AXIS);
    ctx.clip();
    drawnArrowCount = visibleArrows(m, showArrow, w0, w1, drawnArrows);
    // One bucket per (kind, in causal past): each line is stroked once per pixel position — zoomed out,
    // thousands of messages share their pixels, and stroking them again changes nothing on screen.
    const K = d.kinds.length;
    for (let b = 0; b < buckets.length; b++) buckets[b]!.length = 0;
    while (buckets.length < 2 * K) buckets.push([]);
    seenLines.clear();
    for (let j = 0; j < drawnArrowCount; j++) {
      const i = drawnArrows[j]!;
      const pass = past === null || past[m.aRow[i]!] === 1 ? 1 : 0;
      const k = m.aKind[i]!;
      const qx0 = Math.round(x(m.aT0[i]!));
      const qx1 = Math.round(x(m.aT1[i]!));
      if (qx0 >= 0 && qx1 >= 0 && qx0 < 8192 && qx1 < 8192) {
        // 5 + 13 + 13 + 8 + 8 bits and the flags as a fraction: exact in a double
        const key = ((((k * 2 + pass) * 8192 + qx0) * 8192 + qx1) * 256 + slotOf[m.aL0[i]!]!) * 256 + slotOf[m.aL1[i]!]! + (m.aFlags[i]! & 7) / 8;
        if (seenLines.has(key)) continue;
        seenLines.add(key);
      }
      buckets[k * 2 + pass]!.push(i);
    }
    let stroked = 0;
    let unique = 0;
    for (const b of buckets) unique += b.length;
    const heads = unique < 20000;
    for (const pass of [0, 1]) {
      for (let k = 0; k < K; k++) {
        const list = buckets[k * 2 + pass]!;
        if (list.length === 0) continue;
        stroked += list.length;
        ctx.beginPath();
        for (const i of list) {
          const f = m.aFlags[i]!;
          const y0 = y(m.aL0[i]!);
          const y1 = y(m.aL1[i]!);
          let x0 = x(m.aT0[i]!);
          let x1 = x(m.aT1[i]!);
          let yy1 = y1;
          if ((f & 2) !== 0) {
            // dropped at send: a short stub toward the receiver
            x1 = x0 + 6;
            yy1 = y0 + Math.sign(y1 - y0) * Math.min(LANE_H * 0.6, Math.abs(y1 - y0));
          } else if ((f & 4) !== 0) x0 = x1 - 10;
          ctx.moveTo(x0, y0);
          ctx.lineTo(x1, yy1);
          if (heads && (f & 1) === 0 && y0 !== y1) {
            const a = Math.atan2(yy1 - y0, x1 - x0);
            ctx.moveTo(x1, yy1);
            ctx.lineTo(x1 - 5 * Math.cos(a - 0.4), yy1 - 5 * Math.sin(a - 0.4));
            ctx.moveTo(x1, yy1);
            ctx.lineTo(x1 - 5 * Math.cos(a + 0.4), yy1 - 5 * Math.sin(a + 0.4));
          }
        }
        ctx.globalAlpha = past !== null && pass === 0 ? 0.12 : 0.85;
        ctx.strokeStyle = kindColor[k]!;
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    // drop crosses, one per pixel position
    ctx.beginPath();
    seenLines.clear();
    for (let j = 0; j < drawnArrowCount; j++) {
      const i = drawnArrows[j]!;
      const f = m.aFlags[i]!;
      if ((f & 1) === 0) continue;
      const y0 = y(m.aL0[i]!);
      const y1 = y(m.aL1[i]!);
      const px = (f & 2) !== 0 ? x(m.aT0[i]!) + 6 : x(m.aT1[i]!);
      const py = (f & 2) !== 0 ? y0 + Math.sign(y1 - y0) * Math.min(LANE_H * 0.6, Math.abs(y1 - y0)) : y1;
      const qx = Math.round(px);
      if (qx >= 0 && qx < 8192) {
        const key = qx * 65536 + Math.round(py);
        if (seenLines.has(key)) continue;
        seenLines.add(key);
      }
      ctx.moveTo(px - 3, py - 3);
      ctx.lineTo(px + 3, py + 3);
      ctx.moveTo(px + 3, py - 3);
      ctx.lineTo(px - 3, py + 3);
    }
    ctx.strokeStyle = "#d62728";
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.lineWidth = 1;
    // node event glyphs
    drawnMarks.length = 0;
    const lo = lowerBound(m, w0);
    for (let k = lo; k < m.marks.length; k++) {
      const r = m.marks[k]!;
      if (m.t[r]! > w1) break;
      if (showMark[k] === 0) continue;
      drawnMarks.push(r);
    }
    // like the arrows: one glyph per (event, pixel column, lane, in past), one path per style
    const byStyle = new Map<string, number[]>();
    seenLines.clear();
    for (const r of drawnMarks) {
      const inPast = past !== null && past[r] === 1 ? 1 : 0;
      const px = Math.round(x(m.t[r]!));
      if (px >= 0 && px < 8192) {
        const key = ((m.ev[r]! * 2 + inPast) * 8192 + px) * 256 + slotOf[m.lane[r]!]!;
        if (seenLines.has(key)) continue;
        seenLines.add(key);
      }
      const s = markStyle(m.ev[r]!);
      const key = `${s.color}|${s.shape}|${inPast}`;
      let list = byStyle.get(key);
      if (list === undefined) byStyle.set(key, (list = []));
      list.push(r);
    }
    for (const [key, list] of byStyle) {
      const [color, shape, inPast] = key.split("|");
      ctx.beginPath();
      for (const r of list) glyph(shape!, x(m.t[r]!), y(m.lane[r]!));
      ctx.globalAlpha = past !== null && inPast === "0" ? 0.15 : 1;
      ctx.fillStyle = color!;
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    // violations: a red line over the lanes of the replicas named
    let drawnViolations = 0;
    ctx.fillStyle = "#d62728";
    ctx.strokeStyle = "#d62728";
    for (let k = 0; k < m.violations.length; k++) {
      const r = m.violations[k]!;
      const tt = m.t[r]!;
      if (tt < w0 || tt > w1) continue;
      const reps = d.extra[String(r)]?.replicas;
      const ls = (Array.isArray(reps) ? (reps as number[]) : []).filter((l) => l < m.lanes && slotOf[l]! >= 0);
      const px = x(tt);
      ctx.beginPath();
      if (ls.length === 0) {
        ctx.moveTo(px, AXIS);
        ctx.lineTo(px, height);
      } else for (const l of ls) {
        ctx.moveTo(px, y(l) - LANE_H / 2);
        ctx.lineTo(px, y(l) + LANE_H / 2);
      }
      ctx.lineWidth = 2.5;
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(px - 6, AXIS);
      ctx.lineTo(px + 6, AXIS);
      ctx.lineTo(px, AXIS + 9);
      ctx.closePath();
      ctx.fill();
      drawnViolations++;
    }
    ctx.lineWidth = 1;
    // the selected row (a violation: its triangle) and the row whose past is shown, drawn even if filtered out
    for (const r of selected === focus ? [selected] : [selected, focus]) {
      if (r < 0) continue;
      const px = x(m.t[r]!);
      const py = m.lane[r]! >= 0 && slotOf[m.lane[r]!]! >= 0 ? y(m.lane[r]!) : AXIS + 4;
      ctx.beginPath();
      ctx.arc(px, py, 7, 0, Math.PI * 2);
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.lineWidth = 1;
    }
    ctx.restore();
    canvas.dataset.drawnArrows = String(drawnArrowCount);
    canvas.dataset.strokedLines = String(stroked);
    canvas.dataset.drawnMarks = String(drawnMarks.length);
    canvas.dataset.drawnViolations = String(drawnViolations);
    canvas.dataset.lanes = String(slots);
    canvas.dataset.window = `${w0}..${w1}`;
    (document.getElementById("window") as HTMLElement).textContent = `${w0.toFixed(6)} s … ${w1.toFixed(6)} s · ${drawnArrowCount} arrows · ${drawnMarks.length} events`;
  }

  // ---- controls -------------------------------------------------------------------------------
  const controls = document.getElementById("controls") as HTMLElement;
  const group = (title: string): HTMLElement => {
    const f = document.createElement("fieldset");
    const lg = document.createElement("legend");
    lg.textContent = title;
    f.appendChild(lg);
    controls.appendChild(f);
    return f;
  };
  const checkbox = (parent: HTMLElement, label: string, on: boolean, color: string | null, attr: string, value: string, change: (on: boolean) => void): void => {
    const l = document.createElement("label");
    const c = document.createElement("input");
    c.type = "checkbox";
    c.checked = on;
    c.dataset[attr] = value;
    c.addEventListener("change", () => change(c.checked));
    l.appendChild(c);
    if (color !== null) {
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = color;
      l.appendChild(sw);
    }
    l.appendChild(document.createTextNode(label));
    parent.appendChild(l);
  };
  const present = new Uint8Array(d.kinds.length);
  for (let i = 0; i < m.arrows; i++) present[m.aKind[i]!] = 1;
  const kindsBox = group("Message kinds");
  d.kinds.forEach((k, i) => {
    if (present[i] === 1) checkbox(kindsBox, k, true, kindColor[i]!, "kind", k, (on) => setKind(k, on));
  });
  const evPresent = new Uint8Array(d.events.length);
  for (let r = 0; r < m.count; r++) evPresent[m.ev[r]!] = 1;
  const evBox = group("Events");
  d.events.forEach((e, i) => {
    // events without a lane (violations, partitions, the fault plan) are drawn in their own way
    if (evPresent[i] === 1 && e !== "send" && e !== "violation" && e !== "fault_plan" && !e.startsWith("partition")) {
      checkbox(evBox, e, evOn[i] === 1, e === "deliver" || e === "drop" ? null : markStyle(i).color, "event", e, (on) => setEvent(e, on));
    }
  });
  const nodesBox = group("Nodes");
  for (const n of d.meta.nodes) checkbox(nodesBox, n.label, true, null, "node", String(n.node), (on) => setNode(n.node, on));
  const viewBox = group("View");
  const viewSel = document.createElement("select");
  viewSel.id = "view-filter";
  const optAll = document.createElement("option");
  optAll.value = "-1";
  optAll.textContent = "all views";
  viewSel.appendChild(optAll);
  for (const v of m.views) {
    const o = document.createElement("option");
    o.value = String(v);
    o.textContent = `view ${v}`;
    viewSel.appendChild(o);
  }
  viewSel.addEventListener("change", () => setView(Number(viewSel.value)));
  viewBox.appendChild(viewSel);

  function setKind(name: string, on: boolean): void {
    const k = d.kinds.indexOf(name);
    if (k >= 0) kindOn[k] = on ? 1 : 0;
    refilter();
    draw();
  }
  function setEvent(name: string, on: boolean): void {
    const e = E(name);
    if (e >= 0) evOn[e] = on ? 1 : 0;
    refilter();
    draw();
  }
  function setNode(node: number, on: boolean): void {
    laneOn[node] = on ? 1 : 0;
    refilter();
    resize();
    draw();
  }
  function setView(v: number): void {
    viewFilter = v;
    refilter();
    draw();
  }

  // violations list
  const vlist = document.getElementById("violations") as HTMLElement;
  if (m.violations.length === 0) vlist.textContent = "No invariant was violated.";
  for (let k = 0; k < m.violations.length && k < 200; k++) {
    const r = m.violations[k]!;
    const x0 = d.extra[String(r)] ?? {};
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = `#event=${d.id[r]}`;
    a.dataset.event = String(d.id[r]);
    a.dataset.cause = String(x0.cause);
    a.textContent = `${String(x0.invariant)} at t=${d.t[r]} s${Array.isArray(x0.replicas) && x0.replicas.length > 0 ? `, replicas ${(x0.replicas as number[]).join(", ")}` : ""}: ${String(x0.detail)}`;
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      select(r, true);
    });
    li.appendChild(a);
    vlist.appendChild(li);
  }

  // zoom, pan, click
  const zoom = (factor: number, at: number): void => {
    const ta = tAt(at);
    const span = Math.max(1e-9, (w1 - w0) * factor);
    w0 = ta - ((ta - w0) / (w1 - w0)) * span;
    w1 = w0 + span;
    draw();
  };
  canvas.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX);
    },
    { passive: false },
  );
  let dragX = -1;
  let dragged = false;
  canvas.addEventListener("mousedown", (e) => {
    dragX = e.offsetX;
    dragged = false;
  });
  window.addEventListener("mouseup", () => {
    dragX = -1;
  });
  canvas.addEventListener("mousemove", (e) => {
    if (dragX < 0) return;
    const dx = e.offsetX - dragX;
    if (Math.abs(dx) > 2) dragged = true;
    if (!dragged) return;
    const dt = (dx / (width - GUTTER - 8)) * (w1 - w0);
    w0 -= dt;
    w1 -= dt;
    dragX = e.offsetX;
    draw();
  });
  canvas.addEventListener("click", (e) => {
    if (dragged) return;
    select(hit(e.offsetX, e.offsetY), false);
  });
  /** The row drawn nearest to (px, py) within 8 px: glyphs, arrow ends and starts, violations. */
  function hit(px: number, py: number): number {
    let best = -1;
    let bestD = 64;
    const consider = (r: number, hx: number, hy: number): void => {
      const dd = (hx - px) ** 2 + (hy - py) ** 2;
      if (dd < bestD) {
        bestD = dd;
        best = r;
      }
    };
    for (const r of drawnMarks) consider(r, x(m.t[r]!), y(m.lane[r]!));
    for (let j = 0; j < drawnArrowCount; j++) {
      const i = drawnArrows[j]!;
      const r = m.aRow[i]!;
      consider(r, x(m.aT1[i]!), y(m.aL1[i]!));
      if (m.peer[r]! >= 0) consider(m.peer[r]!, x(m.aT0[i]!), y(m.aL0[i]!));
    }
    for (let k = 0; k < m.violations.length; k++) consider(m.violations[k]!, x(m.t[m.violations[k]!]!), AXIS + 4);
    return best;
  }
  const button = (id: string, f: () => void): void => document.getElementById(id)?.addEventListener("click", f);
  button("fit", () => {
    w0 = m.t0;
    w1 = m.t1;
    draw();
  });
  button("zoom-in", () => zoom(0.5, GUTTER + (width - GUTTER) / 2));
  button("zoom-out", () => zoom(2, GUTTER + (width - GUTTER) / 2));
  const firstOf = (e: number): number => {
    for (let r = 0; r < m.count; r++) if (m.ev[r] === e) return r;
    return -1;
  };
  button("first-view-change", () => {
    const r = firstOf(E("view_change"));
    if (r >= 0) select(r, true);
  });
  button("first-violation", () => {
    const r = firstOf(VIOLATION);
    if (r >= 0) select(r, true);
  });
  button("clear", () => select(-1, false));
  window.addEventListener("resize", () => {
    resize();
    draw();
  });
  const fromHash = (): void => {
    const h = decodeURIComponent(location.hash.slice(1));
    const ev = /^event=(\d+)$/.exec(h);
    const win = /^t=([0-9.eE+-]+)\.\.([0-9.eE+-]+)$/.exec(h);
    if (ev) {
      const r = rowOfId(Number(ev[1]));
      if (r >= 0) select(r, true);
    } else if (h === "view-change" || h === "violation") {
      const r = firstOf(h === "violation" ? VIOLATION : E("view_change"));
      if (r >= 0) select(r, true);
    } else if (win && Number(win[2]) > Number(win[1])) {
      w0 = Number(win[1]);
      w1 = Number(win[2]);
      draw();
    }
  };
  window.addEventListener("hashchange", fromHash);

  refilter();
  resize();
  select(-1, false);
  fromHash();
  const api = { setKind, setEvent, setNode, setView, select: (id: number) => select(rowOfId(id), true), draw };
  (window as unknown as { potsimTrace: typeof api }).potsimTrace = api;
  // The viewer reads no clock (simulation outputs and their pages stay free of wall time); the
  // benchmark times these marks from outside (bench/trace.ts).
  document.body.dataset.ready = "1";
  // the first frame the browser shows with the diagram in it
  requestAnimationFrame(() => {
    document.body.dataset.firstFrame = "1";
  });
}

/** First mark at or after time `t0` (marks are in time order). */
export function lowerBound(m: ViewerModel, t0: number): number {
  let lo = 0;
  let hi = m.marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.t[m.marks[mid]!]! < t0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The functions trace.html inlines, in order; the page calls startViewer(). */
export const VIEWER_FUNCTIONS: ReadonlyArray<(...args: never[]) => unknown> = [buildModel, causalPast, visibleArrows, lowerBound, startViewer];
