/**
 * The verifier's rejection: a ZkmipsError naming the failed check (e.g. "merkle-main",
 * "fri-fold", "ood-constraints", "logup-balance", "options", "format").
 */
import { ZkmipsError } from "../errors.ts";

export class StarkVerifyError extends ZkmipsError {
  constructor(
    readonly check: string,
    detail: string,
  ) {
    super(
      `STARK proof rejected (${check}): ${detail}`,
      "the proof does not match this program, statement or options",
    );
    this.name = "StarkVerifyError";
  }
}
