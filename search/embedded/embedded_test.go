package embedded_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

func open(t *testing.T) search.Backend {
	t.Helper()
	x, err := embedded.Open(filepath.Join(t.TempDir(), "index"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestBackend(t *testing.T) { searchtest.Run(t, open) }

func TestLockedAndReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	x, err := embedded.Open(dir, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	searchtest.Load(t, x, searchtest.Fixtures())

	_, err = embedded.Open(dir, embedded.Options{})
	if !errors.Is(err, search.ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name the index path", err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}

	y, err := embedded.Open(dir, embedded.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer y.Close()
	n, err := y.Count(t.Context())
	if err != nil || n != len(searchtest.Fixtures()) {
		t.Errorf("after reopen Count = %d, %v; want %d", n, err, len(searchtest.Fixtures()))
	}
}

func TestSynonyms(t *testing.T) {
	x, err := embedded.Open(filepath.Join(t.TempDir(), "index"), embedded.Options{Synonyms: searchtest.Synonyms()})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	searchtest.TestSynonyms(t, x)
}

// TestOldFormat opens an index written without the current fields (as by
// an older version): it must fail with ErrFormat, which the CLI answers
// by rebuilding, rather than sort and facet wrong.
func TestOldFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	old, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	if _, err := embedded.Open(dir, embedded.Options{}); !errors.Is(err, embedded.ErrFormat) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Open = %v, want ErrFormat naming %s", err, dir)
	}
}
