package app

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/settings"
)

// withKey runs send with the key typed in the form, or with none (the
// saved one is then read from the keychain) — after asking when the saved
// key would go to an address typed in the form but not yet saved. The
// question names the address the keychain keeps the key for (read off the
// UI thread: a settings file put back, or written by another window, can
// name another), and agreedFor is that address: the key goes only if it
// is still kept for it. agreedFor is "" when nothing was asked (the key
// is for the address it goes to, or typed).
func (d *settingsDialog) withKey(p settings.Profile, q keyQuestion, send func(typed, agreedFor string)) {
	typed := d.Key.Text
	saved, ok := d.cfg.Store.Profile(p.ID)
	if !ok || typed != "" || p.Auth != azure.AuthAPIKey || settings.SameHost(p.Endpoint, saved.Endpoint) {
		send(typed, "")
		return
	}
	d.background(func() func() {
		bound, found, err := d.cfg.Secrets.KeyOrigin(p.ID)
		return func() {
			if bound == "" {
				// Saved without its address: bound, at its first read, to
				// the one the profile was saved with.
				bound = settings.OriginOf(saved.Endpoint)
			}
			switch {
			case err != nil:
				d.Status.SetText("The saved key could not be read — " + err.Error())
				return
			case !found || settings.SameHost(bound, p.Endpoint):
				send("", "") // no key to move, or kept for this address already
				return
			case bound == "":
				d.Status.SetText("Type the API key for " + settings.HostOf(p.Endpoint) + " in the API key field")
				return
			}
			c := dialog.NewConfirm(q.title,
				"The key in the keychain was saved for "+settings.HostOf(bound)+".\n\n"+fmt.Sprintf(q.does, settings.HostOf(p.Endpoint))+
					"\nType the key for that address in the API key field instead, or use the saved one.",
				func(ok bool) {
					if ok {
						send("", bound)
					}
				}, d.win)
			c.SetConfirmText(q.confirm)
			c.SetDismissText("Cancel")
			d.keyConfirm = c
			c.Show()
		}
	})
}

// keyQuestion is how withKey asks: the dialog's title, what the action
// does with the saved key (a format taking the new host) and the button
// that lets it.
type keyQuestion struct{ title, does, confirm string }

// sendQuestion asks before action sends the saved key once.
func sendQuestion(action string) keyQuestion {
	return keyQuestion{title: "Send the saved key to a new address?", does: action + " would send it to %s.", confirm: "Send the saved key"}
}

// connection is the connection a check from the dialog uses: the typed
// key, else the saved one from the keychain (off the UI thread), for the
// address it was given for, or, saved for agreedFor, for p's as the user
// agreed (withKey).
func (d *settingsDialog) connection(p settings.Profile, typed, agreedFor string) (settings.Connection, error) {
	conn := settings.Connection{Profile: p, APIKey: typed}
	var err error
	if typed == "" && p.Auth == azure.AuthAPIKey && p.ID != "" {
		if agreedFor != "" {
			conn.APIKey, err = d.cfg.Secrets.GetFor(p.Name, p.ID, agreedFor) // withKey asked: the user said to send it to p's
			var elsewhere *settings.KeyHostError
			if errors.As(err, &elsewhere) {
				elsewhere.Endpoint = p.Endpoint // where it would have gone
			}
		} else {
			conn.APIKey, err = d.cfg.Secrets.GetFor(p.Name, p.ID, p.Endpoint)
		}
	}
	if err != nil {
		err = &savedKeyError{err}
	}
	return conn, err
}

// savedKeyError is connection's failure to give the saved key: nothing
// was sent, and what it says is for the user as it is (chat.AsError would
// call it a failure talking to Azure).
type savedKeyError struct{ err error }

func (e *savedKeyError) Error() string { return e.err.Error() }
func (e *savedKeyError) Unwrap() error { return e.err }

// checkFailure says why a check from the dialog failed, as said there.
func checkFailure(err error) string {
	var sk *savedKeyError
	if errors.As(err, &sk) {
		return hereInSettings(sk.Error())
	}
	return hereInSettings(chat.AsError(err).Reason)
}

// hereInSettings words reason for the Settings dialog, where it is shown:
// "check the key in settings" and "in Settings, set API to Auto" told the
// user to go where they were.
func hereInSettings(reason string) string {
	reason = replaceFold(reason, "put that address in settings", "put that address in the Endpoint field")
	reason = replaceFold(reason, "in settings, ", "")
	return replaceFold(reason, " in settings", "")
}

// replaceFold replaces old, ASCII, in s, ignoring case, where it does not
// begin or end inside a longer word or a file name ("in settings.json",
// "maintain settings").
func replaceFold(s, old, new string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+len(old) <= len(s) && strings.EqualFold(s[i:i+len(old)], old) && (old[0] == ' ' || i == 0 || !wordGoesOn(s[i-1:i])) &&
			(old[len(old)-1] == ' ' || !wordGoesOn(s[i+len(old):])) {
			b.WriteString(new)
			i += len(old)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// wordGoesOn reports whether rest, what follows a match, carries its last
// word on: a letter or digit, or a dot before one.
func wordGoesOn(rest string) bool {
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	return rest != "" && (alnum(rest[0]) || rest[0] == '.' && len(rest) > 1 && alnum(rest[1]))
}
