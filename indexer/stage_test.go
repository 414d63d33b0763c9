package indexer

import (
	"context"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/metrics"
	"github.com/compoundwatch/compoundwatch/search"
	"github.com/compoundwatch/compoundwatch/search/embedded"
)

// TestStageBatching: a backend that asks for larger batches, another
// linger (and lingering on while a batch grows), partial batches held
// while one is in flight, fewer batches in flight or batches decoded on
// handover gets them, also through the metrics wrapper; others get the
// defaults.
func TestStageBatching(t *testing.T) {
	big := batching{want: search.Batching{Docs: 2000, Linger: time.Second, LingerMax: 5 * time.Second, Queued: true, InFlight: 2}}
	x, err := embedded.Open(t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, tt := range []struct {
		name    string
		backend search.Backend
		docs    int
		linger  time.Duration
		most    time.Duration
		hold    bool
		flight  int
		decode  bool // on handover
	}{
		{"asks nothing", batching{}, BatchSize, Linger, 0, false, InFlight, false},
		{"asks for more, longer, one at a time", big, 2000, time.Second, 5 * time.Second, true, 2, false},
		{"asks for a shorter linger", batching{want: search.Batching{Linger: time.Millisecond}}, BatchSize, time.Millisecond, 0, false, InFlight, false},
		{"asks for fewer documents", batching{want: search.Batching{Docs: 10}}, 10, Linger, 0, false, InFlight, false},
		{"through metrics", metrics.New().Backend(big), 2000, time.Second, 5 * time.Second, true, 2, false},
		{"plain backend through metrics", metrics.New().Backend(plain{}), BatchSize, Linger, 0, false, InFlight, false},
		{"embedded index: two batches of 250, lingering while they grow, decoded on handover", metrics.New().Backend(x), 250, 100 * time.Millisecond, 300 * time.Millisecond, false, 2, true},
	} {
		st := stage(tt.backend)
		if st.Batch != tt.docs || st.Linger != tt.linger || st.LingerMax != tt.most || st.HoldPartial != tt.hold || st.InFlight != tt.flight || st.DecodeOnHandover != tt.decode {
			t.Errorf("%s: batch %d, linger %v up to %v, hold %v, in flight %d, decoded on handover %v; want %d, %v, %v, %v, %d, %v", tt.name,
				st.Batch, st.Linger, st.LingerMax, st.HoldPartial, st.InFlight, st.DecodeOnHandover, tt.docs, tt.linger, tt.most, tt.hold, tt.flight, tt.decode)
		}
	}
}

type batching struct {
	plain
	want search.Batching
}

func (b batching) Batching() search.Batching { return b.want }

type plain struct{}

func (plain) Upsert(context.Context, []search.Doc) ([]search.Rejection, error) { return nil, nil }
func (plain) Delete(context.Context, ...string) error                          { return nil }
func (plain) Get(context.Context, string) (search.Doc, error)                  { return search.Doc{}, nil }
func (plain) Search(context.Context, search.Query) (*search.Result, error)     { return nil, nil }
func (plain) Count(context.Context) (int, error)                               { return 0, nil }
func (plain) Close() error                                                     { return nil }
