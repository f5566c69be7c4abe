package app

import (
	"encoding/json"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/settings"
)

// presetEditor edits the user's own presets: a system message and pinned
// few-shot example pairs. Tests hold it to drive its widgets.
type presetEditor struct {
	store *settings.Store
	win   fyne.Window
	d     dialog.Dialog

	Name     *escEntry
	System   *escEntry
	Examples *fyne.Container
	AddB     *widget.Button
	SaveB    *widget.Button
	DeleteB  *widget.Button
	CloseB   *widget.Button
	Status   *widget.Label

	pairs   []*examplePair
	scroll  *container.Scroll
	onSaved func(settings.Preset)
	// stored is what the editor held when it opened or last saved.
	stored string
}

type examplePair struct {
	user, assistant *escEntry
	row             fyne.CanvasObject
}

// showPresetEditor opens the editor, starting from p (a built-in preset is
// copied under a new name, since built-ins cannot change).
func showPresetEditor(win fyne.Window, store *settings.Store, p settings.Preset, onSaved func(settings.Preset)) *presetEditor {
	e := &presetEditor{store: store, win: win, onSaved: onSaved}
	e.Name = newEscEntry(win, false)
	e.Name.SetPlaceHolder("Preset name")
	e.System = newEscEntry(win, true)
	e.System.SetMinRowsVisible(4)
	e.Examples = container.NewVBox()
	e.AddB = widget.NewButtonWithIcon("Add example pair", theme.ContentAddIcon(), func() {
		// Shown and typed into at once: it lands below the pairs in view.
		pair := e.addPair(chat.Example{})
		// Laid out first: scrolled before, the list's end was where it
		// was without the new pair.
		e.scroll.Content.Resize(fyne.NewSize(e.scroll.Content.Size().Width, e.scroll.Content.MinSize().Height))
		e.scroll.ScrollToBottom()
		win.Canvas().Focus(pair.user)
	})
	e.Status = widget.NewLabel("")
	e.Status.Wrapping = fyne.TextWrapWord
	e.SaveB = widget.NewButton("Save preset", e.save)
	e.SaveB.Importance = widget.HighImportance
	e.DeleteB = widget.NewButton("Delete preset", e.delete)
	e.DeleteB.Importance = widget.DangerImportance

	name := p.Name
	if p.BuiltIn {
		name += " (mine)"
	}
	e.Name.SetText(name)
	e.System.SetText(p.System)
	for _, ex := range p.Examples {
		e.addPair(ex)
	}
	form := widget.NewForm(widget.NewFormItem("Name", e.Name), widget.NewFormItem("System message", e.System))
	help := newDimLabel("Example pairs are sent before every conversation as few-shot examples and are never trimmed.")
	help.Wrapping = fyne.TextWrapWord
	// The columns named above the pairs: a placeholder says it only while
	// its box is empty.
	// A bin's width on the right, so the columns line up with the pairs'.
	bin := canvas.NewRectangle(color.Transparent)
	bin.SetMinSize(widget.NewButtonWithIcon("", theme.DeleteIcon(), nil).MinSize())
	heads := container.NewBorder(nil, nil, nil, bin,
		container.NewGridWithColumns(2, widget.NewLabel("The user asks"), widget.NewLabel("The answer")))
	e.CloseB = widget.NewButton("Close", func() { e.leave(e.d.Hide) })
	e.scroll = container.NewVScroll(e.Examples)
	buttons := container.NewHBox(e.AddB, e.DeleteB, layout.NewSpacer(), e.CloseB, e.SaveB)
	body := container.NewBorder(container.NewVBox(form, help, heads), container.NewVBox(e.Status, buttons), nil, nil, e.scroll)
	e.d = dialog.NewCustomWithoutButtons("Edit preset", body, win)
	e.d.Resize(fyne.NewSize(620, 560))
	// Enter in the name (Ctrl+Enter in the system message) saves.
	submitWith(e.save, e.Name, e.System)
	e.markSaved()
	// Esc asks first when there are changes, as Close does.
	showEscapableWhen(win, e.d, func() bool {
		if e.unsaved() {
			e.leave(e.d.Hide)
			return false
		}
		return true
	})
	return e
}

// unsaved reports whether the editor holds changes not saved.
func (e *presetEditor) unsaved() bool { return e.state() != e.stored }

// markSaved takes what the editor holds as saved.
func (e *presetEditor) markSaved() { e.stored = e.state() }

func (e *presetEditor) state() string {
	b, _ := json.Marshal(e.Preset())
	return string(b)
}

// leave runs then at once when nothing would be lost, and otherwise once
// the user agrees to drop the changes.
func (e *presetEditor) leave(then func()) {
	if !e.unsaved() {
		then()
		return
	}
	askDiscard(e.win, "the preset “"+strings.TrimSpace(e.Name.Text)+"”", then)
}

func (e *presetEditor) addPair(ex chat.Example) *examplePair {
	pair := &examplePair{user: newEscEntry(e.win, true), assistant: newEscEntry(e.win, true)}
	pair.user.SetPlaceHolder("Example user message")
	pair.assistant.SetPlaceHolder("Example answer")
	pair.user.SetText(ex.User)
	pair.assistant.SetText(ex.Assistant)
	submitWith(e.save, pair.user, pair.assistant) // Ctrl+Enter saves, as in the system message
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	remove.Importance = widget.LowImportance
	pair.row = container.NewBorder(nil, widget.NewSeparator(), nil, remove, container.NewGridWithColumns(2, pair.user, pair.assistant))
	remove.OnTapped = func() {
		for i, p := range e.pairs {
			if p == pair {
				e.pairs = append(e.pairs[:i], e.pairs[i+1:]...)
				break
			}
		}
		e.Examples.Remove(pair.row)
	}
	e.pairs = append(e.pairs, pair)
	e.Examples.Add(pair.row)
	return pair
}

// settings.Preset returns what the editor holds.
func (e *presetEditor) Preset() settings.Preset {
	p := settings.Preset{Name: e.Name.Text, System: e.System.Text}
	for _, pair := range e.pairs {
		p.Examples = append(p.Examples, chat.Example{User: pair.user.Text, Assistant: pair.assistant.Text})
	}
	return p
}

func (e *presetEditor) save() {
	p := e.Preset()
	if err := e.store.PutPreset(p); err != nil {
		e.Status.SetText(err.Error())
		return
	}
	e.Status.SetText("Saved.")
	e.markSaved()
	if e.onSaved != nil {
		e.onSaved(p)
	}
}

func (e *presetEditor) delete() {
	name := e.Name.Text
	for _, p := range e.store.Presets() {
		if p.Name == name && !p.BuiltIn {
			e.store.RemovePreset(name)
			e.Status.SetText("Deleted.")
			if e.onSaved != nil {
				e.onSaved(settings.Preset{})
			}
			return
		}
	}
	e.Status.SetText("Only your own presets can be deleted.")
}
