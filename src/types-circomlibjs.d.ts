declare module "circomlibjs" {
  interface PoseidonField {
    toObject(x: Uint8Array): bigint;
    e(x: bigint | number | string): Uint8Array;
  }
  interface PoseidonFn {
    (inputs: readonly (bigint | number)[]): Uint8Array;
    F: PoseidonField;
  }
  export function buildPoseidon(): Promise<PoseidonFn>;
  export function buildPoseidonReference(): Promise<PoseidonFn>;
}
