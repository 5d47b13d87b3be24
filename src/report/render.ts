// report/render: Vega-Lite → Vega compilation and headless SVG rendering (vega View with the
// "none" renderer). Renders are serialised because vega numbers SVG clip-path and gradient ids
// with module-wide counters; resetting them before each render makes the SVG byte-identical.
// May import: nothing (vega, vega-lite).

import * as vega from "vega";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";

export interface Compiled {
  vega: vega.Spec;
  /** Vega-Lite warnings raised while compiling (empty for a clean spec). */
  warnings: string[];
}

/** Compiles a Vega-Lite spec to Vega, collecting warnings instead of printing them. */
export function compileSpec(spec: TopLevelSpec): Compiled {
  const warnings: string[] = [];
  const logger = {
    level(): number {
      return 0;
    },
    warn(...args: unknown[]) {
      warnings.push(args.map(String).join(" "));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
    error(...args: unknown[]): never {
      throw new Error(args.map(String).join(" "));
    },
  };
  // biome-ignore lint/suspicious/noExplicitAny: vega-lite's logger type is the full vega-util LoggerInterface
  const out = compile(spec, { logger: logger as any });
  return { vega: out.spec as vega.Spec, warnings };
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs renders one at a time (see the header comment). */
function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** Renders a compiled Vega spec to an SVG document string. */
export function vegaToSvg(spec: vega.Spec): Promise<string> {
  return serialised(async () => {
    const view = new vega.View(vega.parse(spec), { renderer: "none", logLevel: vega.Error });
    try {
      vega.resetSVGDefIds();
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  });
}

/** Compiles a Vega-Lite spec and renders it to SVG. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  return vegaToSvg(compileSpec(spec).vega);
}
