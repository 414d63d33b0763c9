package timeline

import (
	"cmp"
	"hash/maphash"
	"slices"

	"github.com/compoundwatch/compoundwatch/timeline/minhash"
)

// simLeast is the lowest of the merging thresholds: a pair of sentences
// less alike than this merges under no rule of pair.
const simLeast = min(simSharedEntity, simSharedPlace, simNoEntity, simCopyEvent)

// leastSame is the fewest signature slots two sentences must agree in to
// reach simLeast, by minhash.Similarity's own arithmetic.
var leastSame = func() int {
	k := 0
	for float64(k)/minhash.Size < simLeast {
		k++
	}
	return k
}()

// reach is the widest gap pair allows between two periods, in seconds:
// an item whose period ended this long before another's start can merge
// with nothing from then on.
const reach = looseWindowDays * 24 * 60 * 60

// candidates finds, for each item in turn, the clusters it may join and
// their members it may merge with, so that Build compares an item with
// the few reports of its happening rather than with every report of the
// last week and more: a timeline of 20,000 events took one to three
// seconds that way, and up to 46 where one happening gathered thousands
// of reports (BenchmarkBuild). It is exact: a member it leaves out could not pass pair,
// because the two sentences agree in fewer than leastSame slots, or the
// member's period ended too long ago, or it is of the item's document.
//
// While few items are live (periods within reach), it compares an item
// with each of them: a journalist's timeline of a few hundred events
// never needs more, and comparing costs less than indexing. Past
// plainMax live items it indexes them, by each slot's value. Identical
// signatures share one shape, so that a sentence said a thousand times
// (wire copies, or a page built to slow us down) is counted once a slot;
// the count is also the similarity, so no pair of signatures is
// compared. Expired shapes leave the index when a count meets them, and
// in a sweep once as many shapes came in as were left by the last, so
// that the index holds about the shapes of the last days however long
// the timeline.
type candidates struct {
	plainMax int
	live     []*item // until indexed
	indexed  bool

	slots  map[uint64]bucket // by slot<<32 | value
	shapes map[uint64]*shape // by the signature's hash
	seed   maphash.Seed
	added  int // shapes indexed since the last sweep
	kept   int // shapes the last sweep kept
	floor  int // the fewest shapes between sweeps

	round int
	found []*shape
	out   []*cluster
}

// cand is a member that may merge with the round's item, and the
// similarity of their sentences.
type cand struct {
	m   *item
	sim float64
}

// bucket holds the shapes of one slot and value; most have one, held
// without a slice of its own.
type bucket struct {
	one  *shape
	more []*shape
}

// shape is one signature and the items that have it.
type shape struct {
	sig   minhash.Signature
	items []*item
	end   int64 // the latest period end of its items, Unix seconds
	round int   // the last round that counted it
	same  int   // its slots that agree with that round's item
}

// newCandidates returns candidates that index past plainMax live items
// and sweep the index after floor new shapes at least. Build's values
// spare short timelines the index and the sweeps; tests ask for more of
// both.
func newCandidates(plainMax, floor int) *candidates {
	return &candidates{plainMax: plainMax, floor: floor}
}

// expired reports a period end (Unix seconds) too long before the start
// of it to merge with it; as items come by start, it stays so.
func expired(it *item, end int64) bool { return it.start-end >= reach }

// clusters returns the clusters it may join, in the order they were made
// (Build's order for ties), each with its members that may merge with it
// in cands.
func (x *candidates) clusters(it *item) []*cluster {
	x.round++
	x.found, x.out = x.found[:0], x.out[:0]
	if it.sig.Empty() {
		return nil // Similarity is 0: it merges with nothing
	}
	if !x.indexed {
		live := x.live[:0]
		for _, m := range x.live {
			if expired(it, m.end) {
				continue
			}
			live = append(live, m)
			if sim := minhash.Similarity(it.sig, m.sig); sim >= simLeast {
				x.offer(it, m, sim)
			}
		}
		clear(x.live[len(live):])
		x.live = live
	} else {
		x.count(it)
	}
	slices.SortFunc(x.out, func(a, b *cluster) int { return cmp.Compare(a.seq, b.seq) })
	return x.out
}

// offer lists m in its cluster's cands for it.
func (x *candidates) offer(it, m *item, sim float64) {
	if m.docNo == it.docNo {
		return // its cluster is closed to it
	}
	c := m.cluster
	if c.round != x.round {
		c.round, c.cands = x.round, c.cands[:0]
		x.out = append(x.out, c)
	}
	c.cands = append(c.cands, cand{m, sim})
}

// count finds the candidates for it in the index.
func (x *candidates) count(it *item) {
	for i, v := range it.sig {
		key := slotKey(i, v)
		b, ok := x.slots[key]
		if !ok {
			continue
		}
		if b = x.prune(it, key, b); b.one == nil {
			continue
		}
		x.countOne(b.one)
		for _, s := range b.more {
			x.countOne(s)
		}
	}
	for _, s := range x.found {
		sim := float64(s.same) / minhash.Size // minhash.Similarity's arithmetic
		live := s.items[:0]
		for _, m := range s.items {
			if !expired(it, m.end) {
				live = append(live, m)
				x.offer(it, m, sim)
			}
		}
		clear(s.items[len(live):])
		s.items = live
	}
}

func (x *candidates) countOne(s *shape) {
	if s.round != x.round {
		s.round, s.same = x.round, 0
	}
	if s.same++; s.same == leastSame {
		x.found = append(x.found, s)
	}
}

// slotKey is the index's key of a signature's slot i holding v.
func slotKey(i int, v uint32) uint64 { return uint64(i)<<32 | uint64(v) }

// prune takes the shapes expired for it out of the bucket b at key, and
// returns what is left (nothing, b.one nil, when it took the bucket out).
func (x *candidates) prune(it *item, key uint64, b bucket) bucket {
	switch {
	case !b.drop(it):
	case b.one == nil:
		delete(x.slots, key)
	default:
		x.slots[key] = b
	}
	return b
}

// drop takes the shapes expired for it out of b, and reports whether
// there were any.
func (b *bucket) drop(it *item) bool {
	n := len(b.more)
	b.more = slices.DeleteFunc(b.more, func(s *shape) bool { return expired(it, s.end) })
	changed := len(b.more) < n
	if b.one != nil && expired(it, b.one.end) {
		b.one, changed = nil, true
	}
	if b.one == nil && len(b.more) > 0 {
		b.one, b.more = b.more[len(b.more)-1], b.more[:len(b.more)-1]
	}
	return changed
}

// add makes it a candidate for the items after it.
func (x *candidates) add(it *item) {
	switch {
	case it.sig.Empty():
	case x.indexed:
		x.index(it)
	case len(x.live) < x.plainMax:
		x.live = append(x.live, it)
	default:
		x.indexed = true
		x.slots, x.shapes, x.seed = map[uint64]bucket{}, map[uint64]*shape{}, maphash.MakeSeed()
		for _, m := range x.live {
			x.index(m)
		}
		x.live = nil
		x.index(it)
	}
}

func (x *candidates) index(it *item) {
	h := maphash.Comparable(x.seed, it.sig)
	s := x.shapes[h]
	if s == nil || s.sig != it.sig || expired(it, s.end) {
		// An expired shape may be gone from some of its buckets
		// already, and two signatures may share a hash: a new shape
		// takes the signature (shapes only save work; two of one
		// signature are still exact).
		if x.added++; x.added > max(x.kept, x.floor) {
			x.sweep(it)
		}
		s = &shape{sig: it.sig}
		x.shapes[h] = s
		for i, v := range it.sig {
			key := slotKey(i, v)
			b := x.slots[key]
			if b.one == nil {
				b.one = s
			} else {
				b.more = append(b.more, s)
			}
			x.slots[key] = b
		}
	}
	s.items = append(s.items, it)
	s.end = max(s.end, it.end)
}

// sweep takes every shape expired for it out of the index.
func (x *candidates) sweep(it *item) {
	for key, b := range x.slots {
		x.prune(it, key, b)
	}
	for h, s := range x.shapes {
		if expired(it, s.end) {
			delete(x.shapes, h)
		}
	}
	x.added, x.kept = 0, len(x.shapes)
}
