// report/libs: the browser builds of vega, vega-lite and vega-embed, read from the installed
// packages so report.html can inline them and open from disk with no network.
// May import: nothing.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Packages whose minified UMD build goes into the page, in load order (each needs the previous). */
const BROWSER_BUILDS: Array<{ pkg: string; file: string }> = [
  { pkg: "vega", file: "build/vega.min.js" },
  { pkg: "vega-lite", file: "build/vega-lite.min.js" },
  { pkg: "vega-embed", file: "build/vega-embed.min.js" },
];

/** Root folder of an installed package: walk up from its resolved entry to its package.json. */
function packageRoot(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name;
      if (name === pkg) return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`report: cannot locate the installed package ${pkg}`);
    dir = up;
  }
}

let cached: Array<{ pkg: string; code: string }> | undefined;

/** The library sources, with source-map comments removed and "</script" made inert. */
export function browserLibraries(): Array<{ pkg: string; code: string }> {
  cached ??= BROWSER_BUILDS.map(({ pkg, file }) => {
    const code = readFileSync(join(packageRoot(pkg), file), "utf8")
      .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n")
      .replace(/<\/script/gi, "<\\/script");
    return { pkg, code };
  });
  return cached;
}
