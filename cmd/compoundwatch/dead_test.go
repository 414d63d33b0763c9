package main

import (
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/compoundwatch/compoundwatch/bus"
	"github.com/compoundwatch/compoundwatch/document"
)

// TestDeadLists puts a message no stage can read on the raw stream, lets
// an ingest run the extractor over it, and checks that `dead` lists it
// with its reason, and says so when there is nothing to list.
func TestDeadLists(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	docs, data := workspace(t, 3)

	out, err := child(t, "dead", "--data", data).Output()
	if err != nil || strings.TrimSpace(string(out)) != "no dead letters" {
		t.Fatalf("dead on an empty pipeline: %v\n%s", err, out)
	}

	b, err := bus.Open(t.Context(), bus.Options{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Publish(t.Context(), bus.RawSubject("cafe"), "cafe:1", document.RawSchema,
		document.Raw{Schema: "compoundwatch.raw/v999", ID: "cafe"}, nil)
	if err == nil {
		err = publishGarbage(t, b.URL(), bus.RawSubject("deadbeef"))
	}
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := child(t, "ingest", "--data", data, docs).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}

	out, err = child(t, "dead", "--data", data).Output()
	if err != nil {
		t.Fatalf("dead: %v\n%s", err, out)
	}
	for _, want := range []string{bus.RawSubject("cafe"), "v999", bus.RawSubject("deadbeef"), "decode"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("dead output lacks %q:\n%s", want, out)
		}
	}
	out, err = child(t, "dead", "--json", "--data", data).Output()
	if err != nil || strings.Count(string(out), "\n") != 2 || !strings.Contains(string(out), `"stage":"extractor"`) {
		t.Errorf("dead --json: %v\n%s\nwant 2 lines from the extractor", err, out)
	}
}

// publishGarbage sends bytes that are not JSON onto a subject of the bus,
// over a connection of its own: bus.Publish cannot send such a thing.
func publishGarbage(t *testing.T, url, subject string) error {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	_, err = nc.Request(subject, []byte("{not json"), 5*time.Second)
	return err
}
