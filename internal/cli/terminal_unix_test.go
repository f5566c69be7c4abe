//go:build unix

package cli

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/internal/testwait"
	"github.com/azchat/azchat/settings"
)

// lockedBuffer is a bytes.Buffer safe to read while ask writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestCtrlCStopsWithTheSignalsExitCode: Ctrl+C stopped the answer and
// exited 3, as if Azure had cut it: a shell loop of questions went on to
// the next. It now writes what arrived and ends by the signal (130 where
// it cannot).
func TestCtrlCStopsWithTheSignalsExitCode(t *testing.T) {
	srv := &fakeazure.Server{APIKey: key, Reply: func([]map[string]any) string { return strings.Repeat("word ", 5000) }, Pace: 50}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	result := make(chan int, 1)
	raised := make(chan os.Signal, 1)
	go func() {
		result <- Run([]string{"ask", "talk"}, Env{
			Stdin: strings.NewReader(""), Stdout: out, Stderr: errb,
			Getenv: func(k string) string {
				return map[string]string{settings.EnvEndpoint: srv.URL(), settings.EnvDeployment: "chat", settings.EnvAPIKey: key}[k]
			},
			Prefs: &settings.MemPrefs{},
			// The process ends by the signal (RaiseSignal), here recorded.
			Raise: func(s os.Signal) { raised <- s },
		})
	}()
	// Words on stdout: ask listens for the signal (it does before sending).
	testwait.Until(t, 10*time.Second, "the answer to stream", func() bool { return strings.Contains(out.String(), "word") })
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-result:
		if code != 130 || !strings.Contains(errb.String(), "stopped (interrupt)") || !strings.HasSuffix(out.String(), "\n") {
			t.Fatalf("code %d, stderr %q", code, errb.String())
		}
		if s := <-raised; s != os.Interrupt {
			t.Fatalf("raised %v, want the interrupt", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ask did not stop on Ctrl+C")
	}
}
