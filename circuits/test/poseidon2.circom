pragma circom 2.0.0;
include "circomlib/circuits/poseidon.circom";
// Cross-check of the builder's poseidon: circomlib Poseidon(2).
component main = Poseidon(2);
