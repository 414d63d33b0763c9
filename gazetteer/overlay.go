package gazetteer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/compoundwatch/compoundwatch/document"
)

// OverlayFile is the name of the editors' overlay in a data directory:
// decisions taken with "compoundwatch entities link" (or the API), applied
// on top of whatever gazetteer file is configured.
const OverlayFile = "gazetteer-overlay.yaml"

// Link is an editor's decision that a name found in coverage is a known
// entity: the name becomes one of its aliases.
type Link struct {
	Name    string `yaml:"name" json:"name"`
	Type    string `yaml:"type" json:"type"`
	ID      string `yaml:"id" json:"id"`
	Decided string `yaml:"decided,omitempty" json:"decided,omitempty"` // RFC 3339
	By      string `yaml:"by,omitempty" json:"by,omitempty"`           // "cli", "api"
}

type overlay struct {
	Links []Link `yaml:"links"`
}

// ReadOverlay reads the links of an overlay file; a missing file has none.
func ReadOverlay(path string) ([]Link, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var o overlay
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return o.Links, nil
}

// WithLinks returns the gazetteer with each link's name added to its
// record's aliases, so the matcher finds it and Resolve knows it. The
// version changes with the links, so re-extracted documents show it.
func (g *Gazetteer) WithLinks(links []Link) (*Gazetteer, error) {
	if len(links) == 0 {
		return g, nil
	}
	for i, l := range links {
		r, ok := g.Entity(l.ID)
		if !ok {
			return nil, fmt.Errorf("link %d (%q): no entity %q", i, l.Name, l.ID)
		}
		if l.Type != "" && l.Type != r.Type {
			return nil, fmt.Errorf("link %d (%q): %s is a %s, not a %s", i, l.Name, l.ID, r.Type, l.Type)
		}
		if strings.TrimSpace(l.Name) == "" {
			return nil, fmt.Errorf("link %d to %s: empty name", i, l.ID)
		}
	}
	return load(g.data, links)
}

// AddLink checks that the link applies to g and appends it to the overlay
// file at path, writing the file atomically. It returns the gazetteer
// with every link of the file applied.
func (g *Gazetteer) AddLink(path string, l Link) (*Gazetteer, error) {
	l.Name = strings.Join(strings.Fields(l.Name), " ")
	r, ok := g.Entity(l.ID)
	if !ok {
		return nil, fmt.Errorf("no entity %q in the gazetteer", l.ID)
	}
	if l.Type == "" {
		l.Type = r.Type
	}
	if r.Type == document.Province {
		return nil, fmt.Errorf("%s is a province: link sites and people only", l.ID)
	}
	if id, ok := g.Resolve(r.Type, l.Name); ok {
		if id == l.ID {
			return nil, fmt.Errorf("%q already names %s", l.Name, l.ID)
		}
		return nil, fmt.Errorf("%q already names another entity, %s", l.Name, id)
	}
	if l.Decided == "" {
		l.Decided = time.Now().UTC().Format(time.RFC3339)
	}
	links, err := ReadOverlay(path)
	if err != nil {
		return nil, err
	}
	links = append(links, l)
	ng, err := g.WithLinks(links)
	if err != nil {
		return nil, err
	}
	data, err := yaml.Marshal(overlay{Links: links})
	if err != nil {
		return nil, err
	}
	head := []byte("# Editors' decisions: names found in coverage that are known entities.\n# Written by \"compoundwatch entities link\" and the API; applied on top of the gazetteer.\n")
	tmp, err := os.CreateTemp(filepath.Dir(path), ".overlay-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(head, data...)); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, err
	}
	return ng, nil
}
