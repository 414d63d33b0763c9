package web

import (
	"cmp"
	"slices"
	"strings"

	"github.com/compoundwatch/compoundwatch/gazetteer"
)

// record is the part of a gazetteer record the pages show. Everything the
// web package reads from the gazetteer goes through this file.
type record struct {
	ID, Type, Kind, Name string
	Aliases              []string // other spellings in Latin script
	Scripts              []Script
	Places               []string // provinces: towns standing for it
	Place, Country       string
	Province             string
	Links                []string
	Sanctions            []Sanction
	Uncertain            bool
	UncertainReason      string
}

func (r record) ref() EntityRef {
	ref := EntityRef{ID: r.ID, Type: r.Type, Kind: r.Kind, Name: r.Name, Uncertain: r.Uncertain, URL: "/entity/" + r.ID}
	if r.Uncertain {
		ref.Label = LabelUnconfirmed
	}
	return ref
}

func (s *server) record(id string) (record, bool) {
	if s.gaz == nil || id == "" {
		return record{}, false
	}
	g, ok := s.gaz.Entity(id)
	if !ok {
		return record{}, false
	}
	return fromGazetteer(g), true
}

func fromGazetteer(g gazetteer.Record) record {
	r := record{
		ID: g.ID, Type: g.Type, Kind: g.Kind, Name: g.Name,
		Place: g.Place, Country: g.Country, Province: g.Province,
		Links: g.Links, Uncertain: g.Uncertain, UncertainReason: g.UncertainReason,
	}
	// Aliases holds every surface form (name, places, script names too);
	// the page lists those elsewhere, so keep the other spellings only.
	skip := map[string]bool{strings.ToLower(g.Name): true}
	for _, names := range g.Scripts {
		for _, n := range names {
			skip[strings.ToLower(n)] = true
		}
	}
	for _, p := range g.Places {
		r.Places = append(r.Places, p.Name)
		skip[strings.ToLower(p.Name)] = true
		for _, a := range p.Aliases {
			skip[strings.ToLower(a)] = true
		}
	}
	for _, a := range g.Aliases {
		if k := strings.ToLower(a); !skip[k] {
			skip[k] = true
			r.Aliases = append(r.Aliases, a)
		}
	}
	for script, names := range g.Scripts {
		if len(names) > 0 {
			r.Scripts = append(r.Scripts, Script{
				Script: script, Label: scriptLabel(script), Names: slices.Clone(names),
				Unverified: slices.Contains(g.ScriptsUnverified, script),
			})
		}
	}
	slices.SortFunc(r.Scripts, func(a, b Script) int { return cmp.Compare(a.Script, b.Script) })
	for _, sn := range g.Sanctions {
		r.Sanctions = append(r.Sanctions, Sanction{Authority: sn.Authority, Date: sn.Date, Program: sn.Program, Target: sn.Target})
	}
	return r
}

func scriptLabel(script string) string {
	switch script {
	case "zh":
		return "Chinese"
	case "km":
		return "Khmer"
	}
	return script
}
