package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestExportEveryVersion: a chat with versions can be exported from the
// window with all of them (JSON), and imports back with them; the choice
// is offered for JSON only.
func TestExportEveryVersion(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "first answer"}, fakeazure.Behaviour{Reply: "second answer"})
	h.send("a question")
	h.ui(func() { h.u.regenerate() })
	answered(t, h, 2)
	h.settle()
	dir := t.TempDir()
	h.ui(func() {
		e := h.u.showExport()
		if e.versions.Hidden || !e.versions.Disabled() {
			t.Fatalf("with Markdown: versions shown %v, enabled %v", !e.versions.Hidden, !e.versions.Disabled())
		}
		e.format.SetSelected("JSON (.json)")
		e.versions.SetChecked(true)
		e.dir = dir
		e.name.SetText("tree.json")
		e.d.Confirm()
	})
	path := filepath.Join(dir, "tree.json")
	waitUntil(t, func() bool {
		b, _ := os.ReadFile(path)
		return strings.Contains(string(b), "first answer") && strings.Contains(string(b), "second answer")
	})
	conv, _, err := importFile(path, nil)
	if err != nil || len(conv.Others) != 1 || len(conv.Messages) != 2 {
		t.Fatalf("imported back: %+v %v", conv, err)
	}
}

// TestEscAfterAFormatIsChosen: with a format chosen (the list keeps the
// keys), Esc still cancels Export: a radio button clicked ignored Esc,
// leaving the dialog to take the next keys meant for the chat.
func TestEscAfterAFormatIsChosen(t *testing.T) {
	h := newHarness(t, true)
	h.send("hello")
	var e *exportDialog
	h.ui(func() { e = h.u.showExport() })
	h.ui(func() {
		e.format.SetSelected(exportFormats[1].label)
		h.u.win.Canvas().Focus(e.format)
		e.format.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if n := len(h.u.win.Canvas().Overlays().List()); n != 0 {
			t.Fatalf("Esc after a format was chosen left %d dialogs", n)
		}
	})
}

// TestExportNotDoneGoesBackToTheDialog: keeping an existing file, or a
// folder that cannot be written, goes back to Export with the choices
// made, to change the name or folder rather than start again.
func TestExportNotDoneGoesBackToTheDialog(t *testing.T) {
	h := newHarness(t, true)
	h.send("a question")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	exportDialogShown := func() (shown bool) {
		h.ui(func() {
			for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
				if b, ok := o.(*widget.Button); ok && b.Text == "Choose folder…" {
					shown = true
				}
			}
		})
		return shown
	}
	tap := func(label string) bool {
		found := false
		h.ui(func() {
			top := h.u.win.Canvas().Overlays().Top()
			if top == nil {
				return
			}
			for _, o := range test.LaidOutObjects(top) {
				if b, ok := o.(*widget.Button); ok && b.Text == label {
					test.Tap(b)
					found = true
					return
				}
			}
		})
		return found
	}
	h.ui(func() {
		e := h.u.showExport()
		e.format.SetSelected("Plain text (.txt)")
		e.dir = dir
		e.name.SetText("mine.txt")
		e.d.Confirm()
	})
	waitUntil(t, func() bool { return tap("No") }) // keep the file
	waitUntil(t, exportDialogShown)
	var name, format, folder string
	h.ui(func() {
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			switch w := o.(type) {
			case *escEntry:
				name = w.Text
			case *escSelect:
				format = w.Selected
			case *widget.Label:
				if w.Text == dir {
					folder = w.Text
				}
			}
		}
	})
	if name != "mine.txt" || format != "Plain text (.txt)" || folder != dir {
		t.Fatalf("back in Export: name %q, format %q, folder %q", name, format, folder)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "mine.txt")); string(b) != "keep me" {
		t.Fatalf("the file kept changed: %q", b)
	}
	// A folder that is not there: the error, then Export again.
	h.ui(func() { dismissTop(h.u.win) })
	h.ui(func() {
		e := h.u.showExport()
		e.dir = filepath.Join(dir, "gone", "away")
		e.name.SetText("x.md")
		e.d.Confirm()
	})
	waitUntil(t, func() bool { return tap("OK") })
	waitUntil(t, exportDialogShown)
	h.ui(func() {
		if h.u.exportDir == filepath.Join(dir, "gone", "away") {
			t.Fatal("the next export would start in the folder that failed")
		}
	})
}
