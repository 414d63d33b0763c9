package crawler

import (
	"encoding/binary"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/compoundwatch/compoundwatch/internal/fnv1a"
)

// Near-duplicate detection by MinHash over word bigrams (character
// 4-grams for scripts written without spaces), with LSH banding so that a
// new document is compared only with likely matches. A syndicated copy
// shares almost all bigrams with its original; a spun rewrite (words
// swapped for synonyms) still shares a third or more, while two different
// stories on the same subject share a few per cent.
const (
	minHashes     = 64
	lshRows       = 2
	lshBands      = minHashes / lshRows
	minShingles   = 12   // shorter texts are matched only exactly
	dupSimilarity = 0.30 // estimated Jaccard similarity that makes a duplicate
)

type signature [minHashes]uint32

type fingerprint struct {
	DocID string    `json:"id"`
	URL   string    `json:"url"`            // canonical URL
	Root  string    `json:"root,omitempty"` // canonical URL of the earliest copy, when a duplicate
	Hash  string    `json:"hash"`           // content hash
	Sig   []byte    `json:"sig,omitempty"`  // signature, little-endian uint32s
	At    time.Time `json:"at"`
}

type dedupIndex struct {
	mu     sync.Mutex
	seeds  [minHashes]uint64
	docs   []fingerprint
	sigs   []signature
	hasSig []bool
	byDoc  map[string]int
	byHash map[string]int
	bands  map[uint64][]int32
}

func newDedupIndex() *dedupIndex {
	d := &dedupIndex{byDoc: map[string]int{}, byHash: map[string]int{}, bands: map[uint64][]int32{}}
	x := uint64(0x5eed_c0de_2024)
	for i := range d.seeds {
		x = splitmix(x)
		d.seeds[i] = x
	}
	return d
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// shingles returns the set of hashed shingles of text: FNV-1a of each
// shingle's parts, each followed by a 0 byte. fnv1a, rather than
// hash.Hash64, whose Write took each part as a new []byte, took a quarter
// off the time (BenchmarkShingles); the signatures in the crawl state
// were made with these values, so they must not change
// (TestShinglesUnchanged, FuzzShingles).
func shingles(text string) map[uint64]struct{} {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		if r < utf8.RuneSelf {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
		}
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r)
	})
	out := make(map[uint64]struct{}, len(words))
	long := 0
	for _, w := range words {
		if len(w) > 20 && utf8.RuneCountInString(w) > 20 {
			long++
		}
	}
	if len(words) >= 8 && long*4 < len(words) {
		for i := 1; i < len(words); i++ {
			out[fnvPart(fnvPart(fnv1a.Offset, words[i-1]), words[i])] = struct{}{}
		}
		return out
	}
	// Scripts without word spaces (Chinese, Khmer, Thai): character
	// 4-grams. The words hold no invalid UTF-8 (such bytes split words),
	// so a 4-gram's bytes are its runes' encoding.
	joined := strings.Join(words, "")
	starts := make([]int, 0, len(joined)+1)
	for i := range joined {
		starts = append(starts, i)
	}
	starts = append(starts, len(joined))
	for i := 4; i < len(starts); i++ {
		out[fnvPart(fnv1a.Offset, joined[starts[i-4]:starts[i]])] = struct{}{}
	}
	return out
}

// fnvPart continues the FNV-1a hash h over s and then a 0 byte.
func fnvPart(h uint64, s string) uint64 {
	return fnv1a.Add(fnv1a.Add(h, s), "\x00")
}

func (d *dedupIndex) sign(sh map[uint64]struct{}) signature {
	var sig signature
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for s := range sh {
		for i, seed := range d.seeds {
			if v := uint32(splitmix(s^seed) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

func similarity(a, b *signature) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / minHashes
}

func bandKey(band int, sig *signature) uint64 {
	var buf [4 + 4*lshRows]byte
	binary.LittleEndian.PutUint32(buf[:4], uint32(band))
	for r := range lshRows {
		binary.LittleEndian.PutUint32(buf[4+4*r:], sig[band*lshRows+r])
	}
	return fnv1a.Add(fnv1a.Offset, buf[:])
}

// match finds the earlier copy of a document: the same content hash, or
// a signature similar enough. It returns the root URL ("" when none) and
// the document's fingerprint to add.
func (d *dedupIndex) match(docID, url, hash, text string, at time.Time) (string, fingerprint) {
	fp := fingerprint{DocID: docID, URL: url, Hash: hash, At: at}
	sh := shingles(text)
	var sig signature
	if len(sh) >= minShingles {
		sig = d.sign(sh)
		fp.Sig = make([]byte, 4*minHashes)
		for i, v := range sig {
			binary.LittleEndian.PutUint32(fp.Sig[4*i:], v)
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	root := func(i int) string {
		if d.docs[i].Root != "" {
			return d.docs[i].Root
		}
		return d.docs[i].URL
	}
	if i, ok := d.byDoc[docID]; ok && d.docs[i].Root != "" {
		fp.Root = d.docs[i].Root // a new version of a known duplicate stays one
		return fp.Root, fp
	}
	if i, ok := d.byHash[hash]; ok && d.docs[i].DocID != docID {
		fp.Root = root(i)
		return fp.Root, fp
	}
	if fp.Sig == nil {
		return "", fp
	}
	best, bestSim := -1, dupSimilarity
	tried := map[int32]bool{}
	for b := range lshBands {
		for _, i := range d.bands[bandKey(b, &sig)] {
			if tried[i] || d.docs[i].DocID == docID {
				continue
			}
			tried[i] = true
			if s := similarity(&sig, &d.sigs[i]); s >= bestSim && (best < 0 || s > bestSim || d.docs[i].At.Before(d.docs[best].At)) {
				best, bestSim = int(i), s
			}
		}
	}
	if best >= 0 {
		fp.Root = root(best)
	}
	return fp.Root, fp
}

// add records fp (replacing an older version of the same document).
func (d *dedupIndex) add(fp fingerprint) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if i, ok := d.byDoc[fp.DocID]; ok {
		// Keep the first-seen time: "earlier copy" means first seen.
		if fp.At.After(d.docs[i].At) {
			fp.At = d.docs[i].At
		}
		d.docs[i] = fp
		d.byHash[fp.Hash] = i
		if len(fp.Sig) == 4*minHashes {
			var sig signature
			for k := range sig {
				sig[k] = binary.LittleEndian.Uint32(fp.Sig[4*k:])
			}
			if sig != d.sigs[i] {
				d.sigs[i], d.hasSig[i] = sig, true
				for b := range lshBands {
					k := bandKey(b, &sig)
					d.bands[k] = append(d.bands[k], int32(i))
				}
			}
		}
		return
	}
	i := len(d.docs)
	d.docs = append(d.docs, fp)
	var sig signature
	has := len(fp.Sig) == 4*minHashes
	if has {
		for k := range sig {
			sig[k] = binary.LittleEndian.Uint32(fp.Sig[4*k:])
		}
		for b := range lshBands {
			k := bandKey(b, &sig)
			d.bands[k] = append(d.bands[k], int32(i))
		}
	}
	d.sigs = append(d.sigs, sig)
	d.hasSig = append(d.hasSig, has)
	d.byDoc[fp.DocID] = i
	if _, ok := d.byHash[fp.Hash]; !ok {
		d.byHash[fp.Hash] = i
	}
}
