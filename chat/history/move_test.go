package history

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// movePaths returns a history's place in the app's folder as earlier
// azchats kept it, and its folder of its own, as main passes them.
func movePaths(t *testing.T) (old, path string) {
	dir := t.TempDir()
	return filepath.Join(dir, "history.db"), filepath.Join(dir, "history", "history.db")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// withSample makes a history at path holding sample's chat and returns
// it open.
func withSample(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceAll(sample()); err != nil {
		t.Fatal(err)
	}
	return s
}

func openMoving(t *testing.T, old, path string) *Store {
	t.Helper()
	s, err := OpenMoving(old, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustHaveSample(t *testing.T, s *Store) {
	t.Helper()
	c, err := s.Load("c1")
	if err != nil || len(c.Messages) != 2 || c.Messages[1].Content != "Bill Gates and Paul Allen." {
		t.Fatalf("the moved history lost its chat: %+v, %v", c, err)
	}
}

func gone(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s is still there", filepath.Base(p))
		}
	}
}

// TestOpenMovingCarriesTheLogAlong moves a history left as a crash leaves
// it: its newest chat only in the write-ahead log beside it. The chat
// arrives, and nothing of it stays in the old place.
func TestOpenMovingCarriesTheLogAlong(t *testing.T) {
	live := openTemp(t)
	if err := live.ReplaceAll(sample()); err != nil {
		t.Fatal(err)
	}
	old, path := movePaths(t)
	// Copied while it is open: the files as a crash would leave them.
	for _, ext := range []string{"", "-wal", "-shm"} {
		copyFile(t, live.Path()+ext, old+ext)
	}
	if fi, err := os.Stat(old + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("the chat is not in a log to carry along (%v): the test tests nothing", err)
	}
	before := time.Now().UnixMilli()
	s := openMoving(t, old, path)
	if s.Path() != path {
		t.Fatalf("opened at %s, not moved to %s", s.Path(), path)
	}
	if at := readMovedAt(filepath.Dir(path)); at < before || at > time.Now().UnixMilli() {
		t.Fatalf("the move's time is not recorded: %d", at)
	}
	mustHaveSample(t, s)
	gone(t, old, old+"-wal", old+"-shm", old+"-journal")
	more := sample()
	more.ID = "c2"
	if err := s.ReplaceAll(more); err != nil {
		t.Fatalf("the moved history takes no writes: %v", err)
	}
}

// TestOpenMovingLeavesAHistoryInUse: while another program has the old
// history open (an older azchat still running), it is opened where it is,
// seen whole; the next start, alone, moves it.
func TestOpenMovingLeavesAHistoryInUse(t *testing.T) {
	old, path := movePaths(t)
	holder := withSample(t, old)
	s, err := OpenMoving(old, path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != old {
		t.Fatalf("a history in use was moved to %s", s.Path())
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("a history appeared in the new place while the old one is in use")
	}
	mustHaveSample(t, s)
	s.Close()
	holder.Close()

	s = openMoving(t, old, path)
	if s.Path() != path {
		t.Fatalf("opened at %s once no one held it, not moved", s.Path())
	}
	mustHaveSample(t, s)
	gone(t, old, old+"-wal", old+"-shm")
}

// TestMoversTakeTurns starts several openings at once on a history still
// in the old place (the window and `azchat import` started together):
// every one opens the moved history, whole.
func TestMoversTakeTurns(t *testing.T) {
	old, path := movePaths(t)
	withSample(t, old).Close()
	const n = 4
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = OpenMoving(old, path) })
	}
	wg.Wait()
	for _, s := range stores {
		if s != nil {
			t.Cleanup(func() { s.Close() })
		}
	}
	for i, s := range stores {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if s.Path() != path {
			t.Errorf("opening %d used %s", i, s.Path())
			continue
		}
		mustHaveSample(t, s)
	}
	gone(t, old, old+"-wal", old+"-shm")
}

// TestOpenMovingLeavesWhatItCannotMove: a link the user made stays theirs;
// a file that is no database is set aside where it is (kept as it was),
// and a new history begins in the new place.
func TestOpenMovingLeavesWhatItCannotMove(t *testing.T) {
	t.Run("link", func(t *testing.T) {
		old, path := movePaths(t)
		target := filepath.Join(t.TempDir(), "elsewhere.db")
		withSample(t, target).Close()
		if err := os.Symlink(target, old); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		s := openMoving(t, old, path)
		if s.Path() != old {
			t.Fatalf("the link was moved to %s", s.Path())
		}
		mustHaveSample(t, s)
		if fi, err := os.Lstat(old); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link is gone: %v", err)
		}
	})
	t.Run("not a database", func(t *testing.T) {
		old, path := movePaths(t)
		if err := os.WriteFile(old, []byte("these are not the pages of a database, at all"), 0o600); err != nil {
			t.Fatal(err)
		}
		s := openMoving(t, old, path)
		if s.Path() != path || filepath.Dir(s.Recovered) != filepath.Dir(old) {
			t.Fatalf("opened %s, set aside %q", s.Path(), s.Recovered)
		}
		if b, err := os.ReadFile(s.Recovered); err != nil || string(b) != "these are not the pages of a database, at all" {
			t.Fatalf("the damaged file was not kept as it was: %v", err)
		}
		gone(t, old)
	})
}

// TestHoldHistoryHelper is the other program of
// TestOpenMovingLeavesAHistoryAnotherProgramHolds: it opens the history
// named by AZCHAT_HOLD_DB, says so, and holds it until its input ends.
func TestHoldHistoryHelper(t *testing.T) {
	path := os.Getenv("AZCHAT_HOLD_DB")
	if path == "" {
		t.Skip("run by TestOpenMovingLeavesAHistoryAnotherProgramHolds")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("c1"); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("holding\n")
	_, _ = io.Copy(io.Discard, os.Stdin)
	s.Close()
}

// holdHistory has another process open the history at path, as an older
// azchat would, until release, which waits for it to end.
func holdHistory(t *testing.T, path string) (release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldHistoryHelper$")
	cmd.Env = append(os.Environ(), "AZCHAT_HOLD_DB="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			stdin.Close()
			if err := cmd.Wait(); err != nil {
				t.Errorf("the holder failed: %v", err)
			}
		})
	}
	t.Cleanup(release)
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "holding\n" {
		t.Fatalf("the holder did not open the history: %q %v", line, err)
	}
	return release
}

// TestOpenMovingLeavesAHistoryAnotherProgramHolds: another process has the
// old history open (as an older azchat would): it is opened where it is;
// once that process ends, the next opening moves it.
func TestOpenMovingLeavesAHistoryAnotherProgramHolds(t *testing.T) {
	old, path := movePaths(t)
	withSample(t, old).Close()
	release := holdHistory(t, old)
	s, err := OpenMoving(old, path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Path() != old || exists(path) {
		t.Fatalf("a history another process holds was moved (opened %s)", s.Path())
	}
	mustHaveSample(t, s)
	s.Close()
	release()
	s = openMoving(t, old, path)
	if s.Path() != path {
		t.Fatalf("not moved once the holder ended: opened %s", s.Path())
	}
	mustHaveSample(t, s)
}

// TestAMoveCopies: a program that opened the old file before the move (an
// older azchat starting then) holds a file that is not the moved history:
// what it writes cannot reach the moved history with a log of its own.
func TestAMoveCopies(t *testing.T) {
	old, path := movePaths(t)
	withSample(t, old).Close()
	early, err := os.Open(old)
	if err != nil {
		t.Fatal(err)
	}
	defer early.Close()
	s := openMoving(t, old, path)
	if s.Path() != path {
		t.Fatalf("opened %s", s.Path())
	}
	held, err := early.Stat()
	if err != nil {
		t.Fatal(err)
	}
	moved, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(held, moved) {
		t.Fatal("the moved history is the file opened under the old name before the move")
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the moved history is readable by others: %v", fi.Mode())
	}
}

// TestAMoveNeverUsesStrayFiles: a log, journal or index left in the new
// folder without a database (SQLite would read it as the moved one's) keeps
// the history where it is; and a history already at the new name is never
// replaced, even by a mover that did not see it.
func TestAMoveNeverUsesStrayFiles(t *testing.T) {
	for _, ext := range []string{"-wal", "-journal", "-shm"} {
		t.Run(ext, func(t *testing.T) {
			old, path := movePaths(t)
			withSample(t, old).Close()
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path+ext, []byte("stray"), 0o600); err != nil {
				t.Fatal(err)
			}
			s := openMoving(t, old, path)
			if s.Path() != old || exists(path) {
				t.Fatalf("moved beside a stray %s (opened %s)", ext, s.Path())
			}
			mustHaveSample(t, s)
		})
	}
	t.Run("a history there", func(t *testing.T) {
		old, path := movePaths(t)
		withSample(t, old).Close()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("not to be replaced"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := moveDatabase(old, path); !errors.Is(err, errNotMoved) {
			t.Fatalf("moved over a history: %v", err)
		}
		if b, _ := os.ReadFile(path); string(b) != "not to be replaced" {
			t.Fatal("the history at the new name was replaced")
		}
		gone(t, path+".moving")
		s := openMoving(t, old, filepath.Join(filepath.Dir(path), "other.db"))
		mustHaveSample(t, s) // the old one is whole
	})
}
