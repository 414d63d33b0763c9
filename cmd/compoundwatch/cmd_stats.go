package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
)

// stats is the state of the pipeline at one moment.
type stats struct {
	Raw        uint64 `json:"raw"`
	Tagged     uint64 `json:"tagged"`
	Mentions   uint64 `json:"mentions"`
	Dead       uint64 `json:"dead"`
	ToExtract  uint64 `json:"to_extract"`
	ToIndex    uint64 `json:"to_index"`
	Indexed    int    `json:"indexed"`
	IndexError string `json:"index_error,omitempty"`
}

func (a *app) statsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Show how many documents each stream, stage and the index hold",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withBus(ctx, func(b *bus.Bus) error {
				bs, err := b.Stats(ctx)
				if err != nil {
					return err
				}
				raw, tagged := bs.Stream(bus.StreamRaw), bs.Stream(bus.StreamTagged)
				st := stats{Raw: raw.Messages, Tagged: tagged.Messages,
					Mentions: bs.Stream(bus.StreamMentions).Messages, Dead: bs.Stream(bus.StreamDead).Messages,
					// A stage that never ran has no consumer yet: all is pending.
					ToExtract: raw.Messages, ToIndex: tagged.Messages}
				if c, ok := raw.Consumer(bus.ConsumerExtractor); ok {
					st.ToExtract = c.Backlog()
				}
				if c, ok := tagged.Consumer(bus.ConsumerIndexer); ok {
					st.ToIndex = c.Backlog()
				}
				if backend, err := a.openBackend(ctx); err != nil {
					st.IndexError = err.Error()
				} else {
					st.Indexed, err = backend.Count(ctx)
					if err != nil {
						st.IndexError = err.Error()
					}
					backend.Close()
				}
				if asJSON {
					return json.NewEncoder(a.stdout).Encode(st)
				}
				fmt.Fprintf(a.stdout, "raw documents      %d (%d to extract)\n", st.Raw, st.ToExtract)
				fmt.Fprintf(a.stdout, "tagged documents   %d (%d to index)\n", st.Tagged, st.ToIndex)
				fmt.Fprintf(a.stdout, "mention events     %d\n", st.Mentions)
				fmt.Fprintf(a.stdout, "dead letters       %d\n", st.Dead)
				if st.IndexError != "" {
					fmt.Fprintf(a.stdout, "search index       unavailable: %s\n", st.IndexError)
				} else {
					fmt.Fprintf(a.stdout, "search index       %d documents\n", st.Indexed)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}
