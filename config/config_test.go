package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       func(Config) bool
		wantErr    string
	}{
		{"empty file keeps defaults", "", func(c Config) bool { return c.DataDir == "data" && c.Listen == "127.0.0.1:8080" }, ""},
		{"values", "data: /srv/cw\nmeili_url: http://m:7700\nreplicas: 3\n", func(c Config) bool {
			return c.DataDir == "/srv/cw" && c.MeiliURL == "http://m:7700" && c.Replicas == 3
		}, ""},
		{"unknown key names file and line", "data: x\nmeili_ulr: y\n", nil, `cw.yaml:2: unknown key "meili_ulr"`},
		{"bad type", "replicas: many\n", nil, "cw.yaml: line 1"},
		{"webhook allow list", "webhook_allow: 127.0.0.0/8, ::1\n", func(c Config) bool {
			p, err := c.WebhookAllowPrefixes()
			return err == nil && len(p) == 2 && p[1].Bits() == 128
		}, ""},
		{"mention events", "mention_events: true\n", func(c Config) bool { return c.MentionEvents }, ""},
		{"mention events off by default", "data: x\n", func(c Config) bool { return !c.MentionEvents }, ""},
		{"huge pages on by default", "data: x\n", func(c Config) bool { return c.HugePages }, ""},
		{"huge pages off", "huge_pages: false\n", func(c Config) bool { return !c.HugePages }, ""},
		{"bad webhook allow list", "webhook_allow: 127.0.0.0/33\n", nil, `cw.yaml: webhook_allow: "127.0.0.0/33" is not a CIDR`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "cw.yaml")
			os.WriteFile(p, []byte(tc.yaml), 0o644)
			c, err := Load(p)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !tc.want(c) {
				t.Fatalf("Load = %+v, %v", c, err)
			}
		})
	}
}

func TestApplyEnv(t *testing.T) {
	c := Default()
	env := map[string]string{"MEILI_URL": "http://x:7700", "COMPOUNDWATCH_DATA": "/d", "COMPOUNDWATCH_REPLICAS": "0"}
	err := c.ApplyEnv(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "COMPOUNDWATCH_REPLICAS") {
		t.Fatalf("bad replicas: err = %v, want one naming the variable", err)
	}
	delete(env, "COMPOUNDWATCH_REPLICAS")
	env["COMPOUNDWATCH_MENTION_EVENTS"] = "yes"
	c = Default()
	if err := c.ApplyEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "COMPOUNDWATCH_MENTION_EVENTS") || !strings.Contains(err.Error(), `"yes"`) {
		t.Fatalf("bad mention events: err = %v, want one naming the variable and the value", err)
	}
	env["COMPOUNDWATCH_MENTION_EVENTS"] = "true"
	env["COMPOUNDWATCH_HUGE_PAGES"] = "off"
	c = Default()
	if err := c.ApplyEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "COMPOUNDWATCH_HUGE_PAGES") || !strings.Contains(err.Error(), `"off"`) {
		t.Fatalf("bad huge pages: err = %v, want one naming the variable and the value", err)
	}
	env["COMPOUNDWATCH_HUGE_PAGES"] = "false"
	c = Default()
	if err := c.ApplyEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.MeiliURL != "http://x:7700" || c.DataDir != "/d" || !c.MentionEvents || c.HugePages {
		t.Fatalf("env not applied: %+v", c)
	}
	for setting, env := range EnvNames() {
		v := "1"
		if setting == "webhook_allow" {
			v = "127.0.0.1"
		}
		if err := (&Config{}).Set(setting, v); err != nil {
			t.Errorf("%s (from %s) is not a setting: %v", setting, env, err)
		}
	}
}
