package bus

import "time"

// Outcomes of settling a message, as told to an Observer.
const (
	OutcomeOK         = "ok"
	OutcomeRetry      = "retry"
	OutcomeDead       = "dead"
	OutcomeSuperseded = "superseded"
)

// Observer is told what the shared publish and consume paths do, so that
// metrics count every stage the same way without a copy in each stage.
// Implementations must be safe for concurrent use and must not block.
type Observer interface {
	// Consumed: a stage fetched n messages.
	Consumed(stage string, n int)
	// Settled: one message was settled with an Outcome*.
	Settled(stage, outcome string)
	// Handled: one handler call took d for a batch of size items.
	Handled(stage string, size int, d time.Duration)
	// Published: one publish to stream ended with err (nil on success;
	// a refusal by the stream's limits is an error here).
	Published(stream string, err error)
}

type nopObserver struct{}

func (nopObserver) Consumed(string, int)               {}
func (nopObserver) Settled(string, string)             {}
func (nopObserver) Handled(string, int, time.Duration) {}
func (nopObserver) Published(string, error)            {}
