package app

import (
	"os"
	"sync"
	"sync/atomic"

	"github.com/azchat/azchat/settings"
)

// folders keeps where each kind of file dialog (export, attach, import)
// was last used for the next start: each opened in the home folder again
// after a restart. Saving writes the settings file, off the UI thread;
// only the newest folder of a kind is written (seq), one write at a time.
type folders struct {
	write sync.Mutex
	seq   map[string]*atomic.Uint64
}

func newFolders() *folders {
	f := &folders{seq: map[string]*atomic.Uint64{}}
	for _, k := range []string{settings.FolderExport, settings.FolderAttach, settings.FolderImport} {
		f.seq[k] = new(atomic.Uint64)
	}
	return f
}

// folder is where the next dialog of kind opens (set on the UI thread).
func (u *UI) folder(kind string) *string {
	switch kind {
	case settings.FolderExport:
		return &u.exportDir
	case settings.FolderAttach:
		return &u.attachDir
	}
	return &u.importDir
}

// rememberFolder makes dir where the next dialog of kind opens, now and
// after a restart.
func (u *UI) rememberFolder(kind, dir string) {
	*u.folder(kind) = dir
	seq := u.folders.seq[kind]
	n := seq.Add(1)
	go func() {
		u.folders.write.Lock()
		defer u.folders.write.Unlock()
		if seq.Load() == n { // not one chosen since, already written
			u.store.SetFolder(kind, dir)
		}
	}()
}

// restoreFolders takes up the folders saved by an earlier run, those that
// are still folders (a removed drive's is not), checked off the UI thread;
// not over a folder used since the window opened.
func (u *UI) restoreFolders() {
	saved := map[string]string{}
	for kind := range u.folders.seq {
		if dir := u.store.Folder(kind); dir != "" {
			if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
				saved[kind] = dir
			}
		}
	}
	if len(saved) == 0 {
		return
	}
	u.bridge.push(func() {
		for kind, dir := range saved {
			if p := u.folder(kind); *p == "" {
				*p = dir
			}
		}
	})
}
