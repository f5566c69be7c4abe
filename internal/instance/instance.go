// Package instance keeps one azchat window per settings folder. Two
// windows on one history each write the chat they show from their own
// copy of it, and overwrite each other's messages; so the first window
// holds a lock (window.lock in the folder given) and listens on a socket
// beside it (w.sock), and a second start asks it to come to the front
// (Raise) and ends. The headless commands are not windows: they read and
// write the history beside a window, as before.
package instance

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/azchat/azchat/internal/filelock"
)

// ErrRunning is Claim finding another window holding the folder.
var ErrRunning = errors.New("another azchat window is open")

// Window is the claim of the window that holds the folder.
type Window struct {
	lock, sock string
	unlock     func()
	ln         net.Listener

	mu    sync.Mutex
	raise func() Answer
}

// Answer is what the window tells a second start.
type Answer string

const (
	// Raised: the window came to the front.
	Raised Answer = "ok"
	// Quitting: the window is ending; the second start may start once
	// the folder is free.
	Quitting Answer = "quitting"
	// Busy: the window did not get to it in time (its UI thread is held).
	Busy Answer = "busy"
	// Starting: the window is not up yet (OnRaise not set): asked again.
	Starting Answer = "starting"
)

// errStarting is a window not up yet: Raise asks again.
var errStarting = errors.New("the open window is starting")

// ErrQuitting is Raise hearing that the window is ending.
var ErrQuitting = errors.New("the open window is quitting")

// ErrBusy is Raise hearing that the window did not come up in time.
var ErrBusy = errors.New("the open window did not answer")

const raiseLine = "raise"

// sockPath is the socket of the window of dir: w.sock in it, or where
// that path is too long for a socket (about 100 bytes), a name made from
// it in the temporary folder.
func sockPath(dir string) string {
	p := filepath.Join(dir, "w.sock")
	if len(p) <= 100 {
		return p
	}
	sum := sha256.Sum256([]byte(dir))
	// The user's own runtime folder (0700) where there is one: in the
	// shared temporary folder another user could take the name first.
	base := os.Getenv("XDG_RUNTIME_DIR")
	if base == "" {
		base = os.TempDir()
	}
	return filepath.Join(base, "azchat-"+hex.EncodeToString(sum[:8])+".sock")
}

// Claim makes this process the window of dir, or fails with ErrRunning.
// Where locks cannot be taken (a file system without them), it claims
// nothing and returns a Window that does nothing, as azchat did before.
// A socket that cannot be made (a path too long for one) leaves the lock
// held: a second start then says that a window is open, without raising
// it.
func Claim(dir string) (*Window, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &Window{}, nil
	}
	w := &Window{lock: filepath.Join(dir, "window.lock"), sock: sockPath(dir)}
	unlock, err := filelock.TryLock(w.lock)
	switch {
	case errors.Is(err, filelock.ErrHeld):
		return nil, ErrRunning
	case err != nil:
		return &Window{}, nil
	}
	w.unlock = unlock
	_ = os.Remove(w.sock) // left by a window that crashed: the lock is ours
	if ln, err := net.Listen("unix", w.sock); err == nil {
		w.ln = ln
		go w.serve()
	}
	return w, nil
}

// OnRaise sets what a second start's request does (bring the window to
// the front) and what it is told; until it is set, a request is answered
// Starting (and asked again).
func (w *Window) OnRaise(f func() Answer) {
	w.mu.Lock()
	w.raise = f
	w.mu.Unlock()
}

func (w *Window) serve() {
	for {
		c, err := w.ln.Accept()
		if err != nil {
			return // closed
		}
		go func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || strings.TrimSpace(line) != raiseLine {
				return // not a second azchat: nothing is done
			}
			w.mu.Lock()
			f := w.raise
			w.mu.Unlock()
			answer := Starting
			if f != nil {
				answer = f()
			}
			_, _ = c.Write([]byte(string(answer) + "\n"))
		}()
	}
}

// Release gives the folder up (at the end of the window).
func (w *Window) Release() {
	if w == nil || w.unlock == nil {
		return
	}
	if w.ln != nil {
		_ = w.ln.Close()
		_ = os.Remove(w.sock)
	}
	w.unlock()
	w.unlock = nil
}

// Raise asks the window holding dir to come to the front, waiting up to
// timeout for its answer: nil once it did, ErrQuitting, ErrBusy, or the
// error reaching it. A window that has only just taken the folder may not
// listen yet, or not be up (a double-click starts two): it is asked again
// until the timeout (then ErrBusy, if it was still starting).
func Raise(dir string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	starting := false // it answered, not up yet
	for {
		err := raiseOnce(dir, time.Until(deadline))
		starting = starting || errors.Is(err, errStarting)
		switch {
		case err == nil || errors.Is(err, ErrQuitting) || errors.Is(err, ErrBusy):
			return err
		case time.Now().After(deadline) && starting:
			return ErrBusy
		case time.Now().After(deadline):
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func raiseOnce(dir string, timeout time.Duration) error {
	c, err := net.DialTimeout("unix", sockPath(dir), timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write([]byte(raiseLine + "\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	switch Answer(strings.TrimSpace(line)) {
	case Raised:
		return nil
	case Quitting:
		return ErrQuitting
	case Busy:
		return ErrBusy
	case Starting:
		return errStarting
	}
	return errors.New("unexpected answer: " + strings.TrimSpace(line))
}

// WaitFree claims dir once the window holding it has ended, waiting up
// to timeout (for a window that said it is quitting).
func WaitFree(dir string, timeout time.Duration) (*Window, error) {
	deadline := time.Now().Add(timeout)
	for {
		w, err := Claim(dir)
		if !errors.Is(err, ErrRunning) || time.Now().After(deadline) {
			return w, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
