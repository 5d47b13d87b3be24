// Key paths: `network.partitions[0].groups[1]`.
// Owns: the Path type, formatting paths for messages, parsing dotted paths (refinements
// and `--set`). May import: nothing.

export type PathSegment = string | number;
export type Path = readonly PathSegment[];
export type PathLike = Path | string;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `["network", "partitions", 0, "at"]` → `network.partitions[0].at`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export interface ParsedSegment {
  readonly seg: PathSegment;
  /** 0-based offset of the segment in the parsed text. */
  readonly offset: number;
}

/**
 * Parses `a.b[0].c` or `a.b.0.c` (all-digit segments become indexes). Returns undefined
 * when the text is not a well-formed path.
 */
export function parsePath(text: string): ParsedSegment[] | undefined {
  const out: ParsedSegment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/y;
  let i = 0;
  let expectKey = true;
  while (i < text.length) {
    if (!expectKey) {
      if (text[i] === ".") {
        i++;
        expectKey = true;
        continue;
      }
      if (text[i] !== "[") return undefined;
    }
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    if (m[1] !== undefined) {
      if (!expectKey) return undefined;
      const key = m[1];
      out.push({ seg: /^\d+$/.test(key) ? Number(key) : key, offset: i });
    } else {
      out.push({ seg: Number(m[2]), offset: i });
    }
    i = re.lastIndex;
    expectKey = false;
  }
  if (expectKey) return undefined;
  return out;
}

/** Accepts a path array or a dotted string. Throws on a malformed string (a programming error). */
export function toPath(p: PathLike): Path {
  if (typeof p !== "string") return p;
  if (p === "") return [];
  const parsed = parsePath(p);
  if (!parsed) throw new Error(`malformed key path: ${p}`);
  return parsed.map((s) => s.seg);
}
