pragma circom 2.1.0;

// Test circuit with one public signal (an output): out = x^3 + x + 5.
template OneOutput() {
    signal input x;
    signal output out;
    signal x2;
    x2 <== x * x;
    out <== x2 * x + x + 5;
}

component main = OneOutput();
