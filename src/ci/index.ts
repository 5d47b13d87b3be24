// ci/: a `sim check` gate's results in the forms CI systems read — JUnit XML (junit.ts, escaping in
// xml.ts), GitHub Actions annotations and job summary (github.ts), the coverage table and
// coverage.csv (coverage-table.ts) — from one report model (report.ts: suites per scenario, cases
// per seed, failures with their replay command and attachments). Pure functions to text; the CLI
// decides where the text goes.
// May import: coverage (types), metrics (table type).

export { coverageTable, coverageText } from "./coverage-table.js";
export { coveragePaths, githubAnnotations, githubStepSummary, MAX_ANNOTATIONS, MAX_SUMMARY_FAILURES } from "./github.js";
export { caseOutput, isPotsimJunit, junitChunks, junitXml } from "./junit.js";
export {
  caseName,
  type FailureStatus,
  failureHeadline,
  failureText,
  failuresOf,
  type GateCase,
  type GateFailure,
  type GateReport,
  type GateSuite,
  missingCoverage,
  type RequiredPath,
  replayCommand,
  shellWord,
} from "./report.js";
export { xmlAttr, xmlText } from "./xml.js";
