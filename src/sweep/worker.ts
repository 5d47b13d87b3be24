// sweep/worker: the Piscina worker entry (loaded from dist/src/sweep/worker.js). Each call runs
// one world and returns its TaskResult, or a batch of tasks one after the other (several short
// tasks per message round trip) and returns their results in order; worker threads keep no state
// between tasks.
// May import: scenario, world, metrics, report, kernel.

import { executeTask, executeTaskLoading } from "./execute.js";
import type { TaskPayload, TaskResult } from "./task.js";

export default function runTask(task: TaskPayload | TaskPayload[]): TaskResult | TaskResult[] | Promise<TaskResult | TaskResult[]> {
  if (Array.isArray(task)) return task.every((t) => t.replica === undefined) ? task.map((t) => executeTask(t)) : runInOrder(task);
  return task.replica === undefined ? executeTask(task) : executeTaskLoading(task);
}

/** A batch one task after the other, loading replica modules as needed. */
async function runInOrder(tasks: TaskPayload[]): Promise<TaskResult[]> {
  const out: TaskResult[] = [];
  for (const t of tasks) out.push(await executeTaskLoading(t));
  return out;
}
