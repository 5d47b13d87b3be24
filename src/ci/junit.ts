// A gate's report as JUnit XML, the form GitLab's test reports and the common GitHub Actions
// reporters read (the Ant/Surefire format, as the Jenkins xunit junit-10 schema describes it):
// <testsuites> holds one <testsuite> per scenario file and, with --require-coverage, one named
// "coverage"; each seed is a <testcase> named `<scenario>@seed N`. A violation or a nondeterministic
// trace is a <failure> (type: the invariant, or "nondeterministic"); a run that could not be judged
// is an <error>. The failure's body is report.ts's failureText, and the case's <system-out> repeats
// it, followed by one `[[ATTACHMENT|path]]` line per attached file (GitLab shows those as links).
// The schema has no properties per test case, so the coverage counters are the suite's properties
// (`coverage.<path>.seeds`: seeds that reached it, `coverage.<path>.count`: times over all seeds)
// and each passing case's system-out lists the paths it reached. Built as chunks so a large gate is
// written without one huge string; no timestamps or host names, so a file differs between two
// identical gates only in the `time` attributes.

import { caseName, failureHeadline, failureText, type GateCase, type GateFailure, type GateReport, type GateSuite, missingCoverage } from "./report.js";
import { xmlAttr, xmlText } from "./xml.js";

/** Longest failure message attribute (the body has the whole text). */
const MESSAGE_CHARS = 1000;

function seconds(s: number): string {
  return Math.max(0, s).toFixed(3);
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join("");
}

function clip(s: string): string {
  return s.length <= MESSAGE_CHARS ? s : `${s.slice(0, MESSAGE_CHARS - 3)}...`;
}

/** The case's system-out: the failure text and attachments, or the paths a clean run reached. */
export function caseOutput(c: GateCase): string {
  if (c.failure !== null) return [failureText(c.failure), ...c.failure.attachments.map((p) => `[[ATTACHMENT|${p}]]`)].join("\n");
  const reached = Object.entries(c.coverage).filter(([, n]) => n > 0);
  return `coverage: ${reached.length === 0 ? "no path reached" : reached.map(([p, n]) => `${p}=${n}`).join(", ")}`;
}

/** A violation or a nondeterministic trace is a <failure>; a run that could not be judged an <error>. */
function isFailure(f: GateFailure): boolean {
  return f.status === "violation" || f.status === "nondeterministic";
}

function* testcase(suite: GateSuite, c: GateCase): Generator<string> {
  const head = `    <testcase${attrs({ name: caseName(suite, c.seed), classname: suite.name, file: suite.file, time: seconds(c.wallSec) })}>\n`;
  yield head;
  const f = c.failure;
  if (f !== null) {
    const element = isFailure(f) ? "failure" : "error";
    const type = f.invariant ?? f.status;
    yield `      <${element}${attrs({ message: clip(failureHeadline(f)), type })}>${xmlText(failureText(f))}</${element}>\n`;
  }
  yield `      <system-out>${xmlText(caseOutput(c))}</system-out>\n`;
  yield "    </testcase>\n";
}

function counts(suite: GateSuite): { tests: number; failures: number; errors: number; time: number } {
  let failures = 0;
  let errors = 0;
  let time = 0;
  for (const c of suite.cases) {
    time += c.wallSec;
    if (c.failure === null) continue;
    if (isFailure(c.failure)) failures++;
    else errors++;
  }
  return { tests: suite.cases.length, failures, errors, time };
}

function* testsuite(suite: GateSuite, checkDeterminism: boolean): Generator<string> {
  const n = counts(suite);
  yield `  <testsuite${attrs({ name: suite.name, tests: n.tests, failures: n.failures, errors: n.errors, skipped: 0, time: seconds(n.time), file: suite.file })}>\n`;
  yield "    <properties>\n";
  const props: [string, string | number][] = [
    ["file", suite.file],
    ["model", suite.model],
    ["seeds", suite.cases.length],
    ["check-determinism", String(checkDeterminism)],
  ];
  for (const t of suite.coverage) props.push([`coverage.${t.path}.seeds`, t.seedsReached], [`coverage.${t.path}.count`, t.count]);
  for (const [name, value] of props) yield `      <property${attrs({ name, value })}/>\n`;
  yield "    </properties>\n";
  for (const c of suite.cases) yield* testcase(suite, c);
  yield "  </testsuite>\n";
}

/** The --require-coverage suite: one case per named path, failing when no seed reached it. */
function* coverageSuite(report: GateReport): Generator<string> {
  const missing = missingCoverage(report).length;
  yield `  <testsuite${attrs({ name: "coverage", tests: report.required.length, failures: missing, errors: 0, skipped: 0, time: seconds(0) })}>\n`;
  for (const r of report.required) {
    yield `    <testcase${attrs({ name: `coverage@${r.path}`, classname: "coverage", time: seconds(0) })}>\n`;
    const text = `${r.path}: reached by ${r.seedsReached} of ${r.seedsApplicable} seed${r.seedsApplicable === 1 ? "" : "s"} that can reach it`;
    if (r.seedsReached === 0) {
      const why = r.seedsApplicable === 0 ? "no scenario of the gate can reach it (wrong model)" : "no seed reached it";
      yield `      <failure${attrs({ message: `required path ${r.path}: ${why}`, type: "coverage" })}>${xmlText(`${text}\n(--require-coverage)`)}</failure>\n`;
    }
    yield `      <system-out>${xmlText(text)}</system-out>\n`;
    yield "    </testcase>\n";
  }
  yield "  </testsuite>\n";
}

/** The JUnit XML of a report, as chunks to write in order. */
export function* junitChunks(report: GateReport): Generator<string> {
  let tests = report.required.length;
  let failures = missingCoverage(report).length;
  let errors = 0;
  let time = 0;
  for (const s of report.suites) {
    const n = counts(s);
    tests += n.tests;
    failures += n.failures;
    errors += n.errors;
    time += n.time;
  }
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites${attrs({ name: "potsim check", tests, failures, errors, time: seconds(time) })}>\n`;
  for (const s of report.suites) yield* testsuite(s, report.checkDeterminism);
  if (report.required.length > 0) yield* coverageSuite(report);
  yield "</testsuites>\n";
}

export function junitXml(report: GateReport): string {
  return [...junitChunks(report)].join("");
}

/** Whether `text` (a file's start) is a JUnit file this module wrote: the only files --junit replaces without --force. */
export function isPotsimJunit(text: string): boolean {
  return /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="potsim check"/.test(text);
}
