package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/settings"
)

// chatSettings is the dialog for one conversation's own settings, over the
// profile's: system message (or a preset), temperature, reply limit and
// context window.
type chatSettings struct {
	d           *dialog.FormDialog
	system      *escEntry
	preset      *escSelect
	temperature *escEntry
	maxTokens   *escEntry
	window      *escEntry
	// effort and verbosity exist only for models that take them.
	effort    *escSelect
	verbosity *escSelect
	// detail is the image detail of the chat's attachments.
	detail   *escSelect
	examples []chat.Example
}

// serviceDefault is the choice that sends no reasoning_effort or verbosity.
const serviceDefault = "service default"

// detailAuto is the image detail choice that lets the service decide; its
// cost is counted as high's, an upper bound.
const detailAuto = "auto (counted as high)"

func (u *UI) showChatSettings() *chatSettings {
	if u.previewing() {
		return nil // nothing acts on a preview's rows (app/preview.go)
	}
	conv := u.ctl.Conversation()
	cs := &chatSettings{examples: conv.Examples}
	cs.system = newEscEntry(u.win, true)
	cs.system.SetMinRowsVisible(4)
	cs.system.SetText(conv.System)
	var names []string
	for _, p := range u.store.Presets() {
		names = append(names, p.Name)
	}
	cs.preset = newEscSelect(u.win, names, func(name string) {
		for _, p := range u.store.Presets() {
			if p.Name == name {
				cs.system.SetText(p.System)
				cs.examples = p.Examples
			}
		}
	})
	cs.preset.PlaceHolder = "Use a preset…"
	prof := u.conn.Profile.Gen
	cs.temperature = numberEntry(u.win, floatText(conv.Overrides.Temperature), "profile: "+orDefault(floatText(prof.Temperature), "service default"), validTemperature)
	cs.maxTokens = numberEntry(u.win, intText(conv.Overrides.MaxTokens), "profile: "+orDefault(intText(prof.MaxTokens), "automatic"), validCount)
	cs.window = numberEntry(u.win, intText(conv.Overrides.Window), "profile: "+orDefault(intText(prof.ContextWindow), "from the model"), validCount)
	items := []*widget.FormItem{
		widget.NewFormItem("Preset", cs.preset),
		widget.NewFormItem("System message", cs.system),
		widget.NewFormItem("Temperature", cs.temperature),
		widget.NewFormItem("Max reply tokens", cs.maxTokens),
		widget.NewFormItem("Context window", cs.window),
	}
	// Reasoning effort and verbosity only for a model that takes them
	// (the facts table), in either API.
	facts, _ := models.Lookup(u.ctl.Model(), "")
	if len(facts.ReasoningEffort) > 0 {
		cs.effort = choice(u.win, append([]string{serviceDefault}, facts.ReasoningEffort...), conv.Overrides.ReasoningEffort)
		items = append(items, widget.NewFormItem("Reasoning effort", cs.effort))
	}
	if facts.Verbosity {
		cs.verbosity = choice(u.win, []string{serviceDefault, "low", "medium", "high"}, conv.Overrides.Verbosity)
		items = append(items, widget.NewFormItem("Verbosity", cs.verbosity))
	}
	// Image detail for a model that sees images, or one azchat does not
	// know (it may).
	if _, known := models.Lookup(u.ctl.Model(), ""); facts.Vision || !known {
		cs.detail = newEscSelect(u.win, []string{detailAuto, string(chat.DetailLow), string(chat.DetailHigh)}, nil)
		cs.detail.SetSelected(detailAuto)
		if d := conv.Overrides.Detail; d == chat.DetailLow || d == chat.DetailHigh {
			cs.detail.SetSelected(string(d))
		}
		items = append(items, widget.NewFormItem("Image detail", cs.detail))
	}
	chatID := u.ctl.ConversationID()
	cs.d = dialog.NewForm("This chat's settings", "Apply", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		if u.chatChanged(chatID) {
			// Another chat is shown now (New chat, the tray's, an
			// import, the last chat reopened at start): these were its
			// settings, not that one's.
			u.inform("Not applied", "Another chat is open now: open This chat's settings again for it.")
			return
		}
		cs.apply(u)
	}, u.win)
	cs.d.Resize(fyne.NewSize(560, 460))
	// Enter applies, as Apply does (not while a field is invalid).
	submitWith(cs.d.Submit, cs.system, cs.temperature, cs.maxTokens, cs.window)
	shown := cs.state()
	// Esc is Cancel, asking first when something was changed (a system
	// message being typed is not dropped by one key).
	showEscapableWhen(u.win, cs.d, func() bool {
		if cs.state() != shown {
			askDiscard(u.win, "this chat's settings", cs.d.Hide)
			return false
		}
		return true
	})
	// The keys in its system message, the field most often changed
	// (opened from the menu with the mouse, they were nowhere), after the
	// key that opened it.
	u.focusSoon(cs.system)
	return cs
}

// state is what the dialog holds, to tell whether it was changed.
func (cs *chatSettings) state() string {
	ex, _ := json.Marshal(cs.examples)
	return strings.Join([]string{cs.system.Text, string(ex), cs.temperature.Text, cs.maxTokens.Text, cs.window.Text,
		chosen(cs.effort), chosen(cs.verbosity), chosenDetail(cs.detail)}, "\x00")
}

func chosenDetail(sel *escSelect) string {
	if sel == nil {
		return ""
	}
	return sel.Selected
}

func (cs *chatSettings) apply(u *UI) {
	var o chat.Overrides
	for _, e := range []*escEntry{cs.temperature, cs.maxTokens, cs.window} {
		if err := e.Validate(); err != nil {
			u.inform("Not applied", err.Error())
			return
		}
	}
	o.Temperature, _ = settings.ParseTemperature(cs.temperature.Text)
	o.MaxTokens, _ = settings.ParseTokenCount(cs.maxTokens.Text)
	o.Window, _ = settings.ParseTokenCount(cs.window.Text)
	if err := settings.CheckLimits(o.MaxTokens, o.Window); err != nil {
		u.inform("Not applied", err.Error())
		return
	}
	o.ReasoningEffort, o.Verbosity = chosen(cs.effort), chosen(cs.verbosity)
	if cs.detail != nil && cs.detail.Selected != detailAuto {
		o.Detail = chat.Detail(cs.detail.Selected)
	} else if cs.detail == nil {
		o.Detail = u.conv.Overrides.Detail // kept for a vision model later
	}
	u.conv.System, u.conv.Examples, u.conv.Overrides = cs.system.Text, cs.examples, o
	u.ctl.SetSystem(cs.system.Text, cs.examples)
	u.ctl.SetOverrides(o)
	u.draft.changed()
}

// choice is a selector of options with current selected ("" is the
// service default).
func choice(win fyne.Window, options []string, current string) *escSelect {
	if current != "" && !slices.Contains(options, current) {
		// Saved for another model (a model-router answered with one that
		// takes other values): kept, not sent while this model lacks it.
		options = append(options, current)
	}
	sel := newEscSelect(win, options, nil)
	sel.SetSelected(serviceDefault)
	if current != "" {
		sel.SetSelected(current)
	}
	return sel
}

// chosen is a selector's value, "" for the service default or no selector.
func chosen(sel *escSelect) string {
	if sel == nil || sel.Selected == serviceDefault {
		return ""
	}
	return sel.Selected
}

func numberEntry(win fyne.Window, text, placeholder string, valid func(string) error) *escEntry {
	e := newEscEntry(win, false)
	e.SetText(text)
	e.SetPlaceHolder(placeholder)
	e.Validator = valid
	return e
}

// validTemperature and validCount are the one set of validators for the
// settings dialog and a chat's own settings.
func validTemperature(s string) error {
	_, err := settings.ParseTemperature(s)
	return err
}

func validCount(s string) error {
	_, err := settings.ParseTokenCount(s)
	return err
}

func floatText(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func intText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
