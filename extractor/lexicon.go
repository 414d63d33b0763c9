package extractor

import (
	"strings"
	"sync"
	"time"
)

// lexicon holds the word lists of the figure and date scanners. It is built
// once and never written afterwards, so one copy serves every goroutine.
type lexicon struct {
	numberWords map[string]float64 // "three", "twenty-five", "dozen"
	scales      map[string]float64 // "million", "billion"
	fractions   map[string]float64 // "third" → 33.3 (per cent of a whole)
	units       map[string]string  // plural count noun → gold unit
	stopNouns   map[string]bool    // counted things that are not figures (durations, documents…)
	function    map[string]bool    // words that end a noun phrase after a number
	adjectives  map[string]bool    // modifiers allowed between a number and its noun
	qualifiers  map[string]string  // "at least", "as many as" → gold qualifier
	namePrev    map[string]bool    // "Tier 3", "page 4": the number is a label
	currencies  map[string]bool    // non-USD currencies: not recorded
	personUnits map[string]bool
	months      map[string]int
	weekdays    map[string]time.Weekday
	abbrev      map[string]bool
}

var lex = sync.OnceValue(newLexicon)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func newLexicon() *lexicon {
	lx := &lexicon{
		numberWords: map[string]float64{},
		scales: map[string]float64{
			"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
			"bn": 1e9, "mn": 1e6, "mln": 1e6, "m": 1e6, "k": 1e3, "b": 1e9, "tn": 1e12,
		},
		fractions: map[string]float64{
			"half": 50, "third": 33.3, "thirds": 66.7, "quarter": 25, "quarters": 75,
			"fifth": 20, "fifths": 40, "tenth": 10,
		},
		units:       map[string]string{},
		personUnits: set("people victims suspects"),
		months:      map[string]int{},
		weekdays:    map[string]time.Weekday{},
	}
	small := strings.Fields("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
	for i, w := range small {
		lx.numberWords[w] = float64(i)
	}
	tens := strings.Fields("twenty thirty forty fifty sixty seventy eighty ninety")
	for i, t := range tens {
		lx.numberWords[t] = float64(20 + 10*i)
		for u := 1; u <= 9; u++ {
			lx.numberWords[t+"-"+small[u]] = float64(20 + 10*i + u)
		}
	}
	lx.numberWords["dozen"] = 12

	addUnit := func(unit, words string) {
		for _, w := range strings.Fields(words) {
			lx.units[w] = unit
		}
	}
	addUnit("people", `people persons individuals nationals citizens workers foreigners migrants
		refugees subscribers men women children minors girls boys teenagers youths students tourists
		employees staff labourers laborers detainees prisoners residents passengers others
		hostages captives escapees returnees deportees jobseekers job-seekers recruits`)
	addUnit("victims", "victims survivors")
	addUnit("suspects", "suspects")
	addUnit("sites", `sites locations areas buildings condominiums condos premises facilities venues
		centers centres casinos hotels complexes hotspots`)
	addUnit("compounds", "compounds")
	addUnit("countries", "countries")
	addUnit("nationalities", "nationalities")
	addUnit("provinces", "provinces")
	addUnit("complaints", "complaints")
	addUnit("requests", "requests")
	addUnit("reports", "reports")
	addUnit("cases", "cases incidents")

	lx.stopNouns = set(`year years month months week weeks day days hour hours minute minutes second
		seconds decade decades century centuries times time articles article assessments assessment
		publications documents studies study papers books pages page views likes shares comments
		followers members member group groups organisations organizations organisation organization
		ngos ngo agencies companies company firms ministries embassies partners stakeholders
		governments episodes photos videos images interviews languages words steps points items
		questions recommendations laws provisions km kilometres kilometers miles metres meters kg
		tons tonnes floors storeys stories rounds phases tiers levels versions dollars yuan baht
		riel euros pounds ringgit pesos kyat rupees dong won yen units rooms beds vehicles cars
		boats trucks flights phones computers devices accounts websites apps posts messages calls
		lines seats votes goals years-old year-old storey degrees hectares acres percentages`)

	lx.function = set(`the a an to in at for on by with from of into onto and or but as than that
		which who whom whose were was are is be been being have has had will would could can may
		might must should shall do did does not no nor while whereas this these those their its his
		her our your my across throughout through over under between among after before during
		since until within without about around against like near per via upon toward towards
		including involving where when what there here then so if because also still already yet
		just only even all both some many most each every any such said says say told according
		who're they we he she it i you them him us more less fewer least than according
		couldn't couldn’t wouldn't wouldn’t didn't didn’t weren't weren’t wasn't wasn’t aren't aren’t
		isn't isn’t haven't haven’t hasn't hasn’t had't won't won’t can't can’t don't don’t
		got get gets went go goes came come comes`)

	lx.adjectives = set(`foreign local new other additional former young undocumented illegal
		suspected alleged rescued trafficked enslaved missing dead injured detained arrested
		stranded different separate registered unregistered active known confirmed reported
		estimated online scam scamming fraud fraudulent suspicious male female adult elderly
		international domestic migrant overseas non-cambodian cambodian chinese vietnamese thai
		indonesian filipino malaysian korean japanese taiwanese burmese lao laotian indian
		african american european asian`)

	lx.qualifiers = map[string]string{
		"at least": "at least", "a minimum of": "at least", "no fewer than": "at least", "no less than": "at least",
		"more than": "more than", "greater than": "more than", "upwards of": "more than", "in excess of": "more than",
		"above": "more than", "multiple": "more than",
		"over": "over", "just over": "over", "simply over": "over", "slightly over": "over", "a little over": "over",
		"nearly": "nearly", "almost": "nearly", "practically": "nearly", "virtually": "nearly",
		"close to": "nearly", "just under": "nearly", "nearly all": "nearly",
		"about": "about", "around": "about", "round": "about", "roughly": "about", "approximately": "about",
		"approx": "about", "some": "about", "circa": "about", "an estimated": "estimated",
		"estimated": "estimated", "est": "estimated", "a projected": "estimated",
		"up to": "up to", "as many as": "up to", "as high as": "up to", "as much as": "up to",
		"at most": "up to", "fewer than": "up to", "less than": "up to", "under": "up to",
		"a total of": "exact", "total of": "exact", "exactly": "exact", "only": "exact", "just": "exact",
	}

	lx.namePrev = set(`tier level phase article section chapter no number vol volume issue part step
		route highway road gate building block room floor line version episode grade category class
		rank ranked ranking aged age ages page pages item figure table chart annex appendix paragraph
		clause rule act resolution decree sub-decree prakas code zone street st unit plot lot kilometre
		kilometer km mile`)

	lx.currencies = set(`€ £ ¥ ៛ ฿ ₫ ₱ ₹ euro euros pound pounds yuan rmb renminbi baht riel riels
		ringgit peso pesos kyat rupee rupees dong won yen`)

	for i, m := range strings.Fields("january february march april may june july august september october november december") {
		lx.months[m] = i + 1
	}
	for i, m := range strings.Fields("jan feb mar apr may jun jul aug sep oct nov dec") {
		lx.months[m] = i + 1
	}
	lx.months["sept"] = 9
	for i, d := range strings.Fields("sunday monday tuesday wednesday thursday friday saturday") {
		lx.weekdays[d] = time.Weekday(i)
	}
	lx.abbrev = set(`mr mrs ms dr gen maj lt col capt sgt prof sen rep gov st co ltd inc corp no vs
		jan feb mar apr jun jul aug sep sept oct nov dec approx est etc mt jr sr pol brig adm`)
	return lx
}
