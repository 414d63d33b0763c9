// Package config holds compoundwatch's settings and the data files shipped
// with the binary (gazetteer, sources). Settings come, in rising order of
// precedence, from defaults, a YAML file, the environment and flags.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is the whole of compoundwatch's settings.
type Config struct {
	// DataDir holds the embedded NATS store and the embedded index.
	DataDir string `yaml:"data"`
	// NATSURL points at an external NATS; empty means embedded.
	NATSURL string `yaml:"nats_url"`
	// Replicas for JetStream streams on a NATS cluster.
	Replicas int `yaml:"replicas"`
	// MeiliURL points at Meilisearch; empty means the embedded index.
	MeiliURL    string `yaml:"meili_url"`
	MeiliAPIKey string `yaml:"meili_api_key"`
	MeiliIndex  string `yaml:"meili_index"`
	// Listen is the address of the web page and API.
	Listen string `yaml:"listen"`
	// APIToken guards the API's write endpoints; empty disables them.
	APIToken string `yaml:"api_token"`
	// Gazetteer and Sources replace the shipped files when set.
	Gazetteer string `yaml:"gazetteer"`
	Sources   string `yaml:"sources"`
	LogLevel  string `yaml:"log_level"`
	// MentionEvents makes the extractor stage also publish one mention
	// event per entity of every document on cw.mentions.<type>.<id>, for
	// programs that read every tag of an entity (bus.Options.MentionEvents).
	MentionEvents bool `yaml:"mention_events"`
	// HugePages lets the commands that read, tag and index in bulk ask
	// Linux for huge pages for their heap (internal/hugepage): on by
	// default, off where a host's memory is so fragmented that finding a
	// huge page stalls.
	HugePages bool `yaml:"huge_pages"`
	// WebhookAllow lists CIDRs (comma or space separated) that alert
	// webhooks may reach although they are special-purpose addresses
	// (loopback, private…), e.g. "127.0.0.0/8" for a local receiver.
	WebhookAllow string `yaml:"webhook_allow"`
}

// Default returns the settings used when nothing is configured.
func Default() Config {
	return Config{
		DataDir:    "data",
		Replicas:   1,
		MeiliIndex: "documents",
		Listen:     "127.0.0.1:8080",
		LogLevel:   "info",
		HugePages:  true,
	}
}

// Load reads a YAML settings file over the defaults. Unknown keys are
// errors (a misspelt key silently ignored would be worse), reported with
// the file and line.
func Load(path string) (Config, error) {
	c := Default()
	raw, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return c, yamlError(path, err)
	}
	if _, err := c.WebhookAllowPrefixes(); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// yamlError rewrites yaml.v3's errors into one "file:line: problem" line
// per problem, the form editors and people both read best.
func yamlError(path string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("%s: %w", path, err)
	}
	msgs := make([]string, len(te.Errors))
	for i, e := range te.Errors {
		var line int
		var field string
		if n, _ := fmt.Sscanf(e, "line %d: field %s not found", &line, &field); n == 2 {
			msgs[i] = fmt.Sprintf("%s:%d: unknown key %q", path, line, field)
		} else {
			msgs[i] = path + ": " + strings.TrimPrefix(e, "yaml: ")
		}
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// envNames maps environment variables to the settings they set.
func envNames() map[string]string {
	return map[string]string{
		"COMPOUNDWATCH_DATA":           "data",
		"COMPOUNDWATCH_NATS_URL":       "nats_url",
		"COMPOUNDWATCH_REPLICAS":       "replicas",
		"MEILI_URL":                    "meili_url",
		"MEILI_API_KEY":                "meili_api_key",
		"COMPOUNDWATCH_INDEX":          "meili_index",
		"COMPOUNDWATCH_LISTEN":         "listen",
		"COMPOUNDWATCH_API_TOKEN":      "api_token",
		"COMPOUNDWATCH_GAZETTEER":      "gazetteer",
		"COMPOUNDWATCH_SOURCES":        "sources",
		"COMPOUNDWATCH_LOG_LEVEL":      "log_level",
		"COMPOUNDWATCH_WEBHOOK_ALLOW":  "webhook_allow",
		"COMPOUNDWATCH_MENTION_EVENTS": "mention_events",
		"COMPOUNDWATCH_HUGE_PAGES":     "huge_pages",
	}
}

// EnvNames lists the environment variables ApplyEnv reads, by setting.
func EnvNames() map[string]string {
	out := map[string]string{}
	for k, v := range envNames() {
		out[v] = k
	}
	return out
}

// ApplyEnv overrides settings from environment variables that are set.
func (c *Config) ApplyEnv(getenv func(string) string) error {
	for env, key := range envNames() {
		v := getenv(env)
		if v == "" {
			continue
		}
		if err := c.Set(key, v); err != nil {
			return fmt.Errorf("%s: %w", env, err)
		}
	}
	return nil
}

// Set assigns one setting by its YAML key.
func (c *Config) Set(key, v string) error {
	switch key {
	case "data":
		c.DataDir = v
	case "nats_url":
		c.NATSURL = v
	case "replicas":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("replicas: want a positive number, got %q", v)
		}
		c.Replicas = n
	case "meili_url":
		c.MeiliURL = v
	case "meili_api_key":
		c.MeiliAPIKey = v
	case "meili_index":
		c.MeiliIndex = v
	case "listen":
		c.Listen = v
	case "api_token":
		c.APIToken = v
	case "gazetteer":
		c.Gazetteer = v
	case "sources":
		c.Sources = v
	case "log_level":
		c.LogLevel = v
	case "mention_events":
		return parseBool(key, v, &c.MentionEvents)
	case "huge_pages":
		return parseBool(key, v, &c.HugePages)
	case "webhook_allow":
		if _, err := ParseCIDRs(v); err != nil {
			return err
		}
		c.WebhookAllow = v
	default:
		return fmt.Errorf("unknown setting %q", key)
	}
	return nil
}

// parseBool sets *dst from v, a switch named key.
func parseBool(key, v string, dst *bool) error {
	on, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("%s: want true or false, got %q", key, v)
	}
	*dst = on
	return nil
}

// WebhookAllowPrefixes parses WebhookAllow.
func (c Config) WebhookAllowPrefixes() ([]netip.Prefix, error) { return ParseCIDRs(c.WebhookAllow) }

// ParseCIDRs parses CIDRs (or bare addresses) separated by commas or
// spaces.
func ParseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("webhook_allow: %q is not a CIDR", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
