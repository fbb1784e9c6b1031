/**
 * Heavy cases are wrapped in `describeFull`: they run only with ZKMIPS_FULL=1, and their
 * titles start with "[full]" so that `.ci/run` can run just them in a second pass
 * (`hardhat test mocha --grep "\[full\]"`) while time allows.
 */
export const FULL = process.env.ZKMIPS_FULL === "1";

export function describeFull(title: string, body: (this: Mocha.Suite) => void): Mocha.Suite | void {
  return FULL ? describe(`[full] ${title}`, body) : describe.skip(`[full] ${title}`, body);
}
