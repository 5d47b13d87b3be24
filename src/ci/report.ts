// What a `sim check` found, as the CI outputs read it: one suite per scenario file, one case per
// seed, and for a failing seed the fields a person needs to judge it (invariant, simulated time,
// view, sequence number, replicas) and the command that replays it. Pure data and text.

import type { PathTally } from "../coverage/index.js";

/** How a seed failed: a checker's violation, the run's determinism, or the run itself (error, invalid). */
export type FailureStatus = "violation" | "nondeterministic" | "error" | "invalid";

export interface GateFailure {
  /** The scenario file as given on the command line. */
  readonly file: string;
  readonly seed: number;
  readonly status: FailureStatus;
  /** One line: the first violation with its count, or the error. */
  readonly error: string;
  /** The first violation's invariant (e.g. SAF-1); null when the run did not reach a checker's verdict. */
  readonly invariant: string | null;
  /** Its detail as the checker wrote it (may hold any character: escaped by each output). */
  readonly detail: string;
  /** Simulated seconds at which it was detected. */
  readonly timeSec: number | null;
  readonly view: number | null;
  readonly seq: number | null;
  readonly replicas: readonly number[] | null;
  /** `sim run …` that replays the seed. */
  readonly replay: string;
  /**
   * Files that belong to this failure, paths as they should be shown (e.g. the standalone scenario
   * `sim shrink` cuts it down to). JUnit carries each as GitLab's `[[ATTACHMENT|path]]` line in the
   * case's system-out; the step summary lists them. Empty until something attaches one.
   */
  readonly attachments: readonly string[];
}

export interface GateCase {
  readonly seed: number;
  readonly failure: GateFailure | null;
  /** Coverage counts of this run, by path (paths the model has, zeros included). */
  readonly coverage: Readonly<Record<string, number>>;
  /** Wall-clock seconds (display only). */
  readonly wallSec: number;
}

export interface GateSuite {
  readonly file: string;
  /** The scenario's name (test cases are `<name>@seed N`). */
  readonly name: string;
  readonly model: string;
  readonly cases: readonly GateCase[];
  readonly coverage: readonly PathTally[];
}

/** A path `--require-coverage` named, and how many seeds (of all suites) reached it. */
export interface RequiredPath {
  readonly path: string;
  readonly seedsReached: number;
  /** Seeds of suites whose model has the path (0: no scenario of the gate can reach it). */
  readonly seedsApplicable: number;
}

export interface GateReport {
  readonly suites: readonly GateSuite[];
  readonly required: readonly RequiredPath[];
  /** Every seed ran twice and the trace hashes were compared. */
  readonly checkDeterminism: boolean;
}

/** `<scenario>@seed N`: a case's name in every output. */
export function caseName(suite: { name: string }, seed: number): string {
  return `${suite.name}@seed ${seed}`;
}

/** Characters a shell takes literally (`#` only after a word's start, where it is not a comment). */
const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-][A-Za-z0-9_./:=@%+,#-]*$/;

/** A word for a POSIX shell: as is when safe, else single-quoted. */
export function shellWord(s: string): string {
  return SAFE_WORD.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * The one-line command that replays a seed (--set values quoted as `sim check` always has): `sim run`,
 * or with a replica class (`sim check --replica`, which `sim run` cannot build) a one-seed `sim check`.
 */
export function replayCommand(file: string, seed: number, sets: readonly string[], replica?: { module: string; export: string }): string {
  const setArgs = sets.map((s) => ` --set ${JSON.stringify(s)}`).join("");
  if (replica === undefined) return `sim run ${shellWord(file)} --seed ${seed}${setArgs}`;
  return `sim check ${shellWord(file)} --seeds ${seed}${setArgs} --replica ${shellWord(`${replica.module}#${replica.export}`)} --workers 1`;
}

/** A one-line summary of a failure (annotations' titles, the JUnit failure's message attribute). */
export function failureHeadline(f: GateFailure): string {
  if (f.invariant === null) return `${f.status}: ${oneLine(f.error)}`;
  return `${f.invariant} at t=${formatTime(f.timeSec)}: ${oneLine(f.detail)}`;
}

/**
 * The failure's text, the same in JUnit's failure body and system-out and in the step summary: one
 * `key: value` line per field (n/a when the checker does not give it), ending with the replay line.
 */
export function failureText(f: GateFailure): string {
  const lines = [`status: ${f.status}`];
  if (f.invariant !== null) {
    lines.push(
      `invariant: ${f.invariant}`,
      `time: ${formatTime(f.timeSec)} (simulated)`,
      `view: ${f.view ?? "n/a"}`,
      `seq: ${f.seq ?? "n/a"}`,
      `replicas: ${f.replicas === null || f.replicas.length === 0 ? "n/a" : f.replicas.map((r) => `r${r}`).join(", ")}`,
      `detail: ${oneLine(f.detail)}`,
    );
  } else {
    lines.push(`error: ${oneLine(f.error)}`);
  }
  lines.push(`replay: ${f.replay}`);
  return lines.join("\n");
}

function formatTime(t: number | null): string {
  return t === null ? "n/a" : `${Number(t.toPrecision(9))} s`;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, " | ");
}

/** Cases of a report, failing ones, in suite then seed order. */
export function failuresOf(report: GateReport): GateFailure[] {
  return report.suites.flatMap((s) => s.cases.flatMap((c) => (c.failure ? [c.failure] : [])));
}

/** Required paths no seed reached. */
export function missingCoverage(report: GateReport): RequiredPath[] {
  return report.required.filter((r) => r.seedsReached === 0);
}
