//go:generate go run ./internal/gen -ref ../../shared/reference -out ../config/gazetteer.yaml

// Package gazetteer holds the known compounds, tycoons and provinces with
// their aliases, and finds them in text.
//
// The data comes from a YAML file (config/gazetteer.yaml is shipped in the
// binary; a user file replaces it). Everything the matcher needs, including
// its word lists, is in that file, so a user can fix a false match without a
// new build.
package gazetteer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/document"
	"github.com/compoundwatch/compoundwatch/gazetteer/internal/schema"
)

// Record is one known entity.
type Record struct {
	ID   string
	Type string // document.Compound, document.Tycoon or document.Province
	// Kind: province or capital; compound, casino, hotel, SEZ…; person or
	// company.
	Kind     string
	Category string // for companies: bank, payment_institution, armed_group…
	Name     string
	Code     string // ISO 3166-2 code of a province
	// Aliases holds every surface form the gazetteer knows for the record
	// (name, aliases, guarded and head-only forms, stand-in places, script
	// names), for search synonyms.
	Aliases []string
	// Scripts holds names in other scripts by ISO 15924-ish key: "zh", "km".
	Scripts           map[string][]string
	ScriptsUnverified []string // scripts whose spelling no source showed
	Places            []Place  // provinces: towns and landmarks standing for it
	Place             string   // compounds: town, commune or area
	Province          string   // compounds: province id (Cambodia only)
	Region            string   // compounds outside Cambodia: state or province
	Country           string
	Links             []string // ids of linked records (owner <-> compound)
	Sanctions         []Sanction
	Uncertain         bool
	UncertainReason   string
}

// Place is a town, district or landmark that stands for a province.
type Place struct {
	Name      string
	Kind      string
	Aliases   []string
	Uncertain bool
}

// Sanction is a designation as reported.
type Sanction struct {
	Authority string
	Date      string
	Program   string
	Target    string
}

func (r Record) clone() Record {
	r.Aliases = slices.Clone(r.Aliases)
	s := make(map[string][]string, len(r.Scripts))
	for k, v := range r.Scripts {
		s[k] = slices.Clone(v)
	}
	r.Scripts = s
	r.ScriptsUnverified = slices.Clone(r.ScriptsUnverified)
	r.Places = slices.Clone(r.Places)
	for i := range r.Places {
		r.Places[i].Aliases = slices.Clone(r.Places[i].Aliases)
	}
	r.Links = slices.Clone(r.Links)
	r.Sanctions = slices.Clone(r.Sanctions)
	return r
}

// Gazetteer is immutable after Load and safe for concurrent use.
type Gazetteer struct {
	data    []byte // the file, for WithLinks
	version string
	records []Record
	byID    map[string]int
	// aliasNames holds every record's aliases, sorted and each once, and
	// aliasRanks each record's aliases as their indexes into it,
	// ascending: for AppendAliases.
	aliasNames []string
	aliasRanks [][]int32
	// lookup maps a normalised form to the records it names, canonical
	// names first.
	lookup map[string][]lookupRef
	// variants maps a variant key (variantKey) to the records one of whose
	// Latin spellings has it, for Variants.
	variants    map[string][]variantRef
	variantKeys [256][]spelling       // the keys of variants by their first byte, in file order
	byFirst     map[string][]spelling // variant key of a name's first word → keys of variants
	nameWords   map[string]bool       // variant keys of the words of people's names
	m           matcher
	// folds recycles the folded copies of texts (getFold, putFold): one
	// is as large as its text and lives only during FindWith or Resolve.
	// Copies of huge texts are not kept (maxPooledFold).
	folds sync.Pool
	// aliasSets recycles AppendAliases's sets of alias numbers (*[]uint64,
	// a bit for each of aliasNames), each left empty.
	aliasSets sync.Pool
}

type lookupRef struct {
	rec    int
	isName bool
}

// Version is a short hash of the gazetteer's content.
func (g *Gazetteer) Version() string { return g.version }

// Patterns is the number of distinct folded spellings Find looks for:
// the size that matching speed depends on.
func (g *Gazetteer) Patterns() int { return len(g.m.pats) }

// Entity returns the record with the given id.
func (g *Gazetteer) Entity(id string) (Record, bool) {
	i, ok := g.byID[id]
	if !ok {
		return Record{}, false
	}
	return g.records[i].clone(), true
}

// AppendAliases appends to dst the aliases of the records with the
// given ids, sorted and each once, growing it once: what search adds to
// a document that names them (search.FromTagged), some 270 names an
// article, which it merges with the document's own names in the room
// it leaves before them. The aliases are numbered in sorted order once,
// so a document's are the bits set in a set of their numbers, read in
// order, rather than a merge of strings (or a sort of the numbers,
// which took half as long again): FromTagged 26.9–27.6 → 14.1–15.0 µs
// an article, 8,141 → 3,690 allocations for 200 (search's
// BenchmarkFromTagged).
func (g *Gazetteer) AppendAliases(dst, ids []string) []string {
	set, _ := g.aliasSets.Get().(*[]uint64)
	if set == nil {
		s := make([]uint64, (len(g.aliasNames)+63)/64)
		set = &s
	}
	defer g.aliasSets.Put(set)
	n := 0
	for _, id := range ids {
		i, ok := g.byID[id]
		if !ok {
			continue
		}
		for _, r := range g.aliasRanks[i] {
			w, bit := &(*set)[r>>6], uint64(1)<<(r&63)
			if *w&bit == 0 {
				*w |= bit
				n++
			}
		}
	}
	if n == 0 {
		return dst
	}
	dst = slices.Grow(dst, n)
	for w, word := range *set {
		for ; word != 0; word &= word - 1 {
			dst = append(dst, g.aliasNames[w<<6+bits.TrailingZeros64(word)])
		}
		(*set)[w] = 0
	}
	return dst
}

// Records returns the records of a type in file order; typ "" returns all.
func (g *Gazetteer) Records(typ string) []Record {
	var out []Record
	for _, r := range g.records {
		if typ == "" || r.Type == typ {
			out = append(out, r.clone())
		}
	}
	return out
}

var typeOrder = map[string]int{document.Province: 0, document.Compound: 1, document.Tycoon: 2}

// Resolve finds the id of the record that name (an id, canonical name or any
// alias, compared after normalisation) denotes. typ "" searches all types;
// when a name denotes several records, a canonical name beats an alias and
// then provinces come before compounds and tycoons, so
// Resolve("", "Koh Thom") is the Kandal district rather than the casino.
func (g *Gazetteer) Resolve(typ, name string) (string, bool) {
	if i, ok := g.byID[strings.TrimSpace(name)]; ok && (typ == "" || g.records[i].Type == typ) {
		return g.records[i].ID, true
	}
	// The key is built on the stack and folded in pooled memory: discovery
	// resolves many names per document.
	f := g.getFold()
	var kb [64]byte
	refs := g.lookup[string(appendKey(kb[:0], f, name))]
	g.putFold(f)
	best := -1
	for _, ref := range refs {
		r := g.records[ref.rec]
		if typ != "" && r.Type != typ {
			continue
		}
		if best < 0 || better(ref, r, refs[best], g.records[refs[best].rec]) {
			best = slices.Index(refs, ref)
		}
	}
	if best < 0 {
		return "", false
	}
	return g.records[refs[best].rec].ID, true
}

// Lookup returns the ids of every record of type typ ("" for all) that
// name (an id, canonical name or alias) denotes, canonical names first:
// where Resolve picks one, Lookup lets a caller that must not guess (an
// alert subscription) list the candidates.
func (g *Gazetteer) Lookup(typ, name string) []string {
	if i, ok := g.byID[strings.TrimSpace(name)]; ok && (typ == "" || g.records[i].Type == typ) {
		return []string{g.records[i].ID}
	}
	var ids []string
	for _, ref := range g.lookup[key(name)] {
		if r := g.records[ref.rec]; (typ == "" || r.Type == typ) && !slices.Contains(ids, r.ID) {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

func better(a lookupRef, ra Record, b lookupRef, rb Record) bool {
	if a.isName != b.isName {
		return a.isName
	}
	return typeOrder[ra.Type] < typeOrder[rb.Type]
}

// Default loads the gazetteer shipped in the binary.
func Default() (*Gazetteer, error) {
	return Load(config.DefaultGazetteer())
}

// LoadFile loads a user gazetteer. It replaces the shipped one entirely, so
// a user can remove entries as well as add them.
func LoadFile(path string) (*Gazetteer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	g, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

var idRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load parses a gazetteer file. Unknown keys are errors, and every error
// names the section, entry and line, because the file is meant to be edited
// by hand.
func Load(data []byte) (*Gazetteer, error) { return load(data, nil) }

// load is Load with editors' links applied (WithLinks).
func load(data []byte, links []Link) (*Gazetteer, error) {
	var f schema.File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("gazetteer: empty file")
		}
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	// The lines of entries are only wanted in an error message, and
	// finding them parses the file a second time: a quarter of a load
	// that succeeds, so they are found when a message is printed.
	lines := sync.OnceValue(func() map[string][]int { return entryLines(data) })
	at := func(section string, i int) entryAt { return entryAt{section, i, lines} }
	if f.Version != 1 {
		return nil, fmt.Errorf("gazetteer: version: want 1, got %d", f.Version)
	}
	if len(f.Provinces)+len(f.Compounds)+len(f.Tycoons) == 0 {
		return nil, errors.New("gazetteer: no provinces, compounds or tycoons")
	}

	for _, l := range links {
		for _, list := range [][]schema.Entry{f.Compounds, f.Tycoons} {
			for i := range list {
				if list[i].ID == l.ID {
					list[i].Aliases = append(list[i].Aliases, l.Name)
				}
			}
		}
	}
	g := &Gazetteer{data: data, byID: map[string]int{}, lookup: map[string][]lookupRef{}}
	h := sha256.New()
	h.Write(data)
	for _, l := range links {
		fmt.Fprintf(h, "\x00%s\x00%s", l.Name, l.ID)
	}
	g.version = hex.EncodeToString(h.Sum(nil)[:6])

	type src struct {
		section string
		idx     int
		e       *schema.Entry
	}
	var srcs []src
	for _, s := range []struct {
		name string
		typ  string
		list []schema.Entry
	}{{"provinces", document.Province, f.Provinces}, {"compounds", document.Compound, f.Compounds}, {"tycoons", document.Tycoon, f.Tycoons}} {
		for i := range s.list {
			e := &s.list[i]
			where := at(s.name, i)
			if !idRE.MatchString(e.ID) {
				return nil, fmt.Errorf("gazetteer: %s: id %q: want lower-case words joined by '-'", where, e.ID)
			}
			if strings.TrimSpace(e.Name) == "" {
				return nil, fmt.Errorf("gazetteer: %s: %s: name is empty", where, e.ID)
			}
			if j, dup := g.byID[e.ID]; dup {
				return nil, fmt.Errorf("gazetteer: %s: id %q already used by %s", where, e.ID, at(srcs[j].section, srcs[j].idx))
			}
			switch s.typ {
			case document.Tycoon:
				if e.Kind != "person" && e.Kind != "company" {
					return nil, fmt.Errorf("gazetteer: %s: %s: kind %q: want person or company", where, e.ID, e.Kind)
				}
			case document.Province:
				if e.Kind == "" {
					e.Kind = "province"
				}
			}
			for _, sc := range e.Sanctions {
				if !dateRE.MatchString(sc.Date) {
					return nil, fmt.Errorf("gazetteer: %s: %s: sanction date %q: want YYYY, YYYY-MM or YYYY-MM-DD", where, e.ID, sc.Date)
				}
			}
			g.byID[e.ID] = len(g.records)
			g.records = append(g.records, toRecord(s.typ, e))
			srcs = append(srcs, src{s.name, i, e})
		}
	}
	for i, r := range g.records {
		where := at(srcs[i].section, srcs[i].idx)
		if r.Province != "" {
			if j, ok := g.byID[r.Province]; !ok || g.records[j].Type != document.Province {
				return nil, fmt.Errorf("gazetteer: %s: %s: province %q is not a province id", where, r.ID, r.Province)
			}
		}
		for _, l := range r.Links {
			if _, ok := g.byID[l]; !ok {
				return nil, fmt.Errorf("gazetteer: %s: %s: link %q is not a record id", where, r.ID, l)
			}
		}
	}

	for _, r := range g.records {
		g.aliasNames = append(g.aliasNames, r.Aliases...)
	}
	slices.Sort(g.aliasNames)
	g.aliasNames = slices.Clip(slices.Compact(g.aliasNames))
	g.aliasRanks = make([][]int32, len(g.records))
	for i, r := range g.records {
		for _, a := range r.Aliases {
			k, _ := slices.BinarySearch(g.aliasNames, a)
			g.aliasRanks[i] = append(g.aliasRanks[i], int32(k))
		}
		slices.Sort(g.aliasRanks[i])
		g.aliasRanks[i] = slices.Clip(slices.Compact(g.aliasRanks[i]))
	}

	// Lookup table for Resolve: every form, script names included.
	for i, r := range g.records {
		seen := map[string]bool{}
		for j, a := range r.Aliases {
			k := key(a)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			g.lookup[k] = append(g.lookup[k], lookupRef{rec: i, isName: j == 0})
		}
	}

	b := newMatcherBuilder()
	for i, s := range srcs {
		if err := b.addEntry(i, g.records[i].Type, s.e); err != nil {
			var c *collision
			if errors.As(err, &c) {
				o := srcs[c.other]
				return nil, fmt.Errorf("gazetteer: %s: %s: alias %q also names %s at %s; an alias may name one record per type",
					at(s.section, s.idx), s.e.ID, c.form, o.e.ID, at(o.section, o.idx))
			}
			return nil, fmt.Errorf("gazetteer: %s: %s: %w", at(s.section, s.idx), s.e.ID, err)
		}
	}
	if err := b.addVocabulary(&f); err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	g.m = b.build(g.records)
	g.buildVariants()
	return g, nil
}

var dateRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// toRecord flattens an entry; Aliases starts with the canonical name.
func toRecord(typ string, e *schema.Entry) Record {
	r := Record{
		ID: e.ID, Type: typ, Kind: e.Kind, Category: e.Category, Name: e.Name, Code: e.Code,
		Place: e.Place, Province: e.Province, Region: e.Region, Country: e.Country,
		Links: slices.Clone(e.Links), ScriptsUnverified: slices.Clone(e.ScriptsUnverified),
		Uncertain: e.Uncertain, UncertainReason: e.UncertainReason,
		Scripts: map[string][]string{},
	}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(r.Aliases, s) {
			r.Aliases = append(r.Aliases, s)
		}
		if script := scriptOf(s); script != "" && !slices.Contains(r.Scripts[script], s) {
			r.Scripts[script] = append(r.Scripts[script], s)
		}
	}
	add(e.Name)
	for _, s := range slices.Concat(e.Aliases, e.Guarded, e.HeadOnly, e.ZH, e.KM) {
		add(s)
	}
	for _, p := range e.Places {
		add(p.Name)
		for _, s := range slices.Concat(p.Aliases, p.Guarded, p.ZH, []string{p.KM}) {
			if s != "" {
				add(s)
			}
		}
		r.Places = append(r.Places, Place{Name: p.Name, Kind: p.Kind, Aliases: slices.Concat(p.Aliases, p.Guarded, p.ZH), Uncertain: p.Uncertain})
	}
	for _, sc := range e.Sanctions {
		r.Sanctions = append(r.Sanctions, Sanction(sc))
	}
	if len(r.Scripts) == 0 {
		r.Scripts = nil
	}
	return r
}

// scriptOf names the script of a non-Latin name ("zh", "km"), or "".
func scriptOf(s string) string {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			return "zh"
		case unicode.Is(unicode.Khmer, r):
			return "km"
		}
	}
	return ""
}

// entryAt names an entry of a section in a message.
type entryAt struct {
	section string
	i       int
	lines   func() map[string][]int
}

func (e entryAt) String() string {
	if l := e.lines()[e.section]; e.i < len(l) {
		return fmt.Sprintf("%s[%d] (line %d)", e.section, e.i, l[e.i])
	}
	return fmt.Sprintf("%s[%d]", e.section, e.i)
}

// entryLines returns the line of each entry of each section, for errors.
func entryLines(data []byte) map[string][]int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	out := map[string][]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		for _, item := range root.Content[i+1].Content {
			out[root.Content[i].Value] = append(out[root.Content[i].Value], item.Line)
		}
	}
	return out
}
