package web

import (
	"cmp"
	"slices"

	"github.com/compoundwatch/compoundwatch/document"
)

// record is the part of a gazetteer record the pages show. Everything the
// web package reads from the gazetteer goes through this file.
type record struct {
	ID, Type, Kind, Name string
	Aliases              []string
	Scripts              []Script
	Province             string
	Links                []string
	Sanctions            []Sanction
	Uncertain            bool
}

func (r record) ref() EntityRef {
	return EntityRef{ID: r.ID, Type: r.Type, Kind: r.Kind, Name: r.Name, Uncertain: r.Uncertain, URL: "/entity/" + r.ID}
}

func (s *server) record(id string) (record, bool) {
	if s.gaz == nil || id == "" {
		return record{}, false
	}
	g, ok := s.gaz.Entity(id)
	if !ok {
		return record{}, false
	}
	r := record{
		ID:        id,
		Type:      g.Type,
		Kind:      g.Kind,
		Name:      g.Name,
		Aliases:   slices.Clone(g.Aliases),
		Province:  g.Province,
		Links:     g.Links,
		Uncertain: g.Uncertain,
	}
	for script, names := range g.Scripts {
		if len(names) > 0 {
			r.Scripts = append(r.Scripts, Script{Script: script, Label: scriptLabel(script), Names: names})
		}
	}
	slices.SortFunc(r.Scripts, func(a, b Script) int { return cmp.Compare(a.Script, b.Script) })
	for _, sn := range g.Sanctions {
		r.Sanctions = append(r.Sanctions, Sanction{Authority: sn.Authority, Date: sn.Date, Program: sn.Program, Target: sn.Target})
	}
	return r, true
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

// records lists every record of every type.
func (s *server) records() []record {
	if s.gaz == nil {
		return nil
	}
	var out []record
	for _, typ := range []string{document.Compound, document.Tycoon, document.Province} {
		for _, g := range s.gaz.Records(typ) {
			if r, ok := s.record(g.ID); ok {
				out = append(out, r)
			}
		}
	}
	return out
}
