//go:build !unix

package repotest

import "time"

// CPUTime is zero here: the process's CPU time is read on Unix only.
func CPUTime() time.Duration { return 0 }
