//go:build !unix

package repotest

import "time"

// CPUTime is zero here: the process's CPU time is read on Unix only.
func CPUTime() time.Duration { return 0 }

// MinorFaults is zero here, as CPUTime is.
func MinorFaults() int64 { return 0 }
