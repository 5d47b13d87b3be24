// Opens report.html in headless Chromium from disk and checks every chart actually renders.
// Chromium is required: the test fails when it is missing unless POTSIM_SKIP_BROWSER=1.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { renderRunReport, renderSweepReport } from "../../src/report/index.js";
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
    const sections = await page.$$eval("section.chart", (els) =>
      els.map((s) => ({
        id: s.id,
        graphics: s.querySelectorAll("svg, canvas").length,
        error: s.querySelector(".error") !== null,
      })),
    );
    return { rendered, verdict, verdictText, sections, problems };
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
    expect(check.sections.map((s) => s.id)).toEqual(expect.arrayContaining(["timeline", "reports", "rewards", "economy", "resource-nodes"]));
    for (const s of check.sections) {
      expect(s.graphics, `section ${s.id} has no svg/canvas`).toBeGreaterThan(0);
      expect(s.error, `section ${s.id} shows an error`).toBe(false);
    }
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
    for (const s of check.sections) expect(s.graphics, `section ${s.id} has no svg/canvas`).toBeGreaterThan(0);
  });
});
