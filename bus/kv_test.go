package bus_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/compoundwatch/compoundwatch/bus"
)

// TestValues writes keys with PutAsync and reads them back in one call
// with Values, past one request's worth of keys, beside the bucket's own
// view of them: what Values says a key holds is what KeyValue.Get says,
// and a key that was deleted, purged or never written has no value.
func TestValues(t *testing.T) {
	ctx := context.Background()
	b := open(t, t.TempDir())
	defer b.Close()
	const bucket = bus.BucketAlertLedger
	kv, err := b.KeyValue(bucket)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	var keys []string
	var waits []func(context.Context) error
	for i := range 300 { // more than one lookup asks for
		k := fmt.Sprintf("doc.%04d", i)
		keys = append(keys, k)
		v := []byte(strings.Repeat("v", i%7) + k)
		want[k] = v
		await, err := b.PutAsync(bucket, k, v)
		if err != nil {
			t.Fatal(err)
		}
		waits = append(waits, await)
	}
	// A second write of a key replaces the first.
	await, err := b.PutAsync(bucket, "doc.0001", []byte("second"))
	if err != nil {
		t.Fatal(err)
	}
	waits = append(waits, await)
	want["doc.0001"] = []byte("second")
	for _, w := range waits {
		if err := w(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := kv.Delete(ctx, "doc.0002"); err != nil {
		t.Fatal(err)
	}
	if err := kv.Purge(ctx, "doc.0003"); err != nil {
		t.Fatal(err)
	}
	delete(want, "doc.0002")
	delete(want, "doc.0003")
	keys = append(keys, "doc.never")

	got, err := b.Values(ctx, bucket, keys)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Errorf("Values gave %d keys, want %d", len(got), len(want))
		for k, v := range want {
			if string(got[k]) != string(v) {
				t.Errorf("%s = %q, want %q", k, got[k], v)
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("%s has a value (%q), want none", k, got[k])
			}
		}
	}
	for _, k := range []string{"doc.0001", "doc.0299"} {
		e, err := kv.Get(ctx, k)
		if err != nil || string(e.Value()) != string(got[k]) {
			t.Errorf("KeyValue.Get(%s) = %v, %v; Values says %q", k, e, err, got[k])
		}
	}
}

func TestValuesUndeclaredBucket(t *testing.T) {
	b := open(t, t.TempDir())
	defer b.Close()
	if _, err := b.Values(context.Background(), "no-such-bucket", []string{"a"}); err == nil || !strings.Contains(err.Error(), "no-such-bucket") {
		t.Errorf("Values on an undeclared bucket: %v", err)
	}
	if _, err := b.PutAsync("no-such-bucket", "a", nil); err == nil || !strings.Contains(err.Error(), "no-such-bucket") {
		t.Errorf("PutAsync on an undeclared bucket: %v", err)
	}
}
