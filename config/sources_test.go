package config

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultSources(t *testing.T) {
	srcs, err := DefaultSources()
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) < 10 {
		t.Fatalf("only %d sources", len(srcs))
	}
	enabled := 0
	for _, s := range srcs {
		if s.IsEnabled() {
			enabled++
		}
		if s.Schedule < MinSchedule || s.Depth < 1 || s.MaxPages < 1 {
			t.Errorf("%s: defaults not applied: %+v", s.Name, s)
		}
		if s.Kind != KindFolder && len(s.Hosts()) == 0 {
			t.Errorf("%s: no hosts", s.Name)
		}
	}
	if enabled == 0 || enabled == len(srcs) {
		t.Errorf("%d of %d enabled", enabled, len(srcs))
	}
}

func TestParseSourcesErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"sources:\n  - name: a\n    kind: feed\n    urls: [https://x.example/feed]\n    shedule: 1h\n", "shedule"},
		{"sources:\n  - name: a\n    kind: blog\n    urls: [https://x.example/]\n", `unknown kind "blog"`},
		{"sources:\n  - name: a\n    kind: site\n    urls: [x.example]\n", "not an absolute"},
		{"sources:\n  - name: a\n    kind: site\n    urls: [https://x.example/]\n    article_patterns: ['(']\n", "pattern"},
		{"sources:\n  - name: a\n    kind: site\n    urls: [https://x.example/]\n    schedule: 5s\n", "shorter"},
		{"sources:\n  - {name: a, kind: folder, path: x}\n  - {name: a, kind: folder, path: y}\n", "duplicate"},
		{"sources:\n  - name: a\n    kind: site\n    urls: [https://x.example/]\n    tags: {outlet: X, colour: red}\n", "colour"},
	} {
		_, err := ParseSources([]byte(c.yaml), "test.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err %v, want %q", c.yaml, err, c.want)
		}
	}
	srcs, err := ParseSources([]byte("sources:\n  - name: a\n    kind: site\n    urls: [https://x.example:8080/]\n    schedule: 90m\n"), "t")
	if err != nil || srcs[0].Schedule != 90*time.Minute || srcs[0].Hosts()[0] != "x.example:8080" || !srcs[0].IsEnabled() {
		t.Errorf("%+v %v", srcs, err)
	}
}
