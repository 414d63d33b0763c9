package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/internal/repotest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestExtractGolden holds `extract --json` to its recorded output, byte
// for byte: a speed change must change no result. The examples' output
// is kept whole; the shared corpus's only as a SHA-256, since its texts
// stay out of the repository. After a deliberate change of results, run
// with -update and review the diff of the examples' file.
func TestExtractGolden(t *testing.T) {
	tests := []struct {
		name, dir, golden string
		whole             bool
	}{
		{"examples", filepath.Join("..", "..", "examples"), "extract-examples.jsonl", true},
		{"shared corpus", filepath.Join("..", "..", "..", "shared", "corpus", "docs"), "extract-shared.sha256", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.whole {
				repotest.Shared(t, "corpus", "docs")
			}
			var stdout, stderr bytes.Buffer
			root := newRoot(&stdout, &stderr)
			root.SetArgs([]string{"extract", "--json", "--data", t.TempDir(), tt.dir})
			if err := root.ExecuteContext(t.Context()); err != nil {
				t.Fatalf("extract: %v\n%s", err, stderr.String())
			}
			got := stdout.Bytes()
			if !tt.whole {
				sum := sha256.Sum256(got)
				got = []byte(hex.EncodeToString(sum[:]) + "\n")
			}
			path := filepath.Join("testdata", tt.golden)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Fatalf("output differs from %s at line %d:\n got %.300s\nwant %.300s", path, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("output differs from %s: %d lines, want %d", path, len(gl), len(wl))
			}
		})
	}
}
