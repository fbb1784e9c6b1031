pragma circom 2.0.0;
include "circomlib/circuits/comparators.circom";
// Cross-check of the builder's lessThan: circomlib LessThan(16).
component main = LessThan(16);
