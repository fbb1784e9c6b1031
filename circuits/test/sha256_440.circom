pragma circom 2.0.0;
include "circomlib/circuits/sha256/sha256.circom";
// Cross-check of the builder's sha256: circomlib Sha256 over a fixed 55-byte (one-block) message.
component main = Sha256(440);
