// Scenario errors: one issue per problem, each with file:line:col and a key path.
// Owns: ScenarioIssue, the collector used while checking, ordering and formatting, and
// the ScenarioError thrown when any issue was found. May import: ./located.js, ./path.js.

import type { Loc } from "./located.js";
import { formatPath, type Path } from "./path.js";

export interface ScenarioIssue {
  /** File path as the caller gave it; `--set` for command-line overrides. */
  readonly file: string;
  /** 1-based line (for `--set`: which override, counting from 1). */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** Key path such as `network.latency.mean`; empty for file-level problems. */
  readonly path: string;
  readonly message: string;
}

/** `scenarios/x.yaml:12:7 network.latency.mean: must be > 0, got -3` */
export function formatIssue(i: ScenarioIssue): string {
  const where = `${i.file}:${i.line}:${i.col}`;
  return i.path === "" ? `${where} ${i.message}` : `${where} ${i.path}: ${i.message}`;
}

export class ScenarioError extends Error {
  readonly errors: readonly ScenarioIssue[];

  constructor(errors: readonly ScenarioIssue[]) {
    super(errors.map(formatIssue).join("\n"));
    this.name = "ScenarioError";
    this.errors = errors;
  }
}

/**
 * Orders issues by file (in order of first appearance), then line, then column, and drops
 * exact duplicates. `--set` issues come last.
 */
export function orderIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const rank = new Map<string, number>();
  for (const i of issues) if (!rank.has(i.file)) rank.set(i.file, i.file === "--set" ? 1e9 : rank.size);
  const seen = new Set<string>();
  const out: ScenarioIssue[] = [];
  for (const i of issues) {
    const key = formatIssue(i);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(i);
  }
  return out.sort(
    (a, b) => rank.get(a.file)! - rank.get(b.file)! || a.line - b.line || a.col - b.col,
  );
}

/** Collects issues during a check. */
export class Issues {
  readonly list: ScenarioIssue[] = [];

  add(loc: Loc, path: Path, message: string): void {
    this.list.push({ file: loc.file, line: loc.line, col: loc.col, path: formatPath(path), message });
  }

  /** A fresh, empty collector (for trying an alternative without reporting). */
  fork(): Issues {
    return new Issues();
  }

  get count(): number {
    return this.list.length;
  }

  /** Throws a ScenarioError holding every collected issue, if there is any. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new ScenarioError(orderIssues(this.list));
  }
}
