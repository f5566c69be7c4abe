package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/settings"
)

func TestPresetEditor(t *testing.T) {
	prefs := &settings.MemPrefs{}
	store := settings.Load(prefs)
	d, _ := openDialog(t, store, nil)
	d.Preset.SetSelected("Few-shot: plain English")
	test.Tap(d.PresetEdit)
	e := d.Editor
	if e == nil || e.Name.Text != "Few-shot: plain English (mine)" || len(e.pairs) != 2 {
		t.Fatalf("editor did not start from the built-in preset: %+v", e)
	}
	e.Name.SetText("Jargon")
	test.Tap(e.AddB)
	e.pairs[2].user.SetText("Let's take this offline.")
	e.pairs[2].assistant.SetText("Let's talk privately.")
	test.Tap(e.SaveB)
	if e.Status.Text != "Saved." {
		t.Fatalf("status %q", e.Status.Text)
	}
	var saved settings.Preset
	for _, p := range settings.Load(prefs).Presets() {
		if p.Name == "Jargon" {
			saved = p
		}
	}
	if len(saved.Examples) != 3 || saved.Examples[2].Assistant != "Let's talk privately." {
		t.Fatalf("saved %+v", saved)
	}
	if d.Preset.Selected != "Jargon" || len(d.examples) != 3 {
		t.Fatalf("the settings dialog did not pick up the new preset: %q, %d examples", d.Preset.Selected, len(d.examples))
	}
	// An example without its answer is refused, with the reason.
	test.Tap(e.AddB)
	e.pairs[3].user.SetText("half")
	test.Tap(e.SaveB)
	if e.Status.Text == "Saved." {
		t.Fatal("an example without an answer was saved")
	}
	test.Tap(e.DeleteB)
	for _, p := range store.Presets() {
		if p.Name == "Jargon" {
			t.Fatal("preset not deleted")
		}
	}
}

// TestPresetEditorKeepsWhatIsTyped: a pair added is focused to be typed
// into; Close and Esc (from any of its fields) ask before dropping what was
// not saved; once saved, Close closes.
func TestPresetEditorKeepsWhatIsTyped(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	d, w := openDialog(t, store, nil)
	d.Preset.SetSelected("Few-shot: plain English")
	test.Tap(d.PresetEdit)
	e := d.Editor
	overlays := func() int { return len(w.Canvas().Overlays().List()) }
	if overlays() != 2 {
		t.Fatalf("%d dialogs, want Settings and the editor", overlays())
	}
	// Nothing changed yet: Esc closes it.
	e.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if overlays() != 1 {
		t.Fatalf("Esc on an unchanged preset: %d dialogs", overlays())
	}
	test.Tap(d.PresetEdit)
	e = d.Editor
	test.Tap(e.AddB)
	if w.Canvas().Focused() != e.pairs[2].user {
		t.Fatal("the pair added does not have the keys")
	}
	// Added below many: scrolled into view.
	for range 6 {
		test.Tap(e.AddB)
	}
	last := e.pairs[len(e.pairs)-1].row
	if bottom := last.Position().Y + last.Size().Height; e.scroll.Offset.Y+e.scroll.Size().Height < bottom-1 || e.scroll.Offset.Y > last.Position().Y {
		t.Fatalf("the pair added (%v–%v) is not in view (%v–%v)", last.Position().Y, bottom, e.scroll.Offset.Y, e.scroll.Offset.Y+e.scroll.Size().Height)
	}
	for len(e.pairs) > 3 { // the six added to scroll
		e.pairs = e.pairs[:len(e.pairs)-1]
		e.Examples.Remove(e.Examples.Objects[len(e.Examples.Objects)-1])
	}
	test.Type(e.pairs[2].user, "Circle back later.")
	test.Tap(e.CloseB)
	if overlays() != 3 {
		t.Fatalf("Close with a change: %d dialogs, want a question on top", overlays())
	}
	tapButton(t, w, "Keep editing")
	e.pairs[2].assistant.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if overlays() != 3 {
		t.Fatalf("Esc with a change: %d dialogs, want a question on top", overlays())
	}
	tapButton(t, w, "Keep editing")
	if e.pairs[2].user.Text != "Circle back later." {
		t.Fatalf("the pair lost its text: %q", e.pairs[2].user.Text)
	}
	e.pairs[2].assistant.SetText("Talk about it later.")
	e.Name.SetText("Later")
	test.Tap(e.SaveB)
	test.Tap(e.CloseB)
	if overlays() != 1 {
		t.Fatalf("Close after Save: %d dialogs (%s)", overlays(), e.Status.Text)
	}
}
