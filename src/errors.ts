/**
 * The one error type that reaches users: a clear message (what, where) and an optional hint
 * (what to do). The CLI prints it as one line; anything else is an internal bug and is
 * printed with its stack only under `--verbose`.
 */
export class ZkmipsError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "ZkmipsError";
  }
}
