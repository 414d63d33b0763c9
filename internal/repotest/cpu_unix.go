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
	ru := rusage()
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MinorFaults counts this process's minor page faults so far (zero where
// the system does not say): on these virtual machines each costs up to
// 15 µs, so a phase that grows the heap pays for it in its rate.
func MinorFaults() int64 { return int64(rusage().Minflt) }

func rusage() syscall.Rusage {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return syscall.Rusage{}
	}
	return ru
}
