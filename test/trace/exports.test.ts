// The viewers people already have: Perfetto / chrome://tracing (Chrome Trace Event JSON) and ShiViz.
// Each check is a function that reports problems, shown to catch a broken export before it is trusted.

import { afterAll, describe, expect, it } from "vitest";
import { EV, perfettoJson, SHIVIZ_MAX_EVENTS, SHIVIZ_REGEX, ShivizLimitError, shivizLog, type TraceData } from "../../src/trace/index.js";
import { cleanTempDirs, RICH_PBFT, scenarioFile, scenarioText, tracedRun } from "./support.js";

afterAll(cleanTempDirs);

interface ChromeEvent {
  name: string;
  ph: string;
  ts?: number;
  dur?: number;
  pid: number;
  tid?: number;
  id?: number;
  cat?: string;
  bp?: string;
}

/** Flow pairing and slice nesting of a Chrome trace; returns the problems found. */
function perfettoProblems(events: ChromeEvent[]): string[] {
  const problems: string[] = [];
  const starts = new Map<string, ChromeEvent>();
  const ends = new Map<string, ChromeEvent>();
  for (const e of events) {
    if (e.ph !== "s" && e.ph !== "f") continue;
    const key = `${e.cat}|${e.name}|${e.id}`;
    const m = e.ph === "s" ? starts : ends;
    if (m.has(key)) problems.push(`flow ${key}: two ${e.ph} events`);
    m.set(key, e);
  }
  for (const [key, s] of starts) {
    const f = ends.get(key);
    if (f === undefined) problems.push(`flow ${key}: start without end`);
    else if (f.ts! < s.ts!) problems.push(`flow ${key}: ends before it starts`);
  }
  for (const key of ends.keys()) if (!starts.has(key)) problems.push(`flow ${key}: end without start`);
  // complete slices of one thread nest (a slice starting inside another ends inside it)
  const byTrack = new Map<string, ChromeEvent[]>();
  for (const e of events) {
    if (e.ph !== "X") continue;
    if (!(e.dur! >= 0)) problems.push(`slice ${e.name}: negative duration`);
    const k = `${e.pid}/${e.tid}`;
    let l = byTrack.get(k);
    if (l === undefined) byTrack.set(k, (l = []));
    l.push(e);
  }
  const eps = 1e-6;
  for (const [track, list] of byTrack) {
    list.sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);
    const stack: number[] = [];
    for (const e of list) {
      while (stack.length > 0 && stack[stack.length - 1]! <= e.ts! + eps) stack.pop();
      const end = e.ts! + e.dur!;
      if (stack.length > 0 && end > stack[stack.length - 1]! + eps) problems.push(`track ${track}: ${e.name} at ${e.ts} overlaps its enclosing slice partially`);
      stack.push(end);
    }
  }
  return problems;
}

/** ShiViz log: the header, clocks that tick by one per host, deliveries that know their send. */
function shivizProblems(text: string): { problems: string[]; events: number } {
  const problems: string[] = [];
  const lines = text.trimEnd().split("\n");
  if (lines[0] !== SHIVIZ_REGEX) problems.push("first line is not the parser expression");
  if (lines[1] !== "") problems.push("second line is not the empty delimiter");
  const re = new RegExp(SHIVIZ_REGEX.replace(/\?<(\w+)>/g, "?<$1>"));
  const own = new Map<string, number>();
  const sendClock = new Map<string, Record<string, number>>();
  let events = 0;
  for (let k = 2; k < lines.length; k += 2) {
    const m = re.exec(`${lines[k]}\n${lines[k + 1]}`);
    if (!m?.groups) {
      problems.push(`lines ${k + 1}-${k + 2} do not parse`);
      continue;
    }
    events++;
    const host = m.groups.host!;
    const clock = JSON.parse(m.groups.clock!) as Record<string, number>;
    const mine = clock[host];
    if (mine !== (own.get(host) ?? 0) + 1) problems.push(`${host}: own clock ${mine} after ${own.get(host) ?? 0}`);
    own.set(host, mine ?? 0);
    const msg = / msg=(\d+)\]$/.exec(m.groups.event!)?.[1];
    if (msg === undefined) continue;
    if (m.groups.event!.startsWith("send ")) sendClock.set(msg, clock);
    else if (m.groups.event!.startsWith("receive ")) {
      const s = sendClock.get(msg);
      if (s === undefined) problems.push(`receive of msg ${msg} without its send`);
      else for (const [h, v] of Object.entries(s)) if ((clock[h] ?? 0) < v) problems.push(`receive of msg ${msg}: ${h} ${clock[h] ?? 0} < send's ${v}`);
    }
  }
  return { problems, events };
}

describe("sim trace export", () => {
  let data: TraceData;
  const get = async () => (data ??= (await tracedRun(scenarioText(RICH_PBFT))).data);

  it("perfetto: parses as JSON; every flow start has its end; slices of a thread nest; tracks per node", async () => {
    const d = await get();
    const json = JSON.parse(perfettoJson(d)) as { traceEvents: ChromeEvent[]; displayTimeUnit: string };
    const ev = json.traceEvents;
    expect(perfettoProblems(ev)).toEqual([]);
    const names = ev.filter((e) => e.name === "process_name").map((e) => (e as unknown as { args: { name: string } }).args.name);
    expect(names).toEqual(["r0 (replica 0)", "r1 (replica 1)", "r2 (replica 2)", "r3 (replica 3)", "c0 (client 0)", "c1 (client 1)", "network and checkers"]);
    // one flow per delivered copy; slices for view changes, state transfers, the crash and the partition
    const deliveries = Array.from({ length: d.rows.count }, (_, r) => d.rows.ev[r]).filter((e) => e === 1).length;
    expect(ev.filter((e) => e.ph === "f").length).toBe(deliveries);
    expect(ev.some((e) => e.ph === "X" && e.name.startsWith("view change → v"))).toBe(true);
    expect(ev.some((e) => e.ph === "X" && e.name.startsWith("state transfer → s") && e.pid === 4)).toBe(true);
    expect(ev.find((e) => e.ph === "X" && e.name.startsWith("down"))).toMatchObject({ pid: 4, tid: 4, ts: 10.5e6, dur: 7.5e6 });
    expect(ev.find((e) => e.ph === "X" && e.name.startsWith("partition"))).toMatchObject({ ts: 4e6, dur: 4e6 });
  });

  it("the perfetto checks catch a dangling flow and a partial overlap", () => {
    const bad: ChromeEvent[] = [
      { name: "commit", cat: "message", ph: "s", id: 1, ts: 5, pid: 1, tid: 1 },
      { name: "a", ph: "X", ts: 0, dur: 10, pid: 1, tid: 1 },
      { name: "b", ph: "X", ts: 5, dur: 10, pid: 1, tid: 1 },
    ];
    expect(perfettoProblems(bad)).toEqual(["flow message|commit|1: start without end", "track 1/1: b at 5 overlaps its enclosing slice partially"]);
  });

  it("shiviz: clocks tick by one per host and every receive dominates its send's clock", async () => {
    const d = await get();
    const text = shivizLog(d);
    const { problems, events } = shivizProblems(text);
    expect(problems).toEqual([]);
    const withHost = Array.from({ length: d.rows.count }, (_, r) => d.rows.node[r]! >= 0 || d.rows.ev[r] === EV.violation).filter(Boolean).length;
    expect(events).toBe(withHost);
    expect(text).toContain('\nc0 {"c0": 1}\nsend request → r0 [i=1 t=0 msg=1]\n');
  });

  it("the shiviz checks catch a clock that skips and a receive that ignores its send", () => {
    const log = [
      SHIVIZ_REGEX,
      "",
      'r0 {"r0": 1}',
      "send commit v0 s1 → r1 [i=0 t=0 msg=1]",
      'r1 {"r1": 2}',
      "receive commit v0 s1 ← r0 [i=1 t=0.01 msg=1]",
    ].join("\n");
    expect(shivizProblems(log).problems).toEqual(["r1: own clock 2 after 0", "receive of msg 1: r0 0 < send's 1"]);
  });

  it("shiviz refuses a trace above its limits unless forced; beyond-f exports", async () => {
    const big = (await tracedRun(scenarioFile("byzantine.yaml"), {}, { until: 200 })).data;
    expect(() => shivizLog(big)).toThrow(ShivizLimitError);
    expect(() => shivizLog(big)).toThrow(new RegExp(`ShiViz stays usable up to ${SHIVIZ_MAX_EVENTS} events and 64 nodes\\. Run again with --trace-window`));
    expect(shivizProblems(shivizLog(big, { force: true })).problems).toEqual([]);
    const bf = (await tracedRun(scenarioFile("beyond-f.yaml"))).data;
    const text = shivizLog(bf);
    expect(shivizProblems(text).problems).toEqual([]);
    expect(text).toMatch(/\nviolation SAF-1 v0 s1 \[i=\d+ /);
  });
});
