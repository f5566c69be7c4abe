package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/azchat/azchat/chat/export"
)

// AppDir is the folder Fyne gives the app with this ID on this OS: it holds
// Fyne's preferences file and the app's storage (the history database). The
// headless commands use it without starting Fyne, so both sides agree on
// one place and one file.
func AppDir(appID string) (string, error) {
	var root string
	switch runtime.GOOS {
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(home, "Library", "Preferences")
	case "windows":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		root = filepath.Join(home, "AppData", "Roaming")
	default:
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		root = dir
	}
	return filepath.Join(root, "fyne", appID), nil
}

// FilePrefs reads and writes the preferences file Fyne keeps for the app
// (a JSON object in AppDir), so the headless commands and the window share
// one source of truth. Each read goes to the file, so a change the window
// made a moment ago is seen; each write replaces the file atomically and
// keeps every key it does not change, whatever its type. The window's Fyne
// preferences watch the file and pick up what the CLI wrote.
type FilePrefs struct {
	path string
	mu   sync.Mutex
	// err is the last failure to read or write, for a caller that asks.
	err error
}

// NewFilePrefs opens the preferences file at path (it need not exist yet).
func NewFilePrefs(path string) *FilePrefs { return &FilePrefs{path: path} }

// PrefsFile is the path of Fyne's preferences file in an app folder.
func PrefsFile(appDir string) string { return filepath.Join(appDir, "preferences.json") }

func (p *FilePrefs) read() (map[string]json.RawMessage, error) {
	b, err := os.ReadFile(p.path)
	return p.parse(b, err)
}

// parse is read's result for the file's bytes b (or the error reading it).
func (p *FilePrefs) parse(b []byte, err error) (map[string]json.RawMessage, error) {
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(b) == 0) {
		return map[string]json.RawMessage{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("the settings file %s is not valid JSON: %w", p.path, err)
	}
	return m, nil
}

// readSettled is read for a write: a file found empty or not valid JSON
// is read again for a moment (settleTries × settleGap) before it is taken
// as it is. The window's Fyne rewrites the file in place (emptied, then
// written), and a write of the CLI that read it empty then kept only its
// own key: the window's other settings were lost.
func (p *FilePrefs) readSettled() (map[string]json.RawMessage, error) {
	for try := 1; ; try++ {
		b, err := readPrefs(p.path)
		if errors.Is(err, fs.ErrNotExist) || try >= settleTries || (err == nil && len(b) > 0 && json.Valid(b)) {
			return p.parse(b, err)
		}
		time.Sleep(settleGap)
	}
}

// String returns the string stored under key, or "" when there is none
// (or the value is not a string).
func (p *FilePrefs) String(key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	m, err := p.read()
	p.err = err
	if err != nil {
		return ""
	}
	var s string
	if raw, ok := m[key]; ok && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

// SetString stores value under key. A failure is kept for Err: the
// Prefs interface, like Fyne's, has no error return.
func (p *FilePrefs) SetString(key, value string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.err = p.set(key, value)
}

func (p *FilePrefs) set(key, value string) error {
	m, err := p.readSettled()
	if err != nil {
		// Never replace a file we could not understand: it is the user's.
		return err
	}
	raw, _ := json.Marshal(value)
	m[key] = raw
	out, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o700); err != nil {
		return err
	}
	return export.WriteFile(p.path, append(out, '\n'))
}

// Err reports the last read or write failure, or nil.
func (p *FilePrefs) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}
