// report/econ-specs: Vega-Lite specs for a PoT run's economic tables — volume reports per epoch by
// outcome (accepted, refused with the reason, skipped), cumulative rewards by class with mining and
// traffic apart, the ozone price in STOS per a byte unit that reads well (with S, P and L below it),
// honest resource nodes online, offline and suspended per epoch, and the Lorenz curve of resource
// rewards. Time charts share the run's time unit and schedule bands (time-chart.ts).
// May import: nothing outside report/ (vega-lite types).

import type { Chart } from "./chart.js";
import type { CsvTable } from "./csv.js";
import { lorenz } from "./lorenz.js";
import { coord, type RunContext } from "./run-context.js";
import { HEIGHT, MAX_POINTS, type Row, type RunTables, spec, usable, WIDTH } from "./spec-kit.js";
import { timed, timeX, toUnit } from "./time-chart.js";
import { byteUnit, formatCount, formatNumber, ozonePriceUnit } from "./units.js";
import { bool, num, weiToStos } from "./values.js";

const CLASSES = ["validators", "meta", "resource"] as const;

/** At most this many bars across a reports chart: more epochs are grouped. */
const MAX_BARS = 120;

function rec(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** An epochs.csv row's outcome as the reports chart names it. */
export function reportOutcome(r: Record<string, string>): string {
  const result = r.result ?? "";
  const inflated = r.report_kind === "inflated";
  if (result === "accepted" || (result === "" && bool(r.accepted) === true)) return inflated ? "accepted (inflated)" : "accepted";
  if (result.startsWith("skipped")) return "skipped: no traffic";
  if (result.startsWith("err:")) return `refused${inflated ? " (inflated)" : ""}: ${result.slice(4)}`;
  return result === "" ? "refused" : result;
}

function outcomeColor(o: string, refusedIndex: number): string {
  if (o === "accepted") return "#4daf4a";
  if (o === "accepted (inflated)") return "#67000d";
  if (o.startsWith("skipped")) return "#bdbdbd";
  const reds = ["#fd8d3c", "#e6550d", "#fdae6b", "#a63603", "#fdd0a2", "#d94801"];
  return reds[refusedIndex % reds.length]!;
}

/** Volume reports per epoch (or per group of epochs), stacked by outcome. */
export function reportsChart(t: CsvTable | undefined, ctx: RunContext, epochLength: number | undefined): Chart | undefined {
  if (!usable(t, ["epoch", "time_s"]) || !(t.columns.includes("result") || t.columns.includes("accepted"))) return undefined;
  const rows = t.rows.filter((r) => num(r.epoch) !== null);
  if (rows.length === 0) return undefined;
  const maxEpoch = Math.max(...rows.map((r) => num(r.epoch)!));
  const group = Math.max(1, Math.ceil(maxEpoch / MAX_BARS));
  const counts = new Map<string, number>();
  const outcomes: string[] = [];
  for (const r of rows) {
    const o = reportOutcome(r);
    if (!outcomes.includes(o)) outcomes.push(o);
    const g = Math.floor((num(r.epoch)! - 1) / group);
    const key = `${g}\u0000${o}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const order = (o: string) => (o === "accepted" ? 0 : o === "accepted (inflated)" ? 1 : o.startsWith("skipped") ? 3 : 2);
  // Outcome order: accepted, accepted inflated, refused by reason, skipped.
  outcomes.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  const refused = outcomes.filter((o) => order(o) === 2);
  // Epoch e covers [(e − 1)·L, e·L]; without L, place groups by the rows' own times.
  const firstTime = new Map<number, number>();
  for (const r of rows) {
    const g = Math.floor((num(r.epoch)! - 1) / group);
    if (!firstTime.has(g)) firstTime.set(g, num(r.time_s) ?? 0);
  }
  // Stacked by hand (rect y..y2), in the outcome order, so every bar starts at 0.
  const values: Row[] = [];
  const groups = [...new Set([...counts.keys()].map((k) => Number(k.split("\u0000")[0])))].sort((a, b) => a - b);
  for (const g of groups) {
    const e0 = g * group + 1;
    const e1 = Math.min(maxEpoch, (g + 1) * group);
    const t0 = epochLength ? (e0 - 1) * epochLength : (firstTime.get(g) ?? 0);
    const t1 = epochLength ? e1 * epochLength : t0 + 1;
    let y = 0;
    for (const outcome of outcomes) {
      const count = counts.get(`${g}\u0000${outcome}`);
      if (!count) continue;
      values.push({ t0: toUnit(ctx, t0), t1: toUnit(ctx, t1), epochs: e0 === e1 ? `${e0}` : `${e0}–${e1}`, outcome, reports: count, y0: y, y1: y + count });
      y += count;
    }
  }
  const accepted = rows.filter((r) => reportOutcome(r).startsWith("accepted")).length;
  const refusedCount = rows.filter((r) => reportOutcome(r).startsWith("refused")).length;
  const title = `Volume reports: ${formatCount(accepted)} accepted, ${formatCount(refusedCount)} refused${group > 1 ? ` (bars of ${group} epochs)` : ""}`;
  return {
    name: "reports",
    title: "Volume reports",
    spec: spec(
      title,
      timed(ctx, {
        width: WIDTH,
        height: HEIGHT,
        data: { values },
        mark: { type: "rect", stroke: "#ffffff", strokeWidth: group > 1 || maxEpoch > 60 ? 0 : 0.5 },
        encoding: {
          x: timeX(ctx, "t0"),
          x2: { field: "t1" },
          y: { field: "y0", type: "quantitative", title: group > 1 ? `reports per ${group} epochs` : "reports per epoch", axis: { tickMinStep: 1 } },
          y2: { field: "y1" },
          color: {
            field: "outcome",
            type: "nominal",
            title: "outcome",
            sort: outcomes,
            legend: { labelLimit: 360 },
            scale: { domain: outcomes, range: outcomes.map((o) => outcomeColor(o, refused.indexOf(o))) },
          },
          tooltip: [
            { field: "epochs", type: "nominal", title: "epochs" },
            { field: "outcome", type: "nominal" },
            { field: "reports", type: "quantitative" },
          ],
        },
      }),
      ctx,
    ),
  };
}

/** Every `every`-th element plus the last. */
function every<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = Math.ceil(xs.length / max);
  return xs.filter((_, i) => i % step === 0 || i === xs.length - 1);
}

/** Rewards paid to each class over time, cumulative, mining and traffic in two panels (STOS). */
export function rewardsChart(t: CsvTable | undefined, ctx: RunContext): Chart | undefined {
  const cols = CLASSES.flatMap((c) => [`mining_${c}_wei`, `traffic_${c}_wei`]);
  if (!usable(t, ["time_s", ...cols])) return undefined;
  const sums = { mining: [0, 0, 0], traffic: [0, 0, 0] };
  const points: Array<{ t: number; mining: number[]; traffic: number[] }> = [{ t: 0, mining: [0, 0, 0], traffic: [0, 0, 0] }];
  for (const r of t.rows) {
    const time = num(r.time_s);
    if (time === null) continue;
    CLASSES.forEach((c, i) => {
      sums.mining[i]! += weiToStos(r[`mining_${c}_wei`]) ?? 0;
      sums.traffic[i]! += weiToStos(r[`traffic_${c}_wei`]) ?? 0;
    });
    points.push({ t: toUnit(ctx, time), mining: [...sums.mining], traffic: [...sums.traffic] });
  }
  points.push({ t: toUnit(ctx, ctx.span), mining: [...sums.mining], traffic: [...sums.traffic] });
  const values: Row[] = [];
  for (const p of every(points, MAX_POINTS)) {
    CLASSES.forEach((c, i) => {
      values.push({ t: p.t, class: c, kind: "mining", stos: coord(p.mining[i]!) });
      values.push({ t: p.t, class: c, kind: "traffic", stos: coord(p.traffic[i]!) });
    });
  }
  const total = (k: "mining" | "traffic") => sums[k].reduce((a, b) => a + b, 0);
  const panel = (kind: "mining" | "traffic", first: boolean) =>
    timed(
      ctx,
      {
        width: WIDTH,
        height: 150,
        title: `${kind} rewards, cumulative (total ${formatNumber(total(kind), 4)} STOS)`,
        data: { values },
        transform: [{ filter: { field: "kind", equal: kind } }],
        mark: { type: "line", interpolate: "step-after", tooltip: true },
        encoding: {
          x: timeX(ctx),
          y: { field: "stos", type: "quantitative", title: "STOS" },
          color: { field: "class", type: "nominal", title: "paid to", sort: [...CLASSES], scale: { domain: [...CLASSES] } },
          // Validators and meta nodes often earn the same: dashes keep both lines visible.
          strokeDash: { field: "class", type: "nominal", title: "paid to", sort: [...CLASSES], scale: { domain: [...CLASSES], range: [[1, 0], [6, 3], [1, 0]] } },
        },
      },
      first,
    );
  const title = "Rewards by class, cumulative: mining and traffic";
  return { name: "rewards", title: "Rewards by class", spec: spec(title, { vconcat: [panel("mining", true), panel("traffic", false)], resolve: { scale: { x: "shared", y: "independent" } } }, ctx) };
}

/** Ozone price (STOS per a readable byte unit), then S and P (STOS) and L (bytes), over time. */
export function economyChart(t: CsvTable | undefined, ctx: RunContext): Chart | undefined {
  if (!usable(t, ["time_s"])) return undefined;
  const has = (c: string) => t.columns.includes(c);
  if (!has("ozone_price") && !has("S_wei") && !has("P_wei") && !has("L_noz")) return undefined;
  const rows = every(
    t.rows.filter((r) => num(r.time_s) !== null),
    MAX_POINTS,
  );
  const prices = rows.map((r) => num(r.ozone_price)).filter((v): v is number => v !== null && v > 0);
  const price = ozonePriceUnit(prices.length > 0 ? prices[prices.length - 1]! : 1e6);
  const ls = rows.map((r) => num(r.L_noz)).filter((v): v is number => v !== null);
  const lUnit = byteUnit(ls.length > 0 ? Math.max(...ls) : 1);
  interface Series {
    label: string;
    of: (r: Record<string, string>) => number | null;
    height: number;
    /** The price from 0: its level is what matters, and a scale around tiny moves would magnify noise. */
    zero: boolean;
    /** The panel's heading. */
    heading?: string;
  }
  const priceOf = (r: Record<string, string>) => {
    const v = num(r.ozone_price);
    return v === null ? null : v * price.factor;
  };
  const series: Series[] = [];
  if (has("ozone_price")) {
    const ps = rows.map(priceOf).filter((v): v is number => v !== null);
    const lo = Math.min(...ps);
    const hi = Math.max(...ps);
    const move = ps.length > 1 && ps[0]! > 0 ? ((ps[ps.length - 1]! - ps[0]!) / ps[0]!) * 100 : 0;
    // Enough digits to tell the lowest and highest price apart (a mainnet-like price moves in the 8th digit).
    let digits = 4;
    while (digits < 12 && formatNumber(lo, digits) === formatNumber(hi, digits)) digits++;
    const range = formatNumber(lo, digits) === formatNumber(hi, digits) ? `${formatNumber(lo, 4)}` : `${formatNumber(lo, digits)} … ${formatNumber(hi, digits)}`;
    const moved = Math.abs(move) < 1e-4 ? "moved by less than 0.0001 % over the run" : `${move > 0 ? "+" : ""}${formatNumber(move, 3)} % from first to last`;
    series.push({
      label: `ozone price (${price.unit})`,
      of: priceOf,
      height: 130,
      zero: true,
      heading: ps.length === 0 ? undefined : `ozone price ${range} ${price.unit}; ${moved}`,
    });
  }
  if (has("S_wei")) series.push({ label: "S, deposits (STOS)", of: (r) => weiToStos(r.S_wei), height: 70, zero: false });
  if (has("P_wei")) series.push({ label: "P, prepay pool (STOS)", of: (r) => weiToStos(r.P_wei), height: 70, zero: false });
  if (has("L_noz")) {
    series.push({
      label: `L, ozone left (${lUnit.unit})`,
      of: (r) => {
        const v = num(r.L_noz);
        return v === null ? null : v / lUnit.bytes;
      },
      height: 70,
      zero: false,
    });
  }
  const values: Row[] = [];
  for (const r of rows) {
    const time = num(r.time_s)!;
    for (const s of series) {
      const v = s.of(r);
      if (v !== null && Number.isFinite(v)) values.push({ t: toUnit(ctx, time), series: s.label, value: Number(v.toPrecision(12)), epoch: num(r.epoch) });
    }
  }
  if (values.length === 0) return undefined;
  const title = `Ozone price in ${price.unit} (1 noz of ozone pays for 1 byte), and S / P / L`;
  return {
    name: "economy",
    title: "Ozone price and S / P / L",
    spec: spec(
      title,
      {
        vconcat: series.map((s, i) =>
          timed(
            ctx,
            {
              width: WIDTH,
              height: s.height,
              ...(s.heading ? { title: { text: s.heading, fontSize: 11, fontWeight: "normal", anchor: "start" } } : {}),
              data: { values },
              transform: [{ filter: { field: "series", equal: s.label } }],
              mark: { type: "line", interpolate: "step-after", tooltip: true },
              encoding: {
                x: timeX(ctx, "t", i === series.length - 1 ? `time (${ctx.time.unit})` : null),
                y: { field: "value", type: "quantitative", title: s.label, scale: { zero: s.zero }, axis: { format: ",.4~r", titleLimit: 200 } },
              },
            },
            i === 0,
          ),
        ),
        resolve: { scale: { x: "shared" } },
      },
      ctx,
    ),
  };
}

/** Honest resource nodes online, offline and suspended at each epoch's end. */
export function resourceNodesChart(t: CsvTable | undefined, ctx: RunContext, count: number | undefined, epochLength: number | undefined): Chart | undefined {
  if (!usable(t, ["epoch", "online_nodes", "suspended_nodes"])) return undefined;
  const byEpoch = new Map<number, Record<string, string>>();
  for (const r of t.rows) {
    const e = num(r.epoch);
    if (e !== null) byEpoch.set(e, r);
  }
  const epochs = every([...byEpoch.keys()].sort((a, b) => a - b), MAX_POINTS);
  const values: Row[] = [];
  for (const e of epochs) {
    const r = byEpoch.get(e)!;
    const time = epochLength ? e * epochLength : (num(r.time_s) ?? 0);
    const online = num(r.online_nodes) ?? 0;
    if (count !== undefined) values.push({ t: toUnit(ctx, time), epoch: e, state: "offline", nodes: count - online, online });
    else values.push({ t: toUnit(ctx, time), epoch: e, state: "online", nodes: online, online });
    values.push({ t: toUnit(ctx, time), epoch: e, state: "suspended", nodes: num(r.suspended_nodes) ?? 0, online });
  }
  if (values.length === 0) return undefined;
  // Offline and suspended on their own scale (a handful among thousands would be a line on the axis).
  const states = count !== undefined ? ["offline", "suspended"] : ["online", "suspended"];
  const title = count !== undefined ? `Honest resource nodes offline and suspended (of ${formatCount(count)})` : "Honest resource nodes online and suspended";
  return {
    name: "resource-nodes",
    title: "Honest resource nodes",
    spec: spec(
      title,
      timed(ctx, {
        width: WIDTH,
        height: 160,
        data: { values },
        mark: { type: "line", interpolate: "step-after", point: epochs.length <= 60, tooltip: true },
        encoding: {
          x: timeX(ctx),
          y: { field: "nodes", type: "quantitative", title: "nodes", axis: { tickMinStep: 1 } },
          color: { field: "state", type: "nominal", title: "", sort: states, scale: { domain: states, range: count !== undefined ? ["#7f7f7f", "#d62728"] : ["#2ca02c", "#d62728"] } },
        },
      }),
      ctx,
    ),
  };
}

/** Lorenz curve of total rewards per resource-node wallet, with the line of equality. */
export function lorenzChart(t: CsvTable | undefined): Chart | undefined {
  const hasTotal = usable(t, ["total_wei"]);
  if (!hasTotal && !usable(t, ["mining_wei", "traffic_wei"])) return undefined;
  const amounts = t!.rows.map((r) =>
    hasTotal ? (weiToStos(r.total_wei) ?? 0) : (weiToStos(r.mining_wei) ?? 0) + (weiToStos(r.traffic_wei) ?? 0),
  );
  const l = lorenz(amounts, MAX_POINTS + 1);
  if (l === undefined) return undefined;
  const title = `Lorenz curve of resource-node rewards (Gini = ${l.gini.toFixed(3)}, ${amounts.length} wallets)`;
  const axes = {
    x: { field: "population", type: "quantitative", title: "cumulative share of wallets", scale: { domain: [0, 1] } },
    y: { field: "share", type: "quantitative", title: "cumulative share of rewards", scale: { domain: [0, 1] } },
  };
  return {
    name: "lorenz",
    title: "Reward concentration (Lorenz curve)",
    spec: spec(title, {
      width: 320,
      height: 320,
      layer: [
        {
          data: { values: [{ population: 0, share: 0 }, { population: 1, share: 1 }] },
          mark: { type: "line", strokeDash: [4, 4], color: "#888888" },
          encoding: axes,
        },
        {
          data: { values: l.points },
          mark: { type: "line", color: "#d62728" },
          encoding: axes,
        },
      ],
    }),
  };
}

/** The economic charts whose inputs are present, in a fixed order. */
export function economicCharts(tables: RunTables, ctx: RunContext, summary: unknown): Chart[] {
  const s = rec(summary);
  const epochLength = typeof s?.epochLength_s === "number" ? s.epochLength_s : undefined;
  const count = rec(s?.resourceNodes)?.count;
  return [
    reportsChart(tables.epochs, ctx, epochLength),
    rewardsChart(tables.epochs, ctx),
    economyChart(tables.epochs, ctx),
    resourceNodesChart(tables.epochs, ctx, typeof count === "number" ? count : undefined, epochLength),
    lorenzChart(tables.resource_rewards),
  ].filter((c): c is Chart => c !== undefined);
}
