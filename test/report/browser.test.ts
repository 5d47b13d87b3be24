// Opens report.html in headless Chromium from disk and checks every chart actually renders.
// Chromium is required: the test fails when it is missing unless POTSIM_SKIP_BROWSER=1.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { renderRunReport, renderSweepReport, renderTuneReport } from "../../src/report/index.js";
import { cleanTempDirs, RUN_FIXTURE, runFolder, SWEEP_FIXTURE, tempDir } from "./helpers.js";

const CHROMIUM = process.env.POTSIM_CHROMIUM ?? "/usr/bin/chromium";
const SKIP = process.env.POTSIM_SKIP_BROWSER === "1";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface PageCheck {
  rendered: string | null;
  /** #verdict's data-verdict and its text. */
  verdict: string | null;
  verdictText: string;
  /** #warnings' data-warnings (null without the banner), its text, and whether it shows above the verdict. */
  warnings: string | null;
  warningsText: string;
  warningsOnTop: boolean;
  sections: Array<{ id: string; graphics: number; error: boolean }>;
  problems: string[];
}

async function openReport(browser: Browser, htmlPath: string): Promise<PageCheck> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) problems.push(`network request: ${r.url()}`);
  });
  try {
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector("body[data-rendered]", { timeout: 60_000 });
    const rendered = await page.getAttribute("body", "data-rendered");
    // (no waiting: a sweep report has no verdict)
    const el = await page.$("#verdict");
    const verdict = el ? await el.getAttribute("data-verdict") : null;
    const verdictText = el ? ((await el.textContent()) ?? "") : "";
    const banner = await page.$("#warnings");
    const warnings = banner ? await banner.getAttribute("data-warnings") : null;
    const warningsText = banner ? ((await banner.textContent()) ?? "") : "";
    const box = banner ? await banner.boundingBox() : null;
    const verdictBox = el ? await el.boundingBox() : null;
    const warningsOnTop = box !== null && box.height > 0 && (verdictBox === null || box.y < verdictBox.y);
    const sections = await page.$$eval("section.chart", (els) =>
      els.map((s) => ({
        id: s.id,
        graphics: s.querySelectorAll("svg, canvas").length,
        error: s.querySelector(".error") !== null,
      })),
    );
    return { rendered, verdict, verdictText, warnings, warningsText, warningsOnTop, sections, problems };
  } finally {
    await page.close();
  }
}

describe.skipIf(SKIP)("report.html in a real browser", () => {
  let launched: Promise<Browser> | undefined;

  /** Launches Chromium once; throws (failing the calling test) when it is not installed. */
  function browser(): Promise<Browser> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set ` +
          "POTSIM_SKIP_BROWSER=1 to skip the browser check.",
      );
    }
    launched ??= chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    return launched;
  }

  afterAll(async () => {
    await (await launched?.catch(() => undefined))?.close();
    cleanTempDirs();
  });

  it("renders every run chart with no console errors and no network", async () => {
    const b = await browser();
    const dir = tempDir(RUN_FIXTURE);
    await renderRunReport(dir);
    const check = await openReport(b, join(dir, "report.html"));
    expect(check.problems).toEqual([]);
    expect(check.rendered).toBe("ok");
    expect(check.sections.map((s) => s.id)).toEqual([
      "timeline",
      "view-changes",
      "throughput",
      "latency",
      "messages",
      "reports",
      "rewards",
      "economy",
      "lorenz",
    ]);
    expect(check.verdict).toBe("passed");
    for (const s of check.sections) {
      expect(s.graphics, `section ${s.id} has no svg/canvas`).toBeGreaterThan(0);
      expect(s.error, `section ${s.id} shows an error`).toBe(false);
    }
  });

  it("beyond-f.yaml: the violation banner names SAF-1 in plain words, with the replay command; no console errors", async () => {
    const b = await browser();
    const { dir } = await runFolder("scenarios/beyond-f.yaml", { charts: true });
    const check = await openReport(b, join(dir, "report.html"));
    expect(check.problems).toEqual([]);
    expect(check.rendered).toBe("ok");
    expect(check.verdict).toBe("violated");
    expect(check.verdictText).toContain("Violated: SAF-1 (Agreement) — two correct replicas executed different batches at the same sequence number.");
    expect(check.verdictText).toContain("Reproduce this run: sim run scenarios/beyond-f.yaml --seed 1");
    for (const s of check.sections) expect(s.graphics, `section ${s.id} has no svg/canvas`).toBeGreaterThan(0);
  });

  it("a PoT run (byzantine.yaml, 2 min): passed, economics charts drawn, no console errors", async () => {
    const b = await browser();
    const { dir } = await runFolder("scenarios/byzantine.yaml", { charts: true, until: 120 });
    const check = await openReport(b, join(dir, "report.html"));
    expect(check.problems).toEqual([]);
    expect(check.rendered).toBe("ok");
    expect(check.verdict).toBe("passed");
    expect(check.verdictText).toContain("Passed: no invariant was violated in 120 s of simulated time.");
    expect(check.warnings).toBeNull();
    expect(check.sections.map((s) => s.id)).toEqual(expect.arrayContaining(["timeline", "reports", "rewards", "economy", "resource-nodes"]));
    for (const s of check.sections) {
      expect(s.graphics, `section ${s.id} has no svg/canvas`).toBeGreaterThan(0);
      expect(s.error, `section ${s.id} shows an error`).toBe(false);
    }
  });

  it("a PoT run whose users never reach the chain: a warnings banner above the verdict, no console errors", async () => {
    const b = await browser();
    // byzantine.yaml's gateways (nodes 14 and 15) cut off from everyone for the whole run.
    const sets = ["network.partitions=[{at: 0, groups: [[14, 15]]}]", "check.liveness=false"];
    const { dir } = await runFolder("scenarios/byzantine.yaml", { charts: true, until: 120, sets });
    const check = await openReport(b, join(dir, "report.html"));
    expect(check.problems).toEqual([]);
    expect(check.rendered).toBe("ok");
    expect(check.verdict).toBe("passed");
    expect(check.warnings).toBe("4");
    expect(check.warningsOnTop).toBe(true);
    expect(check.warningsText).toContain("4 warnings: this run may not have simulated what its scenario declared");
    expect(check.warningsText).toContain("users-never-prepaid: none of the 30 users ever prepaid: no prepay reached the chain");
    expect(check.warningsText).toContain("no-traffic-served");
    expect(check.warningsText).toContain("no-report-accepted");
    // Without traffic there is no report for the inflating coalition to inflate.
    expect(check.warningsText).toContain("attack-never-fired: coalition 0 (meta nodes 0, 1, 2) never submitted an inflated report: none of its members reported an epoch with traffic from 1 to 12");
  });

  it("a sweep whose runs.csv has warnings: the banner counts and lists the points", async () => {
    const b = await browser();
    const dir = tempDir(SWEEP_FIXTURE);
    const rows = ["point,replicate,seed,status,error,warnings"];
    for (let p = 0; p < 9; p++) for (let r = 0; r < 2; r++) rows.push(`${p},${r},${p * 2 + r},ok,,${p === 2 && r === 1 ? "no-report-accepted;users-never-prepaid" : p === 5 ? "users-never-prepaid" : ""}`);
    writeFileSync(join(dir, "runs.csv"), `${rows.join("\n")}\n`);
    await renderSweepReport(dir);
    const check = await openReport(b, join(dir, "report.html"));
    expect(check.problems).toEqual([]);
    expect(check.rendered).toBe("ok");
    expect(check.warnings).toBe("2");
    expect(check.warningsOnTop).toBe(true);
    expect(check.warningsText).toContain("2 of 9 points have runs with warnings");
    expect(check.warningsText).toContain("no-report-accepted: 1 point");
    expect(check.warningsText).toContain("users-never-prepaid: 2 points");
    expect(check.warningsText).toContain("Points: 2, 5.");
    expect(check.sections).toHaveLength(9);
  });

  it("renders every sweep chart with no console errors", async () => {
    const b = await browser();
    const dir = tempDir(SWEEP_FIXTURE);
    await renderSweepReport(dir);
    const check = await openReport(b, join(dir, "report.html"));
    expect(check.problems).toEqual([]);
    expect(check.rendered).toBe("ok");
    expect(check.sections).toHaveLength(9);
    expect(check.verdict).toBeNull();
    expect(check.warnings).toBeNull();
    for (const s of check.sections) expect(s.graphics, `section ${s.id} has no svg/canvas`).toBeGreaterThan(0);
  });

  it("renders a sensitivity sweep report with the constant metric omitted and no console errors", async () => {
    const b = await browser();
    const dir = tempDir();
    const rows = ["point,a,b,metric,n,mean,sd,ci95_low,ci95_high,p5,p50,p95"];
    for (let p = 0; p < 8; p++) {
      rows.push(`${p},${p / 8},${1 - p / 8},users.prepays,2,${p * 3},1,${p * 3 - 2},${p * 3 + 2},0,0,0`);
      rows.push(`${p},${p / 8},${1 - p / 8},epochs,2,28,0,28,28,28,28,28`);
    }
    writeFileSync(join(dir, "aggregate.csv"), `${rows.join("\n")}\n`);
    writeFileSync(join(dir, "params.json"), JSON.stringify({ columns: ["a", "b"], params: ["a", "b"] }));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ sweep: { sobol: { samples: 2, params: {}, bootstrap: 100 } } }));
    writeFileSync(
      join(dir, "sensitivity.csv"),
      "metric,parameter,index,estimate,ci_low,ci_high\nusers.prepays,a,S1,0.7,0.6,0.8\nusers.prepays,a,ST,0.75,0.7,0.8\nusers.prepays,b,S1,0.2,0.1,0.3\nusers.prepays,b,ST,0.3,0.2,0.4\n",
    );
    await renderSweepReport(dir);
    const check = await openReport(b, join(dir, "report.html"));
    expect(check.problems).toEqual([]);
    expect(check.rendered).toBe("ok");
    expect(check.sections.map((s) => s.id)).toEqual(["sweep-users-prepays-sensitivity"]);
    for (const s of check.sections) expect(s.graphics).toBeGreaterThan(0);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("Constant across the sweep, not charted: epochs.");
  });

  it("renders a tune report's convergence chart with no console errors", async () => {
    const b = await browser();
    const dir = tempDir();
    const lines = ["evaluation,generation,replicate,seed,x,status,error,objective,feasible,violation"];
    for (let e = 0; e < 12; e++) lines.push(`${e},${Math.floor(e / 6)},0,${e},${e / 12},ok,,${1 / (e + 1)},${e % 3 !== 0},0`);
    writeFileSync(join(dir, "tune.csv"), `${lines.join("\n")}\n`);
    writeFileSync(join(dir, "summary.json"), JSON.stringify({ name: "t", objective: { minimize: "x" } }));
    await renderTuneReport(dir);
    const check = await openReport(b, join(dir, "report.html"));
    expect(check.problems).toEqual([]);
    expect(check.rendered).toBe("ok");
    expect(check.sections.map((s) => s.id)).toEqual(["convergence"]);
    expect(check.verdict).toBeNull();
  });
});
