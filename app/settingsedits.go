package app

import (
	"encoding/json"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// formState is everything the settings form holds that Save stores (and a
// key typed), as one string: compared with what was shown or saved last,
// it says whether closing the dialog or showing another profile would
// lose anything.
func (d *settingsDialog) formState() string { return d.formStateKey(d.Key.Text) }

// formStateKey is formState with key in the key field: a save empties it
// (the key goes to the keychain), so what a save stores is the form with
// an empty key field.
func (d *settingsDialog) formStateKey(key string) string {
	ex, _ := json.Marshal(d.examples)
	return strings.Join([]string{d.Name.Text, d.Endpoint.Text, d.Deployment.Text, d.Model.Text, d.Auth.Selected,
		d.Tenant.Text, key, d.API.Selected, strconv.FormatBool(d.Store.Checked), d.Preset.Selected, d.System.Text,
		string(ex), d.Temperature.Text, d.MaxTokens.Text, d.Window.Text, d.Strategy.Selected,
		d.PriceInput.Text, d.PriceCached.Text, d.PriceOutput.Text}, "\x00")
}

// unsaved reports whether the form holds changes Save has not stored.
func (d *settingsDialog) unsaved() bool { return d.formState() != d.stored }

// markSaved takes what the form holds as what is stored (a profile just
// shown, or saved).
func (d *settingsDialog) markSaved() { d.stored = d.formState() }

// leave runs then (closing the dialog, showing another profile) at once
// when the form holds nothing unsaved, and otherwise once the user agrees
// to drop the changes.
func (d *settingsDialog) leave(then func()) {
	if !d.unsaved() {
		then()
		return
	}
	name := strings.TrimSpace(d.editing.Name)
	if name == "" {
		name = strings.TrimSpace(d.Name.Text)
	}
	askDiscard(d.win, "the profile “"+name+"”", then)
}

// askDiscard asks whether to drop the changes to what (which the question
// names) that were not saved; discard runs if the user agrees. Neither
// Enter nor Esc discards: Esc keeps editing.
func askDiscard(win fyne.Window, what string, discard func()) {
	c := dialog.NewConfirm("Discard your changes?", "Your changes to "+what+" are not saved.", func(ok bool) {
		if ok {
			discard()
		}
	}, win)
	c.SetConfirmText("Discard")
	c.SetDismissText("Keep editing")
	c.SetConfirmImportance(widget.DangerImportance)
	showEscapable(win, c)
}
