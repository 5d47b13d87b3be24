// When a command is about to fill every core with worker threads, V8's parallel and concurrent
// GC helper threads have no idle core to run on: they compete with the workers (measured with
// `npm run bench -- sweep`: 2-worker sweeps of byzantine.yaml ran about 12% faster with
// `--single-threaded-gc`). The flag is process-wide and can only be given at start-up (setting it
// with v8.setFlagsFromString after the heap exists aborts the process), so such commands run
// themselves again in a child `node --single-threaded-gc` and pass its exit code through.
//
// The child keeps an IPC channel to the parent and exits when it closes, so a parent killed with
// SIGKILL takes its sweep down with it, exactly as an un-respawned sweep would die (and --resume
// then sees the same partial folder). POTSIM_PARALLEL_GC=1 keeps V8's default GC.
//
// The respawn itself costs a second process start and CLI load (~0.15 s of CPU, measured with `sim
// --version`; more wall time on a busy machine), which a short sweep does not win back: `sim sweep`
// respawns only when its tasks add up to RESPAWN_MIN_SECONDS of estimated single-thread work (the
// size guard's event estimate; byzantine.yaml's 16 default points are ~3 s, its 280-epoch points ~25 s).
// May import: node built-ins only.

import { spawn } from "node:child_process";

export const SINGLE_THREADED_GC = "--single-threaded-gc";

/** Estimated seconds of work (all tasks, one thread) from which a sweep runs itself again with single-threaded GC. */
export const RESPAWN_MIN_SECONDS = 10;

/** Thrown by a command that found, once planned, that it should respawn (see RESPAWN_MIN_SECONDS). */
export class RespawnRequest extends Error {}

/** Whether this process runs with single-threaded GC (for timing.json). */
export function gcMode(): "single-threaded" | "parallel" {
  return process.execArgv.includes(SINGLE_THREADED_GC) ? "single-threaded" : "parallel";
}

/** True when this process should run itself again with single-threaded GC before starting `workers` threads. */
export function shouldRespawn(workers: number, env: NodeJS.ProcessEnv = process.env): boolean {
  return workers > 1 && !process.execArgv.includes(SINGLE_THREADED_GC) && env.POTSIM_PARALLEL_GC !== "1";
}

/** Runs this same command line in a child node with single-threaded GC; resolves to its exit code. */
export function respawnWithSingleThreadedGc(): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, SINGLE_THREADED_GC, ...process.argv.slice(1)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
  });
  // Ctrl-C reaches the whole process group: the child handles it (finishing running tasks); the
  // parent just waits. SIGTERM sent to the parent alone is passed on.
  const ignore = () => {};
  const forward = () => child.kill("SIGTERM");
  process.on("SIGINT", ignore);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal === "SIGINT" ? 130 : 128 + 15));
    });
  });
}

/** In a respawned child: exit as soon as the parent is gone (its IPC channel closes). */
export function followParent(): void {
  if (!process.send) return;
  process.on("disconnect", () => process.exit(137));
  // The channel must not keep the child alive once its work is done.
  process.channel?.unref();
}
