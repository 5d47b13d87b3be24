// The event trace of sim run --trace: deterministic bytes, message bookkeeping that matches
// messages.csv, every fate of a message with its reason, the node/replica/economic vocabulary with real
// values, violations citing the event they were detected at, filters that keep ids stable, the row
// limit, and a traced run that is the same run as an untraced one.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  DROP_REASON_NAMES,
  EVENT_NAMES,
  encodeTrace,
  jsonlBytes,
  jsonlChunks,
  parseJsonl,
  parseTraceOptions,
  TraceOptionError,
} from "../../src/trace/index.js";
import { buildWorld, describeWorld } from "../../src/world/models.js";
import type { PbftWorld } from "../../src/world/pbft/index.js";
import { cleanTempDirs, csvRows, lines, plainRun, RICH_PBFT, scenarioFile, scenarioText, type TracedRun, tracedRun } from "./support.js";

afterAll(cleanTempDirs);

type Line = Record<string, unknown>;
const events = (run: TracedRun): Line[] => lines(run.text).slice(1, -1);

/** Checks the message bookkeeping of a trace; returns the problems found (empty when sound). */
function messageProblems(ls: Line[]): string[] {
  const problems: string[] = [];
  const sends = new Map<number, Line>();
  const ids = new Set<number>();
  let lastI = -1;
  let lastT = 0;
  for (const l of ls) {
    const i = l.i as number;
    if (ids.has(i) || i <= lastI) problems.push(`event id ${i} not unique and increasing`);
    ids.add(i);
    lastI = i;
    if ((l.t as number) < lastT) problems.push(`event ${i}: time goes back`);
    lastT = l.t as number;
    if (l.ev === "send") {
      if (sends.has(l.msg as number)) problems.push(`message ${String(l.msg)} sent twice`);
      sends.set(l.msg as number, l);
    } else if (l.ev === "deliver" || l.ev === "drop") {
      const s = sends.get(l.msg as number);
      if (s === undefined) problems.push(`${String(l.ev)} ${i}: message ${String(l.msg)} has no earlier send`);
      else if (s.from !== l.from || s.to !== l.to || s.kind !== l.kind || s.bytes !== l.bytes) problems.push(`${String(l.ev)} ${i}: differs from its send`);
      if (l.ev === "drop" && !(DROP_REASON_NAMES as readonly string[]).includes(l.reason as string)) problems.push(`drop ${i}: reason ${String(l.reason)}`);
      if (l.ev === "drop" && l.stage !== "send" && l.stage !== "arrival") problems.push(`drop ${i}: stage ${String(l.stage)}`);
    }
  }
  return problems;
}

/** Per kind: sends, deliveries and network drops of a trace, as messages.csv counts them. */
function countsByKind(ls: Line[]): Record<string, { sent: number; delivered: number; dropped: number }> {
  const out: Record<string, { sent: number; delivered: number; dropped: number }> = {};
  for (const l of ls) {
    if (l.ev !== "send" && l.ev !== "deliver" && l.ev !== "drop") continue;
    const c = (out[l.kind as string] ??= { sent: 0, delivered: 0, dropped: 0 });
    if (l.ev === "send") c.sent++;
    else if (l.ev === "deliver") c.delivered++;
    // the Byzantine input filter discards a message the network delivered (messages.csv: delivered)
    else if (l.reason !== "byzantine") c.dropped++;
  }
  return out;
}

function csvCounts(dir: string): Record<string, { sent: number; delivered: number; dropped: number }> {
  return Object.fromEntries(csvRows(dir, "messages.csv").map((r) => [r.kind!, { sent: Number(r.sent), delivered: Number(r.delivered), dropped: Number(r.dropped) }]));
}

describe("trace.jsonl of a PBFT world with every message fate", () => {
  let run: TracedRun;
  const get = async (): Promise<TracedRun> => (run ??= await tracedRun(scenarioText(RICH_PBFT)));

  it("is byte-identical for the same seed (trace.jsonl and trace.html), and differs for another seed", async () => {
    const a = await get();
    const s = scenarioText(RICH_PBFT);
    const b = await tracedRun(s, {}, { charts: true });
    expect(b.text).toBe(a.text);
    const c = await tracedRun(s, {}, { charts: true });
    expect(readFileSync(join(c.dir, "trace.html"))).toEqual(readFileSync(join(b.dir, "trace.html")));
    const other = await tracedRun(scenarioText(RICH_PBFT.replace("seed: 3", "seed: 4")));
    expect(other.text).not.toBe(a.text);
  });

  it("every delivery and drop has exactly one earlier send of the same message; every drop has a reason; ids are unique", async () => {
    const ls = events(await get());
    expect(messageProblems(ls)).toEqual([]);
    // ... and the check catches a broken trace
    const broken = ls.map((l) => ({ ...l }));
    const d = broken.find((l) => l.ev === "deliver")!;
    d.msg = 987654321;
    const drop = broken.find((l) => l.ev === "drop")!;
    drop.reason = "gremlins";
    expect(messageProblems(broken)).toEqual([
      expect.stringContaining("has no earlier send"),
      expect.stringContaining("reason gremlins"),
    ]);
  });

  it("counts sends, deliveries and drops per kind exactly as messages.csv", async () => {
    const r = await get();
    const counts = countsByKind(events(r));
    expect(counts).toEqual(csvCounts(r.dir));
    expect(Object.keys(counts).length).toBeGreaterThan(5);
  });

  it("shows every fate: loss, partition, rule, down, Byzantine filter; duplicates deliver twice under one id", async () => {
    const ls = events(await get());
    const reasons = new Set(ls.filter((l) => l.ev === "drop").map((l) => `${String(l.reason)}/${String(l.stage)}`));
    for (const r of ["loss/send", "partition/send", "rule/send", "down/arrival", "byzantine/arrival"]) expect(reasons).toContain(r);
    // the rule drops exactly its COMMITs from 2 to 3 sent in [1, 3)
    for (const l of ls.filter((x) => x.ev === "drop" && x.reason === "rule")) {
      expect([l.kind, l.from, l.to]).toEqual(["commit", 2, 3]);
      expect(l.t as number).toBeGreaterThanOrEqual(1);
      expect(l.t as number).toBeLessThan(3);
    }
    // the censor (replica 1) discards client 0's requests only (node 4), after the network delivered them
    const byz = ls.filter((l) => l.reason === "byzantine");
    expect(byz.length).toBeGreaterThan(0);
    const client0 = new Set(ls.filter((l) => l.ev === "submit" && l.client === 0).map((l) => l.digest));
    for (const l of byz) {
      // from client 0 itself, or forwarded by another replica
      expect([l.kind, l.to, client0.has(l.digest)]).toEqual(["request", 1, true]);
      const i = ls.indexOf(l);
      expect(ls[i - 1]).toMatchObject({ ev: "deliver", msg: l.msg });
    }
    const deliveries = new Map<number, number>();
    for (const l of ls) if (l.ev === "deliver") deliveries.set(l.msg as number, (deliveries.get(l.msg as number) ?? 0) + 1);
    expect([...deliveries.values()].some((n) => n === 2)).toBe(true);
  });

  it("traces the node and replica events with their values", async () => {
    const r = await get();
    const ls = events(r);
    const of = (ev: string) => ls.filter((l) => l.ev === ev);
    // the censoring replica is the plan's only faulty one (crashes count as correct); first, at time 0
    expect(ls[0]).toEqual({ i: 0, t: 0, ev: "fault_plan", faulty: [1] });
    expect(of("fault_plan").length).toBe(1);
    expect(of("crash")).toEqual([expect.objectContaining({ t: 10.5, node: 3, replica: 3 })]);
    expect(of("recover")).toEqual([expect.objectContaining({ t: 18, node: 3, replica: 3, log: "kept" })]);
    expect(of("partition_start")).toEqual([expect.objectContaining({ t: 4, source: "scheduled", sides: [0, 1, 1, 1, 1, 1], symmetric: true })]);
    expect(of("partition_heal")).toEqual([expect.objectContaining({ t: 8 })]);
    // views.csv lists the same view changes and NEW-VIEW installations
    const views = csvRows(r.dir, "views.csv");
    const vc = of("view_change").map((l) => [l.node, l.view]);
    expect(vc).toEqual(views.filter((v) => v.event === "view_change_started").map((v) => [Number(v.replica), Number(v.view)]));
    const nv = of("new_view");
    expect(nv.map((l) => [l.node, l.view])).toEqual(views.filter((v) => v.event === "new_view_installed").map((v) => [Number(v.replica), Number(v.view)]));
    for (const l of nv) {
      expect(l.o_set as number).toBeGreaterThanOrEqual(l.null_fills as number);
      expect(l.null_fills as number).toBeGreaterThanOrEqual(0);
    }
    // the recovered replica fell behind: it fetched a checkpoint's state and installed it
    const st = of("state_transfer_start").filter((l) => l.node === 3);
    expect(st.length).toBeGreaterThan(0);
    expect(of("state_transfer_end").filter((l) => l.node === 3 && l.installed === true).length).toBeGreaterThan(0);
    // timers, executions with their requests, stable checkpoints that collect slots, client accepts
    expect(new Set(of("timer").map((l) => l.timer))).toContain("request");
    const ex = of("execute").find((l) => (l.requests as unknown[]).length > 0)!;
    expect(ex).toMatchObject({ view: expect.any(Number), seq: expect.any(Number), digest: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(of("checkpoint_stable").some((l) => (l.seq as number) % 5 === 0 && (l.collected as number) > 0)).toBe(true);
    const accepted = of("accept").length;
    const completed = csvRows(r.dir, "requests.csv").filter((q) => q.complete_time !== "").length;
    expect(accepted).toBe(completed);
    expect(of("retransmit").length).toBe(csvRows(r.dir, "requests.csv").reduce((a, q) => a + Number(q.retransmissions), 0));
  });

  it("a traced run is the same run: every other output equals the untraced run's", async () => {
    const r = await get();
    const plain = await plainRun(scenarioText(RICH_PBFT));
    for (const f of ["summary.json", "messages.csv", "requests.csv", "views.csv", "replicas.csv", "node_messages.csv", "cpu.csv"]) {
      expect(readFileSync(join(r.dir, f), "utf8"), f).toBe(readFileSync(join(plain, f), "utf8"));
    }
    const m = JSON.parse(readFileSync(join(r.dir, "manifest.json"), "utf8"));
    const p = JSON.parse(readFileSync(join(plain, "manifest.json"), "utf8"));
    expect(m.trace).toMatchObject({ file: "trace.jsonl", truncated: false, truncatedAt: null, limit: 1_000_000 });
    delete m.trace;
    expect(m).toEqual(p);
  });

  it("parses back to the same bytes, and the compressed form is deterministic", async () => {
    const r = await get();
    expect([...jsonlChunks(parseJsonl(r.text))].join("")).toBe(r.text);
    // the fast byte writer and the reference string chunks agree, non-ASCII and escaped text included
    const copy = parseJsonl(r.text);
    copy.rows.extra[7] = { detail: 'ΔP 5 ≠ −traffic "7"\n' };
    copy.rows.digest[8] = "a\"b\\c";
    expect(jsonlBytes(copy).toString("utf8")).toBe([...jsonlChunks(copy)].join(""));
    expect(jsonlBytes(r.data).toString("utf8")).toBe(r.text);
    const a = encodeTrace(r.data, 0);
    const b = encodeTrace(parseJsonl(r.text), 0);
    expect(a.path).toBe("trace.jsonl.gz");
    expect(a.content.equals(b.content)).toBe(true);
    expect([...a.content.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    expect(gunzipSync(a.content).toString("utf8")).toBe(r.text);
    expect(encodeTrace(r.data).path).toBe("trace.jsonl");
  });
});

describe("filters and the row limit", () => {
  const scenario = () => scenarioText(RICH_PBFT);
  let full: TracedRun;
  const getFull = async () => (full ??= await tracedRun(scenario()));
  const byId = (r: TracedRun) => new Map(r.text.split("\n").slice(1, -2).map((l) => [JSON.parse(l).i as number, l]));

  it("--trace-kinds keeps those message kinds and event names; ids and lines equal the full trace's", async () => {
    const all = byId(await getFull());
    const r = await tracedRun(scenario(), { kinds: "view-change,new_view,crash" });
    const ls = events(r);
    expect(new Set(ls.map((l) => (l.kind as string) ?? l.ev))).toEqual(new Set(["view-change", "new_view", "crash"]));
    for (const line of r.text.split("\n").slice(1, -2)) expect(all.get(JSON.parse(line).i)).toBe(line);
    expect(r.data.end.seen).toBe((await getFull()).data.end.seen);
  });

  it("--trace-nodes keeps messages to or from those nodes and their own events; --trace-window bounds the time", async () => {
    const all = byId(await getFull());
    const r = await tracedRun(scenario(), { nodes: "3,c1", window: "10..20" });
    const ls = events(r);
    expect(ls.length).toBeGreaterThan(100);
    for (const l of ls) {
      expect(l.t as number).toBeGreaterThanOrEqual(10);
      expect(l.t as number).toBeLessThanOrEqual(20);
      if (l.msg !== undefined) expect([l.from, l.to].some((n) => n === 3 || n === 5)).toBe(true);
      else expect([3, 5, undefined]).toContain(l.node);
    }
    for (const line of r.text.split("\n").slice(1, -2)) expect(all.get(JSON.parse(line).i)).toBe(line);
    expect(r.data.meta.filters).toEqual({ kinds: null, nodes: [3, 5], window: [10, 20] });
  });

  it("--trace-max-events stops tracing: stderr and manifest say so, the run completes with the same results", async () => {
    const r = await tracedRun(scenario(), { maxEvents: "250" });
    expect(r.data.rows.count).toBe(250);
    expect(r.data.end).toMatchObject({ truncated: true, written: 250 });
    expect(r.data.end.seen).toBe((await getFull()).data.end.seen);
    expect(r.stderr).toMatch(/trace: stopped at the limit of 250 events \(t=[0-9.]+; \d+ events offered\); the run completed/);
    const m = JSON.parse(readFileSync(join(r.dir, "manifest.json"), "utf8"));
    expect(m.trace).toMatchObject({ truncated: true, limit: 250, eventsWritten: 250, truncatedAt: r.data.end.truncatedAt });
    expect(readFileSync(join(r.dir, "summary.json"), "utf8")).toBe(readFileSync(join((await getFull()).dir, "summary.json"), "utf8"));
  });

  it("bad filter values are errors naming the option, like scenario values", () => {
    const w = describeWorld(scenario())!;
    const err = (raw: Parameters<typeof parseTraceOptions>[0]) => {
      try {
        parseTraceOptions(raw, w);
      } catch (e) {
        expect(e).toBeInstanceOf(TraceOptionError);
        return (e as Error).message;
      }
      return "no error";
    };
    expect(err({ kinds: "comit" })).toMatch(/^--trace-kinds: unknown kind "comit" \(did you mean "commit"\?\)/);
    expect(err({ kinds: "prepay" })).toMatch(/an event of model pot; this scenario's model is pbft/);
    expect(err({ kinds: "commit,,prepare" })).toMatch(/^--trace-kinds: expected a comma-separated list/);
    expect(err({ nodes: "9" })).toMatch(/^--trace-nodes: node 9 does not exist \(9\); this scenario has nodes 0\.\.5 \(r0, r1, r2, r3, c0, c1\)/);
    expect(err({ nodes: "r33" })).toMatch(/"r33" is neither a node id, a range A\.\.B nor a node label \(did you mean "r3"\?\)/);
    expect(err({ nodes: "4..2" })).toMatch(/range 4\.\.2 is empty/);
    expect(err({ window: "10-20" })).toMatch(/^--trace-window: expected T0\.\.T1 in simulated seconds/);
    expect(err({ window: "20..10" })).toMatch(/T1 must be >= T0, got 20\.\.10/);
    expect(err({ window: "-1..5" })).toMatch(/T0 must be >= 0/);
    expect(err({ maxEvents: "0" })).toMatch(/^--trace-max-events: expected an integer from 1 to 50000000, got "0"/);
    expect(err({ maxEvents: "1e9" })).toMatch(/--trace-max-events/);
    expect(parseTraceOptions({ nodes: "r1,2..3", window: "1.5..2.5", maxEvents: "10" }, w)).toEqual({
      filters: { kinds: null, nodes: [1, 2, 3], window: [1.5, 2.5] },
      limit: 10,
    });
  });
});

describe("violations in the trace", () => {
  it("beyond-f: every violation is written with the id of the event at which it was detected", async () => {
    const r = await tracedRun(scenarioFile("beyond-f.yaml"));
    expect(r.code).toBe(1);
    const ls = events(r);
    const vio = ls.filter((l) => l.ev === "violation");
    const summary = JSON.parse(readFileSync(join(r.dir, "summary.json"), "utf8"));
    expect(vio.map((v) => [v.invariant, v.t, v.seq])).toEqual(summary.violations.map((v: Line) => [v.invariant, v.time, v.seq]));
    for (const v of vio) {
      const cause = ls.find((l) => l.i === v.cause)!;
      expect(cause, `cause of violation ${String(v.i)}`).toBeDefined();
      expect(cause.t).toBe(v.t);
      expect(v.cause as number).toBe((v.i as number) - 1);
      // the safety checker found it in a replica's own observation: prepared (INV-P) or executed (SAF-1) at one of the replicas named
      expect(cause.ev).toBe(v.invariant === "INV-P" ? "prepared" : "execute");
      expect(v.replicas as number[]).toContain(cause.node);
    }
    const m = JSON.parse(readFileSync(join(r.dir, "manifest.json"), "utf8"));
    expect(m.trace.firstViolation).toBe(vio[0]!.i);
  });

  it("a violation is written even when filters leave it and its cause out, and the cause is kept", async () => {
    const r = await tracedRun(scenarioFile("beyond-f.yaml"), { kinds: "request" });
    const ls = events(r);
    const vio = ls.filter((l) => l.ev === "violation");
    expect(vio.length).toBe(10);
    for (const v of vio) expect(ls.find((l) => l.i === v.cause)).toMatchObject({ ev: expect.stringMatching(/^(prepared|execute)$/) });
  });
});

describe("the PoT economy in the trace (byzantine.yaml)", () => {
  it("prepays, reports (rejected inflated ones with their reason), suspensions, restorations and maturity", async () => {
    const r = await tracedRun(scenarioFile("byzantine.yaml"), {}, { until: 150 });
    const ls = events(r);
    const of = (ev: string) => ls.filter((l) => l.ev === ev);
    const summary = JSON.parse(readFileSync(join(r.dir, "summary.json"), "utf8"));
    expect(of("report_accept").length).toBe(summary.reports.accepted);
    expect(of("report_reject").length).toBe(summary.reports.rejected);
    expect(of("report_reject").length).toBeGreaterThan(0);
    for (const l of of("report_reject")) expect(l).toMatchObject({ report_kind: "inflated", reason: "bls_quorum_not_reached" });
    expect(of("report_submit").length).toBe(of("report_accept").length + of("report_reject").length + summary.reports.pending);
    // meta nodes submit (their client lanes 7..13); the executing replica records the outcome
    for (const l of of("report_submit")) expect(l.node).toBe(7 + (l.reporter as number));
    expect(of("node_suspend").map((l) => l.resource_node).sort()).toEqual(["rn17", "rn5"]);
    expect(of("node_restore").map((l) => l.resource_node).sort()).toEqual(["rn17", "rn5"]);
    expect(of("prepay").length).toBeGreaterThan(0);
    for (const l of of("prepay")) expect(l).toMatchObject({ payer: "user", accepted: true, reason: null, amount_wei: "20000000000000" });
    const matured = of("reward_matured").map((l) => l.epoch as number);
    expect(matured.length).toBeGreaterThan(0);
    expect(matured).toEqual([...matured].sort((a, b) => a - b));
    // a view change happened (the silent replica is view 1's primary) and is the report's anchor
    const m = JSON.parse(readFileSync(join(r.dir, "manifest.json"), "utf8"));
    expect(m.trace.firstViewChange).toBe(of("view_change")[0]!.i);
    expect(countsByKind(ls)).toEqual(csvCounts(r.dir));
    // and the traced run is the same run as the untraced one
    const plain = await plainRun(scenarioFile("byzantine.yaml"), { until: 150 });
    for (const f of ["summary.json", "epochs.csv", "messages.csv", "resource_rewards.csv", "views.csv"]) {
      expect(readFileSync(join(r.dir, f), "utf8"), f).toBe(readFileSync(join(plain, f), "utf8"));
    }
  });
});

describe("the world's description", () => {
  it("names every network node of the built world (pbft with twins, pot)", () => {
    for (const s of [scenarioFile("beyond-f.yaml"), scenarioFile("byzantine.yaml"), scenarioText(RICH_PBFT)]) {
      const d = describeWorld(s)!;
      const world = buildWorld(s, 1) as unknown as { net?: { nodeCount: number }; pbft?: PbftWorld };
      const net = world.net ?? world.pbft!.net;
      expect(d.nodes.length, s.name).toBe(net.nodeCount);
      expect(d.nodes.map((n) => n.node)).toEqual(d.nodes.map((_, i) => i));
      (world as { finish?: () => unknown }).finish?.();
    }
    expect(describeWorld(scenarioFile("beyond-f.yaml"))!.nodes.map((n) => n.label)).toEqual(["r0", "r1", "r2", "r3", "c0", "c1", "r0'", "r1'"]);
    expect(describeWorld(scenarioFile("phold.yaml"))).toBeNull();
  });

  it("every event name is documented in docs/results.md, with every key a trace line carries", async () => {
    const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "results.md"), "utf8");
    const start = doc.indexOf("### trace.jsonl");
    expect(start).toBeGreaterThan(0);
    const section = doc.slice(start, doc.indexOf("\n### ", start + 10));
    for (const name of EVENT_NAMES) expect(section, `event ${name}`).toContain(`\`${name}\``);
    const keys = new Set<string>();
    for (const run of [await tracedRun(scenarioText(RICH_PBFT)), await tracedRun(scenarioFile("beyond-f.yaml")), await tracedRun(scenarioFile("byzantine.yaml"), {}, { until: 100 })]) {
      for (const l of lines(run.text)) for (const k of Object.keys(l)) keys.add(k);
    }
    const missing = [...keys].filter((k) => !section.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
