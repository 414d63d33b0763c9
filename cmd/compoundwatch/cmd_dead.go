package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
)

func (a *app) deadCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "dead",
		Short: "List dead-lettered messages: inputs a stage rejected, with the reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withBus(ctx, func(b *bus.Bus) error {
				s, err := b.JS.Stream(ctx, bus.StreamDead)
				if err != nil {
					return err
				}
				info, err := s.Info(ctx)
				if err != nil {
					return err
				}
				total := int(info.State.Msgs)
				if total == 0 {
					fmt.Fprintln(a.stdout, "no dead letters")
					return nil
				}
				c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
				if err != nil {
					return err
				}
				enc := json.NewEncoder(a.stdout)
				for seen := 0; seen < total; {
					msgs, err := c.Fetch(min(100, total-seen), jetstream.FetchMaxWait(2*time.Second))
					if err != nil {
						return err
					}
					got := 0
					for m := range msgs.Messages() {
						got++
						var dl bus.DeadLetter
						if err := b.Decode(ctx, m.Headers(), m.Data(), &dl); err != nil {
							fmt.Fprintf(a.stderr, "unreadable dead letter on %s: %v\n", m.Subject(), err)
							continue
						}
						if asJSON {
							dl.Data = nil
							enc.Encode(dl)
							continue
						}
						fmt.Fprintf(a.stdout, "%s  %-9s %s\n    %s\n", dl.At.Format(time.DateTime), dl.Stage, dl.Subject, dl.Reason)
					}
					seen += got
					if got == 0 {
						break
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per dead letter (without the payload)")
	return cmd
}
