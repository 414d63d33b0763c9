// Package pdfgen writes minimal, valid single-font PDFs for tests and
// fixtures: lines of text and simple tables, laid out at fixed positions,
// with a correct cross-reference table.
package pdfgen

import (
	"bytes"
	"fmt"
	"strings"
)

// Line is one line of text; Cells are placed at the matching X offsets
// (points from the left edge) on the same baseline, like a table row.
type Line struct {
	Cells []string
	X     []float64
	Size  float64 // font size, default 11
}

// Text returns a plain line at the left margin.
func Text(s string) Line { return Line{Cells: []string{s}, X: []float64{72}} }

// Row returns a table row with cells at the given X offsets.
func Row(x []float64, cells ...string) Line { return Line{Cells: cells, X: x} }

// Doc describes a PDF.
type Doc struct {
	Title        string
	CreationDate string // PDF date, e.g. "D:20240305000000Z"
	Pages        [][]Line
}

// Bytes renders the document.
func (d Doc) Bytes() []byte {
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }

	catalog := add("") // filled below
	pagesObj := add("")
	font := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids []string
	for _, lines := range d.Pages {
		var cs strings.Builder
		y := 770.0
		for _, l := range lines {
			size := l.Size
			if size == 0 {
				size = 11
			}
			for i, c := range l.Cells {
				x := 72.0
				if i < len(l.X) {
					x = l.X[i]
				}
				fmt.Fprintf(&cs, "BT /F1 %g Tf %g %g Td (%s) Tj ET\n", size, x, y, escape(c))
			}
			y -= size * 1.6
		}
		content := add(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", cs.Len(), cs.String()))
		page := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
			pagesObj, font, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	info := 0
	if d.Title != "" || d.CreationDate != "" {
		var s strings.Builder
		s.WriteString("<<")
		if d.Title != "" {
			fmt.Fprintf(&s, " /Title (%s)", escape(d.Title))
		}
		if d.CreationDate != "" {
			fmt.Fprintf(&s, " /CreationDate (%s)", escape(d.CreationDate))
		}
		s.WriteString(" >>")
		info = add(s.String())
	}

	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R", len(objs)+1, catalog)
	if info > 0 {
		fmt.Fprintf(&b, " /Info %d 0 R", info)
	}
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return r.Replace(s)
}
