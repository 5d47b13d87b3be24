// sha256 as lowercase hex: tx_data, the BLS model, reward blocks, the history and state digests.

import crypto from "node:crypto";

/**
 * sha256 as lowercase hex (UTF-8 for text). Node ≥ 20.12's one-shot crypto.hash costs a third of
 * createHash().update().digest() for the short inputs hashed per report; older Nodes take the latter.
 */
export const sha256Hex: (data: string | Uint8Array) => string =
  typeof crypto.hash === "function"
    ? (data) => crypto.hash("sha256", data, "hex")
    : (data) => crypto.createHash("sha256").update(data).digest("hex");
