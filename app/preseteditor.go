package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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

	Name     *widget.Entry
	System   *widget.Entry
	Examples *fyne.Container
	AddB     *widget.Button
	SaveB    *widget.Button
	DeleteB  *widget.Button
	Status   *widget.Label

	pairs   []*examplePair
	onSaved func(settings.Preset)
}

type examplePair struct {
	user, assistant *widget.Entry
	row             fyne.CanvasObject
}

// showPresetEditor opens the editor, starting from p (a built-in preset is
// copied under a new name, since built-ins cannot change).
func showPresetEditor(win fyne.Window, store *settings.Store, p settings.Preset, onSaved func(settings.Preset)) *presetEditor {
	e := &presetEditor{store: store, win: win, onSaved: onSaved}
	e.Name = widget.NewEntry()
	e.Name.SetPlaceHolder("Preset name")
	e.System = widget.NewMultiLineEntry()
	e.System.Wrapping = fyne.TextWrapWord
	e.System.SetMinRowsVisible(4)
	e.Examples = container.NewVBox()
	e.AddB = widget.NewButtonWithIcon("Add example pair", theme.ContentAddIcon(), func() { e.addPair(chat.Example{}) })
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
	body := container.NewBorder(container.NewVBox(form, help), container.NewVBox(e.Status, container.NewHBox(e.AddB, e.DeleteB, e.SaveB)), nil, nil, container.NewVScroll(e.Examples))
	e.d = dialog.NewCustom("Edit preset", "Close", body, win)
	e.d.Resize(fyne.NewSize(620, 560))
	e.d.Show()
	return e
}

func (e *presetEditor) addPair(ex chat.Example) {
	pair := &examplePair{user: widget.NewMultiLineEntry(), assistant: widget.NewMultiLineEntry()}
	pair.user.SetPlaceHolder("Example user message")
	pair.assistant.SetPlaceHolder("Example answer")
	pair.user.SetText(ex.User)
	pair.assistant.SetText(ex.Assistant)
	pair.user.Wrapping, pair.assistant.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
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
