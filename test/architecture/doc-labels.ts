// Citation extraction and heading resolution for test/architecture/doc-labels.test.ts (the forms it
// recognises are listed there). Pure functions of file paths and texts.

export type DocKey = "pbft" | "scenarios" | "pot";

export const DOC_FILES: Record<DocKey, string> = {
  pbft: "docs/pbft.md",
  scenarios: "docs/pbft-scenarios.md",
  pot: "docs/pot.md",
};

export interface Citation {
  readonly file: string;
  readonly line: number;
  readonly doc: DocKey | "file";
  /**
   * A section (its number after `§`, e.g. pbft-spec.md `§5.6`), a rule or invariant id (`R-K5`), a family
   * (`R-A*`), a scenario (`S23`), `section:A`, `heading:Mutations`, or a path when `doc` is "file".
   */
  readonly label: string;
  readonly text: string;
}

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

// ───────────────────────────── extraction ─────────────────────────────

const DOC_NAME =
  /(?:docs\/)?(?:pbft-scenarios(?:\.md)?|pbft-spec(?:\.md)?|pot-spec(?:\.md)?|pbft\.md|pot\.md|Stratos spec|OSDI(?:99)?|TOCS(?:02)?)/g;

function docOfName(name: string): DocKey | "external" {
  if (/^(OSDI|TOCS)/.test(name)) return "external";
  if (/pbft-scenarios/.test(name)) return "scenarios";
  if (/pbft/.test(name)) return "pbft";
  return "pot";
}

/** Text between a document name and a § it governs: other § numbers, punctuation, "and"/"or". */
const GAP = /^(?:[\s,;/–\-&`()[\]]|and\b|or\b|§\s?\d+(?:\.\d+)*)*$/;

/** The document a bare § in this file refers to, from its path, else from the design notes it names. */
export function defaultDocOf(path: string, text: string): DocKey | undefined {
  const p = path.toLowerCase();
  const pbft = /pbft/.test(p);
  const pot = /(^|[/_.-])pot([/_.-]|$)|economics/.test(p);
  if (pbft !== pot) return pbft ? "pbft" : "pot";
  const namesPbft = /pbft-spec/.test(text);
  const namesPot = /pot-spec|Stratos spec/.test(text);
  if (namesPbft !== namesPot) return namesPbft ? "pbft" : "pot";
  return undefined;
}

function rangeLabels(prefix: string, from: number, to: number | undefined, width = 0): string[] {
  const end = to ?? from;
  const out: string[] = [];
  for (let k = from; k <= Math.max(from, end); k++) out.push(`${prefix}${String(k).padStart(width, "0")}`);
  return out;
}

const RANGE = String.raw`(?:\s*(?:\.\.|–|…|-)\s*`;

/** Every citation in one file's text, and the problems found while reading them. */
export function citationsIn(file: string, text: string): { citations: Citation[]; problems: Problem[] } {
  const citations: Citation[] = [];
  const problems: Problem[] = [];
  const fallback = defaultDocOf(file, text);
  const lines = text.split("\n");
  lines.forEach((lineText, i) => {
    const line = i + 1;
    const add = (doc: Citation["doc"], label: string) => citations.push({ file, line, doc, label, text: lineText.trim() });

    for (const m of lineText.matchAll(/§\s?(\d+(?:\.\d+)*)/g)) {
      const before = lineText.slice(0, m.index);
      let doc: DocKey | "external" | undefined;
      for (const d of before.matchAll(DOC_NAME)) {
        if (GAP.test(before.slice(d.index! + d[0].length))) doc = docOfName(d[0]);
      }
      doc ??= fallback;
      if (doc === "external") continue;
      if (doc === undefined) {
        problems.push({ file, line, what: `cannot tell which document "§${m[1]}" refers to (name pbft-spec.md or pot-spec)` });
        continue;
      }
      add(doc, `§${m[1]}`);
    }

    for (const m of lineText.matchAll(new RegExp(String.raw`\bR-([A-Z]+)(\d+)?${RANGE}(\d+))?(\*)?`, "g"))) {
      const family = m[2] === undefined || m[4] === "*";
      if (family) add("pbft", `R-${m[1]}*`);
      else for (const l of rangeLabels(`R-${m[1]}`, Number(m[2]), m[3] === undefined ? undefined : Number(m[3]))) add("pbft", l);
    }
    for (const m of lineText.matchAll(new RegExp(String.raw`\bC(\d)\b${RANGE}C?(\d)\b)?`, "g"))) {
      for (const l of rangeLabels("C", Number(m[1]), m[2] === undefined ? undefined : Number(m[2]))) add("pbft", l);
    }
    for (const m of lineText.matchAll(/\b(SAF-\d+|INV-[A-Z]+|LIV-\d+)\b/g)) add("pbft", m[1]!);
    for (const m of lineText.matchAll(/\bECON-[A-Z]+(?:-[A-Z]+)*\b/g)) add("pot", m[0]);
    // Scenario and mutation numbers have gaps, so a range of them names its two ends only.
    for (const m of lineText.matchAll(new RegExp(String.raw`\b([SM])(\d{1,2})[a-z]?\b${RANGE}[SM](\d{1,2})\b)?`, "g"))) {
      if (m[1] === "S" && m[2]!.length !== 2) continue;
      add("scenarios", `${m[1]}${m[2]}`);
      if (m[3] !== undefined) add("scenarios", `${m[1]}${m[3]}`);
    }
    for (const m of lineText.matchAll(/pbft-scenarios(?:\.md)?\s+((?:[A-H]\b(?:\s*,\s*)?)+)/g)) {
      for (const letter of m[1]!.split(/[\s,]+/).filter(Boolean)) add("scenarios", `section:${letter}`);
    }
    for (const m of lineText.matchAll(/pbft-scenarios(?:\.md)?\s+"([^"]+)"/g)) add("scenarios", `heading:${m[1]}`);
    if (/\bARCHITECTURE\.md\b/.test(lineText)) add("file", "docs/architecture.md");
    for (const m of lineText.matchAll(/\bdocs\/([a-z][a-z0-9-]*\.md)\b/g)) add("file", `docs/${m[1]}`);
  });
  return { citations, problems };
}

// ───────────────────────────── headings ─────────────────────────────

export interface DocHeadings {
  readonly labels: Map<string, number>;
  readonly texts: string[];
  readonly anchors: Set<string>;
}

const HEADING_LABELS = /§\s?\d+(?:\.\d+)*|\bR-[A-Z]+\d+\b|\bC\d\b|\bSAF-\d+\b|\bINV-[A-Z]+\b|\bLIV-\d+\b|\bECON-[A-Z]+(?:-[A-Z]+)*\b|\bS\d{2}\b|\bM\d{1,2}\b/g;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

export function headingsOf(markdown: string): DocHeadings {
  const labels = new Map<string, number>();
  const texts: string[] = [];
  const anchors = new Set<string>();
  let fence = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fence = !fence;
    const h = fence ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!h) continue;
    const text = h[1]!.trim();
    texts.push(text);
    let anchor = anchorOf(text);
    for (let k = 1; anchors.has(anchor); k++) anchor = `${anchorOf(text)}-${k}`;
    anchors.add(anchor);
    const found = new Set<string>();
    for (const m of text.matchAll(HEADING_LABELS)) found.add(m[0].replace(/§\s/, "§"));
    const letter = /^([A-H])\.\s/.exec(text);
    if (letter) found.add(`section:${letter[1]}`);
    for (const l of found) labels.set(l, (labels.get(l) ?? 0) + 1);
  }
  return { labels, texts, anchors };
}

/** Problems of citations against the documents' headings (and the files that must exist). */
export function unresolved(citations: readonly Citation[], docs: Record<DocKey, DocHeadings>, exists: (path: string) => boolean): Problem[] {
  const out: Problem[] = [];
  for (const c of citations) {
    let ok: boolean;
    if (c.doc === "file") ok = exists(c.label);
    else {
      const d = docs[c.doc];
      if (c.label.endsWith("*")) {
        const prefix = c.label.slice(0, -1);
        ok = [...d.labels.keys()].some((l) => l.startsWith(prefix) && /^\d/.test(l.slice(prefix.length)));
      } else if (c.label.startsWith("heading:")) {
        const want = c.label.slice("heading:".length).toLowerCase();
        ok = d.texts.some((t) => t.toLowerCase().includes(want));
      } else ok = d.labels.has(c.label);
    }
    if (!ok) {
      const where = c.doc === "file" ? "no such file" : `no heading with ${c.label} in ${DOC_FILES[c.doc]}`;
      out.push({ file: c.file, line: c.line, what: `${where} (cited in: ${c.text})` });
    }
  }
  return out;
}
