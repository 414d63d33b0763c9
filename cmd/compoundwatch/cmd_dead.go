package main

import (
	"encoding/json"
	"fmt"
	"time"

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
				enc := json.NewEncoder(a.stdout)
				seen := 0
				err := bus.Replay(ctx, b, bus.StreamDead, "", 100, func(dls []bus.DeadLetter, _ int) error {
					for _, dl := range dls {
						seen++
						if asJSON {
							dl.Data = nil
							enc.Encode(dl)
							continue
						}
						fmt.Fprintf(a.stdout, "%s  %-9s %s\n    %s\n", dl.At.Format(time.DateTime), dl.Stage, dl.Subject, dl.Reason)
					}
					return nil
				}, func(subject string, err error) {
					seen++
					fmt.Fprintf(a.stderr, "unreadable dead letter on %s: %v\n", subject, err)
				})
				if err == nil && seen == 0 {
					fmt.Fprintln(a.stdout, "no dead letters")
				}
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per dead letter (without the payload)")
	return cmd
}
