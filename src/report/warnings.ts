// report/warnings: the banner a report opens with when its runs may have simulated nothing of what
// their scenario declared — a run folder's summary.json `warnings`, or for a sweep folder the points
// of runs.csv whose `warnings` column is not empty. The page (html.ts) shows it under its title.
// May import: nothing outside report/.

import { escapeHtml } from "./html.js";
import { readCsvIfPresent } from "./inputs.js";

const STYLE = "background:#fff4e5;border:1px solid #f0b35b;border-radius:6px;padding:.8rem 1.1rem;margin:1.2rem 0";
/** Points listed by index in a sweep's banner, at most. */
const MAX_POINTS = 20;

function runBanner(warnings: readonly unknown[]): string {
  const items = warnings.map((w) => {
    const r = (w ?? {}) as { code?: unknown; message?: unknown };
    return `<li><code>${escapeHtml(String(r.code))}</code>: ${escapeHtml(String(r.message))}</li>`;
  });
  const n = warnings.length;
  return [
    `<section id="warnings" class="warnings" role="note" data-warnings="${n}" style="${STYLE}">`,
    `<p class="headline"><strong>${n} warning${n === 1 ? "" : "s"}: this run may not have simulated what its scenario declared</strong></p>`,
    `<ul>\n${items.join("\n")}\n</ul>`,
    "<p>From <code>warnings</code> in summary.json.</p>",
    "</section>",
  ].join("\n");
}

function sweepBanner(byPoint: ReadonlyMap<string, Set<string>>, points: number): string {
  const byCode = new Map<string, number>();
  for (const codes of byPoint.values()) for (const c of codes) byCode.set(c, (byCode.get(c) ?? 0) + 1);
  const warned = [...byPoint.keys()];
  const listed = warned.slice(0, MAX_POINTS).join(", ") + (warned.length > MAX_POINTS ? `, … (${warned.length - MAX_POINTS} more)` : "");
  const codes = [...byCode].map(([c, k]) => `<li><code>${escapeHtml(c)}</code>: ${k} point${k === 1 ? "" : "s"}</li>`);
  return [
    `<section id="warnings" class="warnings" role="note" data-warnings="${warned.length}" style="${STYLE}">`,
    `<p class="headline"><strong>${warned.length} of ${points} point${points === 1 ? "" : "s"} ${warned.length === 1 ? "has runs" : "have runs"} with warnings: they may not have simulated what the sweep is about</strong></p>`,
    `<ul>\n${codes.join("\n")}\n</ul>`,
    `<p>Points: ${escapeHtml(listed)}. The <code>warnings</code> column of runs.csv names each run's; its summary.json says why.</p>`,
    "</section>",
  ].join("\n");
}

/** The warnings banner of a results folder ("" when its runs have none). */
export function warningsBanner(dir: string, summary: unknown): string {
  const own = (summary as { warnings?: unknown } | undefined)?.warnings;
  if (Array.isArray(own)) return own.length === 0 ? "" : runBanner(own);
  const runs = readCsvIfPresent(dir, "runs");
  if (runs === undefined || !runs.columns.includes("warnings")) return "";
  const byPoint = new Map<string, Set<string>>();
  const points = new Set<string>();
  for (const row of runs.rows) {
    const p = row.point ?? "";
    points.add(p);
    const codes = (row.warnings ?? "").split(";").filter((c) => c !== "");
    if (codes.length === 0) continue;
    let s = byPoint.get(p);
    if (!s) byPoint.set(p, (s = new Set()));
    for (const c of codes) s.add(c);
  }
  return byPoint.size === 0 ? "" : sweepBanner(byPoint, points.size);
}
