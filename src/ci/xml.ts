// XML 1.0 text and attribute escaping. Every string a JUnit file carries goes through here: checker
// details, errors and paths may hold <, &, quotes, line breaks and control characters. Characters
// XML 1.0 cannot carry at all (control characters below U+0020 other than tab and line breaks, U+FFFE/U+FFFF, lone
// surrogates) are written as the visible text `\uXXXX` instead.

const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(s: string): string {
  return s.replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** Character data: &, < and > (so `]]>` never appears). */
export function xmlText(s: string): string {
  return visible(s).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("\r", "&#13;");
}

/** A double-quoted attribute value: also quotes, and tab and line breaks as references (parsers normalise them to spaces otherwise). */
export function xmlAttr(s: string): string {
  return xmlText(s).replaceAll('"', "&quot;").replaceAll("'", "&apos;").replaceAll("\n", "&#10;").replaceAll("\t", "&#9;");
}
