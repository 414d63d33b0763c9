package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// serveCmd is replaced by the web package's command.
func (a *app) serveCmd() *cobra.Command {
	return &cobra.Command{Use: "serve", Short: "Serve the search page and API", RunE: func(*cobra.Command, []string) error {
		return errors.New("not built yet")
	}}
}
