// Package app is azchat's Fyne user interface: the window, transcript,
// input, sidebar, menus and dialogs. Every change that comes from another
// goroutine passes through one bridge that applies it inside fyne.Do.
package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/assets"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/settings"
)

// Config is what the window needs; main passes the real parts, tests pass
// a test app, memory preferences and a client on loopback.
type Config struct {
	App     fyne.App
	Prefs   settings.Prefs
	Secrets *settings.Secrets
	// Getenv reads the AZURE_OPENAI_* overrides; os.Getenv when nil.
	Getenv func(string) string
	// NewClient builds the client for a connection; Connection.Client when nil.
	NewClient func(settings.Connection) (chat.Client, error)
	// OpenHistory opens the conversation database; it runs on a goroutine
	// after the window is up, so start-up never waits for the disk. Nil
	// runs without history.
	OpenHistory func() (*history.Store, error)
	// Trace, if set, receives start-up timings (AZCHAT_TRACE=1; make bench).
	Trace   func(event string, since time.Duration)
	Started time.Time
}

// UI is the main window and everything on it. Tests hold it to drive widgets.
type UI struct {
	fyneApp fyne.App
	// openURL hands a confirmed link to the OS (tests replace it).
	openURL func(*url.URL) error
	win     fyne.Window
	cfg     Config
	store   *settings.Store
	secrets *settings.Secrets
	ctl     *chat.Controller
	bridge  *bridge
	conn    settings.Connection

	// The view model: a copy of the conversation, changed only by events.
	msgs     []chat.Message
	outside  map[int]bool
	waitNote map[int]string
	busy     bool
	budget   chat.Budget
	title    string

	// conv is the open conversation's metadata (ID, title, system);
	// its messages are msgs.
	conv      chat.Conversation
	highlight int // the message a search opened, -1 for none
	// openLinkDialog is the last "Open link?" confirmation (tests press it).
	openLinkDialog *dialog.ConfirmDialog
	side           *sidebar

	transcript *transcript
	input      *inputEntry
	sendB      *widget.Button
	meter      *widget.Label
	usage      *widget.Label
	profileSel *widget.Select
	connLabel  *widget.Label

	checkTimer *time.Timer
	// watchCtx ends the history watch at shutdown; set once in New.
	watchCtx  context.Context
	stopWatch context.CancelFunc
	// banner says, over the transcript, when history cannot be written.
	banner *storageBanner
	// exportDir is the folder of the last export in this session.
	exportDir string
	// quitDialog is the last "Quit without saving?" question (tests).
	quitDialog *dialog.ConfirmDialog
	// quitting is set once quit began: a second Ctrl+Q or close waits for it.
	quitting     bool
	connected    chan struct{}
	history      *history.Store
	historyErr   error
	historyReady chan struct{}
	tracePending int
}

// New builds the window; Show or ShowAndRun opens it. Nothing here waits
// for the keychain, the tokenizer or the network.
func New(cfg Config) *UI {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Secrets == nil {
		cfg.Secrets = settings.NewSecrets()
	}
	if cfg.NewClient == nil {
		cfg.NewClient = func(c settings.Connection) (chat.Client, error) { return c.Client() }
	}
	u := &UI{
		fyneApp: cfg.App, openURL: cfg.App.OpenURL, cfg: cfg, store: settings.Load(cfg.Prefs), secrets: cfg.Secrets,
		outside: map[int]bool{}, waitNote: map[int]string{}, connected: make(chan struct{}), historyReady: make(chan struct{}),
	}
	u.bridge = newBridge(u.apply)
	u.ctl = chat.NewController(notConnected{}, chat.Options{}, func(e chat.Event) { u.bridge.push(e) })
	// The first chat gets its ID from the controller when it is first
	// saved (ConversationSaved), so New emits nothing before Show.
	u.highlight = -1
	u.watchCtx, u.stopWatch = context.WithCancel(context.Background())
	u.fyneApp.Settings().SetTheme(themeFor(u.store.Theme()))
	u.fyneApp.SetIcon(assets.Icon)
	u.win = u.fyneApp.NewWindow("azchat")
	u.win.SetIcon(assets.Icon)
	u.build()
	return u
}

// notConnected stands in until settings are resolved.
type notConnected struct{}

func (notConnected) Stream(context.Context, chat.Request, func(chat.Delta)) error {
	return &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: "azchat is not connected yet: open Settings and enter your endpoint, deployment and key"}
}

func (u *UI) build() {
	u.transcript = newTranscript(u)
	u.input = newInputEntry()
	u.input.onSend = u.send
	u.input.onStop = u.stop
	u.input.OnChanged = func(string) { u.scheduleCheck() }
	u.sendB = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), u.sendOrStop)
	u.sendB.Importance = widget.HighImportance

	u.meter = widget.NewLabel("")
	u.usage = widget.NewLabel("")
	u.usage.Importance = widget.LowImportance
	u.connLabel = widget.NewLabel("")
	u.connLabel.Importance = widget.LowImportance
	u.profileSel = widget.NewSelect(nil, u.switchProfile)
	u.profileSel.PlaceHolder = "No profile"
	u.refreshProfiles()

	u.side = newSidebar(u)
	side := u.side.root

	inputRow := container.NewBorder(nil, nil, nil, container.NewVBox(u.sendB), u.input)
	// The usage label truncates so the status bar never dictates the
	// window's minimum width; the token meter always shows in full.
	u.usage.Truncation = fyne.TextTruncateEllipsis
	u.usage.Alignment = fyne.TextAlignTrailing
	status := container.NewBorder(nil, nil, container.NewHBox(u.profileSel, u.connLabel, u.meter), nil, u.usage)
	u.banner = newStorageBanner(func() {
		u.banner.retry.Disable()
		u.ctl.RetrySave()
	})
	main := container.NewBorder(u.banner.root, container.NewVBox(inputRow, status), nil, nil, u.transcript.list)
	split := container.NewHSplit(side, main)
	split.SetOffset(0.24)
	u.win.SetContent(split)
	u.win.SetMainMenu(u.menu())
	u.addShortcuts()

	w, h := u.store.WindowSize()
	if w < 400 || h < 300 {
		w, h = 1000, 720
	}
	u.win.Resize(fyne.NewSize(w, h))
	u.win.SetCloseIntercept(u.quit)
	u.updateTitle()
	u.win.Canvas().Focus(u.input)
}

func (u *UI) menu() *fyne.MainMenu {
	item := func(label string, key fyne.KeyName, mod fyne.KeyModifier, f func()) *fyne.MenuItem {
		i := fyne.NewMenuItem(label, f)
		if key != "" {
			i.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: mod}
		}
		return i
	}
	def := fyne.KeyModifierShortcutDefault
	quit := item("Quit", fyne.KeyQ, def, u.quit)
	quit.IsQuit = true
	file := fyne.NewMenu("File",
		item("New chat", fyne.KeyN, def, u.newChat),
		item("Export…", fyne.KeyE, def, func() { u.showExport() }),
		item("Import…", "", 0, u.showImport),
		fyne.NewMenuItemSeparator(),
		item("Settings…", fyne.KeyComma, def, u.showSettings),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	edit := fyne.NewMenu("Edit",
		item("Copy last answer", fyne.KeyC, def|fyne.KeyModifierShift, u.copyLastAnswer),
		fyne.NewMenuItemSeparator(),
		item("This chat's settings…", "", 0, func() { u.showChatSettings() }))
	themeItem := func(label, name string) *fyne.MenuItem {
		return fyne.NewMenuItem(label, func() {
			u.store.SetTheme(name)
			u.fyneApp.Settings().SetTheme(themeFor(name))
		})
	}
	view := fyne.NewMenu("View", themeItem("System theme", "system"), themeItem("Light theme", "light"), themeItem("Dark theme", "dark"))
	return fyne.NewMainMenu(file, edit, view)
}

func (u *UI) addShortcuts() {
	def := fyne.KeyModifierShortcutDefault
	add := func(key fyne.KeyName, mod fyne.KeyModifier, f func()) {
		u.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod}, func(fyne.Shortcut) { f() })
	}
	add(fyne.KeyN, def, u.newChat)
	add(fyne.KeyE, def, func() { u.showExport() })
	add(fyne.KeyComma, def, u.showSettings)
	add(fyne.KeyQ, def, u.quit)
	add(fyne.KeyC, def|fyne.KeyModifierShift, u.copyLastAnswer)
}

// Show opens the window and starts connecting in the background.
func (u *UI) Show() {
	if u.cfg.Trace != nil {
		u.fyneApp.Lifecycle().SetOnStarted(func() { u.cfg.Trace("window shown", time.Since(u.cfg.Started)) })
	}
	u.win.Show()
	u.win.Canvas().Focus(u.input)
	go u.connect(true)
	// Start-up (fonts, theme, database, keychain, TLS roots) leaves garbage
	// the runtime would keep for minutes; return it once start-up is done.
	go func() {
		<-u.connected
		if u.cfg.OpenHistory != nil {
			<-u.historyReady
		}
		time.Sleep(500 * time.Millisecond) // the first frames and the sidebar query
		debug.FreeOSMemory()
	}()
	if u.cfg.OpenHistory != nil {
		go func() {
			h, err := u.cfg.OpenHistory()
			u.bridge.push(func() { u.attachHistory(h, err) })
		}()
	}
}

// attachHistory starts saving once the database is open.
func (u *UI) attachHistory(h *history.Store, err error) {
	u.history, u.historyErr = h, err
	if h != nil {
		u.ctl.SetPersister(h)
		// Another process (azchat import, a second window) may change the
		// history: show its changes in the sidebar. Our own saves trigger
		// it too, at most once a second; the reload is a query off the UI
		// thread.
		go h.Watch(u.watchCtx, historyPoll, func() { u.bridge.push(func() { u.side.reload() }) })
		if len(u.msgs) > 0 {
			// Chatted before the database was open: save what is there,
			// through the write queue like every other save.
			u.ctl.Save()
		}
	}
	u.side.reload()
	u.reportHistory()
	if h != nil && len(u.msgs) == 0 {
		// Start where the user left off: reopen the most recent chat.
		go func() {
			id, err := h.LatestID()
			if err != nil || id == "" {
				return
			}
			if u.cfg.Trace != nil {
				u.cfg.Trace("opening the last conversation", time.Since(u.cfg.Started))
			}
			conv, err := h.Load(id)
			if err != nil {
				return
			}
			u.bridge.push(func() {
				if len(u.msgs) == 0 && !u.busy {
					u.showConversation(conv, -1)
					u.tracePending = len(conv.Messages)
				}
			})
		}()
	}
	select {
	case <-u.historyReady:
	default:
		close(u.historyReady)
	}
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }

// connect resolves the current profile (keychain included) off the UI
// thread and hands the result to the UI. firstRun opens settings when
// nothing usable is saved.
func (u *UI) connect(firstRun bool) {
	conn, err := u.store.Resolve(u.secrets, u.cfg.Getenv)
	var client chat.Client
	if err == nil {
		client, err = u.cfg.NewClient(conn)
	}
	u.bridge.push(func() {
		defer func() {
			select {
			case <-u.connected:
			default:
				close(u.connected)
			}
		}()
		u.conn = conn
		u.refreshProfiles()
		if err != nil {
			u.connLabel.SetText("Not connected")
			if firstRun {
				u.showSettings()
				return
			}
			dialog.ShowInformation("Not connected", chat.AsError(err).Reason, u.win)
			return
		}
		if e := u.ctl.SetClient(client); e != nil {
			// An answer is streaming with the old settings: apply the new
			// ones as soon as it ends, and say so rather than drop them.
			u.connLabel.SetText("New settings apply when this answer ends")
			go func() {
				u.ctl.Wait()
				u.connect(false)
			}()
			return
		}
		opts := conn.Options()
		u.ctl.SetOptions(opts)
		if learned := u.store.Learned(conn.Profile.Endpoint, conn.Profile.Deployment); learned != "" {
			u.ctl.LearnModel(conn.Profile.Deployment, learned)
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
		u.ctl.Check(u.input.Text)
	})
}

// apply runs on the UI thread with a batch of events.
func (u *UI) apply(items []any) {
	dirty := map[int]bool{}
	relist := false
	for _, it := range items {
		switch e := it.(type) {
		case func():
			e()
		case chat.Reloaded:
			u.msgs = e.Messages
			u.outside = map[int]bool{}
			u.waitNote = map[int]string{}
			u.transcript.reset()
			relist = true
		case chat.MessageAdded:
			if e.Index == len(u.msgs) {
				u.msgs = append(u.msgs, e.Message)
			} else if e.Index < len(u.msgs) {
				u.msgs[e.Index] = e.Message
			}
			relist = true
		case chat.TextDelta:
			if e.Index < len(u.msgs) {
				u.msgs[e.Index].Content += e.Text
				delete(u.waitNote, e.Index)
				dirty[e.Index] = true
			}
		case chat.Finished:
			if e.Index < len(u.msgs) {
				u.msgs[e.Index] = e.Message
				delete(u.waitNote, e.Index)
				dirty[e.Index] = true
			}
		case chat.UsageReported:
			u.usage.SetText(fmt.Sprintf("Last answer: %s prompt + %s completion = %s", num(e.Usage.PromptTokens), num(e.Usage.CompletionTokens), num(e.Usage.TotalTokens)))
		case chat.ErrorReported:
			u.onError(e)
		case chat.BudgetChanged:
			u.onBudget(e.Budget)
			relist = true
		case chat.Waiting:
			u.startCountdown(e)
			dirty[e.Index] = true
		case chat.ModelLearned:
			u.store.Learn(u.conn.Profile.Endpoint, e.Deployment, e.Model)
		case chat.ConversationSaved:
			if u.conv.ID == "" {
				u.conv.ID = e.ID
			}
			u.side.reload()
		case chat.StorageFailed:
			path := ""
			if u.history != nil {
				path = u.history.Path()
			}
			u.banner.failed(e.Err, path)
		case chat.StorageRecovered:
			u.banner.recovered()
		case chat.Busy:
			u.setBusy(e.Busy)
			if !e.Busy {
				// The answer and the learnt model change the meter.
				u.ctl.Check(u.input.Text)
			}
		}
	}
	if relist {
		u.transcript.list.Refresh()
		u.transcript.followEnd()
		u.updateTitle()
		if u.tracePending > 0 && len(u.msgs) == u.tracePending && u.cfg.Trace != nil {
			u.tracePending = 0
			u.cfg.Trace(fmt.Sprintf("conversation shown (%d messages)", len(u.msgs)), time.Since(u.cfg.Started))
		}
	}
	for id := range dirty {
		u.transcript.refreshRow(id)
	}
}

func num(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (u *UI) onBudget(b chat.Budget) {
	u.budget = b
	u.outside = map[int]bool{}
	for _, i := range b.Omitted {
		u.outside[i] = true
	}
	est := ""
	if b.Estimate {
		est = " (estimate)"
	}
	u.meter.SetText(fmt.Sprintf("%s / %s tokens, %s reserved for the reply%s", num(b.Used), num(b.Window), num(b.Reserve), est))
	if b.Used > b.Available() {
		u.meter.Importance = widget.DangerImportance
	} else {
		u.meter.Importance = widget.MediumImportance
	}
	u.meter.Refresh()
}

func (u *UI) onError(e chat.ErrorReported) {
	if e.Index >= 0 {
		return // the row shows it, with its action
	}
	// Nothing was added: give the text back so nothing typed is lost.
	if e.Text != "" && strings.TrimSpace(u.input.Text) == "" {
		u.input.SetText(e.Text)
	}
	switch e.Err.Action {
	case chat.ActionOpenSettings:
		dialog.ShowConfirm("Check settings", e.Err.Reason+"\n\nOpen settings now?", func(ok bool) {
			if ok {
				u.showSettings()
			}
		}, u.win)
	case chat.ActionNewChat:
		dialog.ShowConfirm("Start a new chat?", e.Err.Reason, func(ok bool) {
			if ok {
				u.newChat()
			}
		}, u.win)
	default:
		dialog.ShowInformation("Message not sent", e.Err.Reason, u.win)
	}
}

// startCountdown shows "retrying in Ns" on the row and ticks it down.
func (u *UI) startCountdown(w chat.Waiting) {
	deadline := time.Now().Add(w.Wait)
	note := func() string {
		left := time.Until(deadline).Round(time.Second)
		if left < 0 {
			left = 0
		}
		return fmt.Sprintf("%s — retrying in %s (attempt %d).", capitalize(w.Err.Reason), left, w.Attempt)
	}
	u.waitNote[w.Index] = note()
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			done := !time.Now().Before(deadline)
			u.bridge.push(func() {
				if _, ok := u.waitNote[w.Index]; ok {
					u.waitNote[w.Index] = note()
					u.transcript.refreshRow(w.Index)
				}
			})
			if done {
				return
			}
		}
	}()
}

func (u *UI) setBusy(b bool) {
	u.busy = b
	if b {
		u.sendB.SetText("Stop")
		u.sendB.SetIcon(theme.MediaStopIcon())
		u.sendB.Importance = widget.DangerImportance
	} else {
		u.sendB.SetText("Send")
		u.sendB.SetIcon(theme.MailSendIcon())
		u.sendB.Importance = widget.HighImportance
		u.win.Canvas().Focus(u.input)
	}
	u.sendB.Refresh()
}

func (u *UI) sendOrStop() {
	if u.busy {
		u.stop()
		return
	}
	u.send()
}

func (u *UI) send() {
	text := u.input.Text
	if strings.TrimSpace(text) == "" || u.busy {
		return
	}
	if err := u.ctl.Send(text); err != nil {
		if !errors.Is(err, chat.ErrBusy) {
			dialog.ShowInformation("Message not sent", err.Error(), u.win)
		}
		return
	}
	u.input.SetText("")
	u.transcript.follow = true
	u.transcript.lastOffset = 0
	u.win.Canvas().Focus(u.input)
}

func (u *UI) stop() { u.ctl.Stop() }

func (u *UI) runAction(a chat.Action, id int) {
	var err error
	switch a {
	case actionContinue:
		err = u.ctl.Continue()
	case chat.ActionRetry, chat.ActionWait:
		err = u.ctl.Retry()
	case chat.ActionOpenSettings:
		u.showSettings()
	case chat.ActionEdit:
		// The prompt was refused: put the question back to be rephrased.
		for i := id; i >= 0; i-- {
			if i < len(u.msgs) && u.msgs[i].Role == chat.User {
				u.input.SetText(u.msgs[i].Content)
				u.win.Canvas().Focus(u.input)
				break
			}
		}
	case chat.ActionNewChat:
		u.newChat()
	}
	if err != nil && !errors.Is(err, chat.ErrBusy) {
		dialog.ShowInformation("azchat", err.Error(), u.win)
	}
}

func (u *UI) copyText(s string) { u.fyneApp.Clipboard().SetContent(s) }

func (u *UI) copyMessage(id int) {
	if id >= 0 && id < len(u.msgs) {
		u.copyText(u.msgs[id].Content)
	}
}

func (u *UI) copyLastAnswer() {
	for i := len(u.msgs) - 1; i >= 0; i-- {
		if u.msgs[i].Role == chat.Assistant && u.msgs[i].Content != "" {
			u.copyText(u.msgs[i].Content)
			return
		}
	}
}

func (u *UI) editMessage(id int) {
	if id < 0 || id >= len(u.msgs) || u.msgs[id].Role != chat.User {
		return
	}
	entry := widget.NewMultiLineEntry()
	entry.Wrapping = fyne.TextWrapWord
	entry.SetText(u.msgs[id].Content)
	entry.SetMinRowsVisible(6)
	d := dialog.NewForm("Edit and resend", "Resend", "Cancel", []*widget.FormItem{widget.NewFormItem("", entry)}, func(ok bool) {
		if !ok {
			return
		}
		if err := u.ctl.Edit(id, entry.Text); err != nil {
			dialog.ShowInformation("Not resent", err.Error(), u.win)
		}
	}, u.win)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

func (u *UI) regenerate() {
	if err := u.ctl.Regenerate(); err != nil && !errors.Is(err, chat.ErrBusy) {
		dialog.ShowInformation("azchat", err.Error(), u.win)
	}
}

func (u *UI) deleteMessage(id int) {
	dialog.ShowConfirm("Delete message?", "The message is removed from this conversation.", func(ok bool) {
		if ok {
			if err := u.ctl.Delete(id); err != nil {
				dialog.ShowInformation("Not deleted", err.Error(), u.win)
			}
		}
	}, u.win)
}

func (u *UI) newChat() {
	// The controller, not the last Busy event applied, knows whether an
	// answer is still being written.
	if u.ctl.Busy() {
		// Stop the answer and come back once it is saved, without holding
		// the UI thread while the network and the disk finish.
		u.ctl.Stop()
		go func() {
			u.ctl.Wait()
			u.bridge.push(u.newChat)
		}()
		return
	}
	if len(u.msgs) == 0 {
		u.win.Canvas().Focus(u.input)
		return // already a new chat
	}
	u.showConversation(&chat.Conversation{ID: chat.NewConversationID(), System: u.conn.Profile.Gen.SystemPrompt, Examples: u.conn.Profile.Gen.Examples}, -1)
	u.usage.SetText("")
	u.side.list.UnselectAll()
}

// showConversation makes conv the open conversation; highlight is the
// message a search found, or -1.
func (u *UI) showConversation(conv *chat.Conversation, highlight int) {
	if err := u.ctl.SetConversation(conv); err != nil {
		return
	}
	u.conv = chat.Conversation{ID: conv.ID, Title: conv.Title, System: conv.System, Examples: conv.Examples, Overrides: conv.Overrides}
	u.highlight = highlight
	u.ctl.SetSystem(conv.System, conv.Examples)
	// Count after the rows are drawn: queued behind the Reloaded event, the
	// tokenizer's work does not compete with the first paint.
	u.bridge.push(func() { u.ctl.Check("") })
	u.title = ""
	u.updateTitle()
	u.win.Canvas().Focus(u.input)
}

// chatTitle is the conversation's title or its first question.
func chatTitle(c *chat.Conversation, msgs []chat.Message) string {
	if c.Title != "" {
		return c.Title
	}
	if t := chat.TitleFrom(msgs, 48); t != "" {
		return t
	}
	return "New chat"
}

func (u *UI) updateTitle() {
	t := chatTitle(&u.conv, u.msgs)
	if t != u.title {
		u.title = t
		u.win.SetTitle("azchat — " + t)
	}
}

// scheduleCheck recounts the token meter shortly after typing stops; the
// count runs on the controller's goroutine, never on the UI thread.
func (u *UI) scheduleCheck() {
	if u.checkTimer != nil {
		u.checkTimer.Stop()
	}
	text := u.input.Text
	u.checkTimer = time.AfterFunc(250*time.Millisecond, func() { u.ctl.Check(text) })
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
				return
			}
			_ = u.store.SetCurrent(p.ID)
			go u.connect(false)
			return
		}
	}
}

func (u *UI) showSettings() {
	showSettingsDialog(u.win, settingsDialogConfig{
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
		OnSaved: func() { go u.connect(false) },
		Bridge:  u.bridge,
	})
}
