package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/compoundwatch/compoundwatch/alerts"
	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/pipeline"
)

// noisyPerDay is the default number of alerts a day above which
// `alerts show` calls a subscription noisy and suggests a digest.
const noisyPerDay = 50

func (a *app) alertsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "Follow entities and saved searches: be told of every new mention once",
	}
	cmd.AddCommand(a.alertsAddCmd(), a.alertsListCmd(), a.alertsShowCmd(), a.alertsRmCmd(), a.alertsTestCmd())
	return cmd
}

func (a *app) webhookAllow() ([]netip.Prefix, error) { return a.cfg.WebhookAllowPrefixes() }

// withAlerts opens the bus and the alert store.
func (a *app) withAlerts(ctx context.Context, f func(*bus.Bus, *alerts.Store) error) error {
	return a.withBus(ctx, func(b *bus.Bus) error {
		st, err := alerts.OpenStore(ctx, b)
		if err != nil {
			return err
		}
		return f(b, st)
	})
}

// validator checks subscriptions with the gazetteer and webhook_allow.
func (a *app) validator() (alerts.Validator, error) {
	g, err := a.gazetteer()
	if err != nil {
		return alerts.Validator{}, err
	}
	allow, err := a.webhookAllow()
	if err != nil {
		return alerts.Validator{}, err
	}
	return alerts.Validator{Gazetteer: g, Allow: allow}, nil
}

// cliFieldError names a subscription field as its flag.
func cliFieldError(err error) error {
	var fe *alerts.FieldError
	if errors.As(err, &fe) {
		fe.Field = "--" + fe.Field
		return fe
	}
	return err
}

func (a *app) alertsAddCmd() *cobra.Command {
	var (
		s      alerts.Spec
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "add [flags]",
		Short: "Subscribe to entities and/or a saved search; prints the subscription's id",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, err := a.validator()
			if err != nil {
				return err
			}
			sub, err := v.New(s)
			if err != nil {
				return cliFieldError(err)
			}
			return a.withAlerts(cmd.Context(), func(_ *bus.Bus, st *alerts.Store) error {
				if err := st.Add(cmd.Context(), sub); err != nil {
					return err
				}
				if asJSON {
					return json.NewEncoder(a.stdout).Encode(redacted(sub))
				}
				fmt.Fprintln(a.stdout, sub.ID)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&s.Entities, "entity", nil, "entity to follow: gazetteer id, name or alias in any script (repeatable)")
	f.StringVar(&s.Query, "query", "", "saved search: words as for `compoundwatch search`")
	f.StringArrayVar(&s.Provinces, "province", nil, "saved search filter: province (repeatable)")
	f.StringArrayVar(&s.Compounds, "compound", nil, "saved search filter: compound (repeatable)")
	f.StringArrayVar(&s.Tycoons, "tycoon", nil, "saved search filter: tycoon (repeatable)")
	f.StringArrayVar(&s.Outlets, "outlet", nil, "saved search filter: outlet (repeatable)")
	f.StringVar(&s.Webhook, "webhook", "", "Standard Webhooks endpoint URL")
	f.StringVar(&s.Secret, "secret", "", "webhook signing secret: whsec_ + base64 of 24-64 random bytes")
	f.BoolVar(&s.Atom, "atom", false, "publish an Atom feed")
	f.BoolVar(&s.NATS, "nats", false, "note that a program consumes cw.alerts.<id> (every alert is published there)")
	f.StringVar(&s.Digest, "digest", "", "send one digest per period instead of each alert: hourly, daily or weekly")
	f.StringVar(&s.Note, "note", "", "why you follow this (sent with each alert)")
	f.StringVar(&s.Backfill, "backfill", "", "also send, once and marked backfill, archived stories published since this date (YYYY-MM-DD)")
	f.BoolVar(&asJSON, "json", false, "print the subscription as JSON")
	return cmd
}

// redacted hides the webhook secret in what is printed.
func redacted(sub *alerts.Subscription) *alerts.Subscription {
	c := *sub
	if wh := c.Channels.Webhook; wh != nil {
		w := *wh
		w.Secret = "whsec_…"
		c.Channels.Webhook = &w
	}
	return &c
}

func channels(sub *alerts.Subscription) string {
	var cs []string
	if wh := sub.Channels.Webhook; wh != nil {
		s := "webhook " + wh.URL
		if wh.Disabled {
			s += " (disabled: " + wh.DisabledReason + ")"
		}
		cs = append(cs, s)
	}
	if sub.Channels.Atom {
		cs = append(cs, "atom")
	}
	if sub.Channels.NATS {
		cs = append(cs, "nats "+bus.AlertSubject(sub.ID))
	}
	if sub.Digest != "" {
		cs = append(cs, sub.Digest+" digest")
	}
	return strings.Join(cs, ", ")
}

func follows(sub *alerts.Subscription) string {
	var parts []string
	for _, e := range sub.Entities {
		parts = append(parts, e.Name+" ("+e.ID+")")
	}
	if sub.Query != nil {
		parts = append(parts, "query "+sub.Query.String())
	}
	return strings.Join(parts, "; ")
}

func (a *app) alertsListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List subscriptions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withAlerts(cmd.Context(), func(_ *bus.Bus, st *alerts.Store) error {
				subs, err := st.List(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					enc := json.NewEncoder(a.stdout)
					for _, s := range subs {
						if err := enc.Encode(redacted(s)); err != nil {
							return err
						}
					}
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tCREATED\tFOLLOWS\tCHANNELS\tNOTE")
				for _, s := range subs {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Created.Format(time.DateOnly), follows(s), channels(s), s.Note)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per subscription")
	return cmd
}

// feedPath is the Atom feed's path on the web server.
func feedPath(sub *alerts.Subscription) string {
	return "/alerts/" + sub.ID + "/feed.atom?token=" + sub.FeedToken
}

func (a *app) alertsShowCmd() *cobra.Command {
	var (
		asJSON bool
		noisy  int
	)
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a subscription: channels, last deliveries, failures, dead letters",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withAlerts(ctx, func(_ *bus.Bus, st *alerts.Store) error {
				sub, err := st.Get(ctx, args[0])
				if err != nil {
					return err
				}
				status, err := st.Status(ctx, sub.ID)
				if err != nil {
					return err
				}
				noisyDays := status.Noisy(noisy)
				if asJSON {
					return json.NewEncoder(a.stdout).Encode(struct {
						*alerts.Subscription
						Feed   string        `json:"feed,omitempty"`
						Status alerts.Status `json:"status"`
						Noisy  []string      `json:"noisy_days,omitempty"`
					}{redacted(sub), feedPath(sub), status, noisyDays})
				}
				w := a.stdout
				fmt.Fprintf(w, "id:        %s\ncreated:   %s\nfollows:   %s\nchannels:  %s\n", sub.ID, sub.Created.Format(time.RFC3339), follows(sub), channels(sub))
				if sub.Note != "" {
					fmt.Fprintf(w, "note:      %s\n", sub.Note)
				}
				if sub.Channels.Atom {
					fmt.Fprintf(w, "feed:      %s%s\n", a.webBase(), feedPath(sub))
				}
				fmt.Fprintf(w, "failures:  %d\n", status.Failures)
				if status.LastError != "" {
					fmt.Fprintf(w, "last error: %s (%s)\n", status.LastError, status.LastErrAt.Format(time.RFC3339))
				}
				if len(noisyDays) > 0 {
					fmt.Fprintf(w, "noisy:     more than %d alerts a day on %s; consider --digest daily\n", noisy, strings.Join(noisyDays, ", "))
				}
				for _, d := range status.Deliveries {
					fmt.Fprintf(w, "delivered: %s %s %s after %d attempt(s), HTTP %d\n", d.At.Format(time.RFC3339), d.Kind, d.Key, d.Attempts, d.Status)
				}
				for _, d := range status.Dead {
					fmt.Fprintf(w, "dead letter: %s %s %s after %d attempt(s): %s\n", d.At.Format(time.RFC3339), d.Kind, d.Key, d.Attempts, d.Error)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	cmd.Flags().IntVar(&noisy, "noisy", noisyPerDay, "report days with more than this many alerts")
	return cmd
}

// webBase is the running web server's address, when one runs on the
// data dir, for printing full feed URLs.
func (a *app) webBase() string {
	raw, err := os.ReadFile(a.webURLFile())
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(raw))
}

func (a *app) alertsRmCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a subscription",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAlerts(cmd.Context(), func(_ *bus.Bus, st *alerts.Store) error {
				if err := st.Remove(cmd.Context(), args[0]); err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, "removed", args[0])
				return nil
			})
		},
	}
}

func (a *app) alertsTestCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "test ID",
		Short: "Send a clearly marked test alert through every channel of a subscription",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			allow, err := a.webhookAllow()
			if err != nil {
				return err
			}
			return a.withAlerts(ctx, func(b *bus.Bus, st *alerts.Store) error {
				sub, err := st.Get(ctx, args[0])
				if err != nil {
					return err
				}
				now := time.Now().UTC()
				al := alerts.TestAlert(sub, now)
				if err := alerts.Publish(ctx, b, al); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "test alert %s published on %s (Atom feed, NATS)\n", al.DeliveryKey, bus.AlertSubject(sub.ID))
				if wh := sub.Channels.Webhook; wh != nil {
					body, _ := json.Marshal(al)
					o := alerts.Send(ctx, alerts.NewGuard(allow).Client(nil, 10*time.Second), wh, al.DeliveryKey, body, now)
					if o.Err != nil {
						return fmt.Errorf("test alert to webhook: %w", o.Err)
					}
					fmt.Fprintf(a.stdout, "webhook %s answered HTTP %d\n", wh.URL, o.Status)
				}
				return nil
			})
		},
	}
}

func (a *app) alertWorkerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "alert-worker",
		Short: "Run the alerts stage alone: match subscriptions, deliver webhooks, make digests",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withBus(cmd.Context(), func(b *bus.Bus) error {
				stages, err := a.alertStages(b)
				if err != nil {
					return err
				}
				return pipeline.Run(cmd.Context(), stages...)
			})
		},
	}
}

// alertStages returns the alerts stages: matching, and webhook delivery
// with digests.
func (a *app) alertStages(b *bus.Bus) ([]pipeline.Stage, error) {
	aliases, err := a.aliases()
	if err != nil {
		return nil, err
	}
	allow, err := a.webhookAllow()
	if err != nil {
		return nil, err
	}
	w, err := alerts.NewWorker(b, aliases, a.log)
	if err != nil {
		return nil, err
	}
	d, err := alerts.NewDeliverer(b, alerts.DeliverOptions{Allow: allow, FeedURL: func(s *alerts.Subscription) string {
		return a.webBase() + feedPath(s)
	}, Observe: a.metrics.AlertDelivery}, a.log)
	if err != nil {
		return nil, err
	}
	return []pipeline.Stage{w, d}, nil
}
