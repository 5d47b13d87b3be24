// Node id schemas and the check of node ids against the scenario's node count.
// May import: ../context.js, ../limits.js, ../schema.js, ../section.js.

import type { RefineCtx } from "../context.js";
import { MAX_POPULATION } from "../limits.js";
import { arr, either, int } from "../schema.js";
import type { SectionEnv } from "../section.js";

export const nodeId = int({ min: 0, max: MAX_POPULATION - 1, description: "Node id (0-based)." });

/** One node id or a non-empty list of them. */
export const nodeIds = (description: string) =>
  either([nodeId, arr(nodeId, { minItems: 1 })], { description });

/** Reports an id at `path` (relative to ctx) that is not below the node count. */
export function checkNodeId(id: number, ctx: RefineCtx, path: readonly (string | number)[], env: SectionEnv): void {
  const nodes = env.nodes;
  if (nodes === undefined || id < nodes.count) return;
  ctx.error(path, `node ${id} does not exist (${nodes.source} is ${nodes.count}, so ids are 0..${nodes.count - 1})`);
}

/** Same for a value that is one id or a list of ids. */
export function checkNodeIds(
  ids: number | readonly number[] | undefined,
  ctx: RefineCtx,
  path: readonly (string | number)[],
  env: SectionEnv,
): void {
  if (ids === undefined) return;
  if (typeof ids === "number") checkNodeId(ids, ctx, path, env);
  else ids.forEach((id, i) => {
      checkNodeId(id, ctx, [...path, i], env);
    });
}
