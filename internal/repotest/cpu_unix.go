//go:build unix

package repotest

import (
	"syscall"
	"time"
)

// CPUTime is the user and system CPU time of this process so far (zero
// where the system does not say). Benchmarks report it beside the wall
// clock, which a shared machine disturbs more.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
