// report/png-pool: where PNGs are rasterised. resvg costs ~30 ms per chart (font parsing, raster,
// encoding) — most of a large sweep report's time — so reports with many charts rasterise on a
// Piscina pool of worker threads (./png-worker.ts, compiled to dist/src/report/png-worker.js)
// while the main thread renders the next SVGs. The bytes are those of svgToPng on the main thread
// (the same function, same options), so outputs do not depend on where they were made; when the
// compiled worker is missing (tests from sources without a build) everything stays inline.
// Measured by `npm run bench -- report`.
// May import: nothing outside report/ (piscina).

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { svgToPng } from "./png.js";

/** Below this many charts the pool's start-up (~100 ms per thread) costs more than it saves. */
export const POOL_MIN_CHARTS = 16;

export interface PngRenderer {
  png(svg: string): Promise<Buffer>;
  close(): Promise<void>;
}

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "png-worker.js");
  return join(dirname(here), "..", "..", "dist", "src", "report", "png-worker.js");
}

export function pngRenderer(charts: number): PngRenderer {
  const file = workerFile();
  const threads = Math.min(availableParallelism(), 4);
  if (charts < POOL_MIN_CHARTS || threads < 2 || !existsSync(file)) {
    return { png: async (svg) => svgToPng(svg), close: async () => {} };
  }
  const pool = new Piscina<string, Uint8Array>({ filename: pathToFileURL(file).href, minThreads: threads, maxThreads: threads, idleTimeout: 1_000 });
  return {
    png: async (svg) => Buffer.from(await pool.run(svg)),
    close: () => pool.destroy(),
  };
}
