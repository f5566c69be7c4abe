package export

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// WriteFile writes data to path atomically: a temp file in the same folder,
// synced, then renamed over path, so a crash never leaves half a file. A
// symbolic link at path is followed (its target is replaced, the link
// stays); a folder, a device or a pipe there is refused (see target).
func WriteFile(path string, data []byte) error {
	path, err := target(path)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		// Said of the folder: the name of the file written first (to be
		// renamed) means nothing to the user.
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			err = pe.Err
		}
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("the folder %s does not exist: create it, or export to another", dir)
		}
		return fmt.Errorf("cannot write in the folder %s: %w", dir, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	// A transcript is private: readable by its owner only (CreateTemp
	// already makes it 0600; the rename keeps that).
	if err := writeSynced(f, data); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// WriteExport writes what RenderFiles gave for path: first the extra
// files, into the folder FilesDir(path) beside path (made 0700 if it is
// not there; never followed if it is a symbolic link), then main to path.
// When path is a link of yours (see target), both go where it points: the
// folder beside that file, still named after path (the export's links use
// that name), so the images show when the target is opened.
// Each file is written like WriteFile does, atomically and readable by
// its owner only (0600), so the export's links work as soon as it exists.
// A key that is not a plain name inside that folder is refused before
// anything is written.
func WriteExport(path string, main []byte, extra map[string][]byte) error {
	to, err := target(path)
	if err != nil {
		return err
	}
	if len(extra) > 0 {
		// Beside the file written, under the name the export's links
		// use: the one given (a link's, when it is one).
		if err := writeFiles(filepath.Dir(to), FilesDir(path), extra); err != nil {
			return err
		}
	}
	return WriteFile(to, main)
}

// target is the file a write to path replaces: path, or the file a
// symbolic link of yours there points to. Renaming over anything but a regular file
// would replace it with one: the link itself, or (as root) a device such
// as /dev/full, or a pipe a reader waits on. Those are refused, saying so.
func target(path string) (string, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	if err != nil {
		return "", err
	}
	// One link at a time, each of them yours: in a shared folder such as
	// /tmp another user's link could point at one of your files, which
	// the export would replace.
	for hops := 0; fi.Mode()&fs.ModeSymlink != 0; hops++ {
		if !ownLink(fi) {
			return "", fmt.Errorf("%s is a symbolic link that belongs to another user: write the export to another name", path)
		}
		if hops == 40 {
			return "", fmt.Errorf("%s: too many symbolic links", path)
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		fi, err = os.Lstat(dest)
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("%s is a symbolic link to a file that does not exist: write the export to another name, or to the link's target", path)
		}
		if err != nil {
			return "", err
		}
		path = dest
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file (a folder, a device or a pipe): choose a file name for the export", path)
	}
	return path, nil
}

// writeFiles writes extra into the folder dirName in parent.
func writeFiles(parent, dirName string, extra map[string][]byte) error {
	names := make([]string, 0, len(extra))
	for key := range extra {
		d, name, ok := strings.Cut(key, "/")
		if !ok || d != dirName || !safeFileName(name) {
			return fmt.Errorf("cannot write %q: the files of an export go in %s/, under plain names", key, dirName)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	dir := filepath.Join(parent, dirName)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link: azchat writes an export's images only into a real folder (remove the link, or export under another name)", dir)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder: azchat keeps the export's images there (move it away, or export under another name)", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	// The folder opened is the one checked, not a link put in its place since.
	if rfi, err := root.Stat("."); err != nil || !os.SameFile(fi, rfi) {
		return fmt.Errorf("%s changed while the export was written: try again", dir)
	}
	for _, name := range names {
		if err := writeRootFile(root, name, extra[dirName+"/"+name]); err != nil {
			return err
		}
	}
	return nil
}

// writeRootFile writes one file inside root atomically, like WriteFile.
func writeRootFile(root *os.Root, name string, data []byte) (err error) {
	tmp := "." + name + ".tmp-" + rand.Text()[:10]
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = root.Remove(tmp)
		}
	}()
	if err := writeSynced(f, data); err != nil {
		return err
	}
	return root.Rename(tmp, name)
}

// writeSynced writes data to f, syncs it to the disk and closes it: the
// rename that follows never makes a file whose content is still in the
// page cache the only copy.
func writeSynced(f *os.File, data []byte) error {
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
