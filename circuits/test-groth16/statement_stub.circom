pragma circom 2.1.0;

// Stand-in for the STARK wrap circuit with the same statement shape: exactly two public inputs,
// in the order [programVKey, publicValuesDigest], where publicValuesDigest is
// sha256(publicValues) & (2^253 - 1). A proof exists for any pair of public inputs (the
// private k and the products only make the prover do real work), so contract tests can prove
// arbitrary statements with the committed test key. It proves nothing about any program.
template StatementStub() {
    signal input programVKey;
    signal input publicValuesDigest;
    signal input k;
    signal t;
    signal u;
    signal v;
    t <== k * programVKey;
    u <== t * publicValuesDigest;
    v <== u * k;
}

component main {public [programVKey, publicValuesDigest]} = StatementStub();
