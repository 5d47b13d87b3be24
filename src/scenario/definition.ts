// The scenario definition: top-level keys plus every section exported by ./sections.
// Owns: `scenarioSchema` and the resolved scenario type.
// May import: ./compose.js, ./limits.js, ./models.js, ./schema.js, ./sections/index.js.

import { composeScenario } from "./compose.js";
import { MAX_NAME_LENGTH, MAX_SAFE, MAX_TEXT_LENGTH, MAX_TIME_S, NAME_PATTERN } from "./limits.js";
import { MODELS } from "./models.js";
import { type Infer, int, num, optional, str } from "./schema.js";
import * as sections from "./sections/index.js";

const topFields = {
  name: optional(
    str({
      minLength: 1,
      maxLength: MAX_NAME_LENGTH,
      pattern: NAME_PATTERN,
      patternText: 'be a folder name: letters, digits, ".", "_" and "-", starting with a letter or digit',
      description: `Scenario name: results go to results/<name>/, so it is one folder name of at most ${MAX_NAME_LENGTH} characters (letters, digits, ".", "_", "-"; first a letter or digit). Default: the file name without .yaml (other characters replaced by "-").`,
    }),
  ),
  description: str({ default: "", maxLength: MAX_TEXT_LENGTH, description: "Free text describing the scenario." }),
  seed: int({ min: 0, max: MAX_SAFE, default: 1, description: "Seed of every random stream in the run." }),
  model: str({ enum: MODELS, description: "Which simulation model to run." }),
  until: num({ exclusiveMin: 0, max: MAX_TIME_S, default: 60, description: "Simulated seconds to run." }),
  maxEvents: optional(int({ min: 1, max: MAX_SAFE, description: "Stop after this many processed events (absent = no limit)." })),
};

// Module namespaces list their exports in alphabetical order, so sections do too.
export const scenarioSchema = composeScenario(topFields, { ...sections }, { description: "A potsim scenario." });

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The validated, fully defaulted scenario. `name` is always set (from the file name by default). */
export type ResolvedScenario = Simplify<Omit<Infer<typeof scenarioSchema>, "name"> & { name: string }>;
export type NetworkSection = ResolvedScenario["network"];
export type PholdSection = ResolvedScenario["phold"];
