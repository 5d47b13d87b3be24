import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RESULTS_DOC, renderRunReport, renderSweepReport } from "../../src/report/index.js";
import { cleanTempDirs, PNG_SIGNATURE, RUN_FIXTURE, SWEEP_FIXTURE, tempDir } from "./helpers.js";

afterAll(cleanTempDirs);

const RUN_CHARTS = ["economy", "latency", "lorenz", "messages", "reports", "rewards", "throughput", "timeline", "view-changes"];

function readAll(dir: string, files: string[]): Map<string, Buffer> {
  return new Map(files.map((f) => [f, readFileSync(join(dir, f))]));
}

describe("renderRunReport", () => {
  it("writes an SVG and a PNG per chart plus report.html, and returns the sorted relative paths", async () => {
    const dir = tempDir(RUN_FIXTURE);
    const { files } = await renderRunReport(dir);
    const expected = [...RUN_CHARTS.flatMap((n) => [`charts/${n}.png`, `charts/${n}.svg`]), "report.html"].sort();
    expect(files).toEqual(expected);
    for (const f of files) expect(existsSync(join(dir, f)), f).toBe(true);
    for (const n of RUN_CHARTS) {
      expect(readFileSync(join(dir, "charts", `${n}.png`)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(readFileSync(join(dir, "charts", `${n}.svg`), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>$/);
    }
  });

  it("is byte-identical when rendered twice, and independent of the folder's name", async () => {
    const a = tempDir(RUN_FIXTURE);
    const b = tempDir(RUN_FIXTURE);
    const first = await renderRunReport(a);
    const one = readAll(a, first.files);
    const again = await renderRunReport(a);
    expect(again.files).toEqual(first.files);
    const other = await renderRunReport(b);
    const two = readAll(a, first.files);
    const three = readAll(b, other.files);
    for (const f of first.files) {
      expect(two.get(f)!.equals(one.get(f)!), `${f} changed between renders`).toBe(true);
      expect(three.get(f)!.equals(one.get(f)!), `${f} depends on the folder`).toBe(true);
    }
  });

  it("writes a self-contained page: libraries, verdict, schedule, key figures, one section per chart, the summary folded", async () => {
    const dir = tempDir(RUN_FIXTURE);
    await renderRunReport(dir);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("<title>potsim run report: pbft-pot-small (seed 42)</title>");
    expect(html).not.toMatch(/<script[^>]*\bsrc=/);
    expect(html).not.toMatch(/<link\b/);
    expect(html).not.toContain("sourceMappingURL");
    for (const lib of ["vega", "vega-lite", "vega-embed"]) expect(html).toContain(`<script data-lib="${lib}">`);
    expect(html).toMatch(/<section id="summary">\n<details>[\s\S]*<th scope="row">traceHash<\/th><td>9f2c4e1a<\/td>[\s\S]*<\/details>/);
    expect(html).toContain('<th scope="row">latency.p50_s</th>');
    // reader first: the verdict, then the scenario's schedule, then the charts, the summary last
    const at = (needle: string) => html.indexOf(needle);
    expect(at('<section id="verdict" class="verdict passed"')).toBeGreaterThan(0);
    expect(at('<section id="verdict"')).toBeLessThan(at('<section id="scenario">'));
    expect(at('<section id="scenario">')).toBeLessThan(at('<section id="timeline" class="chart">'));
    expect(at('<section id="timeline" class="chart">')).toBeLessThan(at('<section id="summary">'));
    expect(html).toContain("Passed: no invariant was violated in 10 s of simulated time.");
    // no replay.txt in the fixture: the command names a placeholder for the file
    expect(html).toContain('<code id="replay">sim run &lt;scenario file&gt; --seed 42 --until 10</code>');
    expect(html).toMatch(/<td>4–4\.5 s<\/td><td><span class="swatch"[^>]*><\/span>crash<\/td><td>crash<\/td><td>replica 0<\/td>/);
    expect(html).toContain('<h2 id="consensus">Consensus</h2>');
    expect(html).toContain('<h2 id="economics">Economics</h2>');
    // it names (does not link) the document explaining every file, and that document exists
    expect(html).toMatch(/<footer class="docs">[\s\S]*<code>docs\/results\.md<\/code>[\s\S]*<\/footer>/);
    expect(existsSync(join(import.meta.dirname, "..", "..", RESULTS_DOC))).toBe(true);
    for (const n of RUN_CHARTS) expect(html).toContain(`<section id="${n}" class="chart">`);
    // the chart data travels inside the page
    const specs = JSON.parse(/<script type="application\/json" id="potsim-specs">(.*?)<\/script>/s.exec(html)![1]!);
    expect(Object.keys(specs).sort()).toEqual(RUN_CHARTS);
    expect(specs.latency.hconcat[0].data.values.length).toBeGreaterThan(0);
  });

  it("skips missing inputs silently: a folder without chart CSVs gets only report.html", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "summary.json"), '{"events": 10}\n');
    writeFileSync(join(dir, "phold.csv"), "lp,events\n0,10\n");
    const { files } = await renderRunReport(dir);
    expect(files).toEqual(["report.html"]);
    expect(existsSync(join(dir, "charts"))).toBe(false);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("No chart inputs were found");
    expect(html).toContain('<th scope="row">events</th><td>10</td>');
    expect(html).toContain("this folder has no schedule.csv");
    expect(html).toContain("<title>potsim run report</title>");
  });

  it("draws only the charts whose files exist", async () => {
    const dir = tempDir(RUN_FIXTURE);
    for (const f of ["requests.csv", "epochs.csv", "summary.json"]) rmSync(join(dir, f));
    const { files } = await renderRunReport(dir);
    expect(files.filter((f) => f.endsWith(".svg"))).toEqual([
      "charts/lorenz.svg",
      "charts/messages.svg",
      "charts/throughput.svg",
      "charts/timeline.svg",
      "charts/view-changes.svg",
    ]);
    expect(readFileSync(join(dir, "report.html"), "utf8")).not.toContain('id="summary"');
  });
});

describe("renderSweepReport", () => {
  const metrics = ["latency-p50_s", "throughput_rps", "view_changes"];
  const names = metrics.flatMap((m) => [`sweep-${m}-heatmap`, `sweep-${m}-vs-network-loss`, `sweep-${m}-vs-pbft-n`]);

  it("writes the per-metric charts and report.html, deterministically", async () => {
    const dir = tempDir(SWEEP_FIXTURE);
    const { files } = await renderSweepReport(dir);
    expect(files).toEqual([...names.flatMap((n) => [`charts/${n}.png`, `charts/${n}.svg`]), "report.html"].sort());
    const one = readAll(dir, files);
    await renderSweepReport(dir);
    for (const [f, bytes] of readAll(dir, files)) expect(bytes.equals(one.get(f)!), f).toBe(true);
    const html = one.get("report.html")!.toString("utf8");
    for (const n of names) expect(html).toContain(`<section id="${n}" class="chart">`);
  });

  it("infers the parameters from aggregate.csv when params.json is missing", async () => {
    const dir = tempDir(SWEEP_FIXTURE);
    rmSync(join(dir, "params.json"));
    const { files } = await renderSweepReport(dir);
    expect(files.filter((f) => f.endsWith(".svg"))).toEqual(names.map((n) => `charts/${n}.svg`));
  });

  it("writes only report.html for an empty folder", async () => {
    expect((await renderSweepReport(tempDir())).files).toEqual(["report.html"]);
  });
});
