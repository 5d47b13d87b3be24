// Helpers for the scenario tests: fixture paths as the caller would give them (relative to
// the working directory) and capturing ScenarioError text.

import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ScenarioError } from "../../src/scenario/index.js";

/** The fixtures folder, relative to the working directory (as a user would type it). */
export const FIX = relative(process.cwd(), fileURLToPath(new URL("../fixtures/scenario", import.meta.url)));

export function fixture(name: string): string {
  return `${FIX}/${name}`;
}

/** Runs `fn`, expects a ScenarioError, returns its message lines. */
export function errorLines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split("\n");
    throw e;
  }
  throw new Error("expected a ScenarioError, but nothing was thrown");
}

export function caught(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("expected a ScenarioError, but nothing was thrown");
}
