package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/azchat/azchat/chat/export"
)

// Fyne writes its preferences file in place: it truncates the file, then
// writes it. A crash, a power cut or a process killed in between leaves it
// empty or cut short, and Fyne then starts with no settings at all: every
// profile gone (their keys orphaned in the keychain). So at each start
// the window keeps a copy of a file it can read, and puts that copy back
// in place of one it cannot.

// Recovered says what RecoverPrefs did.
type Recovered int

const (
	// PrefsFine: the file was readable (or absent) and was kept as it is.
	PrefsFine Recovered = iota
	// PrefsRestored: the file was empty or damaged and the last good copy
	// was put back.
	PrefsRestored
	// PrefsDamaged: the file was empty or damaged and there was no good
	// copy to put back: azchat starts without settings.
	PrefsDamaged
	// PrefsNotRestored: the file was empty or damaged, and putting the
	// good copy back failed (the error says why); the copy is still there.
	PrefsNotRestored
)

// settleTries and settleGap: how long RecoverPrefs watches a file it
// cannot read before it calls it damaged. Another azchat (a window while a
// command starts) may be rewriting it at that moment, which takes
// milliseconds; restoring then would put an older copy over the new one.
// settleMax bounds the reads of a file that keeps changing. (Variables:
// tests shorten the wait.)
var (
	settleTries = 10
	settleGap   = 50 * time.Millisecond
	settleMax   = 40
)

// RecoverPrefs checks the preferences file at path before Fyne reads it.
// A file that reads as a JSON object is copied to path.bak when that
// differs (but a file holding no profiles never replaces a copy that
// holds some). One that stays empty or unreadable for half a second is
// replaced by that copy, if it is good; one that is not empty is first
// set aside as path.damaged-TIME (returned as aside), so that Fyne, which
// would start afresh and write over it, does not destroy what it holds.
// An absent file is left absent (removing it is how a user starts
// afresh). A link at path is followed: its target is what is written.
func RecoverPrefs(path string) (r Recovered, aside string, err error) {
	if t, err := filepath.EvalSymlinks(path); err == nil {
		path = t
	}
	b, err := readPrefs(path)
	old, oldErr := os.ReadFile(backupFile(path))
	good := oldErr == nil && isObject(old)
	// Watched only when there is a copy to put back: with none, nothing
	// would be done differently.
	for try, reads := 1, 1; good && err == nil && !isObject(b) && try < settleTries && reads < settleMax; try, reads = try+1, reads+1 {
		time.Sleep(settleGap)
		var again []byte
		if again, err = readPrefs(path); err == nil && !bytes.Equal(again, b) {
			b, try = again, 0 // still being written: watch it again
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return PrefsFine, "", nil
	}
	if err != nil {
		return PrefsFine, "", err
	}
	if isObject(b) {
		if good && (bytes.Equal(old, b) || holdsProfiles(old) && !holdsProfiles(b)) {
			return PrefsFine, "", nil
		}
		return PrefsFine, "", export.WriteFile(backupFile(path), b)
	}
	notPut := PrefsDamaged
	if good {
		notPut = PrefsNotRestored
	}
	if len(bytes.TrimSpace(b)) > 0 {
		aside = fmt.Sprintf("%s.damaged-%s", path, time.Now().Format("20060102-150405.000000000"))
		if err := os.Rename(path, aside); err != nil {
			return notPut, "", err
		}
	}
	if !good {
		return PrefsDamaged, aside, nil
	}
	if err := export.WriteFile(path, old); err != nil {
		return notPut, aside, err
	}
	return PrefsRestored, aside, nil
}

// readPrefs reads the preferences file (tests replace it to play a
// writer at work).
var readPrefs = os.ReadFile

// backupFile is where RecoverPrefs keeps the last readable copy of path.
func backupFile(path string) string { return path + ".bak" }

// holdsProfiles reports whether preferences b hold at least one profile.
func holdsProfiles(b []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	var list string
	if json.Unmarshal(m[keyProfiles], &list) != nil {
		return false
	}
	var profiles []json.RawMessage
	return json.Unmarshal([]byte(list), &profiles) == nil && len(profiles) > 0
}

// isObject reports whether b is a JSON object, as Fyne writes its
// preferences.
func isObject(b []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(b, &m) == nil && m != nil
}

// KeepPrefsPrivate makes the preferences file at path readable by the user
// alone, before Fyne opens it: it holds endpoints, deployment names,
// system messages and presets (no keys), and Fyne creates it readable by
// everyone (0644). An absent file is created as an empty object (Fyne then
// writes into it, keeping its mode); one that exists loses the group's and
// others' permissions. Not on Windows, whose files have no such bits.
func KeepPrefsPrivate(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	if t, err := filepath.EvalSymlinks(path); err == nil {
		path = t
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Lstat(path); lerr == nil {
			// A link to a file not there yet (a dotfiles folder): Fyne
			// creates it through the link, as it always did.
			return nil
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		f, cerr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if cerr == nil {
			_, werr := f.WriteString("{}")
			return errors.Join(werr, f.Close())
		}
		if !errors.Is(cerr, fs.ErrExist) {
			return cerr
		}
		// Written meanwhile (a command): made private below.
		fi, err = os.Stat(path)
	}
	switch {
	case err != nil:
		return err
	case fi.Mode().Perm()&0o077 != 0:
		return os.Chmod(path, fi.Mode().Perm()&0o700)
	}
	return nil
}
