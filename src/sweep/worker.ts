// sweep/worker: the Piscina worker entry (loaded from dist/src/sweep/worker.js). Each call runs
// one world and returns its TaskResult; worker threads keep no state between tasks.
// May import: scenario, world, metrics, report, kernel.

import { executeTask, executeTaskLoading } from "./execute.js";
import type { TaskPayload, TaskResult } from "./task.js";

export default function runTask(task: TaskPayload): TaskResult | Promise<TaskResult> {
  return task.replica === undefined ? executeTask(task) : executeTaskLoading(task);
}
