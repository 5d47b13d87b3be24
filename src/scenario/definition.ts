// The scenario definition: top-level keys plus every section exported by ./sections.
// Owns: `scenarioSchema` and the resolved scenario type.
// May import: ./compose.js, ./models.js, ./schema.js, ./sections/index.js.

import { composeScenario } from "./compose.js";
import { MODELS } from "./models.js";
import { type Infer, int, num, optional, str } from "./schema.js";
import * as sections from "./sections/index.js";

const topFields = {
  name: optional(
    str({ minLength: 1, description: "Scenario name (results go to results/<name>/). Default: the file name without .yaml." }),
  ),
  description: str({ default: "", description: "Free text describing the scenario." }),
  seed: int({ min: 0, default: 1, description: "Seed of every random stream in the run." }),
  model: str({ enum: MODELS, description: "Which simulation model to run." }),
  until: num({ exclusiveMin: 0, default: 60, description: "Simulated seconds to run." }),
  maxEvents: optional(int({ min: 1, description: "Stop after this many processed events (absent = no limit)." })),
};

// Module namespaces list their exports in alphabetical order, so sections do too.
export const scenarioSchema = composeScenario(topFields, { ...sections }, { description: "A potsim scenario." });

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The validated, fully defaulted scenario. `name` is always set (from the file name by default). */
export type ResolvedScenario = Simplify<Omit<Infer<typeof scenarioSchema>, "name"> & { name: string }>;
export type NetworkSection = ResolvedScenario["network"];
export type PholdSection = ResolvedScenario["phold"];
