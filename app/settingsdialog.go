package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/settings"
)

// settingsDialogConfig wires the settings dialog to the rest of the app.
type settingsDialogConfig struct {
	Store   *settings.Store
	Secrets *settings.Secrets
	Getenv  func(string) string
	// Test sends a one-token request and returns the model that answered.
	Test func(ctx context.Context, c settings.Connection) (string, error)
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
	if d.pending == 0 {
		d.settled.Broadcast()
	}
	d.pendingMu.Unlock()
}

// Wait blocks until keychain and network work started by the dialog, and
// the work it started in turn, has been applied to the widgets.
func (d *settingsDialog) Wait() {
	d.pendingMu.Lock()
	for d.pending > 0 {
		d.settled.Wait()
	}
	d.pendingMu.Unlock()
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
	SaveButton  *widget.Button
	AddButton   *widget.Button
	CopyButton  *widget.Button
	DelButton   *widget.Button

	editing settings.Profile
	// autoDeployment is what the endpoint filled in, so typing on in the
	// endpoint keeps it current without overwriting the user's own text.
	autoDeployment string
	examples       []chat.Example
	keySet         bool
	// keyConfirm is the last "send the saved key to a new address?" question.
	keyConfirm *dialog.ConfirmDialog
	// pending counts keychain and network work in flight, including its
	// hand-off through the bridge (tests and Wait use it).
	pendingMu sync.Mutex
	pending   int
	settled   *sync.Cond
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
	d.settled = sync.NewCond(&d.pendingMu)
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
	d.Temperature.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || f < 0 || f > 2 {
			return errors.New("a number from 0 to 2")
		}
		return nil
	}
	d.MaxTokens = widget.NewEntry()
	d.MaxTokens.SetPlaceHolder("automatic")
	d.MaxTokens.Validator = optionalCount
	d.Window = widget.NewEntry()
	d.Window.SetPlaceHolder("from the model")
	d.Window.Validator = optionalCount
	d.Strategy = widget.NewSelect([]string{strategyLabels[chat.DropOldest], strategyLabels[chat.AskNewChat]}, nil)
	d.EnvNote = widget.NewLabel("")
	d.EnvNote.Wrapping = fyne.TextWrapWord
	d.EnvNote.Importance = widget.WarningImportance
	d.Status = widget.NewLabel("")
	d.Status.Wrapping = fyne.TextWrapWord
	d.TestButton = widget.NewButton("Test connection", d.test)
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
		required("Deployment", d.Deployment),
		widget.NewFormItem("Model", d.Model),
		widget.NewFormItem("Sign in with", d.Auth),
		widget.NewFormItem("API key", container.NewBorder(nil, d.KeyNote, nil, nil, d.Key)),
		widget.NewFormItem("Tenant", d.Tenant),
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

func optionalCount(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	n, err := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
	if err != nil || n < 1 {
		return errors.New("a whole number of tokens, or empty")
	}
	return nil
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
	d.Key.SetText("")
	d.System.SetText(p.Gen.SystemPrompt)
	d.examples = p.Gen.Examples
	d.Preset.ClearSelected()
	if p.Gen.Temperature != nil {
		d.Temperature.SetText(strconv.FormatFloat(*p.Gen.Temperature, 'f', -1, 64))
	} else {
		d.Temperature.SetText("")
	}
	d.MaxTokens.SetText(countText(p.Gen.MaxTokens))
	d.Window.SetText(countText(p.Gen.ContextWindow))
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

func countText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
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

// form reads the form into a validated profile.
func (d *settingsDialog) form() (settings.Profile, error) {
	p := d.editing
	p.Name = d.Name.Text
	p.Endpoint = d.Endpoint.Text
	p.Deployment = d.Deployment.Text
	p.Model = strings.TrimSpace(d.Model.Text)
	p.Auth = d.authMode()
	p.Tenant = strings.TrimSpace(d.Tenant.Text)
	p.Gen.SystemPrompt = d.System.Text
	p.Gen.Examples = d.examples
	p.Gen.Preset = d.Preset.Selected
	p.Gen.Temperature = nil
	for _, e := range []*widget.Entry{d.Temperature, d.MaxTokens, d.Window} {
		if err := e.Validate(); err != nil {
			return p, err
		}
	}
	if t := strings.TrimSpace(d.Temperature.Text); t != "" {
		f, _ := strconv.ParseFloat(t, 64)
		p.Gen.Temperature = &f
	}
	p.Gen.MaxTokens, _ = strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(d.MaxTokens.Text), ",", ""))
	p.Gen.ContextWindow, _ = strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(d.Window.Text), ",", ""))
	for s, l := range strategyLabels {
		if l == d.Strategy.Selected {
			p.Gen.Strategy = s
		}
	}
	return settings.Validate(p)
}

func (d *settingsDialog) save() {
	p, err := d.form()
	if err != nil {
		dialog.ShowInformation("Check the settings", err.Error(), d.win)
		return
	}
	for _, other := range d.cfg.Store.Profiles() {
		if other.Name == p.Name && other.ID != p.ID {
			dialog.ShowInformation("Check the settings", "another profile is already called "+p.Name, d.win)
			return
		}
	}
	if p.Auth == azure.AuthAPIKey && d.Key.Text == "" && !d.keySet {
		dialog.ShowInformation("Check the settings", "enter the API key (Azure portal → your resource → Keys and Endpoint)", d.win)
		return
	}
	p, err = d.cfg.Store.Put(p)
	if err != nil {
		dialog.ShowInformation("Check the settings", err.Error(), d.win)
		return
	}
	_ = d.cfg.Store.SetCurrent(p.ID)
	d.editing = p
	d.refreshProfileList()
	d.Profiles.SetSelected(p.Name)
	key := d.Key.Text
	if key == "" || p.Auth != azure.AuthAPIKey {
		d.Status.SetText("Saved.")
		d.saved()
		return
	}
	d.Status.SetText("Saving the key in the system keychain…")
	d.background(func() func() {
		err := d.cfg.Secrets.Set(p.ID, key)
		return func() {
			switch {
			case errors.Is(err, settings.ErrNoKeychain):
				dialog.ShowConfirm("No system keychain", err.Error()+"\n\nUse the key for this session only?", func(ok bool) {
					if ok {
						d.cfg.Secrets.SetSession(p.ID, key)
						d.Key.SetText("")
						d.keySet = true
						d.KeyNote.SetText("•••••••• for this session only (not saved: no system keychain)")
						d.Status.SetText("Saved; the key is kept for this session only.")
						d.saved()
					}
				}, d.win)
			case err != nil:
				d.Status.SetText(err.Error())
			default:
				d.Key.SetText("")
				d.keySet = true
				d.KeyNote.SetText("•••••••• stored in the system keychain — type a new key to replace it")
				d.Status.SetText("Saved. The key is in the system keychain.")
				d.saved()
			}
		}
	})
}

func (d *settingsDialog) saved() {
	if d.cfg.OnSaved != nil {
		d.cfg.OnSaved()
	}
}

// test sends a one-token request with what the form says now, saved or not.
func (d *settingsDialog) test() {
	p, err := d.form()
	if err != nil {
		d.Status.SetText("Cannot test yet: " + err.Error())
		return
	}
	if d.cfg.Test == nil {
		return
	}
	typed := d.Key.Text
	if saved, ok := d.cfg.Store.Profile(p.ID); ok && typed == "" && p.Auth == azure.AuthAPIKey && !settings.SameHost(p.Endpoint, saved.Endpoint) {
		// The saved key was given for the saved host: ask before it goes
		// to an address typed in the form but not yet saved.
		c := dialog.NewConfirm("Send the saved key to a new address?",
			"The key in the keychain was saved for "+hostOf(saved.Endpoint)+".\n\nTest connection would send it to "+hostOf(p.Endpoint)+
				".\nType the key for that address in the API key field instead, or send the saved one.",
			func(ok bool) {
				if ok {
					d.runTest(p, "")
				}
			}, d.win)
		c.SetConfirmText("Send the saved key")
		c.SetDismissText("Cancel")
		d.keyConfirm = c
		c.Show()
		return
	}
	d.runTest(p, typed)
}

// runTest sends the one-token request, with the typed key or else the
// saved one, off the UI thread.
func (d *settingsDialog) runTest(p settings.Profile, typed string) {
	d.Status.SetText("Testing…")
	d.TestButton.Disable()
	d.background(func() func() {
		conn := settings.Connection{Profile: p, APIKey: typed}
		var err error
		if typed == "" && p.Auth == azure.AuthAPIKey && p.ID != "" {
			conn.APIKey, err = d.cfg.Secrets.Get(p.ID)
		}
		var model string
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			model, err = d.cfg.Test(ctx, conn)
			cancel()
		}
		return func() {
			d.TestButton.Enable()
			if err != nil {
				d.Status.SetText("Not connected — " + chat.AsError(err).Reason)
				return
			}
			if model == "" {
				model = "unknown"
			}
			d.Status.SetText(fmt.Sprintf("Connected — model %s", model))
		}
	})
}

func (d *settingsDialog) duplicate() {
	if d.editing.ID == "" {
		return
	}
	src := d.editing.ID
	p, err := d.cfg.Store.Duplicate(src)
	if err != nil {
		dialog.ShowInformation("Not duplicated", err.Error(), d.win)
		return
	}
	d.background(func() func() {
		if key, err := d.cfg.Secrets.Get(src); err == nil && key != "" {
			if d.cfg.Secrets.IsSession(src) {
				d.cfg.Secrets.SetSession(p.ID, key)
			} else {
				_ = d.cfg.Secrets.Set(p.ID, key)
			}
		}
		return func() { d.load(p) }
	})
}

func (d *settingsDialog) confirmDelete() {
	if d.editing.ID == "" {
		return
	}
	p := d.editing
	c := dialog.NewConfirm("Delete profile?", "Delete \""+p.Name+"\" and remove its key from the system keychain?", func(ok bool) {
		if !ok {
			return
		}
		_ = d.cfg.Store.Remove(p.ID, nil)
		d.background(func() func() {
			err := d.cfg.Secrets.Delete(p.ID)
			return func() {
				if err != nil {
					d.Status.SetText("Profile deleted, but its key could not be removed: " + err.Error())
				}
				if cur, ok := d.cfg.Store.Current(); ok {
					d.load(cur)
				} else {
					d.load(settings.Profile{Name: "Default", Auth: azure.AuthAPIKey})
				}
				d.saved()
			}
		})
	}, d.win)
	c.SetConfirmImportance(widget.DangerImportance)
	c.SetConfirmText("Delete")
	c.Show()
}

// hostOf is an endpoint's host for a message.
func hostOf(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		return u.Host
	}
	return endpoint
}
