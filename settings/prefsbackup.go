package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
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
)

// backupFile is where RecoverPrefs keeps the last readable copy of path.
func backupFile(path string) string { return path + ".bak" }

// RecoverPrefs checks the preferences file at path before Fyne reads it.
// A file that reads as a JSON object is copied to path.bak (when that
// differs). An empty or unreadable one is replaced by that copy, if it
// is good; one that is not empty is first set aside as
// path.damaged-TIME (returned as aside) so that Fyne, which would start
// afresh and write over it, does not destroy what it holds. An absent
// file is left absent (removing it is how a user starts afresh).
func RecoverPrefs(path string) (r Recovered, aside string, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return PrefsFine, "", nil
	}
	if err != nil {
		return PrefsFine, "", err
	}
	if isObject(b) {
		if old, err := os.ReadFile(backupFile(path)); err == nil && bytes.Equal(old, b) {
			return PrefsFine, "", nil
		}
		return PrefsFine, "", writeAtomic(backupFile(path), b)
	}
	if len(bytes.TrimSpace(b)) > 0 {
		aside = fmt.Sprintf("%s.damaged-%s", path, time.Now().Format("20060102-150405"))
		if err := os.Rename(path, aside); err != nil {
			return PrefsDamaged, "", err
		}
	}
	good, err := os.ReadFile(backupFile(path))
	if err != nil || !isObject(good) {
		return PrefsDamaged, aside, nil
	}
	if err := writeAtomic(path, good); err != nil {
		return PrefsDamaged, aside, err
	}
	return PrefsRestored, aside, nil
}

// isObject reports whether b is a JSON object, as Fyne writes its
// preferences.
func isObject(b []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(b, &m) == nil && m != nil
}

// writeAtomic replaces path with b (mode 0600) through a temporary file
// in its folder, so that no reader sees it half written.
func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".preferences-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
