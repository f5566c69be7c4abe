//go:build unix

package export

import (
	"io/fs"
	"os"
	"syscall"
)

// ownLink reports whether the symbolic link fi describes (from Lstat)
// belongs to the user azchat runs as.
func ownLink(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
