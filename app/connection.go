package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/settings"
)

// notConnected stands in until settings are resolved, and after a
// connection failed: nothing goes out with the client of before.
type notConnected struct{}

func (notConnected) Stream(context.Context, chat.Request, func(chat.Delta)) error {
	return &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: "azchat is not connected yet: open Settings and enter your endpoint, deployment and key"}
}

// connect resolves the current profile (keychain included) off the UI
// thread and hands the result to the UI. firstRun opens settings when
// nothing usable is saved. seq numbers the attempt: only the newest is
// applied (a profile read slowly must not replace the one chosen after
// it). Start it with startConnect, which counts it.
func (u *UI) connect(firstRun bool, seq int) {
	conn, err := u.store.Resolve(u.secrets, u.cfg.Getenv)
	var client chat.Client
	if err == nil {
		client, err = u.cfg.NewClient(conn)
	}
	u.bridge.push(func() {
		u.connecting--
		defer u.connectEnded()
		if seq != u.connSeq {
			return // another attempt started since: it decides
		}
		u.connApplied = seq
		u.conn = conn
		u.refreshProfiles()
		if err != nil {
			// Nothing is sent with the settings of before (another
			// profile's deployment, a key since removed): Enter opens
			// the settings, and what else would send fails saying so.
			u.connOK = false
			// The key could not be read (a keychain locked, its unlock
			// cancelled, or slow): Enter reads it again (see send).
			u.keyUnread = settings.KeyUnreadable(err)
			u.dropClient()
			u.connLabel.SetText("Not connected")
			u.updateHint()
			if firstRun && !u.keyUnread {
				// (Not for a key the keychain would not give: the dialog
				// would read it again, and a locked keychain ask again.)
				u.showSettings()
				return
			}
			u.inform("Not connected", chat.AsError(err).Reason)
			return
		}
		if e := u.ctl.SetClient(client); e != nil {
			// An answer is streaming with the old settings: apply the new
			// ones as soon as it ends, and say so rather than drop them.
			u.connLabel.SetText("New settings apply when this answer ends")
			u.connecting++
			u.connSeq++
			seq := u.connSeq
			go func() {
				u.ctl.Wait()
				u.connect(false, seq)
			}()
			return
		}
		opts := conn.Options()
		u.ctl.SetOptions(opts)
		if learned := u.store.Learned(conn.Profile.Endpoint, conn.Profile.Deployment); learned != "" {
			u.ctl.LearnModel(conn.Profile.Endpoint, conn.Profile.Deployment, learned)
		}
		if api := u.store.LearnedAPI(conn.Profile.Endpoint, conn.Profile.Deployment); api != "" {
			u.ctl.LearnAPI(conn.Profile.Endpoint, conn.Profile.Deployment, models.API(api))
		}
		if len(u.msgs) == 0 {
			u.conv.System = conn.Profile.Gen.SystemPrompt
			u.conv.Examples = conn.Profile.Gen.Examples
		}
		u.ctl.SetSystem(u.conv.System, u.conv.Examples)
		label := conn.Profile.Deployment
		if len(conn.FromEnv) > 0 {
			label += " (env)"
		}
		u.connLabel.SetText(label)
		u.ctl.CheckWith(u.input.Text, u.draft.attachments())
		u.connOK = true
		u.updateHint()
	})
}

// connectEnded ends a connection attempt on the UI thread. The first one
// closes connected. Once the newest is applied, a message Enter left waiting
// is sent into the chat it was written in if there is a connection; with
// none, in another chat, or once quitting, it stays in the input.
func (u *UI) connectEnded() {
	select {
	case <-u.connected:
	default:
		close(u.connected)
	}
	if u.sendWhenConnected && !u.connectPending() {
		u.sendWhenConnected = false
		if u.connOK && !u.quitting && u.conv.ID == u.waitChat {
			u.send()
		}
	}
}

// dropClient leaves the controller without a client after a connection
// failed: at once, or, while an answer streams with the client of before,
// as soon as it ends (unless a connection was made meanwhile).
func (u *UI) dropClient() {
	if u.ctl.SetClient(notConnected{}) == nil {
		return
	}
	go func() {
		u.ctl.Wait()
		u.bridge.push(func() {
			if !u.connOK && !u.connectPending() {
				u.dropClient()
			}
		})
	}()
}

// canSend reports whether a request may go now. Otherwise it shows why: a
// connection is being made ("Connecting…"), or there is none (Settings
// opens).
func (u *UI) canSend() bool {
	switch {
	case u.quitting:
		return false // "Saving…": the text stays in the box (and is kept)
	case u.connectPending():
		u.connLabel.SetText("Connecting…")
		return false
	case !u.connOK:
		u.showSettings()
		// Said, not only opened: Enter opened Settings without a word.
		u.settingsDlg.Status.SetText("Not sent: there is no connection yet. Your message stays in the box; once these settings are saved and connect, press Enter again.")
		return false
	}
	return true
}

// connectPending reports whether the newest connection attempt started
// has not been applied yet.
func (u *UI) connectPending() bool { return u.connApplied < u.connSeq }

// reconnect connects with the current profile again (it changed, or its
// settings did); call it on the UI thread.
func (u *UI) reconnect() { u.startConnect(false) }

// startConnect counts a connection attempt, numbers it the newest and
// starts it; call it on the UI thread.
func (u *UI) startConnect(firstRun bool) {
	u.connecting++
	u.connSeq++
	go u.connect(firstRun, u.connSeq)
}

func (u *UI) refreshProfiles() {
	var names []string
	for _, p := range u.store.Profiles() {
		names = append(names, p.Name)
	}
	u.profileSel.Options = names
	if cur, ok := u.store.Current(); ok {
		u.profileSel.SetSelectedIndex(indexOf(names, cur.Name))
	}
	u.profileSel.Refresh()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func (u *UI) switchProfile(name string) {
	for _, p := range u.store.Profiles() {
		if p.Name == name {
			if cur, ok := u.store.Current(); ok && cur.ID == p.ID {
				return
			}
			if u.busy {
				u.refreshProfiles()
				// The answer is written with the profile it began with.
				u.note("Not switched: stop the answer (Esc) or let it end, then pick " + chat.OneLine(name, 60))
				return
			}
			_ = u.store.SetCurrent(p.ID)
			u.reconnect()
			return
		}
	}
}

func (u *UI) showSettings() {
	u.settingsDlg = showSettingsDialog(u.win, settingsDialogConfig{
		Store:   u.store,
		Secrets: u.secrets,
		Getenv:  u.cfg.Getenv,
		Test: func(ctx context.Context, c settings.Connection) (string, error) {
			client, err := u.cfg.NewClient(c)
			if err != nil {
				return "", err
			}
			return chat.TestConnection(ctx, client, c.Profile.Deployment)
		},
		Find:    u.findDeployments,
		OnSaved: u.reconnect,
		Bridge:  u.bridge,
		Later:   func(f func()) { u.bridge.push(f) },
	})
}

// typedNowhere takes a character typed while nothing has the keys and no
// dialog is open to the message box, with the keys: after a theme picked
// or Copy last answer clicked in the menu, or a menu closed with Esc,
// what was typed next was lost.
func (u *UI) typedNowhere(r rune) {
	c := u.win.Canvas()
	// Not a space: a button, a menu item or a check pressed with Space
	// lets the keys go (Fyne), and its character comes after the key, to
	// no one (a dialog closed with Space typed it into the message box).
	if r == ' ' || c.Focused() != nil || c.Overlays().Top() != nil || u.input.Disabled() {
		return
	}
	c.Focus(u.input)
	u.input.TypedRune(r)
}

// keysHome gives the keys back to the message box once a dialog closed
// (setKeysHome): when nothing has them and no dialog is left open (one
// under it, such as Settings under "Discard your changes?", keeps them).
// Through the bridge: a dialog closed with Space on its button would
// have that space typed into the message box.
func (u *UI) keysHome() {
	u.bridge.push(func() {
		if c := u.win.Canvas(); c != nil && c.Focused() == nil && c.Overlays().Top() == nil {
			c.Focus(u.input)
		}
	})
}

// findDeployments lists the deployments of c's resource, reusing a listing
// of the last minutes for the same profile, address and sign-in — the same
// key too (its hash, kept in memory only): a key that changed must be
// checked again, not answered from the cache.
func (u *UI) findDeployments(ctx context.Context, c settings.Connection) ([]deploy.Deployment, error) {
	sum := sha256.Sum256([]byte(c.APIKey))
	key := strings.Join([]string{c.Profile.ID, c.Profile.Endpoint, string(c.Profile.Auth), c.Profile.Tenant, hex.EncodeToString(sum[:])}, "|")
	if list, ok := u.deployments.Get(key); ok {
		return list, nil
	}
	list, err := c.Deployments(ctx, u.cfg.Getenv(deploy.EnvARMEndpoint))
	if err == nil {
		u.deployments.Put(key, list)
	}
	return list, err
}
