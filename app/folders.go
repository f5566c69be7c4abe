package app

import (
	"os"

	"github.com/azchat/azchat/settings"
)

// folderKinds are the file dialogs whose folders are kept for the next
// start (each opened in the home folder again after a restart).
var folderKinds = []string{settings.FolderExport, settings.FolderAttach, settings.FolderImport}

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
// after a restart. Saved on the UI thread, as every setting: the window's
// settings are Fyne's preferences, which rewrite their file in place as
// a value is set, and two goroutines setting values at once could both
// be writing it.
func (u *UI) rememberFolder(kind, dir string) {
	*u.folder(kind) = dir
	u.store.SetFolder(kind, dir)
}

// restoreFolders takes up the folders saved by an earlier run, those that
// are still folders (a removed drive's is not), checked off the UI thread;
// not over a folder used since the window opened.
func (u *UI) restoreFolders() {
	saved := map[string]string{}
	for _, kind := range folderKinds {
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
