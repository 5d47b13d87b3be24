// The scenario's sections. Each export becomes a top-level key of the same name.
// To add a section: write `sections/<name>.ts` exporting `defineSection({...})`, then add
// one line here. May import: ./*.
export { attacks } from "./attacks.js";
export { check } from "./check.js";
export { economics } from "./economics.js";
export { network } from "./network.js";
export { pbft } from "./pbft.js";
export { phold } from "./phold.js";
export { sweep } from "./sweep.js";
export { traffic } from "./traffic.js";
export { tune } from "./tune.js";
