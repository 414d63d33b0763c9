package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	stdjson "encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/extractor"
	"github.com/compoundwatch/compoundwatch/gazetteer"
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

// TestEachInOrder: results come out in input order, at most window of
// them wait behind a slow input, and an error from emit stops the run.
func TestEachInOrder(t *testing.T) {
	tests := []struct {
		name            string
		workers, window int
		slow            int // index of the input that takes long
		failAt          int // emit fails at this index; -1 never
	}{
		{"slow first input", 4, 8, 0, -1},
		{"slow middle input", 2, 3, 50, -1},
		{"one worker", 1, 1, 10, -1},
		{"emit fails", 4, 8, 0, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inputs := make([]int, 200)
			for i := range inputs {
				inputs[i] = i
			}
			var mu sync.Mutex
			waiting, most := 0, 0
			var got []int
			err := eachInOrder(t.Context(), inputs, tt.workers, tt.window, func(ctx context.Context, i int) (int, error) {
				if i == tt.slow {
					time.Sleep(30 * time.Millisecond)
				}
				mu.Lock()
				waiting++
				most = max(most, waiting)
				mu.Unlock()
				return i * i, nil
			}, func(v int, err error) error {
				mu.Lock()
				waiting--
				mu.Unlock()
				if len(got) == tt.failAt {
					return errors.New("stop")
				}
				got = append(got, v)
				return err
			})
			want := len(inputs)
			if tt.failAt >= 0 {
				if err == nil || err.Error() != "stop" {
					t.Fatalf("err = %v, want emit's error", err)
				}
				want = tt.failAt
			} else if err != nil {
				t.Fatal(err)
			}
			if len(got) != want {
				t.Fatalf("emitted %d results, want %d", len(got), want)
			}
			for i, v := range got {
				if v != i*i {
					t.Fatalf("result %d is %d: out of order", i, v)
				}
			}
			if most > tt.window {
				t.Errorf("%d results waited at once, window is %d", most, tt.window)
			}
		})
	}
}

// TestExtractJSONLikeStdlib: extract writes its JSON with goccy/go-json
// and must write what encoding/json would, byte for byte, indented or
// not, also for the strings and numbers where encoders differ most:
// invalid UTF-8, control characters, line separators, HTML characters,
// large and small floats.
func TestExtractJSONLikeStdlib(t *testing.T) {
	odd := []string{"a\xffb", "\x00\x01\x1f", "line\u2028sep\u2029", "<script>&amp;\"'\\", "黄乐 ប៉ូលិស", "\xed\xa0\x80", ""}
	var results []extractor.Result
	for i, s := range odd {
		pub := s
		results = append(results, extractor.Result{Source: s, Title: s, Published: &pub,
			Entities: []document.Entity{{Type: s, ID: s, Name: s, Confidence: []float64{0, 1, 0.95, 1.0 / 3}[i%4],
				Mentions: []document.Mention{{Text: s, Start: i, End: i + len(s), Context: s + s}}}},
			Figures: []document.Figure{{Value: []float64{1e21, 1e20, 1e-6, 1e-7, 12.5, 150000, 1.5e9}[i], Unit: s, Text: s}}})
	}
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := extractor.New(g)
	for _, text := range repotest.Articles(t, 20) {
		raw := document.Raw{Source: "/a.txt", Title: "t", Text: text}
		raw.Finalize()
		results = append(results, extractor.Output(x.Extract(raw)))
	}
	for _, indent := range []string{"", "  "} {
		for i, r := range results {
			var want, got bytes.Buffer
			std := stdjson.NewEncoder(&want)
			std.SetEscapeHTML(false)
			std.SetIndent("", indent)
			fast := json.NewEncoder(&got)
			fast.SetEscapeHTML(false)
			fast.SetIndent("", indent)
			if err := std.Encode(r); err != nil {
				t.Fatal(err)
			}
			if err := fast.Encode(r); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("result %d (indent %q):\n got %.300s\nwant %.300s", i, indent, got.Bytes(), want.Bytes())
			}
		}
	}
}
