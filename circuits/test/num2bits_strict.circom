pragma circom 2.0.0;
include "circomlib/circuits/bitify.circom";
// Cross-check of the builder's num2bitsStrict: circomlib Num2Bits_strict (AliasCheck).
component main = Num2Bits_strict();
