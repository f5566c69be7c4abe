package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/settings"
)

// settingsDialogConfig wires the settings dialog to the rest of the app.
type settingsDialogConfig struct {
	Store   *settings.Store
	Secrets *settings.Secrets
	Getenv  func(string) string
	// Test sends a one-token request and returns the model that answered.
	Test func(ctx context.Context, c settings.Connection) (string, error)
	// Find lists the deployments of the connection's resource.
	Find func(ctx context.Context, c settings.Connection) ([]deploy.Deployment, error)
	// OnSaved runs on the UI thread after a profile was saved.
	OnSaved func()
	// Bridge carries the results of keychain and network work back to the
	// UI thread, like every other hand-off in the app.
	Bridge *bridge
	// Later, if set, runs f on the UI thread once the event being handled
	// is over (the window's focusSoon); without it, focus moves at once
	// (tests of the dialog alone, which drive it from their goroutine).
	Later func(f func())
}

// settingsDialog is the settings dialog; tests hold it to drive its widgets.
type settingsDialog struct {
	cfg settingsDialogConfig
	win fyne.Window
	d   dialog.Dialog
	// closed: the dialog was closed (nothing is focused in it then).
	closed bool
	// ConnScroll and GenScroll hold the two tabs' forms: whatever the
	// window's size, every field can be scrolled to.
	ConnScroll *container.Scroll
	GenScroll  *container.Scroll
	// Actions is the one row of the dialog's buttons.
	Actions *fyne.Container

	Profiles   *escSelect
	Name       *escEntry
	Endpoint   *escEntry
	Deployment *escEntry
	Model      *escEntry
	Auth       *escSelect
	Tenant     *escEntry
	// API chooses Chat Completions or the Responses API; Store lets the
	// Responses API keep responses on the service.
	API        *escSelect
	Store      *escCheck
	Key        *escEntry
	KeyNote    *dimLabel
	Preset     *escSelect
	PresetEdit *escButton
	// Editor is the preset editor last opened from this dialog.
	Editor      *presetEditor
	System      *escEntry
	Temperature *escEntry
	MaxTokens   *escEntry
	Window      *escEntry
	Strategy    *escSelect
	EnvNote     *widget.Label
	Status      *widget.Label
	TestButton  *escButton
	FindButton  *escButton
	// Picker offers the deployments Find deployments found.
	Picker     *escSelect
	SaveButton *escButton
	// CloseButton closes the dialog, asking first when the form holds
	// changes not saved.
	CloseButton *escButton
	AddButton   *escButton
	CopyButton  *escButton
	DelButton   *escButton
	// The profile's prices, per million tokens (settingsprices.go).
	PriceInput  *escEntry
	PriceCached *escEntry
	PriceOutput *escEntry
	PriceNote   *dimLabel
	PriceLink   *widget.Hyperlink

	editing settings.Profile
	// autoDeployment is what the endpoint filled in, so typing on in the
	// endpoint keeps it current without overwriting the user's own text.
	autoDeployment string
	// autoModel is the model Test connection filled in (runTest), cleared
	// again when the deployment changes (it was that deployment's).
	autoModel string
	examples  []chat.Example
	keySet    bool
	// stored is formState as the profile was shown or last saved, saving
	// as Save was pressed.
	stored, saving string
	found          []deploy.Deployment
	// keyConfirm is the last "send the saved key to a new address?" question.
	keyConfirm *dialog.ConfirmDialog
	// pending counts keychain and network work in flight, including its
	// hand-off through the bridge (tests and Wait use it).
	pendingMu sync.Mutex
	pending   int
}

var apiLabels = map[chat.APIMode]string{
	chat.APIAuto:      "Auto (Chat Completions; Responses for models that need it)",
	chat.APIChat:      "Chat Completions",
	chat.APIResponses: "Responses",
}

var authLabels = map[azure.AuthMode]string{
	azure.AuthAPIKey:       "API key",
	azure.AuthEntra:        "Microsoft Entra ID (Azure CLI sign-in)",
	azure.AuthEntraBrowser: "Microsoft Entra ID (browser sign-in)",
}

var strategyLabels = map[chat.Strategy]string{
	chat.DropOldest: "Drop the oldest messages",
	chat.AskNewChat: "Ask me to start a new chat",
}

// showSettingsDialog opens the settings dialog over win.
func showSettingsDialog(win fyne.Window, cfg settingsDialogConfig) *settingsDialog {
	if cfg.Getenv == nil {
		cfg.Getenv = func(string) string { return "" }
	}
	d := &settingsDialog{cfg: cfg, win: win}
	d.build()
	d.d.Resize(settingsSize(win.Canvas().Size()))
	// Not while Close is disabled (a key being written: see holdProfiles);
	// with changes not saved, Esc asks first, as Close does.
	showEscapableWhen(win, d.d, func() bool {
		switch {
		case d.CloseButton.Disabled():
			return false
		case d.unsaved():
			d.leave(d.d.Hide)
			return false
		}
		return true
	})
	// Loading starts the keychain read, so the dialog is laid out first.
	if cur, ok := cfg.Store.Current(); ok {
		d.load(cur)
	} else {
		d.load(newProfile("Default"))
		d.fromEnvironment()
	}
	d.d.SetOnClosed(func() { d.closed = true })
	// Once the event that opened the dialog is over: opened by Space (a
	// button, the empty profile picker), its character would be typed
	// into the field.
	d.focusSoon()
	return d
}

// fromEnvironment fills a first profile with the endpoint and deployment
// the AZURE_OPENAI_* variables give this run (the window is connected with
// them; an empty form said otherwise), so that Save keeps them. The key is
// not put in the form: it is said where it comes from, and typed to keep.
func (d *settingsDialog) fromEnvironment() {
	if ep := strings.TrimSpace(d.cfg.Getenv(settings.EnvEndpoint)); ep != "" {
		d.Endpoint.SetText(ep) // a target URI fills the deployment too
	}
	if dep := strings.TrimSpace(d.cfg.Getenv(settings.EnvDeployment)); dep != "" {
		d.Deployment.SetText(dep)
	}
	// The variable's key is this run's only with the variables' address
	// (without it, and with no profile, nothing is connected).
	if d.cfg.Getenv(settings.EnvAPIKey) != "" && d.Endpoint.Text != "" {
		d.KeyNote.SetText("This run uses the key in " + settings.EnvAPIKey + ": type it here to keep it in the system keychain")
	}
	d.markSaved() // nothing typed yet: Close asks nothing
}

// newProfile is a profile not saved yet, with the dialog's defaults.
func newProfile(name string) settings.Profile {
	return settings.Profile{Name: name, Auth: azure.AuthAPIKey, Gen: settings.Generation{Strategy: chat.DropOldest}}
}

// newProfileName is a name no saved profile has, so the new profile shows
// as itself in the profile list and Save does not refuse it as taken.
func (d *settingsDialog) newProfileName() string {
	taken := map[string]bool{}
	for _, p := range d.cfg.Store.Profiles() {
		taken[p.Name] = true
	}
	name := "New profile"
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("New profile %d", i)
	}
	return name
}

func (d *settingsDialog) build() {
	d.Profiles = newEscSelect(d.win, nil, func(name string) {
		// load selects the name it shows, which must not load another
		// profile that happens to share it.
		if name == d.editing.Name {
			return
		}
		for _, p := range d.cfg.Store.Profiles() {
			if p.Name == name && p.ID != d.editing.ID {
				// The list shows the profile in the form until it is left.
				d.Profiles.SetSelected(d.editing.Name)
				d.leave(func() { d.load(p) })
				return
			}
		}
	})
	d.AddButton = newEscButton(d.win, "New", func() {
		d.leave(func() {
			d.load(newProfile(d.newProfileName()))
			d.focusSoon() // its endpoint (the button let the keys go)
		})
	})
	// The saved profile is what is copied.
	d.CopyButton = newEscButton(d.win, "Duplicate", func() {
		if d.editing.ID != "" { // a profile not saved yet has nothing to copy
			d.leave(d.duplicate)
		}
	})
	d.DelButton = newEscButton(d.win, "Delete", d.confirmDelete)
	d.DelButton.Importance = widget.DangerImportance

	d.Name = newEscEntry(d.win, false)
	d.Name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("give the profile a name")
		}
		return nil
	}
	d.Endpoint = newEscEntry(d.win, false)
	d.Endpoint.SetPlaceHolder("https://my-resource.openai.azure.com")
	d.Endpoint.Validator = func(s string) error { _, err := settings.NormalizeEndpoint(s); return formHint(err) }
	d.Endpoint.OnChanged = func(s string) {
		// Pasting the portal's target URI fills the deployment too.
		if ep, err := settings.NormalizeEndpoint(s); err == nil && ep.Deployment != "" && (d.Deployment.Text == "" || d.Deployment.Text == d.autoDeployment) {
			d.autoDeployment = ep.Deployment
			d.Deployment.SetText(ep.Deployment)
		}
	}
	d.Deployment = newEscEntry(d.win, false)
	d.Deployment.SetPlaceHolder("the deployment name, e.g. gpt-4o")
	d.Deployment.OnChanged = func(string) {
		if d.autoModel != "" && d.Model.Text == d.autoModel {
			d.Model.SetText("")
		}
		d.autoModel = ""
	}
	d.Deployment.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("enter the deployment name")
		}
		return nil
	}
	d.Model = newEscEntry(d.win, false)
	d.Model.SetPlaceHolder("optional: learnt from the first answer")
	// A list, not radio buttons: a radio button clicked keeps the keys and
	// ignores Esc, which then no longer closed the dialog.
	d.Auth = newEscSelect(d.win, []string{authLabels[azure.AuthAPIKey], authLabels[azure.AuthEntra], authLabels[azure.AuthEntraBrowser]}, func(string) { d.updateAuth() })
	d.Tenant = newEscEntry(d.win, false)
	d.Tenant.SetPlaceHolder("optional tenant ID")
	d.Key = newEscEntry(d.win, false)
	// As widget.NewPasswordEntry makes it; Fyne adds the reveal button.
	d.Key.Password, d.Key.Wrapping = true, fyne.TextWrap(fyne.TextTruncateClip)
	d.KeyNote = newDimLabel("")
	// The keychain's messages are long ("not available… for this session
	// only…"): wrapped, they stay inside the dialog.
	d.KeyNote.Wrapping = fyne.TextWrapWord

	var presetNames []string
	for _, p := range d.cfg.Store.Presets() {
		presetNames = append(presetNames, p.Name)
	}
	d.Preset = newEscSelect(d.win, presetNames, func(name string) {
		for _, p := range d.cfg.Store.Presets() {
			if p.Name == name {
				d.System.SetText(p.System)
				d.examples = append([]chat.Example(nil), p.Examples...)
			}
		}
	})
	d.Preset.PlaceHolder = "Choose a preset…"
	d.PresetEdit = newEscButton(d.win, "Edit…", func() {
		current := settings.Preset{Name: "My preset", System: d.System.Text, Examples: d.examples}
		for _, p := range d.cfg.Store.Presets() {
			if p.Name == d.Preset.Selected {
				current = p
			}
		}
		d.Editor = showPresetEditor(d.win, d.cfg.Store, current, func(p settings.Preset) {
			var names []string
			for _, q := range d.cfg.Store.Presets() {
				names = append(names, q.Name)
			}
			d.Preset.Options = names
			if p.Name != "" {
				d.Preset.SetSelected(p.Name)
			} else {
				d.Preset.ClearSelected()
			}
			d.Preset.Refresh()
		})
	})
	d.System = newEscEntry(d.win, true)
	d.System.Wrapping = fyne.TextWrapWord
	d.System.SetMinRowsVisible(4)
	d.Temperature = newEscEntry(d.win, false)
	d.Temperature.SetPlaceHolder("service default")
	d.Temperature.Validator = validTemperature
	d.MaxTokens = newEscEntry(d.win, false)
	d.MaxTokens.SetPlaceHolder("automatic")
	d.MaxTokens.Validator = validCount
	d.Window = newEscEntry(d.win, false)
	d.Window.SetPlaceHolder("from the model")
	d.Window.Validator = validCount
	d.Strategy = newEscSelect(d.win, []string{strategyLabels[chat.DropOldest], strategyLabels[chat.AskNewChat]}, nil)
	d.EnvNote = widget.NewLabel("")
	d.EnvNote.Wrapping = fyne.TextWrapWord
	d.EnvNote.Importance = widget.WarningImportance
	d.Status = widget.NewLabel("")
	d.Status.Wrapping = fyne.TextWrapWord
	d.API = newEscSelect(d.win, []string{apiLabels[chat.APIAuto], apiLabels[chat.APIChat], apiLabels[chat.APIResponses]}, nil)
	// Short enough that the dialog fits a small window; the rest is the
	// API row's hint.
	d.Store = newEscCheck(d.win, "Keep Responses API answers on Azure (store: true)", nil)
	d.TestButton = newEscButton(d.win, "Test connection", d.test)
	d.FindButton = newEscButton(d.win, "Find deployments", d.findDeployments)
	d.Picker = newEscSelect(d.win, nil, d.pickDeployment)
	d.Picker.PlaceHolder = "pick a deployment"
	d.Picker.Hide()
	if d.cfg.Find == nil {
		d.FindButton.Hide()
	}
	d.SaveButton = newEscButton(d.win, "Save", d.save)
	d.SaveButton.Importance = widget.HighImportance
	d.CloseButton = newEscButton(d.win, "Close", func() { d.leave(d.d.Hide) })

	var envs []string
	for _, k := range []string{settings.EnvEndpoint, settings.EnvDeployment, settings.EnvAPIKey} {
		if d.cfg.Getenv(k) != "" {
			envs = append(envs, k)
		}
	}
	if len(envs) > 0 {
		note := "For this run, " + strings.Join(envs, ", ") + " from the environment override the active profile. They are not saved."
		if d.cfg.Getenv(settings.EnvAPIKey) != "" && d.cfg.Getenv(settings.EnvEndpoint) == "" {
			note += " The key goes only to the host of the profile azchat started with."
		}
		d.EnvNote.SetText(note)
	} else {
		d.EnvNote.Hide()
	}

	// Fyne 2.8 marks required fields and shows each validator's message
	// under its field as the user types.
	// Each has a hint, which its error replaces: without one, the line
	// under the field came and went with "item is required", and every
	// field below moved as the user typed.
	required := func(text string, w fyne.CanvasObject, hint string) *widget.FormItem {
		it := widget.NewFormItem(text, w)
		it.Required = true
		it.HintText = hint
		return it
	}
	apiItem := widget.NewFormItem("API", container.NewVBox(d.API, d.Store))
	apiItem.HintText = "azchat keeps its own history either way"
	conn := widget.NewForm(append([]*widget.FormItem{
		required("Name", d.Name, "how the profile is listed"),
		required("Endpoint", d.Endpoint, "Azure portal: your resource > Keys and Endpoint"),
		required("Deployment", container.NewBorder(nil, d.Picker, nil, d.FindButton, d.Deployment), "Azure AI Foundry: Deployments"),
		widget.NewFormItem("Model", d.Model),
		widget.NewFormItem("Sign in with", d.Auth),
		widget.NewFormItem("API key", container.NewBorder(nil, d.KeyNote, nil, nil, d.Key)),
		widget.NewFormItem("Tenant", d.Tenant),
		apiItem,
	}, d.buildPrices()...)...)
	gen := widget.NewForm(
		widget.NewFormItem("Preset", container.NewBorder(nil, nil, nil, d.PresetEdit, d.Preset)),
		widget.NewFormItem("System message", d.System),
		widget.NewFormItem("Temperature", d.Temperature),
		widget.NewFormItem("Max reply tokens", d.MaxTokens),
		widget.NewFormItem("Context window", d.Window),
		widget.NewFormItem("When too long", d.Strategy),
	)
	top := container.NewBorder(nil, nil, widget.NewLabel("Profile"), container.NewHBox(d.AddButton, d.CopyButton, d.DelButton), d.Profiles)
	d.ConnScroll = container.NewVScroll(conn)
	d.GenScroll = container.NewVScroll(gen)
	tabs := container.NewAppTabs(container.NewTabItem("Connection", d.ConnScroll), container.NewTabItem("Generation", d.GenScroll))
	// One row for every action, rather than Fyne's own Close row under
	// ours: checking the connection apart on the left, leaving and saving
	// together on the right, Save last as in Fyne's confirm dialogs.
	d.Actions = container.NewHBox(d.TestButton, layout.NewSpacer(), d.CloseButton, d.SaveButton)
	bottom := container.NewVBox(d.EnvNote, d.Status, d.Actions)
	content := container.NewBorder(top, bottom, nil, nil, tabs)
	d.d = dialog.NewCustomWithoutButtons("Settings", content, d.win)
	// Enter saves, as Save does (the dialog stays open; Save says what to
	// mend when the form is not ready), but not while the dialog's work
	// is out: a held Enter saved again while the saved key's address was
	// read (each save then asked about it), or while a profile was being
	// deleted (saving it back).
	submitWith(func() {
		if !d.SaveButton.Disabled() && !d.working() {
			d.save()
		}
	}, d.Name, d.Endpoint, d.Deployment, d.Model, d.Tenant, d.Key, d.System, d.Temperature, d.MaxTokens, d.Window,
		d.PriceInput, d.PriceCached, d.PriceOutput)
}

// refreshProfileList lists the saved profiles, and the one being edited
// while it is not saved yet, so the list always shows what the form holds.
func (d *settingsDialog) refreshProfileList() {
	var names []string
	for _, p := range d.cfg.Store.Profiles() {
		names = append(names, p.Name)
	}
	if d.editing.ID == "" && !slices.Contains(names, d.editing.Name) {
		names = append(names, d.editing.Name)
	}
	d.Profiles.Options = names
	d.Profiles.Refresh()
}

// maxHintRunes bounds a form field's error: Fyne's form shows it on one
// line under the field, and a longer one widened the dialog past the
// window (its buttons cut off) and kept it so. Save says it in full.
const maxHintRunes = 60

// formHint is err as a form field shows it: what is wrong, without the
// how-to after its first colon when that is too long for one line.
func formHint(err error) error {
	if err == nil || len([]rune(err.Error())) <= maxHintRunes {
		return err
	}
	msg := err.Error()
	quoted := false // a colon in the text quoted ("%q is not …") is not the cut
	for i := 0; i+1 < len(msg); i++ {
		switch {
		case msg[i] == '"' && (i == 0 || msg[i-1] != '\\'):
			quoted = !quoted
		case !quoted && msg[i] == ':' && msg[i+1] == ' ':
			return errors.New(chat.OneLine(msg[:i], maxHintRunes))
		}
	}
	return errors.New(chat.OneLine(msg, maxHintRunes))
}
