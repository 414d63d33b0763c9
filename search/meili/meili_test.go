package meili

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/meilisearch/meilisearch-go"

	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/searchtest"
)

// env returns the Meilisearch to test against, or skips the test.
func env(t testing.TB) (url, key string) {
	t.Helper()
	url, key = os.Getenv("MEILI_URL"), os.Getenv("MEILI_API_KEY")
	if url == "" {
		t.Skip("set MEILI_URL and MEILI_API_KEY to run against a real Meilisearch (see .ci/meili.sh)")
	}
	return url, key
}

// openFresh opens a new, uniquely named index and drops it when t ends.
func openFresh(t testing.TB, opts Options) *Index {
	t.Helper()
	url, key := env(t)
	name := "cwtest_" + rand.Text()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	x, err := Open(ctx, url, key, name, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := x.DeleteIndex(ctx); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
		x.Close()
	})
	return x
}

func TestBackend(t *testing.T) {
	env(t)
	searchtest.Run(t, func(t *testing.T) search.Backend { return openFresh(t, Options{}) })
}

// TestSplitBatch sends ids Meilisearch refuses (the pre-send check off),
// so the task fails on its documents: the batch must be split, the bad
// docs rejected with Meilisearch's reason and the others indexed.
func TestSplitBatch(t *testing.T) {
	x := openFresh(t, Options{})
	x.skipIDCheck = true
	var docs []search.Doc
	for i := range 37 {
		d := searchtest.Fixtures()[i%len(searchtest.Fixtures())]
		d.ID = fmt.Sprintf("doc-%02d", i)
		switch i {
		case 5:
			d.ID = "bad id 5"
		case 30:
			d.ID = "bad/id/30"
		}
		docs = append(docs, d)
	}
	rej, err := x.Upsert(t.Context(), docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 2 || rej[0].ID != "bad id 5" || rej[1].ID != "bad/id/30" {
		t.Fatalf("rejections %+v, want the two bad ids", rej)
	}
	if !strings.Contains(rej[0].Reason, "invalid_document_id") {
		t.Errorf("reason %q does not carry Meilisearch's error code", rej[0].Reason)
	}
	if n, err := x.Count(t.Context()); err != nil || n != 35 {
		t.Errorf("Count = %d, %v; want 35", n, err)
	}
}

// TestBatchLimits checks that batches are cut by count and by bytes.
func TestBatchLimits(t *testing.T) {
	x := openFresh(t, Options{MaxBatchDocs: 7, MaxBatchBytes: 4096})
	var docs []search.Doc
	for i := range 50 {
		d := searchtest.Fixtures()[i%len(searchtest.Fixtures())]
		d.ID = fmt.Sprintf("doc-%02d", i)
		docs = append(docs, d)
	}
	huge := docs[0]
	huge.ID, huge.Text = "huge", strings.Repeat("word ", 2000)
	docs = append(docs, huge)
	rej, err := x.Upsert(t.Context(), docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 1 || rej[0].ID != "huge" {
		t.Errorf("rejections %+v, want only the doc larger than a batch", rej)
	}
	if n, err := x.Count(t.Context()); err != nil || n != 50 {
		t.Errorf("Count = %d, %v; want 50", n, err)
	}
}

func TestSettingsIdempotent(t *testing.T) {
	syn := map[string][]string{"Huang Le": {"Majestic 2", "黄乐"}}
	x := openFresh(t, Options{Synonyms: syn})
	url, key := env(t)
	ctx := t.Context()
	cur, err := x.ix.GetSettingsWithContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := cur.Synonyms["majestic 2"]; len(got) != 2 {
		t.Errorf("synonyms of majestic 2 = %v, want huang le and 黄乐", got)
	}
	if cur.TypoTolerance.MinWordSizeForTypos.OneTypo != 5 || cur.TypoTolerance.MinWordSizeForTypos.TwoTypos != 9 || !cur.TypoTolerance.DisableOnNumbers {
		t.Errorf("typo tolerance %+v", cur.TypoTolerance)
	}
	if cur.FacetSearch {
		t.Error("facet search is on in the documents index")
	}
	ev, err := x.eventsIndex().GetSettingsWithContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ev.FacetSearch || ev.ProximityPrecision != meilisearch.ByAttribute {
		t.Errorf("events index: facet search %v, proximity precision %q; want off, byAttribute", ev.FacetSearch, ev.ProximityPrecision)
	}
	tasks := func() int64 {
		r, err := x.cl.GetTasksWithContext(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r.Total
	}
	before := tasks()
	y, err := Open(ctx, url, key, x.uid, Options{Synonyms: syn})
	if err != nil {
		t.Fatal(err)
	}
	y.Close()
	if after := tasks(); after != before {
		t.Errorf("reopening with the same settings enqueued %d tasks", after-before)
	}
	// Dropping the synonyms really clears them (Settings fields are omitempty).
	z, err := Open(ctx, url, key, x.uid, Options{})
	if err != nil {
		t.Fatal(err)
	}
	z.Close()
	if cur, err = x.ix.GetSettingsWithContext(ctx); err != nil || len(cur.Synonyms) != 0 {
		t.Errorf("synonyms after reopening without = %v, %v", cur.Synonyms, err)
	}
}

// TestWireSig: the events index holds signatures as base64 strings and
// still reads the arrays of numbers of indexes written before.
func TestWireSig(t *testing.T) {
	sig := wireSig{0, 1, 0xdeadbeef, math.MaxUint32}
	tests := []struct {
		name, json string
		want       wireSig
		bad        bool
	}{
		{"string", "", sig, false},
		{"array, as written before", "[0,1,3735928559,4294967295]", sig, false},
		{"empty array", "[]", wireSig{}, false},
		{"not base64", `"!!"`, nil, true},
		{"not whole words", `"AAE"`, nil, true},
		{"a number", "7", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.json)
			if tt.name == "string" {
				var err error
				if data, err = json.Marshal(wireEvent{Sig: sig}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(data, []byte(`"sig":"AAAAAAEAAADvvq3e/////w"`)) {
					t.Fatalf("encoded %s, want the signature as one base64 string", data)
				}
				data = data[bytes.Index(data, []byte(`"sig":`))+6 : len(data)-1]
			}
			var got wireSig
			err := json.Unmarshal(data, &got)
			if (err != nil) != tt.bad || !tt.bad && !slices.Equal(got, tt.want) {
				t.Errorf("decode %s = %v, %v; want %v (error: %v)", data, got, err, tt.want, tt.bad)
			}
		})
	}
}

func TestSynonymsSearch(t *testing.T) {
	searchtest.TestSynonyms(t, openFresh(t, Options{Synonyms: searchtest.Synonyms()}))
}

func TestSearchKey(t *testing.T) {
	x := openFresh(t, Options{})
	searchtest.Load(t, x, searchtest.Fixtures())
	ctx := t.Context()
	k1, err := x.SearchKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := x.SearchKey(ctx)
	if err != nil || k1 != k2 {
		t.Fatalf("second SearchKey = %q, %v; want the same key %q", k2, err, k1)
	}
	url, master := env(t)
	if k1 == master {
		t.Fatal("search key is the master key")
	}
	// The search key can search but not write or read settings.
	ro, err := Open(ctx, url, k1, x.uid, Options{RetryBudget: time.Second})
	if err == nil {
		ro.Close()
		t.Fatal("Open with the search key succeeded; it must not be able to read settings")
	}
	ro2 := Connect(url, k1, x.uid, Options{RetryBudget: time.Second})
	defer ro2.Close()
	r, err := ro2.Search(ctx, search.Query{Text: "Huang Le"})
	if err != nil || len(r.Hits) != 4 {
		t.Fatalf("search with the search key: %v, %v", r, err)
	}
	if _, err := ro2.Upsert(ctx, searchtest.Fixtures()[:1]); err == nil {
		t.Error("upsert with the search key succeeded")
	}
	// A tenant token restricted by a filter.
	tok, err := x.TenantToken(ctx, `outlet = "coastpost"`, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tt := Connect(url, tok, x.uid, Options{RetryBudget: time.Second})
	defer tt.Close()
	r, err = tt.Search(ctx, search.Query{})
	if err != nil || r.Total != 2 {
		t.Fatalf("search with the tenant token: total %v, %v; want the 2 coastpost docs", r, err)
	}
}
