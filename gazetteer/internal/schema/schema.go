// Package schema defines the YAML layout of a gazetteer file. It is shared by
// the loader (package gazetteer) and the generator (internal/refgen) so the
// file the generator writes is, by construction, the file the loader reads.
package schema

// File is a whole gazetteer file. A user override replaces the shipped file
// entirely, so every section a matcher needs is part of the file rather than
// compiled into the binary.
type File struct {
	// Version is the schema version of the file (currently 1).
	Version int `yaml:"version"`
	// ContextWords mark a text as being about Cambodia; guarded aliases only
	// fire in such texts (or next to a place cue word, or beside a linked
	// entity).
	ContextWords []string `yaml:"context_words,omitempty"`
	// PlaceCues are words that, right after a guarded place alias
	// ("Kep province"), confirm that it is a place.
	PlaceCues []string `yaml:"place_cues,omitempty"`
	// HeadNouns are the nouns a compound mention absorbs when they follow
	// its name ("Huang Le" + "compound"), longest first.
	HeadNouns []string `yaml:"head_nouns,omitempty"`
	// StopPhrases are phrases that contain an alias but are not a mention
	// of it ("Kampot pepper"); nothing inside them is tagged.
	StopPhrases []string `yaml:"stop_phrases,omitempty"`
	// CompanyWords end a company's name ("Group", "Co", "Ltd"): a compound
	// alias followed by one (after at most two other words: "Zun Yuan
	// Technology Incorporated") names the firm, not the site.
	CompanyWords []string `yaml:"company_words,omitempty"`
	Provinces    []Entry  `yaml:"provinces"`
	Compounds    []Entry  `yaml:"compounds"`
	Tycoons      []Entry  `yaml:"tycoons"`
}

// Entry is one gazetteer record.
type Entry struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// Kind: province|capital; compound|casino|casino_complex|hotel|…;
	// person|company.
	Kind string `yaml:"kind,omitempty"`
	// Category refines a company (bank, payment_institution, armed_group…).
	Category string `yaml:"category,omitempty"`
	Code     string `yaml:"code,omitempty"` // ISO 3166-2 code of a province
	// Aliases match anywhere (subject to capitalisation checks).
	Aliases []string `yaml:"aliases,omitempty"`
	// Guarded aliases are also ordinary words or names elsewhere; they need
	// context (see File.ContextWords).
	Guarded []string `yaml:"guarded,omitempty"`
	// HeadOnly aliases only match when a head noun follows ("Bokor" +
	// "compound"), because alone they name something else.
	HeadOnly []string `yaml:"head_only,omitempty"`
	ZH       []string `yaml:"zh,omitempty"`
	KM       []string `yaml:"km,omitempty"`
	// ScriptsUnverified lists the scripts (zh, km) whose spellings were not
	// seen in a source.
	ScriptsUnverified []string `yaml:"scripts_unverified,omitempty"`
	// Places are towns, districts and landmarks that stand for a province.
	Places []Place `yaml:"places,omitempty"`
	// Place is the town, commune or area of a compound.
	Place    string `yaml:"place,omitempty"`
	Province string `yaml:"province,omitempty"` // province id (Cambodia)
	// Region is the first-level division outside Cambodia.
	Region    string     `yaml:"region,omitempty"`
	Country   string     `yaml:"country,omitempty"`
	Links     []string   `yaml:"links,omitempty"`
	Sanctions []Sanction `yaml:"sanctions,omitempty"`
	Uncertain bool       `yaml:"uncertain,omitempty"`
	// UncertainReason is a short label, not a quotation of the reference.
	UncertainReason string `yaml:"uncertain_reason,omitempty"`
}

// Place is a stand-in for a province.
type Place struct {
	Name      string   `yaml:"name"`
	Kind      string   `yaml:"kind,omitempty"`
	Aliases   []string `yaml:"aliases,omitempty"`
	Guarded   []string `yaml:"guarded,omitempty"`
	KM        string   `yaml:"km,omitempty"`
	ZH        []string `yaml:"zh,omitempty"`
	Uncertain bool     `yaml:"uncertain,omitempty"`
}

// Sanction is one designation as reported.
type Sanction struct {
	Authority string `yaml:"authority"`
	Date      string `yaml:"date"`
	Program   string `yaml:"program,omitempty"`
	Target    string `yaml:"target,omitempty"`
}
