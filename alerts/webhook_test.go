package alerts

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// The specification's published test vector (spec/standard-webhooks.md,
// also the Go library's TestWebhookSign).
func TestSignatureMatchesSpecVector(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer srv.Close()
	c := NewGuard([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}).Client(nil, time.Second)
	o := Send(context.Background(), c, &Webhook{URL: srv.URL, Secret: testSecret}, "msg_p5jXN8AQM9LWM0D4loKWxJek",
		[]byte(`{"test": 2432232314}`), time.Unix(1614265330, 0))
	if o.Err != nil {
		t.Fatal(o.Err)
	}
	if sig := got.Get("webhook-signature"); sig != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Errorf("signature %q, want the specification's vector", sig)
	}
	if got.Get("webhook-id") != "msg_p5jXN8AQM9LWM0D4loKWxJek" || got.Get("webhook-timestamp") != "1614265330" {
		t.Errorf("headers %v", got)
	}
}

// A body signed now verifies with the official library, timestamp check
// included; a changed body does not.
func TestSignatureVerifiesWithLibrary(t *testing.T) {
	var hdr http.Header
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr = r.Header.Clone()
		body, _ = io.ReadAll(r.Body)
	}))
	defer srv.Close()
	c := NewGuard([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}).Client(nil, time.Second)
	if o := Send(context.Background(), c, &Webhook{URL: srv.URL, Secret: testSecret}, "k1", []byte(`{"a":1}`), time.Now()); o.Err != nil {
		t.Fatal(o.Err)
	}
	wh, _ := standardwebhooks.NewWebhook(testSecret)
	if err := wh.Verify(body, hdr); err != nil {
		t.Errorf("library rejects our signature: %v", err)
	}
	if err := wh.Verify([]byte(`{"a":2}`), hdr); err == nil {
		t.Error("library accepts a changed body")
	}
}

type fakeResolver map[string][]netip.Addr

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := f[host]; ok {
		return a, nil
	}
	return nil, errors.New("no such host")
}

// A name that resolves to a private address is refused before any
// connection: the receiver listening on that address never hears of it.
func TestSSRFAfterResolution(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer srv.Close()
	port := srv.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()
	res := fakeResolver{"hooks.example": {netip.MustParseAddr("127.0.0.1")}, "mixed.example": {netip.MustParseAddr("93.184.215.14"), netip.MustParseAddr("10.1.2.3")}}
	for _, tc := range []struct {
		name    string
		allow   []netip.Prefix
		host    string
		refused bool
	}{
		{"private name refused", nil, "hooks.example", true},
		{"one private address of several", nil, "mixed.example", true},
		{"literal loopback refused", nil, "127.0.0.1", true},
		{"allowed by webhook_allow", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "hooks.example", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits.Store(0)
			c := NewGuard(tc.allow).Client(res, time.Second)
			url := "http://" + tc.host + ":" + strconv.Itoa(int(port)) + "/hook"
			o := Send(context.Background(), c, &Webhook{URL: url, Secret: testSecret}, "k", []byte("{}"), time.Now())
			if o.Refused != tc.refused || tc.refused && !errors.Is(o.Err, ErrRefused) {
				t.Errorf("outcome %+v, want refused=%v", o, tc.refused)
			}
			if tc.refused && hits.Load() != 0 {
				t.Error("the receiver was reached")
			}
		})
	}
}

// Redirects are not followed: a 3xx is a failed attempt.
func TestNoRedirects(t *testing.T) {
	var followed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/inner" {
			followed.Store(true)
			return
		}
		http.Redirect(w, r, "/inner", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c := NewGuard([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}).Client(nil, time.Second)
	o := Send(context.Background(), c, &Webhook{URL: srv.URL + "/hook", Secret: testSecret}, "k", []byte("{}"), time.Now())
	if o.Err == nil || o.Status != http.StatusTemporaryRedirect || followed.Load() {
		t.Errorf("outcome %+v, followed %v", o, followed.Load())
	}
}

func TestRetryAfterAndSchedule(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if d := retryAfter("120", now); d != 2*time.Minute {
		t.Errorf("Retry-After 120 = %v", d)
	}
	if d := retryAfter(now.Add(time.Hour).Format(http.TimeFormat), now); d != time.Hour {
		t.Errorf("Retry-After date = %v", d)
	}
	sched := DefaultSchedule()
	total := time.Duration(0)
	for i := 1; ; i++ {
		d, ok := nextDelay(sched, i, 0)
		if !ok {
			break
		}
		if base := sched[i-1]; d < base*8/10 || d > base*12/10 {
			t.Errorf("attempt %d: delay %v outside ±20%% of %v", i, d, base)
		}
		total += sched[i-1]
	}
	if total < 24*time.Hour {
		t.Errorf("retries span %v, want at least a day", total)
	}
	if d, _ := nextDelay(sched, 1, 10*time.Minute); d != 10*time.Minute {
		t.Errorf("a Retry-After longer than the schedule's delay is honoured: got %v", d)
	}
}
