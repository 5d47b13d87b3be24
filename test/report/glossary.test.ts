// The report's plain words (src/report/glossary.ts) are copies of docs/results.md: each invariant's
// name and meaning, each key figure's unit and explanation, each chart's caption. This keeps them in
// step — change one without the other and it fails — and shows it catches a drifted text.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHART_NOTES, FIGURE_DOCS, INVARIANTS, SEVERITY } from "../../src/report/glossary.js";

const DOC = readFileSync(join(import.meta.dirname, "..", "..", "docs", "results.md"), "utf8");

/** Markdown → the words: no backticks, links as their text, one space between words. */
function plain(md: string): string {
  return md
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replaceAll("`", "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Lines under the heading `title` (any level) up to the next heading of that level or above. */
function sectionOf(doc: string, title: string): string[] {
  const lines = doc.split("\n");
  const start = lines.findIndex((l) => /^#{1,6}\s/.test(l) && plain(l.replace(/^#+\s+/, "")) === title);
  if (start < 0) throw new Error(`docs/results.md has no heading "${title}"`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const h = /^#+/.exec(lines[i]!);
    if (h && h[0].length <= level) {
      end = i;
      break;
    }
  }
  return lines.slice(start + 1, end);
}

/** The first paragraph under a heading, as plain words. */
function firstParagraph(doc: string, title: string): string {
  const body = sectionOf(doc, title).join("\n").trim();
  return plain(body.split(/\n\s*\n/)[0] ?? "");
}

/** Cells of the table row whose first cell names `key` in backticks. */
function tableRow(doc: string, section: string, key: string): string[] | undefined {
  const row = sectionOf(doc, section).find((l) => l.startsWith("|") && (l.split("|")[1] ?? "").includes(`\`${key}\``));
  return row
    ?.split("|")
    .slice(1, -1)
    .map((c) => c.trim());
}

/** Every mismatch between the glossary and a version of the document. */
function drift(doc: string): string[] {
  const problems: string[] = [];
  for (const [id, w] of Object.entries(INVARIANTS)) {
    const text = firstParagraph(doc, id);
    if (!text.startsWith(`${w.name}: ${w.meaning}`)) problems.push(`${id}: docs say "${text}"`);
  }
  for (const [key, d] of Object.entries(FIGURE_DOCS)) {
    const row = tableRow(doc, d.section, d.key);
    if (!row) {
      problems.push(`${key}: no row for ${d.key} in "${d.section}"`);
      continue;
    }
    // Tables without a unit column (key | meaning) give no unit.
    const unit = row.length >= 3 ? row[1] : "";
    if (unit !== d.unit) problems.push(`${key}: unit "${unit}" in the docs, "${d.unit}" in the glossary`);
    if (!plain(row[row.length - 1]!).includes(d.meaning)) problems.push(`${key}: docs say "${plain(row[row.length - 1]!)}"`);
  }
  const charts = sectionOf(doc, "report.html and charts").filter((l) => /^\| `[a-z-]+` \|/.test(l));
  const documented = new Map(charts.map((l) => l.split("|").map((c) => c.trim())).map((c) => [plain(c[1]!), plain(c[3]!)]));
  for (const [name, note] of Object.entries(CHART_NOTES)) {
    if (documented.get(name) !== note) problems.push(`chart ${name}: docs say "${documented.get(name)}"`);
  }
  for (const name of documented.keys()) if (!(name in CHART_NOTES)) problems.push(`chart ${name}: documented, not in CHART_NOTES`);
  return problems;
}

describe("the report's words are docs/results.md's", () => {
  it("every invariant, key figure and chart caption matches its documentation", () => {
    expect(drift(DOC)).toEqual([]);
  });

  it("every invariant id the document lists has plain words, and a place in the severity order", () => {
    const ids = sectionOf(DOC, "Invariant and violation ids")
      .filter((l) => l.startsWith("### "))
      .map((l) => plain(l.slice(4)))
      .filter((t) => t !== "The violation record");
    expect(ids.sort()).toEqual(Object.keys(INVARIANTS).sort());
    expect([...SEVERITY].sort()).toEqual(Object.keys(INVARIANTS).sort());
  });

  it("catches a drifted text: an invariant reworded, a unit changed, a caption edited", () => {
    const reworded = DOC.replace("Agreement: two correct replicas executed different batches", "Agreement: two replicas disagreed on batches");
    expect(drift(reworded)).toEqual([expect.stringMatching(/^SAF-1: docs say "Agreement: two replicas disagreed/)]);
    const unit = DOC.replace("| `issuance.minedStos` | STOS |", "| `issuance.minedStos` | wei |");
    expect(drift(unit)).toEqual(['issuance.minedStos: unit "wei" in the docs, "STOS" in the glossary']);
    const caption = DOC.replace("histogram and ECDF of request latency", "latency histogram");
    expect(drift(caption)).toEqual(['chart latency: docs say "latency histogram"']);
  });
});
