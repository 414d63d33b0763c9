package indexer

import (
	"context"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/metrics"
	"github.com/compoundwatch/compoundwatch/search"
)

// TestStageBatching: a backend that asks for larger batches, a longer
// linger or partial batches held while one is in flight gets them, also
// through the metrics wrapper; others, and asks for a shorter linger, get
// the defaults.
func TestStageBatching(t *testing.T) {
	big := batching{want: search.Batching{Docs: 2000, Linger: time.Second, Queued: true}}
	for _, tt := range []struct {
		name    string
		backend search.Backend
		docs    int
		linger  time.Duration
		hold    bool
	}{
		{"asks nothing", batching{}, BatchSize, Linger, false},
		{"asks for more, longer, one at a time", big, 2000, time.Second, true},
		{"asks for a shorter linger", batching{want: search.Batching{Linger: time.Millisecond}}, BatchSize, Linger, false},
		{"asks for fewer documents", batching{want: search.Batching{Docs: 10}}, 10, Linger, false},
		{"through metrics", metrics.New().Backend(big), 2000, time.Second, true},
		{"plain backend through metrics", metrics.New().Backend(plain{}), BatchSize, Linger, false},
	} {
		st := stage(tt.backend)
		if st.Batch != tt.docs || st.Linger != tt.linger || st.HoldPartial != tt.hold {
			t.Errorf("%s: batch %d, linger %v, hold %v; want %d, %v, %v", tt.name, st.Batch, st.Linger, st.HoldPartial, tt.docs, tt.linger, tt.hold)
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
