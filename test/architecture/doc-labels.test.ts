// Every design label the code cites resolves to a heading in docs/, so a newcomer on a fresh clone can
// follow `pbft-spec.md §5.6`, `R-K5`, `SAF-1`, `S23`, `M4`, `spec §4`, `ECON-SUPPLY`, … to its text.
//
// Scanned: every .ts, .yaml and .md file under src/, test/, bench/, scenarios/ and docs/, plus README.md
// and results/README.md — comments and strings alike (test names and checker ids cite labels too).
// Citation forms recognised, and the document each resolves in:
//   §N[.N…] after a document name on the same line (only other § numbers, punctuation, "and"/"or"
//     between): pbft-spec[.md] → docs/pbft.md; pot-spec[.md], "Stratos spec" → docs/pot.md;
//     docs/pbft.md, pbft.md, docs/pot.md, pot.md (the forms the comments may be rewritten to);
//     OSDI, OSDI99, TOCS, TOCS02 are the papers' own sections and are not checked;
//   a bare §N, or "spec §N": the file's document — from its path (a path naming pbft → pbft.md; pot or
//     economics → pot.md), else the one design note the file names; a file that allows neither is an error;
//   R-<letters><n> (ranges R-K1..6, families R-A*), C1…C6, SAF-n, INV-X, LIV-n → docs/pbft.md;
//   ECON-X → docs/pot.md;
//   Snn (with a suffix: S27a, S23(a)), Mn (a range M1–M4 names its ends: the numbering has gaps),
//     "pbft-scenarios[.md] A, B, G" (section letters) and pbft-scenarios.md "Mutations" (a quoted
//     heading) → docs/pbft-scenarios.md;
//   ARCHITECTURE.md → docs/architecture.md must exist; any docs/<name>.md path must exist.
// A label resolves when a heading of its document carries it (`### §5.6 …`, `#### R-K5 …`, `## A. …`).
// Also checked: no label heads two sections of one document, and every link between the documents
// (`[x](pbft.md#anchor)`) points at an existing heading (GitHub's anchor rules).

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { citationsIn, DOC_FILES, type DocHeadings, type DocKey, headingsOf, type Problem, unresolved } from "./doc-labels.js";

const root = join(import.meta.dirname, "..", "..");

// ───────────────────────────── the tree ─────────────────────────────

const SELF = "test/architecture/doc-labels.test.ts";

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "node_modules" ? [] : filesUnder(p);
    return /\.(ts|ya?ml|md)$/.test(name) ? [p] : [];
  });
}

function scannedFiles(): { path: string; text: string }[] {
  const paths = [
    ...["src", "test", "bench", "scenarios", "docs"].flatMap((d) => filesUnder(join(root, d))),
    join(root, "README.md"),
    join(root, "results", "README.md"),
  ];
  return paths
    .filter((p) => existsSync(p))
    .map((p) => ({ path: relative(root, p).replaceAll("\\", "/"), text: readFileSync(p, "utf8") }))
    .filter((f) => f.path !== SELF);
}

function loadDocs(): Record<DocKey, DocHeadings> {
  return {
    pbft: headingsOf(readFileSync(join(root, DOC_FILES.pbft), "utf8")),
    scenarios: headingsOf(readFileSync(join(root, DOC_FILES.scenarios), "utf8")),
    pot: headingsOf(readFileSync(join(root, DOC_FILES.pot), "utf8")),
  };
}

const fmt = (ps: readonly Problem[]) => ps.map((p) => `${p.file}:${p.line}: ${p.what}`);

describe("design labels cited in the tree resolve to headings in docs/", () => {
  const docs = loadDocs();
  const exists = (p: string) => existsSync(join(root, p));
  const all = scannedFiles().map((f) => citationsIn(f.path, f.text));
  const citations = all.flatMap((r) => r.citations);

  it("every citation resolves (and a bare § can be placed)", () => {
    expect(fmt(all.flatMap((r) => r.problems))).toEqual([]);
    expect(fmt(unresolved(citations, docs, exists))).toEqual([]);
  });

  it("finds the citation forms the code uses (the scan is not silently empty)", () => {
    const labels = new Set(citations.map((c) => `${c.doc}:${c.label}`));
    for (const l of [
      "pbft:§5.6",
      "pbft:§13.3",
      "pbft:R-K5",
      "pbft:R-E4",
      "pbft:R-PR*",
      "pbft:C5",
      "pbft:SAF-1",
      "pbft:INV-K",
      "pbft:LIV-1",
      "pot:§4",
      "pot:§3.3",
      "pot:ECON-SUPPLY",
      "scenarios:S23",
      "scenarios:M4",
      "scenarios:section:E",
      "scenarios:heading:Mutations",
      "file:docs/architecture.md",
    ]) {
      expect(labels, l).toContain(l);
    }
    expect(labels.size).toBeGreaterThan(100);
  });

  it("no label heads two sections of one document", () => {
    const dup = (Object.keys(docs) as DocKey[]).flatMap((k) =>
      [...docs[k].labels].filter(([l, n]) => n > 1 && !l.startsWith("section:")).map(([l]) => `${DOC_FILES[k]}: ${l}`),
    );
    expect(dup).toEqual([]);
  });

  it("links between the documents point at existing headings", () => {
    const bad: string[] = [];
    for (const name of readdirSync(join(root, "docs")).filter((n) => n.endsWith(".md"))) {
      const text = readFileSync(join(root, "docs", name), "utf8");
      for (const m of text.matchAll(/\]\(([a-z0-9-]*\.md)?(?:#([^)\s]+))?\)/g)) {
        const target = m[1] ?? name;
        if (!existsSync(join(root, "docs", target))) {
          bad.push(`docs/${name}: link to missing ${target}`);
          continue;
        }
        if (m[2] === undefined) continue;
        const anchors = headingsOf(readFileSync(join(root, "docs", target), "utf8")).anchors;
        if (!anchors.has(m[2])) bad.push(`docs/${name}: no heading for ${target}#${m[2]}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("the label check can fail", () => {
  const docs = loadDocs();
  const exists = (p: string) => existsSync(join(root, p));

  it("reports unknown sections, rules, invariants, scenarios, mutations, parts and files", () => {
    const text = [
      "// see pbft-spec.md §99.9 and pot-spec §42, R-Z9, R-K9, C9, SAF-9, INV-Q, LIV-7, ECON-NOPE",
      "// scenarios S99 and M77 (pbft-scenarios.md \"No such part\"), the design in docs/nowhere.md",
    ].join("\n");
    const { citations, problems } = citationsIn("src/protocols/pbft/fake.ts", text);
    expect(problems).toEqual([]);
    const missing = unresolved(citations, docs, exists).map((p) => p.what.split(" (cited")[0]);
    expect(missing).toEqual([
      "no heading with §99.9 in docs/pbft.md",
      "no heading with §42 in docs/pot.md",
      "no heading with R-Z9 in docs/pbft.md",
      "no heading with R-K9 in docs/pbft.md",
      "no heading with C9 in docs/pbft.md",
      "no heading with SAF-9 in docs/pbft.md",
      "no heading with INV-Q in docs/pbft.md",
      "no heading with LIV-7 in docs/pbft.md",
      "no heading with ECON-NOPE in docs/pot.md",
      "no heading with S99 in docs/pbft-scenarios.md",
      "no heading with M77 in docs/pbft-scenarios.md",
      "no heading with heading:No such part in docs/pbft-scenarios.md",
      "no such file",
    ]);
  });

  it("resolves a bare § by the file's path, ranges by each member, and skips the papers' sections", () => {
    const pot = citationsIn("src/world/pot-x.ts", "// spec §4 (steps A–G), §6.2 and OSDI §4.4").citations;
    expect(pot.map((c) => `${c.doc}:${c.label}`)).toEqual(["pot:§4", "pot:§6.2"]);
    const pbft = citationsIn("src/protocols/pbft/x.ts", "// (OSDI §4.4 / pbft-spec.md §7.5) R-E1..4, C1–C3").citations;
    expect(pbft.map((c) => `${c.doc}:${c.label}`)).toEqual(["pbft:§7.5", "pbft:R-E1", "pbft:R-E2", "pbft:R-E3", "pbft:R-E4", "pbft:C1", "pbft:C2", "pbft:C3"]);
    expect(unresolved(pbft, docs, exists)).toEqual([]);
  });

  it("reports a bare § it cannot place", () => {
    const { problems } = citationsIn("src/kernel/x.ts", "// as §7 says");
    expect(problems.map((p) => p.what)).toEqual(['cannot tell which document "§7" refers to (name pbft-spec.md or pot-spec)']);
  });

  it("reports a label that heads two sections", () => {
    const h = headingsOf("## §1 One\n### R-K1 first\n### R-K1 again\n");
    expect([...h.labels].filter(([, n]) => n > 1).map(([l]) => l)).toEqual(["R-K1"]);
  });
});
