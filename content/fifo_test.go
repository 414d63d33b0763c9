//go:build unix

package content

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadFileNamedPipe: ReadFile opens only regular files with
// O_NONBLOCK. A named pipe opened so would read as empty until its writer
// came; opened as os.Open does, ReadFile waits for the writer and reads
// what it writes.
func TestReadFileNamedPipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.txt")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	const text = "A raid on a compound in Poipet freed forty workers, the provincial police said on 5 May 2024."
	errc := make(chan error, 1)
	go func() {
		// The writer comes late, after ReadFile has opened the pipe:
		// opened non-blocking, the pipe would have read as empty by then.
		time.Sleep(200 * time.Millisecond)
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			errc <- err
			return
		}
		_, err = w.WriteString(text)
		w.Close()
		errc <- err
	}()
	raw, err := ReadFile(t.Context(), p)
	if err != nil {
		t.Fatalf("ReadFile of a named pipe: %v", err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(raw.Text, "Poipet") {
		t.Fatalf("text %q, want the writer's", raw.Text)
	}
}
