// JUnit validation for the ci/ and cli/ tests: libxml2 (xmllint-wasm, a dev dependency) checks that
// a file is well-formed XML 1.0 and valid against test/fixtures/junit/junit.xsd — a parser other
// than the code that wrote the file, so escaping mistakes cannot cancel out. Plus small readers for
// the values the tests assert (attributes and text, entity references decoded).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateXML } from "xmllint-wasm";

export const JUNIT_XSD = join(import.meta.dirname, "..", "fixtures", "junit", "junit.xsd");

/** libxml2's errors for `xml` against the JUnit schema; [] when valid. */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  try {
    const r = await validateXML({
      xml: [{ fileName: "junit.xml", contents: xml }],
      schema: [{ fileName: "junit.xsd", contents: readFileSync(JUNIT_XSD, "utf8") }],
    });
    return r.valid ? [] : r.errors.map((e) => e.rawMessage);
  } catch (e) {
    // xmllint exits non-zero on a document it cannot parse at all: that is an error too.
    return [e instanceof Error ? e.message : String(e)];
  }
}

/** Decodes the five named entities and numeric references (what an XML parser hands a reader). */
export function xmlDecode(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replaceAll("&amp;", "&");
}

export interface XmlElement {
  readonly attrs: Record<string, string>;
  /** Raw inner text (undecoded); "" for an empty element. */
  readonly inner: string;
}

/** Every `<tag …>` in document order with its decoded attributes and raw inner text (non-nested tags only). */
export function elements(xml: string, tag: string): XmlElement[] {
  const out: XmlElement[] = [];
  const re = new RegExp(`<${tag}((?:\\s+[\\w.:-]+="[^"]*")*)\\s*(?:/>|>([\\s\\S]*?)</${tag}>)`, "g");
  for (const m of xml.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? "").matchAll(/([\w.:-]+)="([^"]*)"/g)) attrs[a[1]!] = xmlDecode(a[2]!);
    out.push({ attrs, inner: m[2] ?? "" });
  }
  return out;
}

/** The <testcase> blocks (their own inner text holds failure and system-out). */
export function testcases(xml: string): XmlElement[] {
  return elements(xml, "testcase");
}
