import { describe, expect, it } from "vitest";
import { MAX_PNG_WIDTH_PX, svgToPng } from "../../src/report/png.js";
import { renderSvg } from "../../src/report/render.js";
import { runCharts, sweepCharts } from "../../src/report/specs.js";
import { RUN_TABLES } from "../../src/report/index.js";
import { readCsvIfPresent, readTables } from "../../src/report/inputs.js";
import { PNG_SIGNATURE, RUN_FIXTURE, SWEEP_FIXTURE } from "./helpers.js";

const charts = [
  ...runCharts(readTables(RUN_FIXTURE, RUN_TABLES)),
  ...sweepCharts(readCsvIfPresent(SWEEP_FIXTURE, "aggregate"), ["network.loss", "pbft.n"]),
];

describe("rendering", () => {
  it("renders byte-identical SVG and PNG for the same spec, even after other renders", async () => {
    const first = new Map<string, string>();
    for (const c of charts) first.set(c.name, await renderSvg(c.spec));
    // a second pass in reverse order: id counters (clip paths, gradients) must not leak between renders
    for (const c of [...charts].reverse()) expect(await renderSvg(c.spec), c.name).toBe(first.get(c.name));
    const heat = first.get("sweep-latency-p50_s-heatmap")!;
    expect(heat).toContain('id="gradient_0"');
    const svg = first.get("lorenz")!;
    expect(svgToPng(svg).equals(svgToPng(svg))).toBe(true);
  });

  it("serialises concurrent renders so they stay deterministic", async () => {
    const one = await Promise.all(charts.map((c) => renderSvg(c.spec)));
    const two = await Promise.all(charts.map((c) => renderSvg(c.spec)));
    expect(two).toEqual(one);
  });

  it("rasterises to PNG with the PNG signature, the SVG's size at 2x, at most MAX_PNG_WIDTH_PX wide", async () => {
    for (const c of charts) {
      const svg = await renderSvg(c.spec);
      const png = svgToPng(svg);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
      const pngWidth = png.readUInt32BE(16); // IHDR width
      if (width * 2 <= MAX_PNG_WIDTH_PX) expect(pngWidth, c.name).toBe(Math.ceil(width * 2));
      else expect(Math.abs(pngWidth - MAX_PNG_WIDTH_PX), c.name).toBeLessThanOrEqual(1);
    }
  });

  it("still produces a PNG when no font is available", async () => {
    const svg = await renderSvg(charts[0]!.spec);
    const png = svgToPng(svg, { fontFiles: [] });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.equals(svgToPng(svg))).toBe(false); // text is left out, so the image differs
  });
});
