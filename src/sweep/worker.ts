// sweep/worker: the Piscina worker entry (loaded from dist/src/sweep/worker.js). Each call runs
// one world and returns its TaskResult, or a batch of tasks one after the other (several short
// tasks per message round trip) and returns their results in order; worker threads keep no state
// between tasks.
// May import: scenario, world, metrics, report, kernel.

import { executeTask } from "./execute.js";
import type { TaskPayload, TaskResult } from "./task.js";

export default function runTask(task: TaskPayload | TaskPayload[]): TaskResult | TaskResult[] {
  return Array.isArray(task) ? task.map(executeTask) : executeTask(task);
}
