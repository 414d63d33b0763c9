// Command gen writes config/gazetteer.yaml from the reference facts.
//
//	go run ./gazetteer/internal/gen -ref ../shared/reference -out config/gazetteer.yaml
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/compoundwatch/compoundwatch/gazetteer/internal/refgen"
)

func main() {
	ref := flag.String("ref", "../shared/reference", "reference directory (compounds.yaml, provinces.yaml, tycoons.yaml)")
	out := flag.String("out", "config/gazetteer.yaml", "output file")
	flag.Parse()
	data, err := refgen.Generate(*ref)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
