package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/bus"
)

func (a *app) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the declared stream and bucket settings exactly, lowering replicas and limits that are higher",
		Long: `Every compoundwatch process creates missing streams and buckets and raises
settings that are lower than declared, but never lowers replicas or
retention limits that a cluster already has: a process started without
COMPOUNDWATCH_REPLICAS must not turn an R3 cluster into R1. Migrate is the
one explicit step that applies the declared settings (with the configured
replicas) as they are.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			b, err := bus.Open(ctx, bus.Options{URL: a.cfg.NATSURL, DataDir: a.cfg.DataDir,
				Replicas: a.cfg.Replicas, Migrate: true, Logger: a.log})
			if err != nil {
				return err
			}
			defer b.Close()
			st, err := b.Stats(ctx)
			if err != nil {
				return err
			}
			for _, s := range st.Streams {
				fmt.Fprintf(a.stdout, "%-12s replicas %d\n", s.Name, s.Replicas)
			}
			return nil
		},
	}
}
