// Command hello is the Go guest of zkmips-bridge: it prints a few lines and the SHA-256 of
// its private input (fd 0), then exits 0. Build it with guests/go/build.sh.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	fmt.Println("hello from Go on MIPS")
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "read error:", err)
		os.Exit(1)
	}
	sum := sha256.Sum256(input)
	fmt.Printf("input: %d bytes\n", len(input))
	fmt.Printf("sha256(input) = %s\n", hex.EncodeToString(sum[:]))
	fixed := sha256.Sum256([]byte("zkmips-bridge"))
	fmt.Printf("sha256(\"zkmips-bridge\") = %s\n", hex.EncodeToString(fixed[:]))
	words := strings.Fields("the quick brown fox jumps over the lazy dog")
	m := map[string]int{}
	for _, w := range words {
		m[w]++
	}
	fmt.Printf("words: %d, distinct: %d, the=%d\n", len(words), len(m), m["the"])
}
