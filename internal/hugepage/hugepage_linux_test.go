package hugepage

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// vma is a mapping of /proc/self/smaps.
type vma struct {
	start, end uint64
	flags      []string
	hugeKiB    int // AnonHugePages
}

func mappings(t *testing.T) []vma {
	t.Helper()
	raw, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	var out []vma
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
		case strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			lo, hi, _ := strings.Cut(f[0], "-")
			var v vma
			v.start, _ = strconv.ParseUint(lo, 16, 64)
			v.end, _ = strconv.ParseUint(hi, 16, 64)
			out = append(out, v)
		case f[0] == "VmFlags:" && len(out) > 0:
			out[len(out)-1].flags = f[1:]
		case f[0] == "AnonHugePages:" && len(out) > 0:
			out[len(out)-1].hugeKiB, _ = strconv.Atoi(f[1])
		}
	}
	return out
}

// advised returns the mappings marked for huge pages (VmFlags "hg").
func advised(t *testing.T) []vma {
	var out []vma
	for _, v := range mappings(t) {
		if slices.Contains(v.flags, "hg") {
			out = append(out, v)
		}
	}
	return out
}

// TestAdvise checks that the advice marks a range of the heap, that the
// heap then allocates from it, and that the kernel backs what it touches
// there with huge pages.
func TestAdvise(t *testing.T) {
	if p := Policy(); p != "madvise" {
		t.Skipf("THP policy is %q: Advise leaves it alone", p)
	}
	const size = 256 << 20
	ok, err := Advise(size)
	if err != nil || !ok {
		t.Fatalf("Advise = %v, %v; want true, nil", ok, err)
	}
	// The freed range is the lowest free memory of this small heap that
	// holds 64 MiB at once, so a new allocation of that size lands in it
	// (or starts a little below it, in free pages next to it); under this
	// policy no other heap memory is marked.
	const n = 64 << 20
	b := make([]byte, n)
	for i := range b {
		b[i] = 1
	}
	lo := uint64(uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	hi := lo + n
	var inside uint64
	huge := 0
	for _, v := range advised(t) {
		if s, e := max(v.start, lo), min(v.end, hi); s < e {
			inside += e - s
			huge += v.hugeKiB
		}
	}
	if inside < n*9/10 {
		t.Fatalf("%d of the 64 MiB allocated at %#x are in memory marked for huge pages, want most", inside>>20, lo)
	}
	if huge == 0 {
		t.Errorf("the advised memory holds no huge pages after 64 MiB were written to it")
	}
	t.Logf("%d MiB of the allocation advised; %d MiB of huge pages there", inside>>20, huge>>10)
}

// TestAdviseUnderAddressLimit runs Advise for a terabyte in a process
// under an address-space limit: the allocation would end the program, so
// Advise must decline before it.
func TestAdviseUnderAddressLimit(t *testing.T) {
	if os.Getenv("CW_HUGEPAGE_LIMITED") == "1" {
		lim := unix.Rlimit{Cur: 64 << 30, Max: unix.RLIM_INFINITY}
		if err := unix.Setrlimit(unix.RLIMIT_AS, &lim); err != nil {
			t.Skipf("cannot set an address-space limit: %v", err)
		}
		if ok, err := Advise(1 << 40); ok || err != nil {
			t.Fatalf("Advise under a limit = %v, %v; want false, nil", ok, err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestAdviseUnderAddressLimit$", "-test.v")
	cmd.Env = append(os.Environ(), "CW_HUGEPAGE_LIMITED=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS")) {
		t.Fatalf("the limited process did not pass:\n%s", out)
	}
}
