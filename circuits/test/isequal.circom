pragma circom 2.0.0;
include "circomlib/circuits/comparators.circom";
// Cross-check of the builder's isEqual: circomlib IsEqual.
component main = IsEqual();
