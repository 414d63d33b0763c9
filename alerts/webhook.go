package alerts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"code.dny.dev/ssrf"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// ErrRefused wraps every refusal of a webhook target by the SSRF guard.
var ErrRefused = errors.New("refused webhook target")

// Guard decides which addresses a webhook may reach: public unicast ones,
// plus those in the webhook_allow list. The IANA special-purpose ranges
// (loopback, private, link-local, CGNAT, documentation…) come from
// code.dny.dev/ssrf, which keeps them current.
type Guard struct {
	allow []netip.Prefix
	g     *ssrf.Guardian
}

// NewGuard returns a guard that also allows the given prefixes.
func NewGuard(allow []netip.Prefix) *Guard {
	var v4, v6 []netip.Prefix
	for _, p := range allow {
		if p.Addr().Is4() {
			v4 = append(v4, p)
		} else {
			v6 = append(v6, p)
		}
	}
	return &Guard{allow: allow, g: ssrf.New(ssrf.WithAnyPort(),
		ssrf.WithAllowedV4Prefixes(v4...), ssrf.WithAllowedV6Prefixes(v6...))}
}

// CheckAddr refuses an address outside the public internet unless allowed.
func (g *Guard) CheckAddr(ip netip.Addr) error {
	if err := g.g.SafeAddr(ip.Unmap()); err != nil {
		return fmt.Errorf("%w: %s is a special-purpose (loopback, private, link-local…) address; allow it with the webhook_allow setting", ErrRefused, ip)
	}
	return nil
}

// Resolver looks up a host's addresses; *net.Resolver is one, and tests
// pass their own to point names at private addresses.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Client returns the HTTP client webhooks are sent with. Every address a
// name resolves to is checked before any connection is made, and the
// dialer checks the connected address again (the ssrf Control hook), so a
// DNS answer that changes between the two cannot slip through. No proxy is
// used (a proxy would be the only address checked) and redirects are not
// followed (a redirect to an internal address would bypass the check).
func (g *Guard) Client(res Resolver, timeout time.Duration) *http.Client {
	if res == nil {
		res = net.DefaultResolver
	}
	dialer := &net.Dialer{Timeout: timeout, Control: g.g.Safe}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			var ips []netip.Addr
			if ip, err := netip.ParseAddr(host); err == nil {
				ips = []netip.Addr{ip}
			} else if ips, err = res.LookupNetIP(ctx, "ip", host); err != nil {
				return nil, fmt.Errorf("resolve %s: %w", host, err)
			}
			for _, ip := range ips {
				if err := g.CheckAddr(ip); err != nil {
					return nil, fmt.Errorf("%s: %w", host, err)
				}
			}
			var last error
			for _, ip := range ips {
				c, err := dialer.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
				if err == nil {
					return c, nil
				}
				last = err
			}
			if last == nil {
				last = fmt.Errorf("resolve %s: no addresses", host)
			}
			return nil, last
		},
		MaxIdleConnsPerHost:   deliverConcurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Outcome is how one webhook attempt ended.
type Outcome struct {
	Status int // HTTP status, 0 when none came back
	// Gone: the receiver answered 410 and must not be called again.
	Gone bool
	// Refused: the SSRF guard refused the target; retrying cannot help.
	Refused bool
	// RetryAfter is the receiver's Retry-After, when it sent one.
	RetryAfter time.Duration
	Err        error // nil on success
}

// Send posts body to wh as Standard Webhooks: webhook-id is the delivery
// key (the same on every retry), webhook-timestamp the attempt's time,
// webhook-signature v1 HMAC-SHA256 of id.timestamp.body, computed by the
// specification's own Go library.
func Send(ctx context.Context, c *http.Client, wh *Webhook, key string, body []byte, now time.Time) Outcome {
	signer, err := standardwebhooks.NewWebhook(wh.Secret)
	if err != nil {
		return Outcome{Refused: true, Err: fmt.Errorf("secret: %w", err)}
	}
	sig, err := signer.Sign(key, now, body)
	if err != nil {
		return Outcome{Refused: true, Err: fmt.Errorf("sign: %w", err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.URL, bytes.NewReader(body))
	if err != nil {
		return Outcome{Refused: true, Err: fmt.Errorf("webhook %s: %w", wh.URL, err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "compoundwatch-alerts/1")
	req.Header.Set(standardwebhooks.HeaderWebhookID, key)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, sig)
	resp, err := c.Do(req)
	if err != nil {
		return Outcome{Refused: errors.Is(err, ErrRefused) || errors.Is(err, ssrf.ErrProhibitedIP),
			Err: fmt.Errorf("webhook %s: %w", wh.URL, err)}
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	o := Outcome{Status: resp.StatusCode}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return o
	case resp.StatusCode == http.StatusGone:
		o.Gone = true
	}
	o.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	o.Err = fmt.Errorf("webhook %s: HTTP %s", wh.URL, resp.Status)
	return o
}

func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Schedule is the Standard Webhooks retry schedule after the first,
// immediate attempt: about three days in all, so an endpoint down for a
// day still gets everything.
var defaultSchedule = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute,
	2 * time.Hour, 5 * time.Hour, 10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}

// DefaultSchedule returns a copy of the retry schedule.
func DefaultSchedule() []time.Duration { return append([]time.Duration(nil), defaultSchedule...) }

// nextDelay is the wait after the failed attempt number attempt (1-based),
// with ±20% jitter so receivers recovering from an outage are not hit by
// every sender at once; a longer Retry-After wins (capped at a day). ok
// is false when the schedule is exhausted.
func nextDelay(schedule []time.Duration, attempt int, retryAfter time.Duration) (time.Duration, bool) {
	if attempt > len(schedule) {
		return 0, false
	}
	d := schedule[attempt-1]
	d += time.Duration((rand.Float64()*0.4 - 0.2) * float64(d))
	if retryAfter > d {
		d = min(retryAfter, 24*time.Hour)
	}
	return d, true
}
