/**
 * Public API of the STARK proof system (see docs/stark.md).
 */
export {
  AirBuilder,
  TableBuilder,
  type AirDefinition,
  type TableDef,
  type Interaction,
  type InteractionKind,
} from "./air.ts";
export {
  Expr,
  type ExprLike,
  type ExprNode,
  constant,
  sum,
  product,
  isFirstRow,
  isLastRow,
  isTransition,
  topoOrder,
} from "./expr.ts";
export {
  DEFAULT_OPTIONS,
  ONCHAIN_OPTIONS,
  PROFILES,
  type OptionsProfile,
  type ProfileName,
  profileByName,
  profileOfOptions,
  maxLogHeight,
  type ProofOptions,
  securityBits,
  validateOptions,
  MAX_LOG_HEIGHT,
} from "./options.ts";
export {
  setup,
  prove,
  type ProvingKey,
  type TableTrace,
  type ProveConfig,
  type ProveResult,
} from "./prover.ts";
export { verify, type VerifyConfig } from "./verifier.ts";
export { StarkVerifyError } from "./errors.ts";
export {
  decodeProof,
  encodeProof,
  openingLengths,
  profileOfProof,
  type StarkProof,
  type Section,
} from "./proof.ts";
export { nextColumns, type NextColumns } from "./next-columns.ts";
