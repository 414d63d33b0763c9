package repotest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// PeakRSS is the high-water mark of a process's own resident memory in
// bytes (VmHWM in Linux's /proc/<pid>/status; pid 0 is this process),
// and false where the system does not say or the process is gone. Read
// it rather than the rusage the kernel reports for a child at exit: Go
// starts children with CLONE_VM, and exec records the parent's
// high-water mark as the child's.
func PeakRSS(pid int) (int64, bool) {
	path := "/proc/self/status"
	if pid != 0 {
		path = fmt.Sprintf("/proc/%d/status", pid)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			kb, err := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
