pragma circom 2.1.0;

// Benchmark circuit: a chain of n multiplications s[i+1] = s[i]^2 + i, with the seed and the
// final value public (two public signals). Instantiated per size by bench/wrap.ts.
template Chain(n) {
    signal input seed;
    signal output last;
    signal s[n + 1];
    s[0] <== seed;
    for (var i = 0; i < n; i++) {
        s[i + 1] <== s[i] * s[i] + i;
    }
    last <== s[n];
}
