// GitHub Actions outputs of a gate: `::error` workflow commands (annotations on the scenario file,
// one per failing seed and per missing required path) and the Markdown job summary. The CLI emits
// them only when GITHUB_ACTIONS is "true". Both are bounded: GitHub shows at most 10 error
// annotations per step and takes at most 1 MiB of summary per step, so beyond MAX_ANNOTATIONS the
// rest is one annotation that counts them, and the summary lists at most MAX_SUMMARY_FAILURES.

import { caseName, failureHeadline, failureText, failuresOf, type GateReport, missingCoverage } from "./report.js";

export const MAX_ANNOTATIONS = 10;
export const MAX_SUMMARY_FAILURES = 50;

/** A workflow command's message: %, CR and LF escaped (GitHub's encoding). */
function commandData(s: string): string {
  return s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** A workflow command's property value: also `:` and `,`. */
function commandProperty(s: string): string {
  return commandData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

function errorCommand(file: string | null, title: string, message: string): string {
  const where = file === null ? "" : `file=${commandProperty(file)},line=1,`;
  return `::error ${where}title=${commandProperty(title)}::${commandData(message)}`;
}

/**
 * The annotations, one line each. `repoPath` maps a scenario path as given to the path GitHub
 * resolves against the repository (the CLI makes it relative to GITHUB_WORKSPACE).
 */
export function githubAnnotations(report: GateReport, repoPath: (file: string) => string = (f) => f): string[] {
  const out: string[] = [];
  const names = new Map(report.suites.map((s) => [s.file, s.name]));
  const failures = failuresOf(report);
  const missing = missingCoverage(report);
  const room = MAX_ANNOTATIONS - (missing.length > 0 ? 1 : 0);
  const shown = failures.length > room ? failures.slice(0, room - 1) : failures;
  for (const f of shown) {
    const title = `${caseName({ name: names.get(f.file) ?? f.file }, f.seed)}: ${failureHeadline(f)}`;
    out.push(errorCommand(repoPath(f.file), title.length > 200 ? `${title.slice(0, 197)}...` : title, failureText(f)));
  }
  if (shown.length < failures.length) {
    const more = failures.length - shown.length;
    out.push(errorCommand(null, `${more} more failing seed${more === 1 ? "" : "s"}`, "See the job summary or the JUnit report for every failing seed and its replay command."));
  }
  if (missing.length > 0) {
    out.push(
      errorCommand(null, "required coverage not reached", `No seed reached: ${missing.map((m) => m.path).join(", ")} (--require-coverage).`),
    );
  }
  return out;
}

/** A Markdown table cell: pipes and line breaks would end the cell or the row. */
function cell(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll("|", "\\|").replace(/[\r\n]+/g, " ");
}

/** A fenced code block that no line of `s` can close. */
function fence(s: string): string {
  const longest = Math.max(2, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}text\n${s}\n${f}`;
}

/** The job summary: seeds per scenario, failures with their replay commands, the coverage table. */
export function githubStepSummary(report: GateReport): string {
  const failures = failuresOf(report);
  const missing = missingCoverage(report);
  const runs = report.suites.reduce((a, s) => a + s.cases.length, 0);
  const verdict = failures.length === 0 && missing.length === 0 ? "passed" : "FAILED";
  const lines: string[] = [];
  lines.push(`## potsim check ${verdict}: ${failures.length} failing of ${runs} seed${runs === 1 ? "" : "s"}${report.checkDeterminism ? " (each run twice)" : ""}`, "");
  lines.push("| scenario | file | seeds | failing |", "|---|---|---:|---:|");
  for (const s of report.suites) {
    const failing = s.cases.filter((c) => c.failure !== null).length;
    lines.push(`| ${cell(s.name)} | ${cell(s.file)} | ${s.cases.length} | ${failing} |`);
  }
  lines.push("");
  if (failures.length > 0) {
    lines.push("### Failures", "");
    const names = new Map(report.suites.map((s) => [s.file, s.name]));
    for (const f of failures.slice(0, MAX_SUMMARY_FAILURES)) {
      lines.push(`#### ${cell(caseName({ name: names.get(f.file) ?? f.file }, f.seed))}`, "", fence(failureText(f)), "");
      for (const a of f.attachments) lines.push(`- attached: ${cell(a)}`);
      if (f.attachments.length > 0) lines.push("");
    }
    if (failures.length > MAX_SUMMARY_FAILURES) lines.push(`… and ${failures.length - MAX_SUMMARY_FAILURES} more (see the JUnit report).`, "");
  }
  if (missing.length > 0) {
    lines.push(`**Required coverage not reached:** ${missing.map((m) => `\`${m.path}\``).join(", ")}`, "");
  }
  const covered = report.suites.filter((s) => s.coverage.length > 0);
  if (covered.length > 0) {
    lines.push("### Coverage (seeds that reached each path)", "");
    lines.push(`| path | ${covered.map((s) => cell(s.name)).join(" | ")} |`, `|---|${covered.map(() => "---:").join("|")}|`);
    for (const path of coveragePaths(report)) {
      const cells = covered.map((s) => {
        const t = s.coverage.find((x) => x.path === path);
        return t === undefined ? "–" : `${t.seedsReached}/${t.seeds}`;
      });
      lines.push(`| ${cell(path)} | ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/** Every path any suite reports, first-seen order. */
export function coveragePaths(report: GateReport): string[] {
  const seen = new Set<string>();
  for (const s of report.suites) for (const t of s.coverage) seen.add(t.path);
  return [...seen];
}
