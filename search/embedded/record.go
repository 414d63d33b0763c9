package embedded

import (
	"fmt"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// A record is the bleve document of a search.Doc, or of one document's
// events, built field by field rather than by bleve's mapping. The
// mapping walks a map of values by reflection, makes a field of every
// value of a list, splits each into a token a word and counts them in a
// map sized for every token, then merges the maps of a list's values: a
// fifth of writing a document, and most of its garbage. A record's field
// holds all its values and counts the words as it splits them.
//
// The mapping remains the definition of the fields: a record takes each
// field's options from it, and queries are analysed with its analyzer.
// TestRecordLikeMapping holds the two to the same fields, terms and
// counts.
type record struct {
	doc  *document.Document
	opts fieldOptions
	err  error
}

// fieldOptions are the indexing options of the fields of a mapping.
type fieldOptions map[string]index.FieldIndexingOptions

func optionsOf(m mapping.IndexMapping) (fieldOptions, error) {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok || im.DefaultMapping == nil {
		return nil, fmt.Errorf("index mapping %T has no default document mapping", m)
	}
	opts := fieldOptions{}
	for name, dm := range im.DefaultMapping.Properties {
		if len(dm.Fields) == 1 {
			opts[name] = dm.Fields[0].Options()
		}
	}
	return opts, nil
}

func newRecord(id string, opts fieldOptions) *record {
	doc := document.NewDocument(id)
	doc.SetIndexed()
	return &record{doc: doc, opts: opts}
}

// options returns the options of a field, which the mapping must have.
func (r *record) options(name string) index.FieldIndexingOptions {
	o, ok := r.opts[name]
	if !ok && r.err == nil {
		r.err = fmt.Errorf("field %q is not in the index's mapping", name)
	}
	return o
}

// text adds a field of values analysed as analyzerName does. Like the
// mapping, it adds no field for no values.
func (r *record) text(name string, values ...string) { r.names(name, nil, values...) }

// names is text for names that recur across documents, whose terms memo
// keeps (see termMemo); a nil memo keeps none.
func (r *record) names(name string, memo *termMemo, values ...string) {
	if len(values) > 0 {
		r.doc.AddField(&wordsField{field: field{name: name, values: values, opts: r.options(name)}, memo: memo})
	}
}

// keywords adds a field of values taken whole, as the keyword analyzer
// does. Like the mapping, it adds no field for no values.
func (r *record) keywords(name string, values ...string) {
	if len(values) > 0 {
		r.doc.AddField(&keywordsField{field{name: name, values: values, opts: r.options(name)}})
	}
}

func (r *record) number(name string, v float64) {
	r.doc.AddField(document.NewNumericFieldWithIndexingOptions(name, nil, v, r.options(name)))
}

// stored adds a field that is kept, not indexed.
func (r *record) stored(name string, v []byte) {
	r.doc.AddField(document.NewTextFieldWithIndexingOptions(name, nil, v, r.options(name)))
}

// field is what the text fields of a record share: all the values of
// the field in one, never stored.
type field struct {
	name   string
	values []string
	opts   index.FieldIndexingOptions
	length int
	freqs  index.TokenFrequencies
}

func (f *field) Name() string                                     { return f.name }
func (f *field) ArrayPositions() []uint64                         { return nil }
func (f *field) Options() index.FieldIndexingOptions              { return f.opts }
func (f *field) EncodedFieldType() byte                           { return 't' }
func (f *field) AnalyzedLength() int                              { return f.length }
func (f *field) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// Value is the first value: the field is not stored, so only bleve's
// accounting reads it.
func (f *field) Value() []byte { return []byte(f.values[0]) }

func (f *field) NumPlainTextBytes() uint64 {
	n := 0
	for _, v := range f.values {
		n += len(v)
	}
	return uint64(n)
}

// Size is an estimate for bleve's accounting of memory.
func (f *field) Size() int { return int(f.NumPlainTextBytes()) + 64*len(f.freqs) }

// wordsField is a text field of values split by Words, folded and
// lowered as analyzerName's filters do.
type wordsField struct {
	field
	memo *termMemo // nil: every value is split
}

// Analyze runs on bleve's analysis workers, several at once.
func (f *wordsField) Analyze() {
	// An article of 4.85 KB has about 800 words, 407 of them different;
	// its 270 entity names, 4 KB, about 430. So the estimate falls short
	// of the names by a fifth, and of the text of half the articles by a
	// few words.
	distinct := int(f.NumPlainTextBytes())/12 + 1
	f.length, f.freqs = 0, make(index.TokenFrequencies, distinct)
	slab := make([]index.TokenFreq, 0, distinct)
	// count takes key as the term's map key, or makes one when it is "".
	count := func(term []byte, key string) {
		f.length++
		if tf, ok := f.freqs[string(term)]; ok {
			tf.SetFrequency(tf.Frequency() + 1)
			return
		}
		if key == "" {
			key = string(term)
		}
		if len(slab) == cap(slab) {
			// A quarter slab for what the estimate missed: a whole one
			// more was a tenth of what the index allocates.
			slab = make([]index.TokenFreq, 0, max(16, cap(slab)/4))
		}
		slab = append(slab, index.TokenFreq{Term: term})
		tf := &slab[len(slab)-1]
		tf.SetFrequency(1)
		f.freqs[key] = tf
	}
	for _, v := range f.values {
		if f.memo != nil {
			for _, t := range f.memo.terms(v) {
				count(t.term, t.key)
			}
			continue
		}
		eachTerm(v, func(term []byte) { count(term, "") })
	}
}

// eachTerm calls yield with the terms of v as analyzerName makes them.
func eachTerm(v string, yield func(term []byte)) {
	text := foldText(v)
	Words(text, func(start, end int) bool {
		yield(lowerTerm(text[start:end]))
		return true
	})
}

// termMemo remembers the terms of entity names. The indexer gives a
// document every spelling of every entity it names (a province brings
// those of all its districts, in three scripts): about 270 names for an
// article, nearly as many bytes as its text, drawn from a few hundred
// names across a corpus. Splitting each once rather than in every
// document took 7% off the CPU of writing an article, and a third of its
// allocations (BenchmarkEmbeddedUpsert). The memo keeps the first limit
// names it sees (a few more when analysis workers add at once), the
// gazetteer's in practice, and splits any other name every time.
type termMemo struct {
	names sync.Map // name → []memoTerm
	n     atomic.Int64
	limit int64
}

// memoTerm is a term as a field's frequency key and as TokenFreq.Term.
// Every document that names it shares them: bleve only reads them.
type memoTerm struct {
	key  string
	term []byte
}

// memoNames bounds an index's termMemo: the shipped gazetteer has about
// 1,400 names, and a name takes some 200 bytes.
const memoNames = 1 << 14

func newTermMemo(limit int64) *termMemo { return &termMemo{limit: limit} }

func (m *termMemo) terms(name string) []memoTerm {
	if ts, ok := m.names.Load(name); ok {
		return ts.([]memoTerm)
	}
	ts := []memoTerm{}
	eachTerm(name, func(term []byte) { ts = append(ts, memoTerm{key: string(term), term: term}) })
	if m.n.Load() < m.limit {
		if _, had := m.names.LoadOrStore(name, ts); !had {
			m.n.Add(1)
		}
	}
	return ts
}

// foldText is a copy of s folded as the index's char filter folds it
// (foldFilter): ASCII is its own folding.
func foldText(s string) []byte {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return foldFilter{asciifolding.New()}.Filter([]byte(s))
		}
	}
	return []byte(s)
}

// lowerTerm lowers a word as bleve's lowercase filter does, over its
// bytes: ASCII here, the rest by the filter itself.
func lowerTerm(w []byte) []byte {
	for i, c := range w {
		if c >= utf8.RuneSelf {
			t := &analysis.Token{Term: w}
			lowercase.NewLowerCaseFilter().Filter(analysis.TokenStream{t})
			return t.Term
		}
		if 'A' <= c && c <= 'Z' {
			w[i] = c + 'a' - 'A'
		}
	}
	return w
}

// keywordsField is a text field of values each taken as one term, as
// the keyword analyzer takes them.
type keywordsField struct{ field }

func (f *keywordsField) Analyze() {
	f.length = len(f.values)
	f.freqs = make(index.TokenFrequencies, len(f.values))
	tfs := make([]index.TokenFreq, 0, len(f.values))
	for _, v := range f.values {
		if tf, ok := f.freqs[v]; ok {
			tf.SetFrequency(tf.Frequency() + 1)
			continue
		}
		tfs = append(tfs, index.TokenFreq{Term: []byte(v)})
		tf := &tfs[len(tfs)-1]
		tf.SetFrequency(1)
		f.freqs[v] = tf
	}
}
