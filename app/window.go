// Package app is azchat's Fyne user interface: the window, transcript,
// input, sidebar, menus, the settings dialog and preset editor, export and
// import. Every change that comes from another goroutine passes through one
// bridge (bridge.go) that applies it inside fyne.Do, and every way to quit
// goes through one shutdown (lifecycle.go). Logic lives in chat/ and
// settings/, which do not import Fyne.
package app

import (
	"context"
	"net/url"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/assets"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/settings"
)

// Config is what the window needs; main passes the real parts, tests pass
// a test app, memory preferences and a client on loopback.
type Config struct {
	// TrayHost reports whether the desktop shows tray icons; nil asks the
	// session bus for a StatusNotifier watcher (trayHostRunning).
	TrayHost func() bool
	App      fyne.App
	Prefs    settings.Prefs
	Secrets  *settings.Secrets
	// Draft keeps what is left in the message box at quit, for the next
	// start; nil keeps nothing.
	Draft *settings.DraftFile
	// PasteDir holds text pasted into the message box that is too long
	// for it, as files attached to the message ("" pastes all of it into
	// the box).
	PasteDir string
	// Live keeps the text in the message box as it is written, for the
	// next start after a crash (settings.LiveDraft), with Draft (which it
	// needs: a quit keeps the draft there, then removes the live one); nil
	// keeps it at quit only.
	Live *settings.LiveDraft
	// Getenv reads the AZURE_OPENAI_* overrides; os.Getenv when nil.
	Getenv func(string) string
	// NewClient builds the client for a connection; Connection.Client when nil.
	NewClient func(settings.Connection) (chat.Client, error)
	// OpenHistory opens the conversation database; it runs on a goroutine
	// after the window is up, so start-up never waits for the disk. Nil
	// runs without history.
	OpenHistory func() (*history.Store, error)
	// Trace, if set, receives start-up timings and when answers end and
	// are saved (AZCHAT_TRACE=1; make bench).
	Trace   func(event string, since time.Duration)
	Started time.Time
	// Answering, if set, is told on the UI thread when the controller
	// starts a turn (true: a request, then an answer streaming) and when
	// it is done (false). main collects garbage harder meanwhile.
	Answering func(bool)
	// Loading, if set, is told from any goroutine when the window starts
	// reading a conversation from the history (true) and when its messages
	// are in the list, or the read failed (false). main collects garbage
	// less meanwhile.
	Loading func(bool)
	// loadGate, when set (tests), is called as a chat's preview (reopened
	// at start or opened from the sidebar) has been handed to the UI
	// thread, before the whole chat is read.
	loadGate func()
	// Exit, if set, ends the process when Fyne's loop has not ended 3 s
	// after a quit asked it to (see exitIfStuck): the chats are saved and
	// the database closed by then (a window size Fyne saves through its
	// loop may be lost). Nil: ShowAndRun waits for the loop.
	Exit func()
}

// UI is the main window and everything on it. Tests hold it to drive widgets.
type UI struct {
	fyneApp fyne.App
	// openURL hands a confirmed link to the OS (tests replace it).
	openURL func(*url.URL) error
	// stopWait bounds how long Stop waits for the stopped answer
	// (stopWaitDefault; tests that hold the UI lock raise it).
	stopWait time.Duration
	// sentAt is when the Send button last sent (see sendOrStop); now
	// reads the clock (tests set it).
	sentAt time.Time
	now    func() time.Time
	// resume is the chat a draft restored at start was written in
	// (resumeSet): reopened instead of the latest ("" for a new chat:
	// none is reopened over it).
	resume    string
	resumeSet bool
	win       fyne.Window
	cfg       Config
	store     *settings.Store
	secrets   *settings.Secrets
	ctl       *chat.Controller
	bridge    *bridge
	conn      settings.Connection

	// The view model: a copy of the conversation, changed only by events
	// (and by showPreview, before the controller holds the chat); others
	// are the messages of the branches not on screen.
	msgs    []chat.Message
	others  []chat.Message
	outside map[int]bool
	// openReasoning: the answers whose reasoning summary is shown open.
	openReasoning map[int]bool
	// openFiles: the attached text files shown open, by message and index.
	openFiles map[[2]int]bool
	// imageWindows are the full-size image windows open now.
	imageWindows []fyne.Window
	waitNote     map[int]string
	// textAt is when the answer being written last had text, stallNote
	// what noteStall last said of it, stallStop ends its watch (stall.go).
	textAt    time.Time
	stallNote string
	stallStop chan struct{}
	busy      bool
	budget    chat.Budget
	title     string

	// conv is the open conversation's metadata (ID, title, system);
	// its messages are msgs.
	conv      chat.Conversation
	highlight int // the message a search opened, -1 for none
	// openLinkDialog is the last "Open link?" confirmation (tests press it).
	openLinkDialog *dialog.ConfirmDialog
	side           *sidebar
	// find is the find bar (Ctrl+F) and the words it highlights.
	find *finder

	transcript *transcript
	input      *inputEntry
	// draft holds the files attached to the message being written.
	draft *draft
	// tips shows tooltips over the content.
	tips *tipLayer
	// tray is azchat's tray icon, nil until it is up (and where none can be).
	tray      *tray
	sendB     *widget.Button
	meter     *dimLabel
	usage     *tipLabel
	statusBar *fyne.Container // profileSel, connLabel, meter and usage
	// caretToEnd: a draft was put back, its caret to go to its end once
	// the window is shown (caretAtEnd).
	caretToEnd bool
	// hint is drawn over an empty transcript (updateHint); hintHeld
	// counts the chats being read meanwhile (holdHint).
	hint       *dimLabel
	hintHeld   atomic.Int32
	profileSel *escSelect
	connLabel  *tipLabel
	// keyUnread: the last connection could not read a saved key now (the
	// keychain slow, or locked and its unlock cancelled): Enter tries
	// again (send). Not for a keychain that is not there.
	keyUnread bool
	// lastNote is the last note shown in connLabel's place, noteUnder the
	// state it covered and noteSeq counts notes (note).
	lastNote, noteUnder string
	// noteOfChat: the last note is about the chat on screen (noteChat).
	noteOfChat bool
	noteSeq    int
	// stopQuestion is the last "stop the answer?" question (stopFirst),
	// and stopThen what it was asked for.
	stopQuestion *dialog.ConfirmDialog
	// importQuestion is the open "Import this chat?" question (tests
	// answer it).
	importQuestion *dialog.ConfirmDialog
	stopThen       func()

	// draftFiles are the files of the draft kept at the last quit, to be
	// attached again once the window is shown.
	draftFiles []string
	// draftSeq numbers the drafts taken on the UI thread (currentDraft);
	// draftDone is the last one written and draftOwned says the file holds
	// one this window wrote or put back (keepDraft, under draftMu).
	draftSeq   uint64
	draftSnap  atomic.Pointer[draftSnapshot]
	draftMu    sync.Mutex
	draftDone  uint64
	draftOwned bool
	draftKept  bool // the draft draftDone numbers was written
	// liveTimer is the pause before the live draft is written, liveChat
	// the chat of the last one taken (scheduleLiveDraft).
	liveTimer *time.Timer
	liveChat  string
	livePause time.Duration // liveDraftPause when 0 (tests set it)
	// pasteBytes is pasteAsFileBytes when 0 (tests set it).
	pasteBytes int

	checkTimer *time.Timer
	// checkPending is the number of the typing debounce's count still to
	// start (0 when none), for tests to know when the meter is settled: a
	// timer that fired late clears only its own number, not a newer one's.
	checkPending atomic.Uint64
	checkSeq     atomic.Uint64
	// watchCtx ends the history watch at shutdown; set once in New.
	// (Closing the history also ends it, and waits for it.)
	watchCtx  context.Context
	stopWatch context.CancelFunc
	// banner says, over the transcript, when history cannot be written.
	banner *storageBanner
	// exportDir is the folder of the last export, attachDir the one a
	// file was last attached from, importDir the one last imported from:
	// each file dialog opens where its own last use was (folders.go).
	exportDir, attachDir, importDir string
	// settingsDlg is the settings dialog last opened (tests).
	settingsDlg *settingsDialog
	// deployments keeps Find deployments' listings per profile.
	deployments deploy.Cache
	// quitDialog is the last "Quit without saving?" question (tests).
	quitDialog *dialog.ConfirmDialog
	// quitting is set once quit began: a second Ctrl+Q or close waits for it.
	quitting bool
	// ran is closed when Fyne's loop has ended (ShowAndRun), and quitGrace
	// is how long a quit waits for that before Config.Exit.
	ran       chan struct{}
	quitGrace time.Duration
	// sendWhenConnected: Enter was pressed while connecting (see
	// connectPending); the message is sent once connected, if the chat it
	// was written in (waitChat) is still the one shown.
	sendWhenConnected bool
	waitChat          string
	// connOK: the newest connection attempt applied gave the controller a
	// client (one held back while an answer streams changes nothing yet).
	connOK bool
	// connSeq numbers the newest connection attempt started (the first, a
	// profile switched to, settings saved, new settings applied once an
	// answer ends), and connApplied the newest the UI thread applied. Until
	// they are equal the controller's client may be the previous
	// profile's, and nothing is sent (send waits; canSend).
	connSeq, connApplied int
	// connecting counts the attempts not yet back, the ones no longer
	// newest included (tests wait for it).
	connecting int
	// preview is set while the rows are a preview of a chat being
	// opened (app/preview.go).
	preview preview
	// opens numbers the newest chat the user asked for (one opened from
	// the sidebar or reopened at start, New chat, a fork, an import, the
	// open chat deleted): a chat read from the history is shown only if
	// no other was asked for since (beginOpen, openCurrent).
	opens        uint64
	connected    chan struct{}
	history      *history.Store
	historyErr   error
	historyReady chan struct{}
	// historyOpened hands the history, once open, to Close when the
	// bridge could not (the window closed as it opened).
	historyOpened chan openedHistory
	// lateMu guards lateGaveUp: Close stopped waiting for the history.
	lateMu     sync.Mutex
	lateGaveUp bool
	// watching is closed once the history watch has its starting point
	// (tests: a change after it is the watch's to report).
	watching     chan struct{}
	tracePending int
	// warm loads font faces ahead of the rows that need them (warmFaces;
	// tests watch it).
	warm func(styles []fyne.TextStyle)
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
		outside: map[int]bool{}, waitNote: map[int]string{}, openReasoning: map[int]bool{}, openFiles: map[[2]int]bool{}, connected: make(chan struct{}), historyReady: make(chan struct{}), historyOpened: make(chan openedHistory, 1), watching: make(chan struct{}),
		ran: make(chan struct{}), quitGrace: quitGraceDefault,
	}
	u.bridge = newBridge(u.apply)
	u.stopWait = stopWaitDefault
	u.now = time.Now
	u.warm = warmFaces
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

func (u *UI) build() {
	u.transcript = newTranscript(u)
	// A new theme (View, or the desktop's own light or dark) draws the rows
	// on screen again: Fyne's markdown tables keep the colours they were
	// made with. Fyne calls this on the UI thread, for every settings
	// change; restyle acts on a change of colours.
	u.transcript.style = styleKey(u.fyneApp.Settings())
	u.fyneApp.Settings().AddListener(u.transcript.restyle)
	u.input = newInputEntry()
	u.input.onSend = u.send
	u.input.onStop = u.stop
	u.input.onPaste = u.pasteLong
	// Esc stops an answer wherever the focus is not: after a click on
	// the transcript, a Copy button or the chat list, keys go to the
	// window (a focused field keeps its own Esc: the find bar closes).
	// Not under a dialog: Esc closes one shown with showEscapable.
	u.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter {
			enterTop(u.win) // a notice's OK
			return
		}
		if k.Name != fyne.KeyEscape {
			return
		}
		if u.win.Canvas().Overlays().Top() == nil {
			u.stop()
			return
		}
		dismissTop(u.win) // a dialog Esc closes (showEscapable)
	})
	u.win.Canvas().SetOnTypedRune(u.typedNowhere)
	u.input.OnChanged = func(string) { u.scheduleCheck() }
	u.sendB = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), u.sendOrStop)
	u.sendB.Importance = widget.HighImportance

	u.meter = newTextLabel("")
	u.tips = newTipLayer()
	u.usage = newTipLabel(u.tips)
	u.connLabel = newTipLabel(u.tips)
	u.profileSel = newEscSelect(u.win, nil, u.switchProfile)
	u.profileSel.PlaceHolder = "No profile"
	u.profileSel.empty = u.unlessDialog(u.showSettings)
	u.refreshProfiles()

	u.side = newSidebar(u)
	side := u.side.root

	u.find = newFinder(u)
	u.draft = newDraft(u)
	attachButtons := container.NewVBox(u.draft.imageB, u.draft.fileB)
	inputRow := container.NewBorder(u.draft.root, nil, attachButtons, container.NewVBox(u.sendB), u.input)
	// The state and usage labels are cut to fit (statusLayout), so the
	// status bar never dictates the window's minimum width; the token
	// meter always shows in full.
	u.usage.Truncation = fyne.TextTruncateEllipsis
	u.usage.Alignment = fyne.TextAlignTrailing
	u.connLabel.Truncation = fyne.TextTruncateEllipsis
	status := container.New(&statusLayout{state: &u.connLabel.dimLabel, usage: &u.usage.dimLabel, meter: u.meter}, u.profileSel, u.connLabel, u.meter, u.usage)
	u.statusBar = status
	u.connLabel.onText = status.Refresh
	u.usage.onText = status.Refresh // shown or not, and the meter's form, follow its text
	u.banner = newStorageBanner(func() {
		u.banner.retry.Disable()
		u.ctl.RetrySave()
	})
	hint, hintBox := newEmptyHint()
	u.hint = hint
	main := container.NewBorder(u.banner.root, container.NewVBox(u.find.bar, inputRow, status), nil, nil, container.NewStack(container.New(&widthWatch{t: u.transcript}, u.transcript.list), hintBox))
	split := container.NewHSplit(side, main)
	split.SetOffset(0.24)
	u.win.SetContent(container.NewStack(split, u.tips.root))
	u.win.SetMainMenu(u.withFind(u.menu()))
	u.addShortcuts()

	w, h := u.store.WindowSize()
	if w < 400 || h < 300 {
		w, h = 1000, 720
	}
	u.win.Resize(fyne.NewSize(w, h))
	u.win.SetCloseIntercept(u.quit)
	u.win.SetOnDropped(u.dropped)
	setKeysHome(u.win, u.keysHome)
	u.updateTitle()
	if u.cfg.Draft != nil {
		u.putBackDraft()
	}
	u.win.Canvas().Focus(u.input)
}

// Show opens the window and starts connecting in the background.
func (u *UI) Show() {
	if u.cfg.Trace != nil {
		u.fyneApp.Lifecycle().SetOnStarted(func() { u.cfg.Trace("window shown", time.Since(u.cfg.Started)) })
	}
	u.win.Show()
	u.win.Canvas().Focus(u.input)
	u.startConnect(true)
	go u.restoreFolders()
	u.side.followDays() // the headers' dates too, with or without a history
	// Start-up (fonts, theme, database, keychain, TLS roots) leaves garbage
	// the runtime would keep for minutes; return it once start-up is done.
	go func() {
		<-u.connected
		if u.cfg.OpenHistory != nil {
			<-u.historyReady
		}
		time.Sleep(500 * time.Millisecond) // the first frames and the sidebar's list
		debug.FreeOSMemory()
	}()
	if u.cfg.OpenHistory != nil {
		go func() {
			h, err := u.cfg.OpenHistory()
			// For Close, if the window closes before attachHistory runs:
			// it then saves the chat into it and closes it.
			u.historyOpened <- openedHistory{h, err}
			if !u.bridge.push(func() { u.attachHistory(h, err) }) {
				u.lateMu.Lock()
				if u.lateGaveUp {
					u.closeUnattached()
				}
				u.lateMu.Unlock()
			}
		}()
	}
	if len(u.draftFiles) > 0 {
		u.draft.addFiles(u.draftFiles)
		u.draftFiles = nil
	}
	if u.caretToEnd {
		// Once the window is laid out (see caretAtEnd), through the
		// bridge as every hand-off; last, as nothing here touches the
		// window after it (tests apply batches on another goroutine).
		u.bridge.push(func() { u.input.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown}) })
	}
}

// openedHistory is the outcome of Config.OpenHistory.
type openedHistory struct {
	h   *history.Store
	err error
}

// attachHistory starts saving once the database is open.
func (u *UI) attachHistory(h *history.Store, err error) {
	if h != nil && u.ctl.Closed() {
		// A quit gave up waiting and closed the controller: nothing
		// will use or close it.
		h.Close()
		h = nil
	}
	u.history, u.historyErr = h, err
	chatted := false
	if h != nil {
		// A chat begun before the database was open is saved whole now
		// (the controller's messages, not u.msgs, which the bridge may
		// not have updated yet).
		chatted = u.ctl.SetPersister(h)
		// Another process (azchat import, a second window) may change the
		// history: show its changes in the sidebar (our own saves are
		// reported as they happen, by ConversationSaved). The chat list is
		// first read once the watch has its starting point, so a change
		// made in between is in that list or reported, never neither.
		// (If the watch cannot start, the list is still read, once; the
		// history is then unreadable, which the window reports anyway.)
		reload := func() { u.bridge.push(func() { u.side.reload() }) }
		ready := func() {
			close(u.watching)
			reload()
		}
		go h.Watch(u.watchCtx, historyPoll, ready, reload)
	}
	u.reportHistory()
	// Not when a chat was begun before the history opened, nor over a
	// message waiting to be sent (for the connection, or for files being
	// read: it was written in the empty chat and goes there); see blank.
	if h != nil && !chatted && u.blank() && !u.quitting {
		// Start where the user left off: reopen the most recent chat
		// (the hint waits: held before the history counts as ready).
		u.holdHint(true)
		go func(open uint64) {
			defer u.holdHint(false)
			u.reopen(h, open)
		}(u.beginOpen())
	}
	select {
	case <-u.historyReady:
	default:
		close(u.historyReady)
	}
	u.updateHint()
}

// Window returns the main window.
func (u *UI) Window() fyne.Window { return u.win }
