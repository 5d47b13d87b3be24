// metrics/: tables and CSV writing, summary statistics, the atomic results-folder writer.
// May import: kernel.

export { grownF64, grownI32, grownU8 } from "./grown.js";
export { mean, quantiles } from "./stats.js";
export { type Cell, formatCell, round, type Table, tableToCsv, writeTableCsv } from "./table.js";
export {
  assertReplaceable,
  checkFolderName,
  type ExistingOutput,
  inspectOutput,
  OutputError,
  outputError,
  type ReplaceOpts,
  removeStaleTemps,
  resultsPath,
} from "./output-dir.js";
export {
  type OutputFile,
  type PutFile,
  type RunFiles,
  replaceDir,
  stableJson,
  writeAtomically,
  writeRunFolder,
} from "./results-writer.js";
