// The simulation models a scenario can select with `model:`.
// May import: nothing.

export const MODELS = ["phold", "pbft", "pot"] as const;
export type Model = (typeof MODELS)[number];
