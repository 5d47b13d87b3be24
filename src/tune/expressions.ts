// tune/expressions: the objective and constraints of a tuning spec — mathjs expressions over a
// run's metrics, evaluated in a mathjs instance whose expression language cannot import, define
// units, or parse and evaluate further text (the lockdown mathjs documents for untrusted input).
// Metric names are the dotted names of runs.csv (`rewardsByClass.giniResource`): the scope is the
// nested summary, so the dots are property access. Values written as strings (wei amounts, Dec
// prices, "NaN"/"Inf") are read as numbers (floats: fine for objectives, not for exact accounting).
// A constraint is a comparison (<, <=, >, >=, ==, or a chain such as `0.1 <= x <= 0.3`); how far a
// result misses it is Σ max(0, lhs − rhs) over its comparisons, in the constraint's own units.
// May import: nothing outside tune/ (mathjs).

import { all, create, type MathNode } from "mathjs";

const math = create(all);
const parse = math.parse;
const disabled = (name: string) => () => {
  throw new Error(`${name} is not available in tuning expressions`);
};
math.import(
  {
    import: disabled("import"),
    createUnit: disabled("createUnit"),
    evaluate: disabled("evaluate"),
    parse: disabled("parse"),
    simplify: disabled("simplify"),
    derivative: disabled("derivative"),
    compile: disabled("compile"),
  },
  { override: true },
);

export class ExpressionError extends Error {}

type Compiled = { evaluate(scope: Record<string, unknown>): unknown };

function compileText(text: string, what: string): { node: MathNode; code: Compiled } {
  let node: MathNode;
  try {
    node = parse(text);
  } catch (e) {
    throw new ExpressionError(`${what}: cannot parse ${JSON.stringify(text)}: ${(e as Error).message}`);
  }
  return { node, code: node.compile() };
}

/** Scope for expressions: the nested form of flat metrics, string numbers read as numbers. */
export function metricScope(metrics: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(metrics)) {
    const parts = name.split(".");
    let at = root;
    for (const p of parts.slice(0, -1)) {
      const next = at[p];
      if (next === undefined || typeof next !== "object" || next === null) at[p] = {};
      at = at[p] as Record<string, unknown>;
    }
    at[parts[parts.length - 1]!] = asNumber(raw);
  }
  return root;
}

/** Numbers, and strings that spell one (integers, decimals, NaN, ±Inf), as numbers; other values as they are. */
export function asNumber(v: unknown): unknown {
  if (typeof v !== "string") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Inf") return Number.POSITIVE_INFINITY;
  if (v === "-Inf") return Number.NEGATIVE_INFINITY;
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v) ? Number(v) : v;
}

function toNumber(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v !== null && typeof v === "object" && "toNumber" in v) return (v as { toNumber(): number }).toNumber();
  throw new ExpressionError(`${what} must give a number, got ${JSON.stringify(v)}`);
}

export interface Objective {
  text: string;
  /** +1 to minimise, −1 to maximise. */
  direction: 1 | -1;
  /** The expression's value. */
  value(scope: Record<string, unknown>): number;
}

export function compileObjective(o: { minimize?: string; maximize?: string }): Objective {
  const text = o.minimize ?? o.maximize;
  if (text === undefined) throw new ExpressionError("tune.objective: give minimize or maximize");
  const what = `tune.objective.${o.minimize !== undefined ? "minimize" : "maximize"}`;
  const { code } = compileText(text, what);
  return {
    text,
    direction: o.minimize !== undefined ? 1 : -1,
    value: (scope) => toNumber(evaluate(code, scope, what), what),
  };
}

const COMPARISONS: Record<string, (l: number, r: number) => number> = {
  smaller: (l, r) => (l < r ? 0 : Math.max(l - r, Number.MIN_VALUE)),
  smallerEq: (l, r) => Math.max(0, l - r),
  larger: (l, r) => (l > r ? 0 : Math.max(r - l, Number.MIN_VALUE)),
  largerEq: (l, r) => Math.max(0, r - l),
  equal: (l, r) => Math.abs(l - r),
};

export interface Constraint {
  text: string;
  /** How far the scope misses the constraint (0 = met). NaN operands miss by +Infinity. */
  violation(scope: Record<string, unknown>): number;
}

export function compileConstraint(text: string, index: number): Constraint {
  const what = `tune.constraints[${index}]`;
  const { node } = compileText(text, what);
  const pairs: { fn: string; left: Compiled; right: Compiled }[] = [];
  const n = node as MathNode & { fn?: string; args?: MathNode[]; conditionals?: string[]; params?: MathNode[] };
  if (n.type === "OperatorNode" && n.fn !== undefined && n.fn in COMPARISONS && n.args?.length === 2) {
    pairs.push({ fn: n.fn, left: n.args[0]!.compile(), right: n.args[1]!.compile() });
  } else if (n.type === "RelationalNode" && n.conditionals && n.params) {
    n.conditionals.forEach((fn, i) => {
      if (!(fn in COMPARISONS)) throw new ExpressionError(`${what}: ${fn} is not a comparison`);
      pairs.push({ fn, left: n.params![i]!.compile(), right: n.params![i + 1]!.compile() });
    });
  } else {
    throw new ExpressionError(`${what}: ${JSON.stringify(text)} must be a comparison such as "x <= 0.4" (<, <=, >, >=, ==)`);
  }
  return {
    text,
    violation(scope) {
      let total = 0;
      for (const p of pairs) {
        const l = toNumber(evaluate(p.left, scope, what), what);
        const r = toNumber(evaluate(p.right, scope, what), what);
        total += Number.isNaN(l) || Number.isNaN(r) ? Number.POSITIVE_INFINITY : COMPARISONS[p.fn]!(l, r);
      }
      return total;
    },
  };
}

function evaluate(code: Compiled, scope: Record<string, unknown>, what: string): unknown {
  try {
    return code.evaluate({ ...scope });
  } catch (e) {
    throw new ExpressionError(`${what}: ${(e as Error).message}`);
  }
}
