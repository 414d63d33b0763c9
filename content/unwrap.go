package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unwrap joins the lines of hard-wrapped paragraphs, as plain-text files
// wrapped at a fixed width and the visual lines of a PDF page come: the
// extractor reads a line break as the end of a sentence and a short line
// without closing punctuation as a heading, so a sentence broken across
// lines lost its dates, figures and names (wrapped at 72 columns, the
// examples kept a third of their events). s is cleanText's output: lines
// trimmed, paragraphs at most one blank line apart.
//
// Within a block of lines with no blank line between them, a line that
// breaks off mid-sentence is joined to the next when the block reads as
// wrapped (see wrapWidth). Lists, table rows, "Key: value" lines and
// scripts written without spaces keep their line breaks, and so does a
// text with one paragraph a line.
func unwrap(s string) string {
	if !joinsLines(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	info := make([]lineInfo, len(lines))
	var blocks [][2]int // [start, end) of each run of two lines or more with no blank line
	for start := 0; start < len(lines); start++ {
		end := start
		for end < len(lines) && lines[end] != "" {
			end++
		}
		if end-start > 1 {
			blocks = append(blocks, [2]int{start, end})
			for i := start; i < end; i++ {
				info[i] = readLine(lines[i])
			}
			markTimelines(info[start:end])
		}
		start = end
	}
	// A paragraph whose lines all end a sentence or clause shows no width
	// of its own: it takes the widest of the paragraphs that do.
	text := 0
	for _, b := range blocks {
		text = max(text, wrapWidth(info[b[0]:b[1]], 0))
	}
	seps := make([]string, len(lines)-1) // what follows each line but the last
	for i := range seps {
		seps[i] = "\n"
	}
	joined := false
	for _, b := range blocks {
		if w := wrapWidth(info[b[0]:b[1]], text); w > 0 {
			for i := b[0]; i+1 < b[1]; i++ {
				if sep, ok := wrapped(&info[i], &info[i+1], w); ok {
					seps[i], joined = sep, true
				}
			}
		}
	}
	if !joined {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, line := range lines {
		b.WriteString(line)
		if i < len(seps) {
			b.WriteString(seps[i])
		}
	}
	return b.String()
}

// joinsLines reports whether s has two lines with no blank line between
// them, the only place unwrap may join: a text with its paragraphs a
// blank line apart, as most are, is passed over at the speed of a search.
func joinsLines(s string) bool {
	for i := strings.IndexByte(s, '\n'); i >= 0; {
		if i > 0 && s[i-1] != '\n' && i+1 < len(s) && s[i+1] != '\n' {
			return true
		}
		j := strings.IndexByte(s[i+1:], '\n')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// lineInfo is what unwrap reads of a line, read once.
type lineInfo struct {
	runes, firstWord int // in runes: the line, its first word
	first, last      rune
	// spaced: more than one word. ends: it ends a sentence or a clause
	// (endsClause). The rest keep a line break on either side: a table
	// row (cells apart by tabs, bars or runs of spaces inside a
	// sentence), a "Key: value" header line, the start of a list item
	// (listItem).
	spaced, ends, table, meta, item bool
	// hyphen: the line ends in a word's hyphen ("anti-"). dated: it opens
	// with a number, or with a capitalised word and a number ("July 14,
	// 2022", "12 August 2024"); timeline: it is one of three dated lines
	// or more in a row (markTimelines).
	hyphen, dated, timeline bool
}

// markTimelines marks the lines of each run of three dated lines or more
// in block: a timeline's entries, one a line, which keep their breaks
// even without full stops. Two in a row are as likely a wrapped sentence
// that names two dates.
func markTimelines(block []lineInfo) {
	for i := 0; i < len(block); {
		j := i
		for j < len(block) && block[j].dated {
			j++
		}
		for k := i; k < j && j-i >= 3; k++ {
			block[k].timeline = true
		}
		i = max(j, i+1)
	}
}

// readLine reads a line in one pass over its bytes, then its ends: the
// lines of a wrapped text are short, and a search per feature cost more
// than the joining.
func readLine(line string) lineInfo {
	l := lineInfo{firstWord: -1, ends: endsClause(line), item: listItem(line)}
	colon, gap, space := -1, -1, false // gap: the first space's offset
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c&0xc0 != 0x80 {
			l.runes++
		}
		switch c {
		case ' ':
			if l.firstWord < 0 {
				l.firstWord, gap = l.runes-1, i
			}
			// Two spaces apart cells, unless they end a sentence, as
			// some wrapping tools and typists put them.
			l.table = l.table || space && (i < 2 || !strings.ContainsRune(".!?:\"')", rune(line[i-2])))
		case '\t', '|':
			l.table = true
		case ':':
			if colon < 0 {
				colon = i
			}
		}
		space = c == ' '
	}
	l.spaced = l.firstWord >= 0
	if !l.spaced {
		l.firstWord = l.runes
	}
	// A header line, as extractText reads the header block; a colon
	// where no key can end rules it out without the regular expression.
	l.meta = 3 <= colon && colon <= len("published") && headerLine.MatchString(line)
	l.first, _ = utf8.DecodeRuneInString(line)
	l.last, _ = utf8.DecodeLastRuneInString(line)
	l.dated = unicode.IsDigit(l.first) || unicode.IsUpper(l.first) && gap >= 0 && gap+1 < len(line) && '0' <= line[gap+1] && line[gap+1] <= '9'
	if l.last == '-' && len(line) > 1 {
		before, _ := utf8.DecodeLastRuneInString(line[:len(line)-1])
		l.hyphen = unicode.IsLetter(before)
	}
	return l
}

// minWrapWidth is the narrowest width unwrap takes for wrapped prose:
// narrower blocks are lists, tables and addresses.
const minWrapWidth = 40

// wrapWidth returns the width, in runes, at which block (lines with no
// blank line between them) was wrapped, or 0 when it does not read as
// wrapped. The width is that of its widest line that breaks off
// mid-sentence, or else the text's (0 for none); a block is wrapped when
// no line of it is much wider, since a wrap width is a limit every line
// keeps. A text with one paragraph a line fails that test (its
// paragraphs are far wider than its headings). "Key: value" lines do not
// count, nor do lines of one word: a URL wider than the wrap is put on a
// line of its own.
func wrapWidth(block []lineInfo, text int) int {
	broken, widest := 0, 0
	for i, l := range block {
		if l.meta || !l.spaced {
			continue
		}
		widest = max(widest, l.runes)
		if i+1 < len(block) && !l.ends {
			broken = max(broken, l.runes)
		}
	}
	if broken < minWrapWidth {
		broken = text
	}
	if broken < minWrapWidth || 10*widest > 11*broken+10 {
		return 0
	}
	return broken
}

// wrapped reports whether line, followed by next in a block wrapped at
// width runes, was broken by the wrapping, and the separator that joins
// them: a space, or nothing after a word's hyphen ("anti-" "trafficking").
// A line much narrower than the width was broken on purpose; so was one
// before a capital or a number that would have fitted on it (a heading
// over its paragraph), and one of a timeline's entries (markTimelines).
func wrapped(line, next *lineInfo, width int) (sep string, ok bool) {
	lower := unicode.IsLower(next.first)
	// No sentence starts in lower case: a line that ends in "U.K." or a
	// semicolon before one ends no sentence. A colon before one may open
	// a list.
	if line.ends && (!lower || line.last == ':') || 10*line.runes < 6*width {
		return "", false
	}
	if line.table || next.table || line.meta || next.meta || next.item || unspaced(line.last) || unspaced(next.first) {
		return "", false
	}
	if !lower && line.runes+1+next.firstWord <= width {
		return "", false
	}
	if line.timeline && next.timeline {
		return "", false
	}
	if line.hyphen && lower {
		return "", true
	}
	return " ", true
}

// endsClause reports a line that ends a sentence or a clause, possibly
// inside closing quotes or brackets: a line break after it is the
// writer's.
func endsClause(line string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(line, "\"'”’)]»"))
	switch r {
	case '.', '!', '?', ':', ';', '…':
		return true
	}
	return false
}

// listItem reports a line that opens a list item: a bullet or a dash, or
// a number of up to three digits (not a year) or a letter followed by "."
// or ")" and a space.
func listItem(line string) bool {
	r, n := utf8.DecodeRuneInString(line)
	switch r {
	case '-', '•', '*', '–', '—', '·', '▪', '◦', '‣':
		return true
	}
	i := n
	switch {
	case '0' <= r && r <= '9':
		for i < len(line) && i < 3 && '0' <= line[i] && line[i] <= '9' {
			i++
		}
	case r >= utf8.RuneSelf || !unicode.IsLetter(r):
		return false
	}
	return i+1 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' '
}

// unspaced reports a letter of a script written without spaces between
// words, where a line break cannot become one.
func unspaced(r rune) bool {
	return r >= utf8.RuneSelf && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Khmer, unicode.Thai, unicode.Lao, unicode.Myanmar)
}
