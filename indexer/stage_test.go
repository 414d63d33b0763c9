package indexer

import (
	"context"
	"testing"
	"time"

	"github.com/compoundwatch/compoundwatch/metrics"
	"github.com/compoundwatch/compoundwatch/search"
)

// TestStageLinger: a backend that asks for a longer linger gets it, also
// through the metrics wrapper; others get the default.
func TestStageLinger(t *testing.T) {
	long := lingering{time.Second}
	for _, tt := range []struct {
		name    string
		backend search.Backend
		want    time.Duration
	}{
		{"plain", lingering{0}, Linger},
		{"asks for a second", long, time.Second},
		{"asks for less than the default", lingering{time.Millisecond}, Linger},
		{"through metrics", metrics.New().Backend(long), time.Second},
	} {
		if got := stage(tt.backend).Linger; got != tt.want {
			t.Errorf("%s: linger %v, want %v", tt.name, got, tt.want)
		}
	}
}

type lingering struct{ d time.Duration }

func (l lingering) Linger() time.Duration                                          { return l.d }
func (lingering) Upsert(context.Context, []search.Doc) ([]search.Rejection, error) { return nil, nil }
func (lingering) Delete(context.Context, ...string) error                          { return nil }
func (lingering) Get(context.Context, string) (search.Doc, error)                  { return search.Doc{}, nil }
func (lingering) Search(context.Context, search.Query) (*search.Result, error)     { return nil, nil }
func (lingering) Count(context.Context) (int, error)                               { return 0, nil }
func (lingering) Close() error                                                     { return nil }
