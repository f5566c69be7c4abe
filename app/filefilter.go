package app

import (
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// regularFiles lists only regular files in a file dialog (those that also
// match by name when names is set). Fyne's open dialog opens the file
// chosen on the UI thread before azchat sees it, and opening a pipe waits
// for a writer: a FIFO chosen there froze the window for good. Devices
// and sockets have nothing to attach or import either.
type regularFiles struct {
	names storage.FileFilter
}

// Matches reports whether u is a regular file (following links) that
// names, if set, matches.
func (f regularFiles) Matches(u fyne.URI) bool {
	if f.names != nil && !f.names.Matches(u) {
		return false
	}
	if u.Scheme() != "file" {
		return false
	}
	fi, err := os.Stat(u.Path())
	return err == nil && fi.Mode().IsRegular()
}
