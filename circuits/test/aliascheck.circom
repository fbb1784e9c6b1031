pragma circom 2.0.0;
include "circomlib/circuits/aliascheck.circom";
// Cross-check of the builder's alias check: circomlib AliasCheck on 254 input bits.
component main = AliasCheck();
