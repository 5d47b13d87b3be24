// trace.html (and report.html's link to it) in headless Chromium, opened from disk: no console errors,
// no network, lanes and arrows drawn, filters that change what is drawn, violations marked and linked
// to the event they cite, a click that selects an event's causal past. Chromium is required unless
// POTSIM_SKIP_BROWSER=1 (as test/report/browser.test.ts).

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanTempDirs, lines, scenarioFile, type TracedRun, tracedRun } from "./support.js";

const CHROMIUM = process.env.POTSIM_CHROMIUM ?? "/usr/bin/chromium";
const SKIP = process.env.POTSIM_SKIP_BROWSER === "1";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

type Line = Record<string, unknown>;

describe.skipIf(SKIP)("trace.html in a real browser", () => {
  let browser: Browser;
  let run: TracedRun;
  let ls: Line[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set POTSIM_SKIP_BROWSER=1 to skip the browser check.`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    run = await tracedRun(scenarioFile("beyond-f.yaml"), {}, { charts: true });
    ls = lines(run.text).slice(1, -1);
  });

  afterAll(async () => {
    await browser?.close();
    cleanTempDirs();
  });

  async function open(file: string, hash = ""): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) problems.push(`network request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href + hash);
    return { page, problems };
  }

  const canvas = (page: Page) => page.$eval("#diagram", (e) => ({ ...(e as HTMLElement).dataset }));

  it("draws a lane per node and an arrow per delivery or drop; a filter reduces the drawn arrows", async () => {
    const { page, problems } = await open(join(run.dir, "trace.html"));
    await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
    const c = await canvas(page);
    expect(c.lanes).toBe("8");
    const arrows = ls.filter((l) => l.ev === "deliver" || l.ev === "drop");
    expect(Number(c.drawnArrows)).toBe(arrows.length);
    // uncheck "commit": exactly the commit arrows go
    await page.click('input[data-kind="commit"]');
    const commits = arrows.filter((l) => l.kind === "commit").length;
    expect(commits).toBeGreaterThan(0);
    expect(Number((await canvas(page)).drawnArrows)).toBe(arrows.length - commits);
    // hide a lane: one lane fewer, and no arrow to or from it
    await page.click('input[data-node="6"]');
    const c2 = await canvas(page);
    expect(c2.lanes).toBe("7");
    expect(Number(c2.drawnArrows)).toBe(arrows.filter((l) => l.kind !== "commit" && l.from !== 6 && l.to !== 6).length);
    // the view filter keeps what happened in that view; "all views" brings everything back
    const views = await page.$$eval("#view-filter option", (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(views[0]).toBe("-1");
    await page.selectOption("#view-filter", views[1]!);
    const inView = Number((await canvas(page)).drawnArrows);
    expect(inView).toBeGreaterThan(0);
    expect(inView).toBeLessThanOrEqual(Number(c2.drawnArrows));
    await page.selectOption("#view-filter", "-1");
    expect((await canvas(page)).drawnArrows).toBe(c2.drawnArrows);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("marks the violations, lists them with the event they cite, and opens at the first one (#violation)", async () => {
    const { page, problems } = await open(join(run.dir, "trace.html"), "#violation");
    await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
    const vio = ls.filter((l) => l.ev === "violation");
    expect(vio.length).toBe(10);
    const c = await canvas(page);
    expect(Number(c.drawnViolations)).toBe(vio.length);
    expect(c.selected).toBe(String(vio[0]!.i));
    expect(c.focus).toBe(String(vio[0]!.cause));
    expect(Number(c.pastCount)).toBeGreaterThan(1);
    const listed = await page.$$eval("#violations a", (as) => as.map((a) => ({ event: (a as HTMLElement).dataset.event, cause: (a as HTMLElement).dataset.cause, text: a.textContent })));
    expect(listed.map((x) => [Number(x.event), Number(x.cause)])).toEqual(vio.map((v) => [v.i, v.cause]));
    expect(listed[1]!.text).toMatch(/^SAF-1 at t=[0-9.]+ s, replicas 3, 2: seq 1: replica 2 executed/);
    // following a violation's link selects it and highlights the past of its cause
    await page.click("#violations li:nth-child(2) a");
    const c2 = await canvas(page);
    expect([c2.selected, c2.focus]).toEqual([String(vio[1]!.i), String(vio[1]!.cause)]);
    expect(await page.textContent("#details")).toContain('"invariant": "SAF-1"');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a click on the canvas selects the event drawn there and its causal past", async () => {
    const { page, problems } = await open(join(run.dir, "trace.html"), "#t=0..0.5");
    await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
    const vio = ls.find((l) => l.ev === "violation")!;
    // the first violation's triangle sits on the time axis at its time
    const box = (await page.$("#diagram"))!;
    const { width } = (await box.boundingBox())!;
    const [w0, w1] = (await canvas(page)).window!.split("..").map(Number);
    const x = 64 + (((vio.t as number) - w0!) / (w1! - w0!)) * (width - 72);
    await box.click({ position: { x, y: 32 } });
    const c = await canvas(page);
    expect([c.selected, c.focus]).toEqual([String(vio.i), String(vio.cause)]);
    expect(page.url()).toMatch(new RegExp(`#event=${String(vio.i)}$`));
    expect(problems).toEqual([]);
    await page.close();
  });

  it("report.html links to trace.html at the first violation, with no console errors", async () => {
    const manifest = JSON.parse(readFileSync(join(run.dir, "manifest.json"), "utf8"));
    const { page, problems } = await open(join(run.dir, "report.html"));
    await page.waitForSelector("body[data-rendered]", { timeout: 60_000 });
    const href = await page.getAttribute("#trace-link", "href");
    expect(href).toBe(`trace.html#event=${manifest.trace.firstViolation}`);
    await page.click("#trace-link");
    await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
    expect((await canvas(page)).selected).toBe(String(manifest.trace.firstViolation));
    expect(problems).toEqual([]);
    await page.close();
  });
});
