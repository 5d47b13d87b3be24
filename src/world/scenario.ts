// The worlds' view of a resolved scenario. Every type here is derived from the scenario schema's
// inferred type (scenario/ResolvedScenario), never copied: renaming a key, changing its type or
// making it optional is a compile error wherever a world reads it.
// May import: scenario (types only).

import type { ResolvedScenario } from "../scenario/index.js";

/** A resolved scenario as the run pipeline takes it (a sweep block, if any, is not the world's business). */
export type RunnableScenario = Omit<ResolvedScenario, "sweep">;

export type NetworkSection = RunnableScenario["network"];
export type CheckSection = RunnableScenario["check"];
export type PholdSection = RunnableScenario["phold"];
export type PbftSection = NonNullable<RunnableScenario["pbft"]>;
export type EconomicsSection = NonNullable<RunnableScenario["economics"]>;
export type TrafficSection = NonNullable<RunnableScenario["traffic"]>;
export type AttacksSection = NonNullable<RunnableScenario["attacks"]>;
export type CoalitionSpec = AttacksSection["coalitions"][number];
export type SybilSpec = AttacksSection["sybils"][number];
export type OfflineSpec = AttacksSection["offline"][number];
