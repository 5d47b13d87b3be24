import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/report/csv.js";
import { RUN_TABLES } from "../../src/report/index.js";
import { readCsvIfPresent, readTables } from "../../src/report/inputs.js";
import { compileSpec, renderSvg } from "../../src/report/render.js";
import { type Chart, runCharts, runContext, sweepCharts, sweepReport, viewsChart } from "../../src/report/specs.js";
import { RUN_FIXTURE, SWEEP_FIXTURE } from "./helpers.js";

const SWEEP_PARAMS = ["network.loss", "pbft.n"];

function fixtureRunCharts(): Chart[] {
  return runCharts(readTables(RUN_FIXTURE, RUN_TABLES), { span: 10, summary: { faultyReplicas: [3], violations: [{ invariant: "SAF-1", time: 8.25 }] } });
}

function fixtureSweepCharts(params = SWEEP_PARAMS): Chart[] {
  return sweepCharts(readCsvIfPresent(SWEEP_FIXTURE, "aggregate"), params);
}

/** Mark classes and text that each chart's SVG must contain. */
const RUN_EXPECT: Record<string, string[]> = {
  timeline: ["mark-rect", "mark-line", "sequence number", "changing view", "cut off by a partition", "crashed", "r3 (faulty)", "v1"],
  "view-changes": ["mark-line", "mark-symbol", "view", "time (s)", "view_change_started", "new_view_installed"],
  throughput: ["mark-line", "time (s)", "throughput (requests/s)"],
  latency: ["mark-rect", "mark-line", "latency (s)", "requests", "ECDF", "histogram"],
  messages: ["mark-rect", "message kind", "messages", "sent", "dropped", "pre-prepare"],
  reports: ["mark-rect", "reports per epoch", "accepted", "time (s)"],
  rewards: ["mark-line", "mining rewards, cumulative", "traffic rewards, cumulative", "validators", "meta", "resource"],
  economy: ["mark-line", "ozone price (STOS per", "S, deposits (STOS)", "P, prepay pool (STOS)", "L, ozone left (kB)", "time (s)"],
  lorenz: ["mark-line", "Gini = 0.", "cumulative share of wallets", "cumulative share of rewards"],
};

/** Charts over time: they carry the schedule's bands, its whole-run note and the violation mark. */
const TIME_CHARTS = ["timeline", "view-changes", "throughput", "reports", "rewards", "economy"];

describe("run chart specs", () => {
  const charts = fixtureRunCharts();

  it("builds every run chart from the fixture folder, in a fixed order, with its section and caption", () => {
    expect(charts.map((c) => c.name)).toEqual(Object.keys(RUN_EXPECT));
    expect(charts.map((c) => c.section)).toEqual([...Array(5).fill("consensus"), ...Array(4).fill("economics")]);
    for (const c of charts) expect(c.note, c.name).toBeTruthy();
  });

  for (const name of Object.keys(RUN_EXPECT)) {
    it(`${name}: compiles without warnings and renders the expected marks and titles`, async () => {
      const chart = charts.find((c) => c.name === name)!;
      const compiled = compileSpec(chart.spec);
      expect(compiled.warnings).toEqual([]);
      expect(compiled.vega.marks?.length ?? 0).toBeGreaterThan(0);
      const svg = await renderSvg(chart.spec);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toMatch(/<path|<rect/);
      for (const text of RUN_EXPECT[name]!) expect(svg, `${name} SVG lacks ${text}`).toContain(text);
      if (TIME_CHARTS.includes(name)) {
        // the crash and the partition are bands, the Byzantine replica lasts the whole run, SAF-1 is marked
        expect(svg, `${name}: whole-run note`).toContain("for the whole run: silent replica 3");
        expect(svg, `${name}: violation mark`).toContain("SAF-1");
        expect(svg, `${name}: band label`).toContain("crash replica 0");
      }
    });
  }

  it("puts the schedule's bands in the chart's time unit, and leaves whole-run items to the subtitle", () => {
    const ctx = runContext(10, readTables(RUN_FIXTURE, ["schedule"]).schedule);
    expect(ctx.time.unit).toBe("s");
    expect(ctx.whole).toEqual(["silent replica 3"]);
    expect(ctx.bands.map((b) => [b.t0, b.t1, b.kind, b.label])).toEqual([
      [4, 4.5, "crash", "crash replica 0"],
      [6.5, 7.5, "partition", "partition nodes 0 | 1-5"],
    ]);
    const days = runContext(864_000, parseCsv("start_s,end_s,kind,fault,targets,detail,source\n86400,172800,outage,offline0,resource nodes 1,x,drawn\n"));
    expect(days.time.unit).toBe("days");
    expect(days.bands.map((b) => [b.t0, b.t1])).toEqual([[1, 2]]);
  });

  it("rewards: cumulative STOS per class, mining and traffic apart", () => {
    const rewards = charts.find((c) => c.name === "rewards")!;
    const values = (rewards.spec as unknown as { vconcat: Array<{ layer: Array<{ data?: { values: Array<Record<string, unknown>> } }> }> }).vconcat[0]!.layer.find(
      (l) => l.data?.values.some((v) => "class" in v),
    )!.data!.values;
    // epoch 0 (t = 0.8 s): validators get 200 STOS mining + 300 STOS traffic; epoch 1 adds 198 + 307
    // (as JSON: rendering the other tests' charts tags the data objects with vega ids)
    expect(JSON.parse(JSON.stringify(values.filter((v) => v.t === 0.8 && v.class === "validators")))).toEqual([
      { t: 0.8, class: "validators", kind: "mining", stos: 200 },
      { t: 0.8, class: "validators", kind: "traffic", stos: 300 },
    ]);
    expect(values.find((v) => v.t === 1.6 && v.class === "validators" && v.kind === "mining")!.stos).toBeCloseTo(398, 9);
  });

  it("view changes stay readable at 40+ views: views on the y axis, one colour per replica", async () => {
    let csv = "time_s,replica,view,event\n";
    for (let v = 1; v <= 45; v++) for (let r = 0; r < 4; r++) csv += `${v + r * 0.01},${r},${v},view_change_started\n${v + 0.5 + r * 0.01},${r},${v},new_view_installed\n`;
    const chart = viewsChart(parseCsv(csv), runContext(50, undefined))!;
    const layers = (chart.spec as unknown as { layer: Array<{ encoding: { y: { field: string; type: string }; color: { field: string } } }> }).layer;
    expect(layers[0]!.encoding.y).toMatchObject({ field: "view", type: "quantitative" });
    expect(layers[0]!.encoding.color.field).toBe("replica");
    expect(compileSpec(chart.spec).warnings).toEqual([]);
    const svg = await renderSvg(chart.spec);
    expect(svg).toContain(">40<");
    expect(svg).toContain("highest 45");
    // the legend lists the 4 replicas (and the 2 event shapes), not 45 views; "view" is only the axis title
    expect(svg.match(/<text[^>]*>r\d+<\/text>/g)).toHaveLength(4);
    expect(svg.match(/>view</g)).toHaveLength(1);
  });

  it("computes the Gini of resource rewards into the Lorenz title", () => {
    const l = charts.find((c) => c.name === "lorenz")!;
    expect(JSON.stringify(l.spec.title)).toMatch(/Gini = 0\.\d{3}, 40 wallets/);
  });
});

describe("missing inputs", () => {
  it("gives no run charts when no tables are present (a PHOLD run)", () => {
    expect(runCharts({})).toEqual([]);
  });

  it("skips charts whose columns are missing or whose table is empty", () => {
    const tables = {
      requests: parseCsv("client,timestamp\n0,1\n"), // no latency_s
      throughput: parseCsv("time_s,commits,bucket_s\n"), // header only
      messages: parseCsv("kind,sent,delivered,dropped,bytes\nprepare,10,9,1,100\n"),
      epochs: parseCsv("epoch,time_s,ozone_price\n0,1,1.5\n1,2,1.6\n"), // no reward columns
      resource_rewards: parseCsv("wallet,total_wei\na,0\nb,0\n"), // zero total: no Lorenz curve
    };
    expect(runCharts(tables).map((c) => c.name)).toEqual(["messages", "economy"]);
  });

  it("falls back to mining + traffic when total_wei is absent", () => {
    const charts = runCharts({ resource_rewards: parseCsv("wallet,mining_wei,traffic_wei\na,1,0\nb,0,3\n") });
    expect(charts.map((c) => c.name)).toEqual(["lorenz"]);
    expect(JSON.stringify(charts[0]!.spec.title)).toContain("Gini = 0.250");
  });

  it("gives no sweep charts without aggregate.csv", () => {
    expect(sweepCharts(undefined, SWEEP_PARAMS)).toEqual([]);
  });
});

describe("sweep chart specs", () => {
  const charts = fixtureSweepCharts();
  const metrics = ["latency-p50_s", "throughput_rps", "view_changes"];

  it("makes one chart per metric × parameter and one heatmap per metric for two parameters", () => {
    expect(charts.map((c) => c.name)).toEqual(
      metrics.flatMap((m) => [`sweep-${m}-vs-network-loss`, `sweep-${m}-vs-pbft-n`, `sweep-${m}-heatmap`]),
    );
  });

  it("draws no heatmap with a single swept parameter", () => {
    const one = sweepCharts(readCsvIfPresent(SWEEP_FIXTURE, "aggregate"), ["network.loss"]);
    expect(one.map((c) => c.name)).toEqual(metrics.map((m) => `sweep-${m}-vs-network-loss`));
  });

  for (const chart of charts) {
    it(`${chart.name}: compiles without warnings and renders`, async () => {
      expect(compileSpec(chart.spec).warnings).toEqual([]);
      const svg = await renderSvg(chart.spec);
      expect(svg).toMatch(/<path|<rect/);
      if (chart.name.endsWith("-heatmap")) {
        expect(svg).toContain("mark-rect");
        expect(svg).toContain("mark-text");
        expect(svg).toContain("network.loss");
        expect(svg).toContain("pbft.n");
      } else {
        expect(svg).toContain("mark-rule"); // each point's 95% interval
        expect(svg).toContain("mark-line"); // through the means
        expect(svg).toContain("over n = 1–5 replicates per point"); // the fixture has points with one replicate
        expect(svg).toContain(chart.name.endsWith("network-loss") ? "network.loss (probability)" : "pbft.n (replicas)");
      }
    });
  }

  it("handles non-numeric parameter values and rows without a CI", async () => {
    const t = parseCsv(
      "point,transport,metric,n,mean,sd,ci95_low,ci95_high,p5,p50,p95\n" +
        "0,tcp,lat,3,1,0.1,0.8,1.2,0.9,1,1.1\n" +
        "1,udp,lat,1,2,,,,2,2,2\n",
    );
    const [chart, ...rest] = sweepCharts(t, ["transport"]);
    expect(rest).toEqual([]);
    expect(chart!.name).toBe("sweep-lat-vs-transport");
    expect(compileSpec(chart!.spec).warnings).toEqual([]);
    expect(await renderSvg(chart!.spec)).toContain("udp");
  });
});

describe("sweep reports that answer a question", () => {
  const csv = (rows: string[]) => parseCsv(`point,economics.communityTax,metric,n,mean,sd,ci95_low,ci95_high,p5,p50,p95\n${rows.join("\n")}\n`);
  const agg = csv([
    "0,0.01,users.prepays,3,2,1,-0.5,4.5,1,2,3",
    "1,0.02,users.prepays,3,5,1,2.5,7.5,4,5,6",
    "0,0.01,epochs,3,28,0,28,28,28,28,28",
    "1,0.02,epochs,3,28,0,28,28,28,28,28",
    "0,0.01,tax,3,0.01,0,0.01,0.01,0.01,0.01,0.01",
    "1,0.02,tax,3,0.02,0,0.02,0.02,0.02,0.02,0.02",
    "0,0.01,netFlow,2,-1,1,-10,8,-2,-1,0",
    "1,0.02,netFlow,2,1,1,-8,10,0,1,2",
  ]);
  const params = ["economics.communityTax"];

  it("charts only metrics that vary, never a constant or a copy of a parameter, and says so", () => {
    const r = sweepReport({ aggregate: agg, params });
    expect(r.charts.map((c) => c.name)).toEqual(["sweep-users-prepays-vs-economics-communitytax", "sweep-netflow-vs-economics-communitytax"]);
    expect(r.notes).toEqual([
      "Constant across the sweep, not charted: epochs.",
      "Only repeat a swept parameter, not charted: tax (= economics.communityTax).",
    ]);
  });

  it("charts exactly the metrics named in report.metrics", () => {
    const r = sweepReport({ aggregate: agg, params, sweep: { report: { metrics: ["epochs", "nope"] } } });
    expect(r.charts.map((c) => c.name)).toEqual(["sweep-epochs-vs-economics-communitytax"]);
    expect(r.notes).toEqual(["Not in this sweep's numeric results: nope."]);
  });

  it("puts a unit on every axis", () => {
    for (const c of sweepReport({ aggregate: agg, params }).charts) {
      const layers = (c.spec as unknown as { encoding: { x: { title: string } }; layer: { encoding: { y: { title: string } } }[] });
      expect(layers.encoding.x.title).toBe("economics.communityTax (fraction)");
      for (const l of layers.layer) expect(l.encoding.y.title).toMatch(/^(users\.prepays \(count\)|netFlow \(unitless\))$/);
    }
  });

  it("keeps intervals of non-negative quantities at or above 0 and flags them; others may go below", () => {
    const [prepays, flow] = sweepReport({ aggregate: agg, params }).charts;
    const rows = (c: typeof prepays) => (c!.spec as unknown as { data: { values: { lo: number; clamped: boolean }[] } }).data.values;
    expect(rows(prepays).map((r) => r.lo)).toEqual([0, 2.5]);
    expect(rows(prepays).map((r) => r.clamped)).toEqual([true, false]);
    expect(JSON.stringify(prepays!.spec)).toContain("1 interval clamped at 0 (the quantity cannot be negative)");
    expect(rows(flow).map((r) => r.lo)).toEqual([-10, -8]);
  });

  it("draws sampled designs without lines and sensitivity designs as index bars with intervals", async () => {
    const sampled = sweepReport({ aggregate: agg, params, sweep: { lhs: {} } }).charts[0]!;
    expect(await renderSvg(sampled.spec)).not.toContain("mark-line");
    const sens = parseCsv(
      "metric,parameter,index,estimate,ci_low,ci_high\nusers.prepays,a,S1,0.6,0.5,0.7\nusers.prepays,a,ST,0.7,0.6,0.8\nusers.prepays,b,S1,0.1,-0.02,0.2\nusers.prepays,b,ST,0.3,0.25,0.35\n",
    );
    const r = sweepReport({ aggregate: agg, params, sweep: { sobol: {} }, sensitivity: sens });
    expect(r.charts.map((c) => c.name)).toEqual(["sweep-users-prepays-sensitivity"]);
    expect(compileSpec(r.charts[0]!.spec).warnings).toEqual([]);
    const svg = await renderSvg(r.charts[0]!.spec);
    expect(svg).toContain("mark-rect"); // bars
    expect(svg).toContain("mark-rule"); // intervals
    expect(svg).toContain("S1 (first order)");
    expect(svg).toContain("index (share of output variance, unitless)");
  });
});
