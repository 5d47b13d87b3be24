// The context handed to refinements: report an error at a key path relative to the value
// being refined, and ask whether a key was written in the source (rather than defaulted).
// May import: ./issues.js, ./located.js, ./path.js.

import type { Issues } from "./issues.js";
import { type LNode, locate } from "./located.js";
import { type Path, type PathLike, toPath } from "./path.js";

export interface RefineCtx {
  /** The key path of the value being refined. */
  readonly path: Path;
  /** Reports a problem with the value itself. */
  error(message: string): void;
  /** Reports a problem at a key path relative to the value (`"max"`, `"groups[1][0]"`, `["matrix", 2]`). */
  error(at: PathLike, message: string): void;
  /** True when the relative path was written in a source (file or `--set`), not filled from a default. */
  has(at: PathLike): boolean;
  /** A context for a relative path, e.g. to hand a sub-value to a helper. */
  at(at: PathLike): RefineCtx;
}

export class RefineContext implements RefineCtx {
  constructor(
    private readonly issues: Issues,
    private readonly node: LNode,
    private readonly base: Path,
    private readonly rel: Path = [],
  ) {}

  get path(): Path {
    return [...this.base, ...this.rel];
  }

  error(a: PathLike, b?: string): void {
    const [relPath, message] = b === undefined ? [[], String(a)] : [toPath(a), b];
    const full = [...this.rel, ...relPath];
    const found = locate(this.node, full);
    this.issues.add((found.node ?? found.nearest).loc, [...this.base, ...full], message);
  }

  has(at: PathLike): boolean {
    const found = locate(this.node, [...this.rel, ...toPath(at)]);
    return found.node !== undefined && found.node.synthetic !== true;
  }

  at(at: PathLike): RefineCtx {
    return new RefineContext(this.issues, this.node, this.base, [...this.rel, ...toPath(at)]);
  }
}
