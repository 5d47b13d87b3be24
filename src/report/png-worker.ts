// report/png-worker: the worker-thread entry that rasterises one SVG chart to PNG (./png.ts), so
// the charts of a large report are rasterised on several cores while the main thread renders SVG.
// May import: nothing outside report/.

import { svgToPng } from "./png.js";

export default function rasterise(svg: string): Uint8Array {
  return svgToPng(svg);
}
