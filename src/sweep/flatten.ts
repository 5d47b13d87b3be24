// sweep/flatten: a run summary as flat `dotted.name → value` metrics for runs.csv. Nested
// mappings become dotted names; lists, null and undefined are left out; bigints become decimal
// strings; non-finite numbers become "NaN", "Inf", "-Inf" (strings, so they survive JSON).
// May import: scenario, world, metrics, report, kernel.

import type { MetricValue } from "./task.js";

export function flattenSummary(summary: Record<string, unknown>): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  const walk = (v: unknown, name: string) => {
    if (v === null || v === undefined || Array.isArray(v)) return;
    if (typeof v === "number") {
      out[name] = Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : Number.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf";
    } else if (typeof v === "bigint") out[name] = v.toString();
    else if (typeof v === "string" || typeof v === "boolean") out[name] = v;
    else if (typeof v === "object") {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, name === "" ? k : `${name}.${k}`);
    }
  };
  walk(summary, "");
  return out;
}
