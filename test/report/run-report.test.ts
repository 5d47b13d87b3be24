// report.html of real runs, read as a researcher reads it: the verdict (SAF-1 in plain words for
// beyond-f.yaml, with its replay command), the fault and attack schedule of partition.yaml and
// byzantine.yaml, a PoT run's economics sections, and offline nodes apart from attackers.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../src/report/csv.js";
import { renderRunReport } from "../../src/report/index.js";
import { cleanTempDirs, runFolder } from "./helpers.js";

afterAll(cleanTempDirs);

/** report.html without the inlined libraries and chart data (the prose a reader sees). */
async function reportOf(dir: string): Promise<string> {
  await renderRunReport(dir);
  const html = readFileSync(join(dir, "report.html"), "utf8");
  return html.replace(/<script[\s\S]*?<\/script>/g, "");
}

/** The schedule table's rows as [when, kind, fault, targets, what, source] (tags stripped). */
function scheduleRows(html: string): string[][] {
  const tables = [...html.matchAll(/<table class="schedule"[^>]*>([\s\S]*?)<\/table>/g)].map((m) => m[1]!);
  return tables.flatMap((t) =>
    [...t.matchAll(/<tr class="kind-[^"]*">([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, "").trim())),
  );
}

describe("beyond-f.yaml: the violation, in plain words", () => {
  it("leads with SAF-1 (agreement) in plain words, where and when, and the replay command", async () => {
    const { dir, code } = await runFolder("scenarios/beyond-f.yaml");
    expect(code).toBe(1);
    const html = await reportOf(dir);
    const banner = /<section id="verdict" class="verdict violated" data-verdict="violated">([\s\S]*?)<\/section>/.exec(html)?.[1];
    expect(banner).toBeDefined();
    // INV-P broke first (t = 0.039 s), but agreement is what users lose: the banner leads with SAF-1
    expect(banner).toContain(
      "Violated: <strong>SAF-1</strong> (Agreement) — two correct replicas executed different batches at the same sequence number.",
    );
    expect(banner).toContain("First at t = 0.0642 s (view 0, seq 1), replicas 3 and 2: seq 1: replica 2 executed 9ebbb8ca84525c94 but replica 3 executed 595e810c74f9bcb7");
    expect(banner).toContain("10 violation records in all: SAF-1 × 5, INV-P × 5.");
    expect(banner).toContain("Also violated: INV-P (Prepared uniqueness) × 5, first at t = 0.0392 s (view 0, seq 1), replicas 2 and 3.");
    expect(banner).toContain('<code id="replay">sim run scenarios/beyond-f.yaml --seed 1</code>');
    expect(readFileSync(join(dir, "replay.txt"), "utf8")).toBe("sim run scenarios/beyond-f.yaml --seed 1\n");
    // untraced: it says how to get the trace
    expect(banner).toContain("add <code>--trace</code> to the command above");
    expect(scheduleRows(html)).toEqual([["whole run", "twins", "twins", "replicas 0, 1", "each runs twice: one copy with replicas [2] / [3], clients [0] / [1]", "scenario"]]);
  });

  it("traced: links into trace.html at the first violation and at the second before SAF-1", async () => {
    const { dir } = await runFolder("scenarios/beyond-f.yaml", { trace: true, charts: true });
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { trace: { firstViolation: number } };
    const html = await reportOf(dir);
    expect(html).toContain(`<a id="trace-link" href="trace.html#event=${manifest.trace.firstViolation}">trace.html at the first violation (INV-P at t = 0.0392 s)</a>`);
    expect(html).toContain('<a href="trace.html#t=0..0.164217005">the second before SAF-1</a>');
    // each schedule row opens trace.html at its time window
    expect(html).toContain('<a href="trace.html#t=0..30">trace</a>');
  });
});

describe("the fault and attack schedule", () => {
  it("partition.yaml: the partition, when it started and healed, and who was on which side", async () => {
    const { dir } = await runFolder("scenarios/partition.yaml", { until: 40 });
    const csv = parseCsv(readFileSync(join(dir, "schedule.csv"), "utf8"));
    expect(csv.rows).toEqual([
      { start_s: "5", end_s: "25", kind: "partition", fault: "partition", targets: "nodes 0, 1 | 2-10", detail: "sides cannot talk", source: "scenario" },
    ]);
    const html = await reportOf(dir);
    expect(scheduleRows(html)).toEqual([["5–25 s", "partition", "partition", "nodes 0, 1 | 2-10", "sides cannot talk", "scenario"]]);
    expect(html).toContain("Primary and one backup partitioned away for 20 s, n = 7");
    // replicas 0 and 1 are cut off for the 20 s
    const timeline = parseCsv(readFileSync(join(dir, "replica_timeline.csv"), "utf8"));
    const cut = timeline.rows.filter((r) => r.status === "partitioned");
    expect(new Set(cut.map((r) => r.replica))).toEqual(new Set(["0", "1"]));
    expect(Math.min(...cut.map((r) => Number(r.time_s)))).toBe(5);
    const after = timeline.rows.filter((r) => (r.replica === "0" || r.replica === "1") && Number(r.time_s) >= 25);
    expect(after[0]).toMatchObject({ time_s: "25", status: "up" });
  });

  it("byzantine.yaml: the Byzantine replicas, the coalition and the outage, attackers and offline nodes apart", async () => {
    const { dir } = await runFolder("scenarios/byzantine.yaml", { until: 150 });
    const html = await reportOf(dir);
    expect(scheduleRows(html)).toEqual([
      ["whole run", "byzantine", "equivocate", "replica 0", "sends different pre-prepares for one slot to different backups", "scenario"],
      ["whole run", "byzantine", "silent", "replica 1", "sends nothing", "scenario"],
      ["0–280 s", "coalition", "coalition0", "meta nodes 0-2", "reports every volume × 2 when a member is the epoch's reporter, signed with its 3 keys (quorum 4)", "scenario"],
      ["60–120 s", "outage", "offline0", "resource nodes 5, 17", "offline for 60 s; suspended after 3 epochs offline, restored when back", "scenario"],
    ]);
    // economics: reports by outcome, rewards, ozone price, resource nodes, then attackers and offline nodes in separate tables
    for (const id of ["reports", "rewards", "economy", "resource-nodes", "lorenz"]) expect(html).toContain(`<section id="${id}" class="chart">`);
    expect(html).toContain('<h2 id="economics">Economics</h2>');
    expect(html).toMatch(/<section id="attackers" class="table">[\s\S]*<td>coalition0<\/td><td>coalition<\/td><td>3<\/td>[\s\S]*<\/section>/);
    expect(html).toMatch(/<section id="offline" class="table">\n<h3>Offline resource nodes \(outages; honest nodes, not attackers\)<\/h3>[\s\S]*<td>offline0<\/td><td>resource nodes 5, 17<\/td>/);
    const attackers = /<section id="attackers" class="table">([\s\S]*?)<\/section>/.exec(html)![1]!;
    expect(attackers).not.toContain("offline0");
    // key figures with units and the docs' words
    expect(html).toMatch(/<div class="figure" data-key="reports.accepted"><div class="label">Volume reports accepted<\/div><div class="value">\d+ of \d+ <span class="unit">reports<\/span><\/div><div class="extra">\d+ refused<\/div><div class="explain">reports the ledger accepted \(each pays one epoch's mining and traffic rewards\)<\/div><\/div>/);
    expect(html).toContain('<span class="unit">STOS per TB</span>');
  });
});
