/**
 * Heavy cases live in `*.full.test.ts` files wrapped in `describeFull`: they run only with
 * ZKMIPS_FULL=1 (`.ci/run` runs them in a second pass while time allows).
 */
export const FULL = process.env.ZKMIPS_FULL === "1";

export const describeFull: Mocha.SuiteFunction | Mocha.PendingSuiteFunction = FULL ? describe : describe.skip;
