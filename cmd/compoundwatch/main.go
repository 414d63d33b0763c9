// Command compoundwatch follows the online-scam compound industry in news
// and NGO reporting: it crawls sources, tags compounds, tycoons, provinces,
// figures and events, and makes them searchable.
//
// Every stage is a subcommand, so each can run as its own process (and
// scale as replicas on a NATS cluster); `run` runs them all in one.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(Main())
}

// Main runs the command line and returns the exit code; testscript calls
// it in-process.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot(os.Stdout, os.Stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		if !errors.Is(err, errSilent) {
			fmt.Fprintln(os.Stderr, "compoundwatch:", err)
		}
		return 1
	}
	return 0
}

// errSilent is returned by commands that already reported their failure.
var errSilent = errors.New("failed")
