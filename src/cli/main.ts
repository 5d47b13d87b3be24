#!/usr/bin/env node
// `sim` (also installed as `potsim`): the command-line entry. Owns the process: exit codes, and
// guards so that nothing ends in a raw stack trace — an exception or rejection that escapes a
// command (a worker's callback, a stream) is an internal error (one line, a crash report, exit 3),
// and a closed stdout (`sim … | head`) ends the command quietly.
// May import: everything.

import { basename } from "node:path";
import { reportInternalError } from "./crash.js";
import { EXIT_INTERNAL } from "./exit-codes.js";
import { followParent } from "./gc-respawn.js";
import { runCli } from "./program.js";

function installProcessGuards(): void {
  const fatal = (e: unknown) => {
    reportInternalError(e);
    process.exit(EXIT_INTERNAL);
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      fatal(e);
    });
  }
}

installProcessGuards();
followParent();
const name = basename(process.argv[1] ?? "sim").replace(/\.js$/, "") === "potsim" ? "potsim" : "sim";
runCli(process.argv, name).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = reportInternalError(e);
  },
);
