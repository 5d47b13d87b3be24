// report/png: SVG → PNG rasterisation with resvg. Uses one installed sans-serif font file when it
// can find one (fast and reproducible), otherwise the system fonts; with no fonts at all text
// is simply left out and the PNG still renders.
// May import: nothing (@resvg/resvg-js).

import { existsSync } from "node:fs";
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";

/** Well-known locations of common sans-serif fonts (Debian/Ubuntu, Fedora, Alpine, macOS). */
const FONT_CANDIDATES: Array<{ file: string; family: string }> = [
  { file: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", family: "DejaVu Sans" },
  { file: "/usr/share/fonts/dejavu/DejaVuSans.ttf", family: "DejaVu Sans" },
  { file: "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", family: "DejaVu Sans" },
  { file: "/usr/share/fonts/ttf-dejavu/DejaVuSans.ttf", family: "DejaVu Sans" },
  { file: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", family: "Liberation Sans" },
  { file: "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf", family: "Liberation Sans" },
  { file: "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", family: "Noto Sans" },
  { file: "/usr/share/fonts/noto/NotoSans-Regular.ttf", family: "Noto Sans" },
  { file: "/Library/Fonts/Arial.ttf", family: "Arial" },
  { file: "/System/Library/Fonts/Supplemental/Arial.ttf", family: "Arial" },
];

/** PNGs are at most this many pixels wide: wide multi-panel charts get a zoom below 2 (rasterising and encoding cost grows with pixels). */
export const MAX_PNG_WIDTH_PX = 1600;

/** Zoom 2 (crisp text) unless that makes the PNG wider than MAX_PNG_WIDTH_PX. */
export function defaultZoom(svg: string): number {
  const m = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  const width = m ? Number(m[1]) : 0;
  return width > MAX_PNG_WIDTH_PX / 2 ? MAX_PNG_WIDTH_PX / width : 2;
}

export interface PngOptions {
  /** Scale factor (default: defaultZoom). */
  zoom?: number;
  /** Font files to use instead of the automatic choice; [] means "no fonts at all". */
  fontFiles?: string[];
}

function fontOptions(fontFiles: string[] | undefined): NonNullable<ResvgRenderOptions["font"]> {
  if (fontFiles !== undefined) return { loadSystemFonts: false, fontFiles };
  const found = FONT_CANDIDATES.find((c) => existsSync(c.file));
  if (found) {
    return {
      loadSystemFonts: false,
      fontFiles: [found.file],
      defaultFontFamily: found.family,
      sansSerifFamily: found.family,
    };
  }
  return { loadSystemFonts: true };
}

/** Rasterises an SVG document to PNG bytes on a white background. */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    background: "#ffffff",
    fitTo: { mode: "zoom", value: options.zoom ?? defaultZoom(svg) },
    font: fontOptions(options.fontFiles),
    logLevel: "off",
  });
  return resvg.render().asPng();
}
