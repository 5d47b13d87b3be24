// `--replica <module.js>#<Export>` (sim check, sim shrink): the replica class a module exports, imported
// once and checked to extend the PBFT Replica, so a wrong module or name is a usage error (exit 2)
// and not one failing run per seed.
// May import: protocols/pbft, sweep (types), world (types), ./exit-codes.

import { isAbsolute, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { Replica } from "../protocols/pbft/index.js";
import type { ReplicaModule } from "../sweep/task.js";
import type { ReplicaFactory } from "../world/pbft/index.js";
import { UsageError } from "./exit-codes.js";

/** The class `r` names, checked to be Replica or a class extending it. */
export async function importReplicaClass(r: ReplicaModule): Promise<typeof Replica> {
  const where = `--replica: ${displayPath(r.module)}`;
  let m: Record<string, unknown>;
  try {
    m = (await import(isAbsolute(r.module) ? pathToFileURL(r.module).href : r.module)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${where}: cannot be loaded as an ES module (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  const cls = m[r.export];
  if (!extendsReplica(cls)) throw new UsageError(`${where} has no export ${r.export} extending the PBFT Replica`);
  return cls as typeof Replica;
}

/** A world's replica factory building every replica from `Cls`. */
export function replicaFactoryOf(Cls: typeof Replica): ReplicaFactory {
  return (id, config, app, digests) => new Cls(id, config, app, digests);
}

/**
 * Whether `cls` is Replica or a class extending it. By identity, or by a base named Replica with the
 * replica's `step`: a module loaded from dist/ under a test runner that compiles src/ on the fly
 * extends another copy of the same class.
 */
function extendsReplica(cls: unknown): boolean {
  for (let p = cls; typeof p === "function"; p = Object.getPrototypeOf(p)) {
    if (p === Replica || (p.name === "Replica" && typeof p.prototype?.step === "function")) return true;
  }
  return false;
}

/** The module's path relative to the working folder when it is inside it (module paths are absolute). */
export function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : p;
}
