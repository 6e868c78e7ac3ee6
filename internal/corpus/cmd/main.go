// Command corpus writes a generated C# Lambda corpus: go run ./internal/corpus/cmd -n 10000 -o DIR
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/lmilint/lmilint/internal/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of .cs files")
	out := flag.String("o", "corpus", "output directory")
	seed := flag.Int64("seed", 1, "random seed (the same seed gives the same files)")
	flag.Parse()
	files, bytes, err := corpus.Generate(*out, *n, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d files, %d bytes in %s\n", files, bytes, *out)
}
