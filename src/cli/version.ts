// The package version, from the sweep module's lookup of potsim's own package.json (works from
// dist/ and from src/ under the test runner).

export { packageRoot, potsimVersion as version } from "../sweep/version.js";
