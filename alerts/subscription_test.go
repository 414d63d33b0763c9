package alerts

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/gazetteer"
)

func testGazetteer(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func TestValidatorResolvesEntities(t *testing.T) {
	v := Validator{Gazetteer: testGazetteer(t)}
	for _, name := range []string{"黄乐", "Huang Le", "Majestic 2", "huang-le-majestic-two"} {
		sub, err := v.New(Spec{Entities: []string{name}, Atom: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(sub.Entities) != 1 || sub.Entities[0].ID != "huang-le-majestic-two" {
			t.Errorf("%s resolved to %+v, want huang-le-majestic-two", name, sub.Entities)
		}
		if !strings.HasPrefix(sub.ID, "sub_") || len(sub.FeedToken) != 32 {
			t.Errorf("id %q, feed token %q", sub.ID, sub.FeedToken)
		}
	}
}

// Each bad input is one line naming its field.
func TestValidatorErrors(t *testing.T) {
	v := Validator{Gazetteer: testGazetteer(t)}
	for _, tc := range []struct {
		name  string
		spec  Spec
		field string
		want  string
	}{
		{"unknown entity", Spec{Entities: []string{"Nowhere Casino Xyz"}, Atom: true}, "entity", "unknown entity"},
		{"unknown with candidates", Spec{Entities: []string{"majestic"}, Atom: true}, "entity", "candidates: huang-le-majestic-two"},
		{"ambiguous", Spec{Entities: []string{"Koh Thom"}, Atom: true}, "entity", "ambiguous; candidates:"},
		{"malformed URL", Spec{Entities: []string{"Huang Le"}, Webhook: "ht!tp://x y", Secret: testSecret}, "webhook", "must be an http or https URL"},
		{"no scheme", Spec{Entities: []string{"Huang Le"}, Webhook: "example.org/hook", Secret: testSecret}, "webhook", "must be an http or https URL"},
		{"loopback", Spec{Entities: []string{"Huang Le"}, Webhook: "http://127.0.0.1/hook", Secret: testSecret}, "webhook", "webhook_allow"},
		{"private v6", Spec{Entities: []string{"Huang Le"}, Webhook: "http://[fd00::1]/hook", Secret: testSecret}, "webhook", "special-purpose"},
		{"secret form", Spec{Entities: []string{"Huang Le"}, Webhook: "https://example.org/hook", Secret: "hunter2hunter2"}, "secret", "whsec_"},
		{"secret short", Spec{Entities: []string{"Huang Le"}, Webhook: "https://example.org/hook", Secret: "whsec_c2hvcnQ="}, "secret", "24 to 64"},
		{"query quotes", Spec{Query: `"forced labour`, Atom: true}, "query", "does not parse"},
		{"query province", Spec{Query: "raid", Provinces: []string{"Atlantis"}, Atom: true}, "province", "unknown province"},
		{"nothing followed", Spec{Atom: true}, "entity", "at least one entity"},
		{"no channel", Spec{Entities: []string{"Huang Le"}}, "channel", "at least one"},
		{"digest", Spec{Entities: []string{"Huang Le"}, Atom: true, Digest: "monthly"}, "digest", "hourly, daily or weekly"},
		{"backfill", Spec{Entities: []string{"Huang Le"}, Atom: true, Backfill: "last week"}, "backfill", "YYYY-MM-DD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.New(tc.spec)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FieldError", err)
			}
			if fe.Field != tc.field || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q (field %s), want one line on %s containing %q", err, fe.Field, tc.field, tc.want)
			}
			if strings.Contains(err.Error(), "LaLaSw") {
				t.Errorf("error shows the secret: %q", err)
			}
		})
	}
}

func TestValidatorAllowList(t *testing.T) {
	v := Validator{Gazetteer: testGazetteer(t), Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	sub, err := v.New(Spec{Entities: []string{"Huang Le"}, Webhook: "http://127.0.0.1:9/hook", Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	if sub.Channels.Webhook.URL != "http://127.0.0.1:9/hook" {
		t.Errorf("webhook = %+v", sub.Channels.Webhook)
	}
}
