package app

import (
	"fmt"
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
)

// row is one item of the list on screen: a message, or one part of a long
// one (see transcript). Rows are recycled by the list, so a row keeps
// references to its parts instead of rebuilding them.
type row struct {
	root    *fyne.Container
	content *fyne.Container // the parts below, stacked (rowlayout.go)
	// watched are the objects whose visibility decides where the parts
	// go (row.watch); shown, which of them were visible when layoutParts
	// last looked.
	watched []fyne.CanvasObject
	shown   []bool
	sep     *widget.Separator
	head    *fyne.Container
	header  *dimLabel // who, when, which model (shorter forms: headLayout)
	outside *dimLabel
	body    *fyne.Container
	// files shows a user message's attachments (first part only);
	// filesKey is what it was built for.
	files    *fyne.Container
	filesKey string
	// reasoning opens and closes the answer's reasoning summary, shown in
	// thought; both are hidden for answers without one.
	reasoning *widget.Button
	thought   *dimLabel
	status    *fyne.Container
	// usage is an answer's usage and cost, under its text.
	usage   *dimLabel
	spinner *widget.Activity
	badge   *widget.Label
	action  *widget.Button
	copyB   *tipButton
	// prevB, branch and nextB switch between versions of a message
	// (‹ 2/3 ›), shown when it has siblings; forkB forks the chat there.
	prevB   *tipButton
	branch  *widget.Label
	nextB   *tipButton
	forkB   *tipButton
	editB   *tipButton
	regenB  *tipButton
	deleteB *tipButton
	overlay *canvas.Rectangle

	id   int // the message
	item int // the list item
	gen  int
	// drawnIn is the theme change (transcript.styles) each of the row's
	// buttons was last drawn for, in restyleButtons' order.
	drawnIn [8]int
	blocks  []block
	// marks is what find highlighted in the body (finder.rowKey).
	marks string
}

// rowWidget lets the list hand a row back to us in UpdateItem without a
// lookup table. Its row is built when it is first filled or drawn: the
// list makes a throw-away item on every refresh only to learn its size,
// and a refresh comes with every item whose height changes.
type rowWidget struct {
	widget.BaseWidget
	t *transcript
	r *row
}

func (t *transcript) newRowWidget() *rowWidget {
	w := &rowWidget{t: t}
	w.ExtendBaseWidget(w)
	return w
}

// row is the row this widget shows, built on first use.
func (w *rowWidget) row() *row {
	if w.r == nil {
		w.r = w.t.newRow()
	}
	return w.r
}

// CreateRenderer draws the row's content.
func (w *rowWidget) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(w.row().root)
}

// MinSize of a widget whose row is not built yet is that of an empty row.
func (w *rowWidget) MinSize() fyne.Size {
	if w.r == nil {
		return w.t.emptyRowSize()
	}
	return w.BaseWidget.MinSize()
}

// emptyRowSize is the size of a row with no message, measured once per
// text size and padding (what it depends on).
func (t *transcript) emptyRowSize() fyne.Size {
	key := [2]float32{theme.TextSize(), theme.Padding()}
	if t.empty.size.IsZero() || t.empty.key != key {
		t.empty.key, t.empty.size = key, t.newRow().root.MinSize()
	}
	return t.empty.size
}

func (t *transcript) newRow() *row {
	r := &row{id: -1, item: -1}
	r.sep = widget.NewSeparator()
	// The bold and italic styles are set when a row is filled, not here:
	// the list measures a template row at start-up, and Fyne loads a font
	// (and its emoji fallback) per style it measures, megabytes each, for
	// a new chat that shows neither.
	r.header = newTextLabel("")
	r.header.Truncation = fyne.TextTruncateEllipsis
	r.outside = newDimLabel("")
	// Cut to fit beside the buttons (headLayout): "not sent" alone, then
	// "…"; it was drawn over them in a narrow window.
	r.outside.setTexts("not sent — outside the context window", "not sent")
	r.outside.Truncation = fyne.TextTruncateEllipsis
	r.outside.Hide()
	r.body = container.New(bodyLayout{})
	r.files = container.NewVBox()
	r.files.Hide()
	r.reasoning = widget.NewButtonWithIcon("Reasoning summary", theme.MenuExpandIcon(), func() { t.toggleReasoning(r.id) })
	r.reasoning.Importance = widget.LowImportance
	r.reasoning.Alignment = widget.ButtonAlignLeading
	r.reasoning.Hide()
	r.thought = newDimLabel("")
	r.thought.Wrapping = fyne.TextWrapWord
	r.thought.Hide()
	r.spinner = widget.NewActivity()
	r.spinner.Hide()
	r.badge = widget.NewLabel("")
	r.badge.Wrapping = fyne.TextWrapWord
	r.badge.Importance = widget.WarningImportance
	r.action = widget.NewButton("", nil)
	r.action.Importance = widget.HighImportance
	// Icons alone say little (a "forward" arrow forks): each says what it
	// does while the pointer rests on it.
	tips := t.ui.tips
	r.copyB = newTipButton(tips, theme.ContentCopyIcon(), "Copy the message", func() { t.ui.copyMessage(r.id) })
	r.editB = newTipButton(tips, theme.DocumentCreateIcon(), "Edit and resend", func() { t.ui.editMessage(r.id) })
	r.regenB = newTipButton(tips, theme.ViewRefreshIcon(), "Regenerate the answer (the one now is kept as a version)", func() { t.ui.regenerate() })
	r.deleteB = newTipButton(tips, theme.DeleteIcon(), "Delete the message", func() { t.ui.deleteMessage(r.id) })
	r.forkB = newTipButton(tips, theme.MailForwardIcon(), "Fork: a new chat with the messages up to here", func() { t.ui.fork(r.id) })
	r.prevB = newTipButton(tips, theme.NavigateBackIcon(), "Previous version", func() { t.ui.switchBranch(r.id, -1) })
	r.nextB = newTipButton(tips, theme.NavigateNextIcon(), "Next version", func() { t.ui.switchBranch(r.id, +1) })
	r.branch = widget.NewLabel("")
	switcher := container.NewHBox(r.prevB, r.branch, r.nextB)
	actions := container.NewHBox(r.copyB, r.editB, r.regenB, r.forkB, r.deleteB)
	r.head = container.New(&headLayout{title: r.header, note: r.outside}, r.header, r.spinner, switcher, r.outside, actions)
	// A new title at the same width is placed again (its width is its
	// text's, as far as there is room).
	r.header.onText = func() { relayout(r.head) }
	r.usage = newDimLabel("")
	r.usage.Wrapping = fyne.TextWrapWord
	r.usage.Hide()
	r.status = container.NewBorder(nil, nil, nil, r.action, container.NewVBox(r.badge, r.usage))
	r.overlay = canvas.NewRectangle(color.Transparent)
	r.overlay.Hide()
	r.content = container.NewVBox(r.sep, r.head, r.reasoning, r.thought, r.files, r.body, r.status)
	r.root = container.New(rowLayout{r}, r.content, r.overlay)
	r.watch()
	return r
}

// shows reports whether row r was last filled with list item i of the
// current message list (its text may have changed since).
func (t *transcript) shows(r *row, i int) bool {
	return r.item == i && r.id == t.items[i].msg && r.gen == t.generation
}

// fill shows list item i in r, rebuilding only the blocks that changed.
func (t *transcript) fill(r *row, i int) {
	it := t.items[i]
	id := it.msg
	m := t.ui.msgs[id]
	same := t.shows(r, i)
	if !same {
		// Another message now: a tip shown for a button of the one
		// before (the pointer on it as the list scrolled) goes.
		for _, b := range []*tipButton{r.copyB, r.editB, r.regenB, r.forkB, r.deleteB, r.prevB, r.nextB} {
			if b.hovers {
				b.hovers = false
				t.ui.tips.hide()
			}
		}
	}
	r.id, r.item = id, i
	// Only the first part of a message has its header, only the last its
	// status; a separator opens every message but the first.
	r.sep.Hidden = it.part != 0 || id == 0
	r.head.Hidden = it.part != 0
	r.status.Hidden = !it.last
	who := "You"
	switch m.Role {
	case chat.Assistant:
		who = "Assistant"
	case chat.System:
		who = "System"
	}
	h := who
	if !m.Time.IsZero() {
		h += " · " + messageTime(m.Time, clockNow())
	}
	// In a narrow window without the model, then with the name alone.
	shorter := []string{h, who}
	// An answer without text (failed, stopped or cut before its first
	// word, or not begun) names no model: none answered yet (the one kept
	// is the model the request was planned for).
	if m.Role == chat.Assistant && m.Model != "" && (m.Content != "" || m.Status == chat.Complete) {
		h += " · " + chat.OneLine(m.Model, maxModelRunes)
	}
	r.header.TextStyle.Bold = true
	if r.header.Text != h {
		r.header.setTexts(h, shorterAfter(append([]string{h}, shorter...)...)[1:]...)
	}
	outside := t.ui.outside[id]
	if outside {
		r.outside.TextStyle.Italic = true
		r.outside.Show()
		r.overlay.FillColor = dimColor(t.ui.fyneApp)
		r.overlay.Show()
	} else if id == t.ui.highlight {
		// The message a search opened.
		r.outside.Hide()
		r.overlay.FillColor = highlightColor(t.ui.fyneApp)
		r.overlay.Show()
	} else {
		r.outside.Hide()
		r.overlay.Hide()
	}
	// The spinner turns while the model has not written anything yet;
	// then the growing text shows it works. An animation redraws the
	// whole window every frame, and with a screen of text that frame
	// costs the UI thread tens of milliseconds.
	if m.Status == chat.Streaming && it.part == 0 && m.Content == "" {
		r.spinner.Show()
		r.spinner.Start()
	} else {
		r.spinner.Stop()
		r.spinner.Hide()
	}
	// The reasoning summary, collapsed until opened, above the answer.
	hasReasoning := it.part == 0 && m.Reasoning != ""
	open := hasReasoning && t.ui.openReasoning[id]
	r.reasoning.Hidden, r.thought.Hidden = !hasReasoning, !open
	if hasReasoning {
		icon := theme.MenuExpandIcon()
		if open {
			icon = theme.MenuDropDownIcon()
			setDim(r.thought, shownReasoning(m.Reasoning))
		}
		if r.reasoning.Icon != icon {
			r.reasoning.SetIcon(icon)
		}
	}
	t.fillFiles(r, id, it.part == 0)
	marks := t.ui.find.rowKey(it)
	t.fillBody(r, t.partBlocks(it), same && marks == r.marks)
	r.marks = marks
	defer r.layoutParts(!same)
	// An answer that has ended while its turn has not (the controller
	// emits the final answer before it is written to disk, and the turn
	// ends after): no action yet, each would be refused as busy.
	ending := t.endingTurn(id)
	badge, label, action := badgeFor(m, t.ui.waitNote[id])
	if id != len(t.ui.msgs)-1 && onNewestOnly(action) {
		// Continue and Retry act on the chat's last answer: on an older
		// one, pressed, they said "there is no answer to do that with".
		label = ""
	}
	setText(r.badge, badge)
	r.badge.Hidden = badge == ""
	// In the warning colour when something went wrong; a stop the user
	// chose is said in the text's own.
	if imp := badgeImportance(m.Status); r.badge.Importance != imp {
		r.badge.Importance = imp
		r.badge.Refresh()
	}
	line := ""
	if m.Role == chat.Assistant && m.Status != chat.Streaming {
		line = answerCostLine(m)
	}
	setDim(r.usage, line)
	r.usage.Hidden = line == ""
	if label == "" || ending {
		r.action.Hide()
	} else {
		if r.action.Text != label {
			r.action.SetText(label)
		}
		r.action.OnTapped = func() { t.ui.runAction(action, id) }
		r.action.Show()
	}
	last := id == len(t.ui.msgs)-1
	r.editB.Hidden = m.Role != chat.User
	r.regenB.Hidden = !(m.Role == chat.Assistant && last && m.Status != chat.Streaming) || ending
	r.deleteB.Hidden = m.Status == chat.Streaming || ending
	r.forkB.Hidden = m.Status == chat.Streaming || ending
	r.copyB.Hidden = m.Content == ""
	// ‹ 2/3 ›: the versions of this message (regenerated answers, edited
	// questions), switched in place.
	versions := m.Branches > 1 && m.Status != chat.Streaming
	r.prevB.Hidden, r.branch.Hidden, r.nextB.Hidden = !versions, !versions, !versions
	if versions {
		setText(r.branch, fmt.Sprintf("%d/%d", m.Branch, m.Branches))
		setEnabled(&r.prevB.Button, m.Branch > 1)
		setEnabled(&r.nextB.Button, m.Branch < m.Branches)
	}
	t.restyleButtons(r)
}

// endingTurn reports whether message id is the last answer, ended, while
// the turn that wrote it is still running (being saved).
func (t *transcript) endingTurn(id int) bool {
	m := t.ui.msgs[id]
	return t.ui.busy && id == len(t.ui.msgs)-1 && m.Role == chat.Assistant && m.Status != chat.Streaming
}

// setEnabled enables or disables a button only when that changes.
func setEnabled(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}

// setText changes a label's text only when it differs: SetText always
// lays the label out again, and the list fills a row several times per
// redraw.
func setText(l *widget.Label, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}

// fillBody shows blocks in the row's body. While an answer streams only
// its last block changes: the widgets of the blocks before it are kept,
// and only the new ones are laid out (refreshing the box would wrap the
// text of every block again).
func (t *transcript) fillBody(r *row, blocks []block, same bool) {
	keep := 0
	if same && len(r.body.Objects) == len(r.blocks) {
		for keep < len(blocks) && keep < len(r.blocks) && blocks[keep] == r.blocks[keep] {
			shareText(r.body.Objects[keep], blocks[keep])
			keep++
		}
		if keep == len(blocks) && keep == len(r.blocks) {
			r.blocks = blocks
			return
		}
	}
	r.gen = t.generation
	// The growing block keeps its widget too, with the new text: a new
	// widget per redraw would leave the old one's renderer in Fyne's cache
	// for a minute (tens of megabytes on a fast stream).
	if same && keep < len(blocks) && keep < len(r.blocks) && keep < len(r.body.Objects) && updateBlock(r.body.Objects[keep], r.blocks[keep], blocks[keep], t.linksFor(r, keep)) {
		keep++
	}
	r.blocks = blocks
	fresh := renderMarked(blocks[keep:], t.linksFor(r, keep), t.ui.find.marksFor(r, keep), keep > 0)
	w := t.rowWidth()
	for _, o := range fresh {
		if text, ok := o.(*wrappedText); ok {
			text.wrapAt(w)
		}
	}
	r.body.Objects = append(r.body.Objects[:keep:keep], fresh...)
	// Laid out, not refreshed: a refresh would wrap the text of every
	// block again, and the new ones are already wrapped.
	r.body.Layout.Layout(r.body.Objects, r.body.Size())
	canvas.Refresh(r.body)
}

// badgeFor returns the status line of a message and its action.
func badgeFor(m chat.Message, wait string) (text, label string, action chat.Action) {
	switch m.Status {
	case chat.Streaming:
		if wait != "" {
			return wait, "", ""
		}
		return "", "", ""
	case chat.Stopped:
		// Not worded as a fault: the user stopped it (or quit).
		return "Stopped before the answer was finished.", "Regenerate", chat.ActionRetry
	case chat.Interrupted:
		t := "Interrupted — the answer ended before it finished."
		if m.Error != "" {
			t += " " + capitalize(chat.OneLine(m.Error, maxErrorRunes)) + "."
		}
		return t, "Retry", chat.ActionRetry
	case chat.Truncated:
		return "Cut by the reply limit (Max reply tokens).", "Continue", actionContinue
	case chat.Filtered:
		cats := m.Filter.Triggered()
		t := "Filtered by Azure's content filter"
		if len(cats) > 0 {
			t += ": " + strings.Join(cats, ", ")
		}
		return t + ".", "", ""
	case chat.Failed:
		if wait != "" {
			return wait, "", ""
		}
		return "Failed — " + capitalize(chat.OneLine(m.Error, maxErrorRunes)) + ".", labelFor(m), actionFor(m)
	}
	return "", "", ""
}

// badgeImportance is how a status line is drawn: a stopped answer's in
// the text's colour, the others' (failures, filters, cuts) as warnings.
func badgeImportance(s chat.Status) widget.Importance {
	if s == chat.Stopped {
		return widget.MediumImportance
	}
	return widget.WarningImportance
}

// actionContinue is the UI's own action for truncated answers.
const actionContinue chat.Action = "continue"

// onNewestOnly reports whether action a acts on the chat's newest answer
// only (the controller continues or asks again for the last one).
func onNewestOnly(a chat.Action) bool {
	return a == actionContinue || a == chat.ActionRetry || a == chat.ActionWait
}

// What a row shows of text a server or an imported file wrote (the
// history and exports keep it whole): one wrapped label lays out its text
// at once, on the UI thread, which for megabytes takes minutes.
const (
	maxModelRunes = 100
	maxErrorRunes = 1000
	maxReasoning  = 16 << 10 // bytes
)

// shownReasoning is a reasoning summary as a row shows it: the first
// maxReasoning bytes of a longer one, and how much more there is.
func shownReasoning(s string) string {
	if len(s) <= maxReasoning {
		return s
	}
	cut := maxReasoning
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d KB more: copy the message or export the chat to read it all)", (len(s)-cut+1023)>>10)
}

func capitalize(s string) string {
	if s == "" || strings.HasPrefix(s, "azchat") {
		return s // the app's name is written in lower case
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// actionFor is the button a failed message offers: the action the error
// map chose, stored with the message. Messages from before azchat kept it
// (and imports) offer Retry, which produces a fresh, typed error.
func actionFor(m chat.Message) chat.Action {
	if m.Action != "" && m.Action != chat.ActionWait {
		return m.Action
	}
	return chat.ActionRetry
}

func labelFor(m chat.Message) string {
	switch actionFor(m) {
	case chat.ActionOpenSettings:
		return "Open settings"
	case chat.ActionEdit:
		return "Edit message"
	case chat.ActionNewChat:
		return "New chat"
	}
	return "Retry"
}
