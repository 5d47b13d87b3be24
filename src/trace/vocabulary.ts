// The trace's event vocabulary: every `ev` name a trace line can carry, with its group, and the drop
// reasons. docs/results.md (trace.jsonl) documents each name and its fields; test/trace checks that
// the documentation lists exactly these.

/** Event names in a fixed order: the code of an event is its index here (trace.html embeds codes). */
export const EVENT_NAMES = [
  // messages (the network and the hosts)
  "send",
  "deliver",
  "drop",
  // nodes and the network
  "fault_plan",
  "crash",
  "recover",
  "partition_start",
  "partition_heal",
  "timer",
  // replicas (their observations)
  "prepared",
  "committed",
  "execute",
  "checkpoint",
  "checkpoint_stable",
  "view_change",
  "new_view",
  "state_transfer_start",
  "state_transfer_end",
  "body_fetched",
  "equivocation",
  "alarm",
  // clients
  "submit",
  "retransmit",
  "accept",
  // the PoT economy (model pot)
  "prepay",
  "report_submit",
  "report_accept",
  "report_reject",
  "node_suspend",
  "node_restore",
  "reward_matured",
  // the checkers
  "violation",
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export const EV: { readonly [K in EventName]: number } = Object.fromEntries(EVENT_NAMES.map((n, i) => [n, i])) as {
  readonly [K in EventName]: number;
};

/** Events only a pot-model run has. */
export const ECONOMIC_EVENTS: readonly EventName[] = [
  "prepay",
  "report_submit",
  "report_accept",
  "report_reject",
  "node_suspend",
  "node_restore",
  "reward_matured",
];

/** Drop reasons by code: the network's four, then the receiving host's Byzantine input filter. */
export const DROP_REASON_NAMES = ["loss", "partition", "rule", "down", "byzantine"] as const;
export type DropReasonName = (typeof DROP_REASON_NAMES)[number];

export const isMessageEvent = (ev: number): boolean => ev <= EV.drop;
