package app

import (
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/testwait"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
)

// waitSidebar waits until the sidebar shows n items.
func (h *harness) waitSidebar(n int) []sideItem {
	h.t.Helper()
	var items []sideItem
	if !testwait.Poll(10*time.Second, func() bool {
		h.settle()
		h.ui(func() { items = append(items[:0], h.u.side.items...) })
		return len(items) == n
	}) {
		h.t.Fatalf("the sidebar shows %d items, want %d", len(items), n)
	}
	return items
}

func TestHistorySidebarSearchAndDelete(t *testing.T) {
	h := newHarness(t, true)
	h.send("first chat about quotas")
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("second chat")
	items := h.waitSidebar(2)
	if len(items) != 2 || items[0].title != "second chat" || items[1].title != "first chat about quotas" {
		t.Fatalf("sidebar: %+v", items)
	}
	h.ui(func() { h.u.side.list.Select(1) })
	// The chat loads off the UI thread, then shows.
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() {
			ok = len(h.u.msgs) == 2 && h.u.msgs[0].Content == "first chat about quotas" && strings.Contains(h.u.win.Title(), "first chat")
		})
		return ok
	})
	// Full-text search across every message, then open the hit.
	h.ui(func() { test.Type(h.u.side.search, "quota") })
	var hit *sideItem
	waitUntil(t, func() bool {
		h.ui(func() { items = append(items[:0], h.u.side.items...) })
		for i := range items {
			if items[i].snippet != "" && strings.Contains(items[i].snippet, "«quota") {
				hit = &items[i]
			}
		}
		return hit != nil
	})
	if hit == nil {
		t.Fatalf("no search hit: %+v", items)
	}
	h.ui(func() {
		if h.u.side.none.Visible() {
			t.Fatal("a search with hits says it found none")
		}
	})
	// A search that finds nothing says so.
	h.ui(func() { h.u.side.search.SetText("zzzqqq") })
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() {
			ok = len(h.u.side.items) == 0 && h.u.side.none.Visible() && h.u.side.none.Text == "No chat has “zzzqqq” in its messages or files."
		})
		return ok
	})
	h.ui(func() { h.u.side.search.SetText("") })
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = len(h.u.side.items) == 2 && !h.u.side.none.Visible() })
		return ok
	})
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.ui(func() { h.u.side.open(*hit) })
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = h.u.highlight == int(hit.node)-1 && len(h.u.msgs) == 2 })
		return ok
	})
	// Delete asks first, then removes it from the database.
	h.ui(func() {
		h.u.side.search.SetText("")
		h.u.side.confirmDelete(sideItem{id: h.u.conv.ID, title: "first chat about quotas"})
		if h.u.win.Canvas().Overlays().Top() == nil {
			t.Fatal("no confirmation before deleting")
		}
	})
	conv, _ := h.u.history.List(0, 0)
	if len(conv) != 2 {
		t.Fatal("deleted without confirmation")
	}
	var del *widget.Button
	h.ui(func() {
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Delete" {
				del = b
			}
		}
	})
	if del == nil {
		t.Fatal("the confirmation has no Delete button")
	}
	h.ui(func() { test.Tap(del) })
	waitUntil(t, func() bool { conv, _ = h.u.history.List(0, 0); return len(conv) == 1 })
	if conv[0].Title != "second chat" {
		t.Fatalf("the wrong chat was deleted: %+v", conv)
	}
	// The list of chats (not the search's one hit, also one row, which
	// shows until the emptied box's list comes).
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() {
			it := h.u.side.items
			ok = len(it) == 1 && it[0].title == "second chat" && it[0].query == ""
		})
		return ok
	})
}

// TestDeleteWhileStreamingStaysDeleted: deleting the chat an answer is
// streaming into stops the answer, and no late save brings the chat back.
func TestDeleteWhileStreamingStaysDeleted(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("words ", 2000), TokensPerSecond: 300})
	h.ui(func() {
		test.Type(h.u.input, "stream please")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	var id string
	waitUntil(t, func() bool {
		list, _ := h.u.history.List(0, 0)
		if len(list) == 1 {
			id = list[0].ID
		}
		return id != ""
	})
	h.ui(func() { h.u.side.deleteChat(id) })
	h.u.ctl.Wait()
	h.u.ctl.Flush()
	waitUntil(t, func() bool { list, _ := h.u.history.List(0, 0); return len(list) == 0 })
	h.u.bridge.waitIdle()
	h.u.ctl.Flush()
	if _, err := h.u.history.Load(id); err == nil {
		t.Fatal("the deleted chat came back")
	}
}

// TestSnippetLineCutsAtTheMatchNotAtGuillemets: a long snippet is cut a
// few words before its match, and « in the chat's own text is not taken
// for the match (which the row would then cut away).
func TestSnippetLineCutsAtTheMatchNotAtGuillemets(t *testing.T) {
	text := "Il a dit « oui » " + strings.Repeat("et encore des mots ", 20) + "puis needle à la fin."
	at := strings.Index(text, "needle")
	line := snippetLine(history.Hit{Snippet: text, Matches: []history.Span{{Start: at, End: at + len("needle")}}})
	i := strings.Index(line, "«needle»")
	if i < 0 || len([]rune(line[:i])) > snippetLead+1 || strings.Contains(line, "oui") {
		t.Fatalf("%q", line)
	}
}

// TestSnippetLineDropsMarkdownsMarks: a snippet is a cut of the text,
// shown plain; what is not a mark stays.
func TestSnippetLineDropsMarkdownsMarks(t *testing.T) {
	text := "## Token budgets\nEach message costs **3 tokens** in `C# ` and __init__"
	at := strings.Index(text, "tokens**")
	line := snippetLine(history.Hit{Snippet: text, Matches: []history.Span{{Start: at, End: at + len("tokens")}}})
	if want := "…message costs 3 «tokens» in C# and __init__"; line != want {
		t.Fatalf("%q, want %q", line, want)
	}
	text = "use C# here"
	if line := snippetLine(history.Hit{Snippet: text, Matches: []history.Span{{Start: 4, End: 5}}}); line != "use «C»# here" {
		t.Fatalf("a mark after the match: %q", line)
	}
}

// TestSearchSnippetsAreBounded: SQLite cuts a hit's snippet by words, and
// a pasted dump can be one word of megabytes, which the sidebar would lay
// out whole on the UI thread: the snippet shown is one bounded line.
func TestSearchSnippetsAreBounded(t *testing.T) {
	h := newHarness(t, true)
	word := strings.Repeat("y", 1<<20) + " needle" + strings.Repeat("x", 1<<20)
	conv := &chat.Conversation{ID: "dump", Messages: []*chat.Message{{Role: chat.User, Content: word, Status: chat.Complete, Time: time.Now()}}}
	if err := h.u.history.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	h.ui(func() { test.Type(h.u.side.search, "needle*") })
	// (A word of a megabyte before the match, and one after it.)
	var snippet string
	waitUntil(t, func() bool {
		h.ui(func() {
			for _, it := range h.u.side.items {
				if it.id == "dump" {
					snippet = it.snippet
				}
			}
		})
		return snippet != ""
	})
	at := strings.Index(snippet, "«needle")
	if n := len([]rune(snippet)); n > maxSnippetRunes || at < 0 || len([]rune(snippet[:at])) > snippetLead+1 {
		t.Fatalf("snippet of %d runes: %.80q", n, snippet)
	}
}

// TestWindowSaysHowManyChatsWereAdded: chats an older azchat saved at the
// history's old place, added at start (history.OpenMoving), are counted
// with where they were found, and a damaged one's new name is given.
func TestWindowSaysHowManyChatsWereAdded(t *testing.T) {
	h := newHarness(t, true)
	var told string
	h.ui(func() {
		h.u.history.Gathered = history.Gathered{From: "/home/me/.config/fyne/azchat", Chats: 3, SetAside: []string{"/x/history/stray-1.db.damaged-2"}}
		h.u.reportHistory()
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "older version of azchat") {
				told = l.Text
			}
		}
	})
	if !strings.Contains(told, "saved 3 chats in\n/home/me/.config/fyne/azchat\n") || !strings.Contains(told, "They have been added") ||
		!strings.Contains(told, "kept, unchanged, as\n/x/history/stray-1.db.damaged-2") {
		t.Fatalf("told %q", told)
	}
}

// TestSidebarMarksTheChatShownNotARow: the chat shown moves to the top
// when written to; its mark moves with it, and the row it left (selected
// before, by number) opens the chat now there when clicked.
func TestSidebarMarksTheChatShownNotARow(t *testing.T) {
	h := newHarness(t, true)
	h.send("first chat")
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("second chat")
	h.waitSidebar(2)
	marked := func() (rows []int) {
		h.ui(func() {
			o := h.u.side.list.CreateItem()
			for i := range h.u.side.items {
				h.u.side.list.UpdateItem(i, o)
				if o.(*fyne.Container).Objects[0].Visible() {
					rows = append(rows, i)
				}
			}
		})
		return rows
	}
	shows := func(first string) func() bool {
		return func() bool {
			var ok bool
			h.ui(func() { ok = len(h.u.msgs) >= 2 && h.u.msgs[0].Content == first })
			return ok
		}
	}
	if m := marked(); len(m) != 1 || m[0] != 0 {
		t.Fatalf("marked rows %v, want [0] (second chat, shown)", m)
	}
	h.ui(func() { h.u.side.list.Select(1) })
	waitUntil(t, shows("first chat"))
	h.send("more in the first chat")
	waitUntil(t, func() bool {
		items := h.waitSidebar(2)
		return items[0].title == "first chat"
	})
	if m := marked(); len(m) != 1 || m[0] != 0 {
		t.Fatalf("marked rows %v after the first chat moved up, want [0]", m)
	}
	h.ui(func() { h.u.side.list.Select(1) })
	waitUntil(t, shows("second chat"))
}

// TestOtherChatWhileAnsweringAsksFirst: New chat, or another chat clicked
// in the list, while an answer is being written asks before stopping it:
// kept writing, nothing changes; agreed, it stops (said without blaming a
// Stop never pressed) and the other chat opens.
func TestOtherChatWhileAnsweringAsksFirst(t *testing.T) {
	h := newHarness(t, true)
	h.send("an earlier chat")
	h.ui(func() { h.u.newChat() })
	h.settle()
	gate := make(chan struct{})
	defer close(gate)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("words ", 600), TokensPerSecond: 300, Gate: gate, GateAfter: 20})
	h.ui(func() {
		test.Type(h.u.input, "stream please")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool { return h.u.ctl.Busy() })
	var items []sideItem
	waitUntil(t, func() bool {
		h.ui(func() { items = append(items[:0], h.u.side.items...) })
		return len(items) == 2
	})
	for _, open := range []func(){h.u.newChat, func() { h.u.side.open(items[1]) }} {
		h.ui(func() { h.u.stopQuestion = nil; open() })
		h.ui(func() {
			if h.u.stopQuestion == nil {
				t.Fatal("no question before the answer is stopped")
			}
			h.u.stopQuestion.Dismiss()
		})
		h.u.bridge.waitIdle()
		if !h.u.ctl.Busy() {
			t.Fatal("kept writing, the answer stopped")
		}
	}
	h.ui(func() { h.u.side.open(items[1]) })
	h.ui(func() { h.u.stopQuestion.Confirm() })
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = !h.u.ctl.Busy() && len(h.u.msgs) == 2 && h.u.msgs[0].Content == "an earlier chat" })
		return ok
	})
	c, err := h.u.history.Load(items[0].id)
	if err != nil || len(c.Messages) != 2 || c.Messages[1].Status != chat.Stopped {
		t.Fatalf("the stopped answer: %+v %v", c, err)
	}
	if text, _, _ := badgeFor(*c.Messages[1], ""); strings.Contains(text, "pressed Stop") {
		t.Fatalf("the badge blames a Stop never pressed: %q", text)
	}
}

// TestRenameIsTypedIntoAtOnce: Rename opens with its field focused and the
// title selected, so what is typed replaces it; Enter renames.
func TestRenameIsTypedIntoAtOnce(t *testing.T) {
	h := newHarness(t, true)
	h.send("a chat to rename")
	items := h.waitSidebar(1)
	h.ui(func() {
		h.u.win.Canvas().Focus(h.u.side.list) // as after the row's menu
		h.u.side.rename(items[0])
	})
	h.ui(func() {
		focused, ok := h.u.win.Canvas().Focused().(*escEntry)
		if !ok {
			t.Fatalf("focused: %T", h.u.win.Canvas().Focused())
		}
		for _, r := range "New title" {
			focused.TypedRune(r)
		}
		focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		// As after the dialog's Rename button pressed with Space: the
		// key's character comes after it, to what has the keys then.
		if f := h.u.win.Canvas().Focused(); f != nil {
			f.TypedRune(' ')
		}
	})
	waitUntil(t, func() bool {
		var title string
		h.ui(func() {
			if len(h.u.side.items) == 1 {
				title = h.u.side.items[0].title
			}
		})
		return title == "New title"
	})
	// The message box has the keys again (they were left with the row's
	// menu button).
	h.ui(func() {
		if f := h.u.win.Canvas().Focused(); f != h.u.input || h.u.input.Text != "" {
			t.Fatalf("after Rename %T has the keys, the message box holds %q", f, h.u.input.Text)
		}
	})
}

// TestSidebarRowsAreOneLineButHits: a chat's row is its title, one line;
// a search hit's row is two, for its snippet; back to the list, one again.
func TestSidebarRowsAreOneLineButHits(t *testing.T) {
	h := newHarness(t, true)
	h.send("about quotas")
	h.waitSidebar(1)
	h.ui(func() {
		if row := h.u.side.list.CreateItem(); row.MinSize().Height > 2*theme.TextSize()+4*theme.Padding() {
			t.Fatalf("a chat's row is %.0f tall", row.MinSize().Height)
		}
	})
	h.ui(func() { h.u.side.search.SetText("quota") })
	waitUntil(t, func() bool {
		var tall bool
		h.ui(func() { tall = len(h.u.side.tall) > 0 && h.u.side.twoLines > h.u.side.oneLine })
		return tall
	})
	h.ui(func() { h.u.side.search.SetText("") })
	waitUntil(t, func() bool {
		var none bool
		h.ui(func() { none = len(h.u.side.tall) == 0 && len(h.u.side.items) == 1 && h.u.side.items[0].snippet == "" })
		return none
	})
}

// TestTheStopQuestionGoesWhenTheAnswerEnds: the answer ends on its own
// while "stop the answer?" is asked: the question goes, and what it was
// asked for is done.
func TestTheStopQuestionGoesWhenTheAnswerEnds(t *testing.T) {
	h := newHarness(t, true)
	h.send("an earlier chat")
	h.ui(func() { h.u.newChat() })
	h.settle()
	gate := make(chan struct{})
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("words ", 100), TokensPerSecond: 300, Gate: gate, GateAfter: 10})
	h.ui(func() {
		test.Type(h.u.input, "stream please")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool { return h.u.ctl.Busy() })
	h.ui(func() {
		h.u.newChat()
		h.u.newChat() // Ctrl+N again: one question
		if h.u.stopQuestion == nil || len(h.u.win.Canvas().Overlays().List()) != 1 {
			t.Fatalf("questions: %d", len(h.u.win.Canvas().Overlays().List()))
		}
	})
	close(gate)
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() {
			ok = h.u.stopQuestion == nil && h.u.win.Canvas().Overlays().Top() == nil && len(h.u.msgs) == 0
		})
		return ok
	})
	h.settle()
	c, err := h.u.history.Load(h.waitSidebar(2)[0].id)
	if err != nil || c.Messages[len(c.Messages)-1].Status != chat.Complete {
		t.Fatalf("the answer that ended on its own: %+v %v", c, err)
	}
}

// TestSearchListsEachChatOnce: a chat with several messages found is one
// row (identical rows, one per message, were listed).
func TestSearchListsEachChatOnce(t *testing.T) {
	h := newHarness(t, true)
	h.send("cherries once")
	h.send("cherries twice")
	h.waitSidebar(1)
	h.ui(func() { h.u.side.search.SetText("cherries") })
	waitUntil(t, func() bool {
		var n int
		var hit bool
		h.ui(func() {
			n = len(h.u.side.items)
			hit = n > 0 && h.u.side.items[0].snippet != ""
		})
		return hit && n == 1
	})
}

// TestTheChatShownIsMarkedAmongSearchResults: a search lists each chat
// once; the row of the chat on screen is marked there as in the list.
func TestTheChatShownIsMarkedAmongSearchResults(t *testing.T) {
	h := newHarness(t, true)
	h.send("quota in the first chat")
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("quota in the second chat")
	h.waitSidebar(2)
	h.ui(func() { test.Type(h.u.side.search, "quota") })
	waitUntil(t, func() bool {
		var n int
		h.ui(func() {
			for _, it := range h.u.side.items {
				if it.query != "" && it.snippet != "" {
					n++
				}
			}
		})
		return n == 2
	})
	h.ui(func() {
		s := h.u.side
		for id, it := range s.items {
			row := s.list.CreateItem()
			s.list.UpdateItem(id, row)
			marked := row.(*fyne.Container).Objects[0].Visible()
			if shown := it.id == h.u.conv.ID; marked != shown {
				t.Errorf("search result %q (the chat shown: %v) marked: %v", it.title, shown, marked)
			}
		}
	})
}
