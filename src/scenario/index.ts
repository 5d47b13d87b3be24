// Public API of the scenario module: YAML scenario files in, validated and fully defaulted
// scenario objects out; errors with file:line:col and key path; JSON Schema; the schema DSL
// for sections; the documented ranges (limits.ts) and the estimated size of a run (estimate.ts).
// May import: its own files only.

export { parseWith } from "./check-text.js";
export { composeScenario } from "./compose.js";
export type { RefineCtx } from "./context.js";
export { type NetworkSection, type PholdSection, type ResolvedScenario, scenarioSchema } from "./definition.js";
export { type EstimateOpts, estimatedSeconds, estimateRunSize, pbftEventsPerRequest, type SizeEstimate, type SizeTerm } from "./estimate.js";
export { formatIssue, ScenarioError, type ScenarioIssue } from "./issues.js";
export {
  applyOverrides,
  type CommandLineKey,
  checkCommandLineValues,
  emitJsonSchema,
  jsonSchemaText,
  type LoadOpts,
  loadScenario,
  parseScenarioText,
  readScenarioDoc,
  validateFiles,
  writeJsonSchema,
} from "./load.js";
export type { Loc, LNode } from "./located.js";
export { toPlain } from "./located.js";
export { MODELS, type Model } from "./models.js";
export { SET_FILE } from "./overrides.js";
export { resolveScenario, scenarioNameOf } from "./resolve.js";
export {
  type AnySchema,
  type Fields,
  arr,
  bool,
  either,
  type Infer,
  INVALID,
  int,
  type JsonSchema,
  lit,
  nullable,
  num,
  obj,
  oneOf,
  optional,
  record,
  refine,
  Schema,
  str,
  transform,
} from "./schema.js";
export { defineSection, type Section, type SectionEnv } from "./section.js";
export type { SourceDoc } from "./source.js";
