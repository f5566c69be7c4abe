package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/export"
	"github.com/azchat/azchat/settings"
)

// exportDialog is the "Export chat" form; tests hold it to drive it.
type exportDialog struct {
	d      *dialog.ConfirmDialog
	format *escSelect
	name   *escEntry
	folder *widget.Label
	dir    string
	// versions: every version of each message, as a tree (JSON only;
	// shown when the chat has versions not on screen).
	versions *escCheck
}

var exportFormats = []struct {
	label string
	f     export.Format
}{
	{"Markdown (.md)", export.Markdown}, {"JSON (.json)", export.JSON}, {"Plain text (.txt)", export.Text}, {"Web page (.html)", export.HTML},
}

// showExport saves the open conversation in a chosen format, folder and
// name. It writes a new file and renames it over the old one only when it
// is complete: Fyne's save dialog would truncate an existing file as soon
// as it is chosen, so a failed export could destroy the earlier one.
func (u *UI) showExport() *exportDialog { return u.showExportAs(nil) }

// exportAgain is what an export that did not happen had chosen, for the
// dialog it goes back to: a file not replaced or a folder that could not
// be written, to be changed rather than chosen again from the start.
type exportAgain struct {
	format, name, dir string
	all               bool
}

// showExportAs is showExport, its choices those of again when set.
func (u *UI) showExportAs(again *exportAgain) *exportDialog {
	if u.previewing() {
		return nil // nothing acts on a preview's rows (app/preview.go)
	}
	if len(u.msgs) == 0 {
		u.inform("Export", "This chat has no messages yet.")
		return nil
	}
	conv := u.conversationNow()
	e := &exportDialog{dir: u.exportDir}
	if e.dir == "" {
		e.dir, _ = os.UserHomeDir()
	}
	var labels []string
	for _, f := range exportFormats {
		labels = append(labels, f.label)
	}
	e.name = newEscEntry(u.win, false)
	e.versions = newEscCheck(u.win, "Every version of each message (JSON: imports back as it is)", nil)
	e.versions.Hidden = len(conv.Others) == 0
	// A list, not radio buttons: a radio button clicked keeps the keys and
	// ignores Esc (the next keys meant for the chat went to the dialog).
	e.format = newEscSelect(u.win, labels, func(label string) {
		// Keep the name the user typed; change only its extension.
		f := e.selected()
		if f == export.JSON {
			e.versions.Enable()
		} else {
			e.versions.Disable()
		}
		base := strings.TrimSuffix(e.name.Text, filepath.Ext(e.name.Text))
		if base == "" {
			e.name.SetText(export.FileName(conv, f))
			return
		}
		e.name.SetText(base + filepath.Ext(export.FileName(conv, f)))
	})
	e.format.SetSelected(labels[0])
	if again != nil {
		e.format.SetSelected(again.format)
		e.versions.SetChecked(again.all)
		e.name.SetText(again.name)
		e.dir = again.dir
	}
	e.folder = widget.NewLabel(e.dir)
	e.folder.Wrapping = fyne.TextWrapBreak
	u.homeIfGone(e)
	pick := widget.NewButton("Choose folder…", func() {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				e.dir = l.Path()
				e.folder.SetText(e.dir)
			}
		}, u.win)
		showFileDialog(u.win, fd, e.dir)
	})
	form := widget.NewForm(
		widget.NewFormItem("Format", e.format),
		widget.NewFormItem("File name", e.name),
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, pick, e.folder)),
		widget.NewFormItem("", e.versions),
	)
	e.name.Validator = func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" || s == "." || s == ".." || strings.ContainsAny(s, `/\`) {
			return errors.New("a file name, without folders")
		}
		return nil
	}
	e.d = dialog.NewCustomConfirm("Export chat", "Export", "Cancel", form, func(ok bool) {
		if ok && e.name.Validate() != nil {
			u.inform("Export", "Enter a file name (without folders) to export to.")
			return
		}
		if ok {
			if !u.chatChanged(conv.ID) {
				// As it is now: an answer may have streamed on while the
				// dialog was up (one still being written says so).
				conv = u.conversationNow()
			}
			all := e.selected() == export.JSON && e.versions.Checked && !e.versions.Hidden
			chosen := &exportAgain{format: e.format.Selected, name: e.name.Text, dir: e.dir, all: e.versions.Checked}
			u.exportTo(conv, exportChoice{e.selected(), all}, filepath.Join(e.dir, filepath.Base(strings.TrimSpace(e.name.Text))), false,
				func() { u.showExportAs(chosen) })
		}
	}, u.win)
	e.name.OnSubmitted = func(string) { e.d.Confirm() } // Enter exports
	e.d.Resize(fyne.NewSize(560, 0))
	showEnterable(u.win, e.d, e.d.Confirm)
	return e
}

func (e *exportDialog) selected() export.Format {
	for _, f := range exportFormats {
		if f.label == e.format.Selected {
			return f.f
		}
	}
	return export.Markdown
}

// exportChoice is what the Export dialog writes: a format, and for JSON
// whether every version goes (the tree, export.RenderAllBranches).
type exportChoice struct {
	f   export.Format
	all bool
}

// exportTo writes conv to path off the UI thread; an existing file is
// replaced only after the user agreed and the new one is complete. When it
// is not (the file is kept, or the folder cannot be written), again (if
// set) goes back to the dialog, its choices as they were.
func (u *UI) exportTo(conv *chat.Conversation, f exportChoice, path string, replace bool, again func()) {
	go func() {
		if _, err := os.Stat(path); err == nil && !replace {
			u.bridge.push(func() {
				c := dialog.NewConfirm("Replace the file?", filepath.Base(path)+" already exists in "+filepath.Dir(path)+". Replace it?", func(ok bool) {
					switch {
					case ok:
						u.exportTo(conv, f, path, true, again)
					case again != nil:
						again() // another name or folder
					}
				}, u.win)
				c.SetConfirmText("Replace")
				showEscapable(u.win, c)
			})
			return
		}
		// Markdown with images writes them into NAME_files beside it.
		var data []byte
		var extra map[string][]byte
		var err error
		if f.all {
			data, err = export.RenderAllBranches(conv)
		} else {
			data, extra, err = export.RenderFiles(conv, f.f, path)
		}
		if err == nil {
			err = export.WriteExport(path, data, extra)
		}
		u.bridge.push(func() {
			if err != nil {
				d := dialog.NewError(fmt.Errorf("the chat was not exported (any earlier file of that name is unchanged): %w", err), u.win)
				if again != nil {
					d.SetOnClosed(again) // to choose another folder
				}
				u.notice(d)
				return
			}
			// The next export starts where this one went (not where one
			// failed).
			u.rememberFolder(settings.FolderExport, filepath.Dir(path))
			// The file's name first: where the bar is too narrow, the
			// short form drops the folder (the tooltip has it).
			u.noteChat("Exported "+filepath.Base(path)+" to "+filepath.Dir(path), "Exported "+filepath.Base(path), "Exported the chat")
		})
	}()
}

// homeIfGone puts the home folder in e's place of a folder that is gone
// (a drive removed, the folder deleted since the last export), checked
// off the UI thread: Export showed it as if it were there, and failed.
func (u *UI) homeIfGone(e *exportDialog) {
	dir := e.dir
	go func() {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return
		}
		u.bridge.push(func() {
			if e.dir == dir { // not one chosen meanwhile
				e.dir = home
				e.folder.SetText(home)
			}
		})
	}()
}
