pragma circom 2.0.0;
include "circomlib/circuits/bitify.circom";
// Cross-check of the builder's num2bits: circomlib Num2Bits(8).
component main {public [in]} = Num2Bits(8);
