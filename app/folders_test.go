package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// TestFileDialogsOpenWhereTheyWereLastUsed: Export, Attach and Import
// open in the folder each last used, also after a restart (they opened in
// the home folder again); a saved folder that is gone is not used.
func TestFileDialogsOpenWhereTheyWereLastUsed(t *testing.T) {
	prefs := &settings.MemPrefs{}
	earlier := settings.Load(prefs)
	exported, gone := t.TempDir(), filepath.Join(t.TempDir(), "unplugged")
	earlier.SetFolder(settings.FolderExport, exported)
	earlier.SetFolder(settings.FolderImport, gone)
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) { c.Prefs = prefs })
	waitUntil(t, func() bool {
		var dir string
		h.ui(func() { dir = h.u.exportDir })
		return dir == exported
	})
	h.send("a question")
	h.ui(func() {
		if h.u.importDir != "" {
			t.Errorf("import opens in %q, which is gone", h.u.importDir)
		}
		e := h.u.showExport()
		if e.dir != exported {
			t.Errorf("export opens in %q, not %q", e.dir, exported)
		}
	})
	// An export elsewhere: the next start's Export opens there.
	elsewhere := t.TempDir()
	h.ui(func() {
		e := h.u.showExport()
		e.dir = elsewhere
		e.name.SetText("chat.md")
		e.d.Confirm()
	})
	waitUntil(t, func() bool {
		_, err := os.Stat(filepath.Join(elsewhere, "chat.md"))
		return err == nil && settings.Load(prefs).Folder(settings.FolderExport) == elsewhere
	})
	// The other kinds keep their own.
	attached := t.TempDir()
	h.ui(func() { h.u.rememberFolder(settings.FolderAttach, attached) })
	waitUntil(t, func() bool { return settings.Load(prefs).Folder(settings.FolderAttach) == attached })
	if got := settings.Load(prefs).Folder(settings.FolderExport); got != elsewhere {
		t.Fatalf("export folder %q after a file was attached", got)
	}
}

// TestExportLeavesAFolderThatIsGone: Export opened after its folder was
// deleted offers the home folder (it showed the folder as if it were
// there, and failed).
func TestExportLeavesAFolderThatIsGone(t *testing.T) {
	h := newHarness(t, true)
	h.send("a question")
	gone := filepath.Join(t.TempDir(), "deleted")
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home folder:", err)
	}
	var e *exportDialog
	h.ui(func() {
		h.u.exportDir = gone
		e = h.u.showExport()
	})
	waitUntil(t, func() bool {
		var dir, shown string
		h.ui(func() { dir, shown = e.dir, e.folder.Text })
		return dir == home && shown == home
	})
}
