// sweep/worker: the Piscina worker entry (loaded from dist/src/sweep/worker.js). Each call runs
// one world and returns its TaskResult; worker threads keep no state between tasks.
// May import: scenario, world, metrics, report, kernel.

import { executeTask } from "./execute.js";
import type { TaskPayload, TaskResult } from "./task.js";

export default function runTask(task: TaskPayload): TaskResult {
  return executeTask(task);
}
