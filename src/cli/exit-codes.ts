// Process exit codes shared by every command.

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;
/** Stopped by Ctrl-C (128 + SIGINT): nothing written (`sim run`) or partial results kept (`sim sweep`). */
export const EXIT_INTERRUPTED = 130;

/** A usage or scenario problem: reported without a stack trace, exit code 2. */
export class UsageError extends Error {}
