package app

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
}

// background runs work off the UI thread and hands its result, a func to
// run on the UI thread, to the bridge.
func (d *settingsDialog) background(work func() func()) {
	d.pendingMu.Lock()
	d.pending++
	d.pendingMu.Unlock()
	go func() {
		apply := work()
		if !d.cfg.Bridge.push(func() {
			defer d.done()
			apply()
		}) {
			d.done() // the window is closing: nothing to show
		}
	}()
}

func (d *settingsDialog) done() {
	d.pendingMu.Lock()
	d.pending--
	d.pendingMu.Unlock()
}

// Wait blocks until keychain and network work started by the dialog, and
// the work it started in turn, has been applied to the widgets.
func (d *settingsDialog) Wait() {
	for {
		d.pendingMu.Lock()
		n := d.pending
		d.pendingMu.Unlock()
		if n == 0 || d.cfg.Bridge.isShut() {
			// Nothing left, or the window is going: a result the bridge
			// dropped will never be applied.
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	d.cfg.Bridge.waitIdle()
}

// settingsDialog is the settings dialog; tests hold it to drive its widgets.
type settingsDialog struct {
	cfg settingsDialogConfig
	win fyne.Window
	d   dialog.Dialog

	Profiles   *widget.Select
	Name       *widget.Entry
	Endpoint   *widget.Entry
	Deployment *widget.Entry
	Model      *widget.Entry
	Auth       *widget.RadioGroup
	Tenant     *widget.Entry
	// API chooses Chat Completions or the Responses API; Store lets the
	// Responses API keep responses on the service.
	API        *widget.Select
	Store      *widget.Check
	Key        *widget.Entry
	KeyNote    *widget.Label
	Preset     *widget.Select
	PresetEdit *widget.Button
	// Editor is the preset editor last opened from this dialog.
	Editor      *presetEditor
	System      *widget.Entry
	Temperature *widget.Entry
	MaxTokens   *widget.Entry
	Window      *widget.Entry
	Strategy    *widget.Select
	EnvNote     *widget.Label
	Status      *widget.Label
	TestButton  *widget.Button
	FindButton  *widget.Button
	// Picker offers the deployments Find deployments found.
	Picker     *widget.Select
	SaveButton *widget.Button
	AddButton  *widget.Button
	CopyButton *widget.Button
	DelButton  *widget.Button

	editing settings.Profile
	// autoDeployment is what the endpoint filled in, so typing on in the
	// endpoint keeps it current without overwriting the user's own text.
	autoDeployment string
	examples       []chat.Example
	keySet         bool
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

// apiMode is the API the form's selector names.
func (d *settingsDialog) apiMode() chat.APIMode {
	for m, l := range apiLabels {
		if l == d.API.Selected {
			return m
		}
	}
	return chat.APIAuto
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
	d.d.Resize(fyne.NewSize(640, 640))
	d.d.Show()
	// Loading starts the keychain read, so the dialog is laid out first.
	if cur, ok := cfg.Store.Current(); ok {
		d.load(cur)
	} else {
		d.load(settings.Profile{Name: "Default", Auth: azure.AuthAPIKey, Gen: settings.Generation{Strategy: chat.DropOldest}})
	}
	return d
}

func (d *settingsDialog) build() {
	d.Profiles = widget.NewSelect(nil, func(name string) {
		for _, p := range d.cfg.Store.Profiles() {
			if p.Name == name && p.ID != d.editing.ID {
				d.load(p)
			}
		}
	})
	d.AddButton = widget.NewButton("New", func() {
		d.load(settings.Profile{Name: "New profile", Auth: azure.AuthAPIKey, Gen: settings.Generation{Strategy: chat.DropOldest}})
	})
	d.CopyButton = widget.NewButton("Duplicate", d.duplicate)
	d.DelButton = widget.NewButton("Delete", d.confirmDelete)
	d.DelButton.Importance = widget.DangerImportance

	d.Name = widget.NewEntry()
	d.Name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("give the profile a name")
		}
		return nil
	}
	d.Endpoint = widget.NewEntry()
	d.Endpoint.SetPlaceHolder("https://my-resource.openai.azure.com")
	d.Endpoint.Validator = func(s string) error { _, err := settings.NormalizeEndpoint(s); return err }
	d.Endpoint.OnChanged = func(s string) {
		// Pasting the portal's target URI fills the deployment too.
		if ep, err := settings.NormalizeEndpoint(s); err == nil && ep.Deployment != "" && (d.Deployment.Text == "" || d.Deployment.Text == d.autoDeployment) {
			d.autoDeployment = ep.Deployment
			d.Deployment.SetText(ep.Deployment)
		}
	}
	d.Deployment = widget.NewEntry()
	d.Deployment.SetPlaceHolder("the deployment name, e.g. gpt-4o")
	d.Deployment.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("enter the deployment name")
		}
		return nil
	}
	d.Model = widget.NewEntry()
	d.Model.SetPlaceHolder("optional: learnt from the first answer")
	d.Auth = widget.NewRadioGroup([]string{authLabels[azure.AuthAPIKey], authLabels[azure.AuthEntra], authLabels[azure.AuthEntraBrowser]}, func(string) { d.updateAuth() })
	d.Auth.Required = true
	d.Tenant = widget.NewEntry()
	d.Tenant.SetPlaceHolder("optional tenant ID")
	d.Key = widget.NewPasswordEntry()
	d.KeyNote = widget.NewLabel("")
	d.KeyNote.Importance = widget.LowImportance

	var presetNames []string
	for _, p := range d.cfg.Store.Presets() {
		presetNames = append(presetNames, p.Name)
	}
	d.Preset = widget.NewSelect(presetNames, func(name string) {
		for _, p := range d.cfg.Store.Presets() {
			if p.Name == name {
				d.System.SetText(p.System)
				d.examples = append([]chat.Example(nil), p.Examples...)
			}
		}
	})
	d.Preset.PlaceHolder = "Choose a preset…"
	d.PresetEdit = widget.NewButton("Edit…", func() {
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
	d.System = widget.NewMultiLineEntry()
	d.System.Wrapping = fyne.TextWrapWord
	d.System.SetMinRowsVisible(4)
	d.Temperature = widget.NewEntry()
	d.Temperature.SetPlaceHolder("service default")
	d.Temperature.Validator = validTemperature
	d.MaxTokens = widget.NewEntry()
	d.MaxTokens.SetPlaceHolder("automatic")
	d.MaxTokens.Validator = validCount
	d.Window = widget.NewEntry()
	d.Window.SetPlaceHolder("from the model")
	d.Window.Validator = validCount
	d.Strategy = widget.NewSelect([]string{strategyLabels[chat.DropOldest], strategyLabels[chat.AskNewChat]}, nil)
	d.EnvNote = widget.NewLabel("")
	d.EnvNote.Wrapping = fyne.TextWrapWord
	d.EnvNote.Importance = widget.WarningImportance
	d.Status = widget.NewLabel("")
	d.Status.Wrapping = fyne.TextWrapWord
	d.API = widget.NewSelect([]string{apiLabels[chat.APIAuto], apiLabels[chat.APIChat], apiLabels[chat.APIResponses]}, nil)
	d.Store = widget.NewCheck("Keep Responses API answers on Azure (store: true); azchat keeps its own history either way", nil)
	d.TestButton = widget.NewButton("Test connection", d.test)
	d.FindButton = widget.NewButton("Find deployments", d.findDeployments)
	d.Picker = widget.NewSelect(nil, d.pickDeployment)
	d.Picker.PlaceHolder = "pick a deployment"
	d.Picker.Hide()
	if d.cfg.Find == nil {
		d.FindButton.Hide()
	}
	d.SaveButton = widget.NewButton("Save", d.save)
	d.SaveButton.Importance = widget.HighImportance

	var envs []string
	for _, k := range []string{settings.EnvEndpoint, settings.EnvDeployment, settings.EnvAPIKey} {
		if d.cfg.Getenv(k) != "" {
			envs = append(envs, k)
		}
	}
	if len(envs) > 0 {
		d.EnvNote.SetText("For this run, " + strings.Join(envs, ", ") + " from the environment override the active profile. They are not saved.")
	} else {
		d.EnvNote.Hide()
	}

	// Fyne 2.8 marks required fields and shows each validator's message
	// under its field as the user types.
	required := func(text string, w fyne.CanvasObject) *widget.FormItem {
		it := widget.NewFormItem(text, w)
		it.Required = true
		return it
	}
	conn := widget.NewForm(
		required("Name", d.Name),
		required("Endpoint", d.Endpoint),
		required("Deployment", container.NewBorder(nil, d.Picker, nil, d.FindButton, d.Deployment)),
		widget.NewFormItem("Model", d.Model),
		widget.NewFormItem("Sign in with", d.Auth),
		widget.NewFormItem("API key", container.NewBorder(nil, d.KeyNote, nil, nil, d.Key)),
		widget.NewFormItem("Tenant", d.Tenant),
		widget.NewFormItem("API", container.NewVBox(d.API, d.Store)),
	)
	gen := widget.NewForm(
		widget.NewFormItem("Preset", container.NewBorder(nil, nil, nil, d.PresetEdit, d.Preset)),
		widget.NewFormItem("System message", d.System),
		widget.NewFormItem("Temperature", d.Temperature),
		widget.NewFormItem("Max reply tokens", d.MaxTokens),
		widget.NewFormItem("Context window", d.Window),
		widget.NewFormItem("When too long", d.Strategy),
	)
	top := container.NewBorder(nil, nil, widget.NewLabel("Profile"), container.NewHBox(d.AddButton, d.CopyButton, d.DelButton), d.Profiles)
	tabs := container.NewAppTabs(container.NewTabItem("Connection", container.NewVScroll(conn)), container.NewTabItem("Generation", container.NewVScroll(gen)))
	bottom := container.NewVBox(d.EnvNote, d.Status, container.NewHBox(d.TestButton, widget.NewLabel(""), d.SaveButton))
	content := container.NewBorder(top, bottom, nil, nil, tabs)
	d.d = dialog.NewCustom("Settings", "Close", content, d.win)
}

func (d *settingsDialog) refreshProfileList() {
	var names []string
	for _, p := range d.cfg.Store.Profiles() {
		names = append(names, p.Name)
	}
	d.Profiles.Options = names
	d.Profiles.Refresh()
}

// load shows a profile in the form and asks the keychain, off the UI
// thread, whether a key is stored.
func (d *settingsDialog) load(p settings.Profile) {
	d.editing = p
	d.refreshProfileList()
	d.Profiles.SetSelected(p.Name)
	d.Name.SetText(p.Name)
	d.Endpoint.SetText(p.Endpoint)
	d.Deployment.SetText(p.Deployment)
	d.Model.SetText(p.Model)
	if p.Auth == "" {
		p.Auth = azure.AuthAPIKey
	}
	d.Auth.SetSelected(authLabels[p.Auth])
	d.Tenant.SetText(p.Tenant)
	api := p.API
	if api == "" {
		api = chat.APIAuto
	}
	d.API.SetSelected(apiLabels[api])
	d.Store.SetChecked(p.StoreResponses)
	d.Key.SetText("")
	d.System.SetText(p.Gen.SystemPrompt)
	d.examples = p.Gen.Examples
	d.Preset.ClearSelected()
	d.Temperature.SetText(floatText(p.Gen.Temperature))
	d.MaxTokens.SetText(intText(p.Gen.MaxTokens))
	d.Window.SetText(intText(p.Gen.ContextWindow))
	st := p.Gen.Strategy
	if st == "" {
		st = chat.DropOldest
	}
	d.Strategy.SetSelected(strategyLabels[st])
	d.Status.SetText("")
	d.keySet = false
	d.KeyNote.SetText("")
	d.updateAuth()
	if p.ID == "" {
		return
	}
	id := p.ID
	d.background(func() func() {
		key, err := d.cfg.Secrets.Get(id)
		session := d.cfg.Secrets.IsSession(id)
		return func() {
			if d.editing.ID != id {
				return
			}
			switch {
			case err != nil:
				d.KeyNote.SetText(err.Error())
			case key != "" && session:
				d.keySet = true
				d.KeyNote.SetText("•••••••• for this session only (not saved: no system keychain)")
			case key != "":
				d.keySet = true
				d.KeyNote.SetText("•••••••• stored in the system keychain — type a new key to replace it")
			default:
				d.KeyNote.SetText("No key stored yet")
			}
		}
	})
}

func (d *settingsDialog) authMode() azure.AuthMode {
	for m, l := range authLabels {
		if l == d.Auth.Selected {
			return m
		}
	}
	return azure.AuthAPIKey
}

func (d *settingsDialog) updateAuth() {
	if d.authMode() == azure.AuthAPIKey {
		d.Key.Enable()
		d.Tenant.Disable()
	} else {
		d.Key.Disable()
		d.Tenant.Enable()
	}
}
