package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/compoundwatch/compoundwatch/alerts"
)

const e2eSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// hookReceiver is a local webhook endpoint that checks every signature
// with the official Standard Webhooks library.
type hookReceiver struct {
	t    *testing.T
	mu   sync.Mutex
	got  []received
	hold chan struct{} // when set, the first request waits on it
	held chan struct{} // closed once the first request arrived
	srv  *httptest.Server
}

type received struct {
	id    string
	alert alerts.Alert
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{t: t}
	wh, err := standardwebhooks.NewWebhook(e2eSecret)
	if err != nil {
		t.Fatal(err)
	}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if err := wh.Verify(body, req.Header); err != nil {
			t.Errorf("signature of %s does not verify: %v", req.Header.Get("webhook-id"), err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var a alerts.Alert
		if err := json.Unmarshal(body, &a); err != nil {
			t.Errorf("alert body: %v", err)
		}
		r.mu.Lock()
		r.got = append(r.got, received{req.Header.Get("webhook-id"), a})
		hold := r.hold
		if hold != nil {
			r.hold = nil
			close(r.held)
		}
		r.mu.Unlock()
		if hold != nil {
			select {
			case <-hold:
			case <-req.Context().Done():
				return
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func (r *hookReceiver) waitFor(n int, what string) []received {
	r.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for len(r.all()) < n {
		if time.Now().After(deadline) {
			r.t.Fatalf("waiting for %s: have %d webhook calls, want %d: %+v", what, len(r.all()), n, r.all())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return r.all()
}

// running is a `compoundwatch run` child.
type running struct {
	cmd  *exec.Cmd
	done chan error
}

func startRun(t *testing.T, data string) *running {
	t.Helper()
	r := &running{cmd: alertChild(t, "run", "--data", data, "--no-crawl", "--listen", "127.0.0.1:0"), done: make(chan error, 1)}
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "compoundwatch is running") {
				close(ready)
			}
		}
		r.done <- r.cmd.Wait()
	}()
	t.Cleanup(func() { r.kill() })
	select {
	case <-ready:
	case err := <-r.done:
		r.done <- err
		t.Fatalf("run exited early: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("run never became ready")
	}
	return r
}

func (r *running) kill() {
	if r.cmd.ProcessState == nil {
		r.cmd.Process.Signal(syscall.SIGKILL)
		err := <-r.done
		r.done <- err
	}
}

func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-r.done:
		r.done <- err
		if err != nil {
			t.Fatalf("run after SIGINT: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("run did not stop on SIGINT")
	}
}

// alertChild is child with the test receiver's loopback address allowed.
func alertChild(t *testing.T, args ...string) *exec.Cmd {
	c := child(t, args...)
	c.Env = append(c.Env, "COMPOUNDWATCH_WEBHOOK_ALLOW=127.0.0.0/8")
	return c
}

func cw(t *testing.T, args ...string) string {
	t.Helper()
	out, err := alertChild(t, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("compoundwatch %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	return strings.TrimSpace(string(out))
}

func lastOutputLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestAlertsEndToEnd: real processes, a local webhook receiver, two
// entity subscriptions (one by a Chinese-script alias) and a saved query.
// Every expected alert arrives once, signed; re-ingest, a spun copy,
// reindex and a restart bring no new "new" alert.
func TestAlertsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	data := filepath.Join(t.TempDir(), "data")
	fixtures, err := filepath.Abs("testdata/alerts")
	if err != nil {
		t.Fatal(err)
	}
	hook := newHookReceiver(t)
	run := startRun(t, data)

	add := func(args ...string) string {
		return lastOutputLine(cw(t, append([]string{"alerts", "add", "--data", data, "--webhook", hook.srv.URL + "/hook", "--secret", e2eSecret}, args...)...))
	}
	subHuang := add("--entity", "黄乐", "--note", "the Sihanoukville compound")
	subChen := add("--entity", "Chen Zhi")
	subQuery := add("--query", "forced labour", "--province", "Banteay Meanchey")

	out := cw(t, "ingest", "--data", data, fixtures)
	if !strings.Contains(out, "4 accepted") {
		t.Fatalf("ingest: %s", out)
	}
	got := hook.waitFor(3, "the three alerts")
	time.Sleep(time.Second) // anything more would be a wrong alert
	got = hook.all()
	if len(got) != 3 {
		t.Fatalf("%d alerts, want 3: %+v", len(got), got)
	}
	bySub := map[string]received{}
	for _, r := range got {
		if r.id != r.alert.DeliveryKey {
			t.Errorf("webhook-id %q differs from delivery_key %q", r.id, r.alert.DeliveryKey)
		}
		if r.alert.Schema != alerts.Schema || r.alert.Kind != alerts.KindNew {
			t.Errorf("alert %s: schema %q kind %q", r.id, r.alert.Schema, r.alert.Kind)
		}
		bySub[r.alert.SubscriptionID] = r
	}
	for _, tc := range []struct {
		sub, title, match, mention string
	}{
		{subHuang, "Police search Majestic 2 building in Sihanoukville", "huang-le-majestic-two", "Majestic 2"},
		{subChen, "Prince Group chairman named in new filing", "chen-zhi", "Chen Zhi"},
		{subQuery, "Rescue group describes forced labour near the border", "query", "forced"},
	} {
		r, ok := bySub[tc.sub]
		if !ok {
			t.Errorf("no alert for %s", tc.sub)
			continue
		}
		a := r.alert
		if a.Document.Title != tc.title || !strings.HasPrefix(a.Document.URL, "file://") || a.Document.Published == "" {
			t.Errorf("%s: document %+v", tc.sub, a.Document)
		}
		if len(a.Matches) != 1 || len(a.Matches[0].Mentions) == 0 {
			t.Fatalf("%s: matches %+v", tc.sub, a.Matches)
		}
		m := a.Matches[0]
		if id := "query"; m.Entity != nil {
			id = m.Entity.ID
			if id != tc.match {
				t.Errorf("%s: matched %s, want %s", tc.sub, id, tc.match)
			}
		} else if tc.match != "query" || !strings.Contains(m.Query, "forced labour") {
			t.Errorf("%s: match %+v", tc.sub, m)
		}
		mn := m.Mentions[0]
		if !strings.Contains(strings.ToLower(mn.Text), strings.ToLower(tc.mention)) || !strings.Contains(mn.Context, mn.Text) || mn.End-mn.Start != len(mn.Text) {
			t.Errorf("%s: mention %+v", tc.sub, mn)
		}
	}
	if a := bySub[subHuang].alert; a.Note != "the Sihanoukville compound" || len(a.Matches[0].Figures) == 0 {
		t.Errorf("Huang Le alert: note %q, figures %+v", a.Note, a.Matches[0].Figures)
	}

	// Re-ingest the folder, then a spun copy of the Majestic 2 story.
	if out := cw(t, "ingest", "--data", data, fixtures); !strings.Contains(out, "0 accepted, 4 unchanged") {
		t.Errorf("re-ingest: %s", out)
	}
	spun, _ := filepath.Abs("testdata/alerts-spun")
	cw(t, "ingest", "--data", data, spun)
	got = hook.waitFor(4, "the also-reported update")
	if a := got[3].alert; a.Kind != alerts.KindAlsoReported || a.SubscriptionID != subHuang || len(a.AlsoReportedBy) != 1 {
		t.Errorf("spun copy: %+v", a)
	}

	// Reindex and restart: nothing new.
	run.stop(t)
	cw(t, "reindex", "--data", data)
	run = startRun(t, data)
	time.Sleep(3 * time.Second)
	run.stop(t)
	final := hook.all()
	news := 0
	for _, r := range final {
		if r.alert.Kind == alerts.KindNew {
			news++
		}
	}
	if news != 3 || len(final) != 4 {
		t.Errorf("after re-ingest, spun copy, reindex and restart: %d calls, %d new; want 4 and 3", len(final), news)
	}

	show := cw(t, "alerts", "show", "--data", data, "--noisy", "1", subHuang)
	for _, want := range []string{"Huang Le compound (huang-le-majestic-two)", "delivered: ", subHuang + ":", "noisy:     more than 1 alerts a day"} {
		if !strings.Contains(show, want) {
			t.Errorf("alerts show lacks %q:\n%s", want, show)
		}
	}
	if list := cw(t, "alerts", "list", "--data", data, "--json"); strings.Count(list, "\n")+1 != 3 || strings.Contains(list, "LaLaSw") {
		t.Errorf("alerts list --json:\n%s", list)
	}

	// alerts test sends a marked test alert itself, signed like the rest.
	out = cw(t, "alerts", "test", "--data", data, subChen)
	if !strings.Contains(out, "answered HTTP 204") {
		t.Errorf("alerts test: %s", out)
	}
	if last := hook.all()[len(hook.all())-1]; last.alert.Kind != alerts.KindTest || last.alert.SubscriptionID != subChen || last.id != last.alert.DeliveryKey {
		t.Errorf("test alert %+v", last)
	}
}

// TestAlertsKillMidDelivery kills the process running the alert worker
// with SIGKILL while the receiver holds a delivery, restarts it, and
// checks the alert arrives, any repeat with the same webhook-id.
func TestAlertsKillMidDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	data := filepath.Join(t.TempDir(), "data")
	fixtures, _ := filepath.Abs("testdata/alerts")
	hook := newHookReceiver(t)
	hook.hold, hook.held = make(chan struct{}), make(chan struct{})
	run := startRun(t, data)
	sub := lastOutputLine(cw(t, "alerts", "add", "--data", data, "--entity", "Huang Le", "--entity", "Chen Zhi",
		"--webhook", hook.srv.URL+"/hook", "--secret", e2eSecret))
	ing := alertChild(t, "ingest", "--data", data, fixtures)
	if err := ing.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hook.held:
	case <-time.After(time.Minute):
		t.Fatal("no delivery started")
	}
	run.kill() // mid-delivery: the receiver has the request, no answer yet
	ing.Process.Kill()
	ing.Wait()
	run = startRun(t, data)
	cw(t, "ingest", "--data", data, fixtures) // finishes what the killed ingest left
	deadline := time.Now().Add(90 * time.Second)
	for {
		ids := map[string]int{}
		for _, r := range hook.all() {
			if r.alert.SubscriptionID != sub || r.id != r.alert.DeliveryKey {
				t.Fatalf("unexpected call %+v", r)
			}
			ids[r.id]++
		}
		if len(ids) == 2 {
			t.Logf("calls per webhook-id: %v", ids)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart: calls per webhook-id %v, want both alerts", ids)
		}
		time.Sleep(50 * time.Millisecond)
	}
	run.stop(t)
}
