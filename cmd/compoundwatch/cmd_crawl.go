package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// crawlCmd is replaced by the crawler's command.
func (a *app) crawlCmd() *cobra.Command {
	return &cobra.Command{Use: "crawl", Short: "Crawl the configured sources", RunE: func(*cobra.Command, []string) error {
		return errors.New("not built yet")
	}}
}
