package settings

// Folder kinds: each file dialog opens where its own kind of file was
// last saved or picked, across restarts.
const (
	FolderExport = "export"
	FolderAttach = "attach"
	FolderImport = "import"
)

// Folder is the folder saved for kind ("" when none was). It may no
// longer exist: the caller checks, off the UI thread.
func (s *Store) Folder(kind string) string { return s.prefs.String("folders." + kind) }

// SetFolder saves dir as kind's folder.
func (s *Store) SetFolder(kind, dir string) { s.prefs.SetString("folders."+kind, dir) }
