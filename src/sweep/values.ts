// sweep/values: how a swept value is written — as a `--set key=value` override (YAML text that
// parses back to the same value), as a CSV cell, and as a shell word in a replay command.
// May import: scenario, world, metrics, report, kernel.

import type { Cell } from "../metrics/index.js";

/** YAML text for a value: numbers in shortest round-trip form, everything else as JSON (valid YAML flow). */
export function yamlValue(v: unknown): string {
  if (typeof v === "number") {
    if (Number.isNaN(v)) return ".nan";
    if (!Number.isFinite(v)) return v > 0 ? ".inf" : "-.inf";
    return Object.is(v, -0) ? "0" : String(v);
  }
  if (v === undefined) return "null";
  return JSON.stringify(v);
}

/** `key=value` for the scenario override mechanism. */
export function overrideOf(key: string, value: unknown): string {
  return `${key}=${yamlValue(value)}`;
}

/** A CSV cell: scalars as they are, lists and mappings as JSON. */
export function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean" || typeof v === "bigint") return v;
  return JSON.stringify(v);
}

const SAFE_WORD = /^[A-Za-z0-9_./:=,+@%-]+$/;

/** POSIX shell quoting: safe words as they are, anything else in single quotes. */
export function shellWord(s: string): string {
  return SAFE_WORD.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
