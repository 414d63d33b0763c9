// Package hugepage asks Linux to back the Go heap with transparent huge
// pages where the system leaves that choice to each program.
//
// Linux maps a program's memory in pages of 4 KiB unless transparent huge
// pages (THP) give it pages of 2 MiB. Many distributions and virtual
// machines set THP to "madvise": huge pages only for memory a program
// asks for with madvise(MADV_HUGEPAGE), and the Go runtime asks for none
// since Go 1.21.1 (golang/go#61718, where the advice stalled allocation
// under memory pressure). On the virtual machines compoundwatch is
// measured on, a first touch of a page costs the guest a fault and the
// host one more, about 15 µs in all: `ingest` of 2,000 articles faulted
// 93,000 pages, a quarter of its CPU in system time, and its heap's
// translations missed the TLB more often than its work needed.
//
// The runtime gives no hook for the memory it maps, so Advise makes the
// heap grow by size bytes at once, with one allocation the runtime maps
// without touching, advises that range, and lets the collector free it.
// The range stays mapped and advised, and the allocator hands it out
// again, lowest addresses first, as the heap grows into it. Memory the
// heap maps beyond it has pages of 4 KiB as before.
//
// The costs are Linux's: where memory is fragmented, a fault in the range
// may wait for the kernel to compact a huge page (the stalls of
// golang/go#61718), and memory the runtime returns inside the range may
// come back when khugepaged rebuilds its huge pages (golang/go#64332), so
// a long-running process keeps about its peak heap resident. Both are
// bounded by the range, and the setting huge_pages turns the advice off.
package hugepage

import (
	"os"
	"strings"
)

// Heap is the heap address space that the commands reading, tagging and
// indexing in bulk advise: twice the resident peak of an `ingest` of
// 2,000 articles (410 MB). It is address space only until the heap grows
// into it.
const Heap = 1 << 30

// enabledFile states the system's THP policy.
const enabledFile = "/sys/kernel/mm/transparent_hugepage/enabled"

// Policy returns the system's THP policy: "always", "madvise" or
// "never", or "" where there is none (no THP in the kernel, or not
// Linux). Advise acts only under "madvise".
func Policy() string {
	enabled, err := os.ReadFile(enabledFile)
	if err != nil {
		return ""
	}
	return mode(string(enabled))
}

// mode returns the policy that a THP "enabled" file states, such as
// "madvise" for "always [madvise] never": the word in brackets, or "" if
// there is none.
func mode(enabled string) string {
	_, rest, ok := strings.Cut(enabled, "[")
	if !ok {
		return ""
	}
	mode, _, ok := strings.Cut(rest, "]")
	if !ok {
		return ""
	}
	return mode
}
