package repotest

// Watch is one subscription of a Watchlist: an entity to follow or a
// saved search, never both.
type Watch struct {
	Entity string // an entity id
	Query  string // two query words
}

// watchWords are the saved searches' words: forty, five of which the
// benchmark articles contain, so that, as with real saved searches, a few
// match each story and most do not.
var watchWords = [...]string{"trafficking", "rescued", "casino", "raid", "workers", "deported", "sanctions", "investors", "scam", "police",
	"bank", "crypto", "laundering", "court", "embassy", "passport", "visa", "border", "hotel", "zone",
	"election", "minister", "tycoon", "ring", "victims", "ransom", "torture", "escape", "guards", "wages",
	"loans", "bonds", "shares", "exports", "rice", "rubber", "garments", "tourism", "airport", "railway"}

// Watchlist returns n subscriptions as a newsroom keeps them, for the
// benchmarks of the alerts stage: half follow an entity of ids, half are
// saved searches of two words. The same n and ids give the same list, so
// that benchmarks of different stages match the same subscriptions.
func Watchlist(n int, ids []string) []Watch {
	out := make([]Watch, n)
	for i := range out {
		if i%2 == 0 {
			out[i].Entity = ids[(i*7)%len(ids)]
		} else {
			out[i].Query = watchWords[(i*13)%len(watchWords)] + " " + watchWords[(i*29+3)%len(watchWords)]
		}
	}
	return out
}
