// report/values: converting CSV text cells into chart values — floats, booleans and wei amounts
// (big integer strings) scaled to STOS. Unparseable or non-finite cells become null so that the
// inlined JSON data never carries NaN.
// May import: nothing.

const WEI_PER_STOS = 10n ** 18n;

/** A finite number, or null for "", "NaN", "Inf" and anything unparseable. */
export function num(cell: string | undefined): number | null {
  if (cell === undefined) return null;
  const t = cell.trim();
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** "true"/"1" → true, "false"/"0" → false, otherwise null. */
export function bool(cell: string | undefined): boolean | null {
  const t = cell?.trim().toLowerCase();
  if (t === "true" || t === "1") return true;
  if (t === "false" || t === "0") return false;
  return null;
}

/** A wei amount (integer string, possibly huge) as STOS = wei / 1e18, as a float. */
export function weiToStos(cell: string | undefined): number | null {
  if (cell === undefined) return null;
  const t = cell.trim();
  if (/^-?\d+$/.test(t)) {
    const w = BigInt(t);
    const neg = w < 0n;
    const a = neg ? -w : w;
    const v = Number(a / WEI_PER_STOS) + Number(a % WEI_PER_STOS) / 1e18;
    return neg ? -v : v;
  }
  const v = num(t); // tolerate float notation such as "1.5e20"
  return v === null ? null : v / 1e18;
}

/** True when every non-empty cell parses as a finite number (and there is at least one). */
export function allNumeric(cells: string[]): boolean {
  const present = cells.filter((c) => c.trim() !== "");
  return present.length > 0 && present.every((c) => num(c) !== null);
}
