package app

// What the settings dialog does: show a profile in the form and read it
// back, save it, test it, duplicate and delete it, with keychain and
// network work off the UI thread.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/settings"
)

// form reads the form into a validated profile.
func (d *settingsDialog) form() (settings.Profile, error) {
	p := d.editing
	p.Name = d.Name.Text
	p.Endpoint = d.Endpoint.Text
	p.Deployment = d.Deployment.Text
	p.Model = strings.TrimSpace(d.Model.Text)
	p.Auth = d.authMode()
	p.Tenant = strings.TrimSpace(d.Tenant.Text)
	p.API = d.apiMode()
	p.StoreResponses = d.Store.Checked
	p.Gen.SystemPrompt = d.System.Text
	p.Gen.Examples = d.examples
	p.Gen.Preset = d.Preset.Selected
	p.Gen.Temperature = nil
	for _, e := range []*escEntry{d.Temperature, d.MaxTokens, d.Window} {
		if err := e.Validate(); err != nil {
			return p, err
		}
	}
	prices, err := d.formPrices()
	if err != nil {
		return p, err
	}
	// Fresh values, never shared with the profile being edited.
	p.Prices = prices
	p.Gen.Temperature, _ = settings.ParseTemperature(d.Temperature.Text)
	p.Gen.MaxTokens, _ = settings.ParseTokenCount(d.MaxTokens.Text)
	p.Gen.ContextWindow, _ = settings.ParseTokenCount(d.Window.Text)
	for s, l := range strategyLabels {
		if l == d.Strategy.Selected {
			p.Gen.Strategy = s
		}
	}
	return settings.Validate(p)
}

func (d *settingsDialog) save() {
	// What is saved is the form as it is now: what is typed while the key
	// is written (the fields stay open) is not, and Close asks about it.
	key := "" // a key typed goes to the keychain, its field emptied
	if d.authMode() != azure.AuthAPIKey {
		key = d.Key.Text // left in the field (disabled), not saved
	}
	d.saving = d.formStateKey(key)
	p, err := d.form()
	if err != nil {
		showNotice(d.win, dialog.NewInformation("Check the settings", err.Error(), d.win))
		return
	}
	for _, other := range d.cfg.Store.Profiles() {
		if other.Name == p.Name && other.ID != p.ID {
			showNotice(d.win, dialog.NewInformation("Check the settings", "another profile is already called "+p.Name, d.win))
			return
		}
	}
	if p.Auth == azure.AuthAPIKey && d.Key.Text == "" && !d.keySet {
		showNotice(d.win, dialog.NewInformation("Check the settings", "enter the API key (Azure portal > your resource > Keys and Endpoint)", d.win))
		return
	}
	if p.Auth != azure.AuthAPIKey || d.Key.Text != "" {
		d.commit(p, d.Key.Text)
		return
	}
	// The key in the keychain stays: it was given for the saved host.
	q := keyQuestion{title: "Use the saved key for a new address?", does: "Saved like this, the profile would send it with every message to %s.", confirm: "Use the saved key"}
	saved, ok := d.cfg.Store.Profile(p.ID)
	moved := ok && !settings.SameHost(p.Endpoint, saved.Endpoint)
	d.withKey(p, q, func(_, agreedFor string) {
		if !moved || agreedFor == "" {
			// Not moved, or the key is kept for the new address already.
			d.commit(p, "")
			return
		}
		// The key is bound to its address (settings.GetFor): saved again,
		// for the new one, as if typed — if it is still kept for the one
		// the question named. Held meanwhile: a profile deleted while the
		// key is read would come back with it.
		d.Status.SetText("Reading the saved key from the system keychain…")
		d.holdProfiles(true)
		d.background(func() func() {
			key, err := d.cfg.Secrets.GetFor(p.Name, p.ID, agreedFor)
			session := d.cfg.Secrets.IsSession(p.ID)
			return func() {
				d.holdProfiles(false)
				var elsewhere *settings.KeyHostError
				switch {
				case errors.As(err, &elsewhere):
					d.Status.SetText("Not saved: the saved key is now kept for " + settings.HostOf(elsewhere.SavedFor) + "; type the key for the new address in the API key field")
				case err != nil || key == "":
					d.Status.SetText("Not saved: the saved key could not be read; type it in the API key field")
				case session:
					// Kept in memory only: bound to the new address there.
					d.cfg.Secrets.SetSessionFor(p.ID, p.Endpoint, key)
					d.commit(p, "")
				default:
					d.commit(p, key)
				}
			}
		})
	})
}

// commit saves profile p, and key when one was typed. The key is written
// first, and the profile only once the keychain (or the user, for this
// session only) has it: a profile saved with a new address while its old
// key stayed in the keychain would send that key to the new address.
func (d *settingsDialog) commit(p settings.Profile, key string) {
	if key == "" || p.Auth != azure.AuthAPIKey {
		if d.put(p) {
			d.Status.SetText("Saved.")
			d.saved()
		}
		return
	}
	if p.ID == "" {
		p.ID = settings.NewID() // the keychain entry is named after it
	}
	d.Status.SetText("Saving the key in the system keychain…")
	d.holdProfiles(true)
	d.background(func() func() {
		err := d.cfg.Secrets.SetFor(p.ID, p.Endpoint, key)
		return func() {
			d.holdProfiles(false)
			switch {
			case errors.Is(err, settings.ErrNoKeychain):
				d.Status.SetText("Not saved yet: " + err.Error())
				dialog.ShowConfirm("No system keychain", err.Error()+"\n\nUse the key for this session only?", func(ok bool) {
					if !ok {
						d.Status.SetText("Not saved: the key could not be stored.")
						return
					}
					d.cfg.Secrets.SetSessionFor(p.ID, p.Endpoint, key)
					if !d.put(p) {
						d.cfg.Secrets.DropSession(p.ID)
						return
					}
					d.keyStored("•••••••• for this session only (not saved: no system keychain)")
					d.Status.SetText("Saved; the key is kept for this session only.")
					d.saved()
				}, d.win)
			case err != nil:
				d.Status.SetText("Not saved: " + err.Error())
			default:
				if !d.put(p) {
					// (The form was valid: only a broken store refuses.)
					go func() { _ = d.cfg.Secrets.Delete(p.ID) }()
					return
				}
				d.keyStored("•••••••• stored in the system keychain — type a new key to replace it")
				d.Status.SetText("Saved. The key is in the system keychain.")
				d.saved()
			}
		}
	})
}

// holdProfiles disables, while a key is being written, whatever would act
// on the profile or show another: duplicating it would copy the new key
// onto a profile still saved with the old address, and deleting it would
// be undone as the save ends. The write ends within the keychain's
// timeout (10 s).
func (d *settingsDialog) holdProfiles(hold bool) {
	// Close too: a dialog opened again would offer them.
	for _, w := range []fyne.Disableable{d.SaveButton, d.AddButton, d.CopyButton, d.DelButton, d.Profiles, d.CloseButton} {
		if hold {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	if !hold {
		d.savedOnly()
	}
}

// savedOnly enables Duplicate and Delete for a profile that is saved: a
// new one's (at first start, or after New) looked enabled and did nothing.
func (d *settingsDialog) savedOnly() {
	for _, b := range []*escButton{d.CopyButton, d.DelButton} {
		if d.editing.ID == "" {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// put saves p as the current profile and shows it; false (with the reason
// shown) when the store refused it.
func (d *settingsDialog) put(p settings.Profile) bool {
	p, err := d.cfg.Store.Put(p)
	if err != nil {
		showNotice(d.win, dialog.NewInformation("Check the settings", err.Error(), d.win))
		return false
	}
	_ = d.cfg.Store.SetCurrent(p.ID)
	d.editing = p
	d.savedOnly()
	d.refreshProfileList()
	d.Profiles.SetSelected(p.Name)
	return true
}

// keyStored shows the key field empty, with note saying where the key is.
func (d *settingsDialog) keyStored(note string) {
	d.Key.SetText("")
	d.keySet = true
	d.KeyNote.SetText(note)
}

func (d *settingsDialog) saved() {
	d.stored = d.saving
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
	d.withKey(p, sendQuestion("Test connection"), func(typed, agreedFor string) { d.runTest(p, typed, agreedFor) })
}

// runTest sends the one-token request, with the typed key or else the
// saved one, off the UI thread.
func (d *settingsDialog) runTest(p settings.Profile, typed, agreedFor string) {
	d.Status.SetText("Testing…")
	enable := d.holdButton(d.TestButton)
	d.background(func() func() {
		conn, err := d.connection(p, typed, agreedFor)
		var model string
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			model, err = d.cfg.Test(ctx, conn)
			cancel()
		}
		return func() {
			enable()
			if err != nil {
				d.Status.SetText("Not connected — " + checkFailure(err))
				return
			}
			if model == "" {
				model = "unknown"
			} else if ep, epErr := settings.NormalizeEndpoint(d.Endpoint.Text); epErr == nil && strings.TrimSpace(d.Model.Text) == "" &&
				strings.TrimSpace(d.Deployment.Text) == p.Deployment && settings.SameHost(ep.BaseURL, p.Endpoint) && d.editing.ID == p.ID {
				// (Still the profile and address tested: the field as
				// typed, "my-resource" or "localhost:8089", names no host
				// until normalized, and the model was never filled.)
				// The deployment's model, as the service named it: the
				// token meter counts exactly from the first message once
				// saved (not a 4,096-token estimate until an answer).
				d.Model.SetText(model)
				d.autoModel = model
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
		showNotice(d.win, dialog.NewInformation("Not duplicated", err.Error(), d.win))
		return
	}
	d.background(func() func() {
		// Its key as it may be sent now: for the address it was saved for.
		if key, err := d.cfg.Secrets.GetFor(p.Name, src, p.Endpoint); err == nil && key != "" {
			if d.cfg.Secrets.IsSession(src) {
				d.cfg.Secrets.SetSessionFor(p.ID, p.Endpoint, key)
			} else {
				_ = d.cfg.Secrets.SetFor(p.ID, p.Endpoint, key)
			}
		}
		return func() { d.load(p) }
	})
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

// working reports whether keychain or network work the dialog started is
// still to come back.
func (d *settingsDialog) working() bool {
	d.pendingMu.Lock()
	defer d.pendingMu.Unlock()
	return d.pending > 0
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

// apiMode is the API the form's selector names.
func (d *settingsDialog) apiMode() chat.APIMode {
	for m, l := range apiLabels {
		if l == d.API.Selected {
			return m
		}
	}
	return chat.APIAuto
}

// load shows a profile in the form and asks the keychain, off the UI
// thread, whether a key is stored.
func (d *settingsDialog) load(p settings.Profile) {
	d.editing = p
	d.savedOnly()
	d.refreshProfileList()
	d.Profiles.SetSelected(p.Name)
	d.Name.SetText(p.Name)
	d.Endpoint.SetText(p.Endpoint)
	d.Deployment.SetText(p.Deployment)
	d.Model.SetText(p.Model)
	d.autoModel = "" // the profile's own, kept when its deployment is edited
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
	d.showPrices(p.Prices)
	d.Status.SetText("")
	d.keySet = false
	d.KeyNote.SetText("")
	d.updateAuth()
	// An empty field of a profile just shown has its hint under it, not
	// Fyne's red "item is required" (Fyne holds that back for its own
	// Entry until it has been typed in, not for one extending it).
	for _, e := range []*escEntry{d.Name, d.Endpoint, d.Deployment} {
		if e.Text == "" {
			e.SetValidationError(nil)
		}
	}
	d.markSaved()
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
		d.KeyNote.Show()
		d.Tenant.Disable()
	} else {
		// The key's note ("stored in the system keychain — type a new
		// key…") is about a field not used with Entra ID.
		d.Key.Disable()
		d.KeyNote.Hide()
		d.Tenant.Enable()
	}
}
