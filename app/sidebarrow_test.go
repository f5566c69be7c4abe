package app

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/export"
	"github.com/azchat/azchat/internal/testwait"
)

// TestDaysCountAcrossDaylightSaving: a day 23 or 25 hours long is still
// one day (the hours between two midnights are not a multiple of 24).
func TestDaysCountAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	for _, c := range []struct {
		at, now time.Time
		want    int
	}{
		// Summer time began on 2026-03-29 (a 23-hour day), ended 10-25.
		{time.Date(2026, 3, 28, 23, 30, 0, 0, berlin), time.Date(2026, 3, 29, 0, 30, 0, 0, berlin), 1},
		{time.Date(2026, 3, 29, 0, 10, 0, 0, berlin), time.Date(2026, 3, 29, 23, 50, 0, 0, berlin), 0},
		{time.Date(2026, 10, 24, 23, 59, 0, 0, berlin), time.Date(2026, 10, 25, 23, 59, 0, 0, berlin), 1},
		{time.Date(2026, 10, 20, 12, 0, 0, 0, berlin), time.Date(2026, 10, 27, 0, 1, 0, 0, berlin), 7},
		// Written in another zone: counted in the reader's.
		{time.Date(2026, 3, 29, 23, 30, 0, 0, time.UTC), time.Date(2026, 3, 30, 9, 0, 0, 0, berlin), 0},
	} {
		if got := daysBetween(c.at, c.now); got != c.want {
			t.Errorf("%v to %v: %d days, want %d", c.at, c.now, got, c.want)
		}
	}
}

// TestSidebarRowsAreDated: a chat's row shows when it was last written
// to, a search hit's when the message found was written.
func TestSidebarRowsAreDated(t *testing.T) {
	h := newHarness(t, true)
	before := time.Now()
	h.send("a chat written now")
	items := h.waitSidebar(1)
	after := time.Now()
	old := time.Date(2025, 3, 4, 10, 0, 0, 0, time.Local)
	conv := &chat.Conversation{ID: "old", Messages: []*chat.Message{{Role: chat.User, Content: "the persimmon harvest", Status: chat.Complete, Time: old}}}
	if err := h.u.history.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	date := func(i int) (s string) {
		h.ui(func() {
			row := h.u.side.list.CreateItem()
			h.u.side.list.UpdateItem(i, row)
			s = sideRowOf(row).date.Text
		})
		return s
	}
	got := date(0)
	if got != before.Format("15:04") && got != after.Format("15:04") && (before.Day() == after.Day() || got != "Yesterday") {
		t.Errorf("the chat written now is dated %q (between %v and %v)", got, before.Format("15:04"), after.Format("15:04"))
	}
	if items[0].id == "" {
		t.Fatal("no chat listed")
	}
	h.ui(func() { test.Type(h.u.side.search, "persimmon") })
	if !testwait.Poll(10*time.Second, func() bool {
		var ok bool
		h.ui(func() { ok = len(h.u.side.items) == 1 && h.u.side.items[0].id == "old" })
		return ok
	}) {
		t.Fatal("the old chat was not found")
	}
	if got := date(0); got != "Mar 2025" {
		t.Errorf("a hit in a message of March 2025 is dated %q", got)
	}
}

// TestADateLeavesTheTitleRoom: in a narrow sidebar the dates go, on every
// row (the date took most of a long title, "Tell me …", and dates shown
// beside short titles only could not be told from none); in a wide one
// every row is dated, its title beside the date, not under it.
func TestADateLeavesTheTitleRoom(t *testing.T) {
	h := newHarness(t, true)
	h.send("ok")
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("A question long enough that its title is cut in any sidebar at all")
	h.waitSidebar(2)
	parts := func(width float32) (rows []sideRow) {
		h.ui(func() { h.u.win.Resize(fyne.NewSize(width, 600)) })
		h.settle()
		h.ui(func() {
			rows = drawnSideRows(h)
		})
		if len(rows) != 2 {
			t.Fatalf("%d rows drawn", len(rows))
		}
		return rows
	}
	for _, width := range []float32{1400, 760, 1000} {
		for _, r := range parts(width) {
			dated := width != 760
			if r.date.Visible() != dated {
				t.Errorf("at %v the date of %q shown: %v, want %v", width, r.title.Text, r.date.Visible(), dated)
			}
			if !r.date.Visible() {
				continue
			}
			if end := r.title.Position().X + r.title.Size().Width; end > r.date.Position().X {
				t.Errorf("at %v the title %q runs to %v, under the date at %v", width, r.title.Text, end, r.date.Position().X)
			}
			if r.title.Size().Width < titleRoom {
				t.Errorf("at %v the date leaves the title %q %v units", width, r.title.Text, r.title.Size().Width)
			}
			if r.title.Text == "ok" && r.title.shown != "ok" {
				t.Errorf("at %v the short title is drawn as %q", width, r.title.shown)
			}
		}
	}
}

// TestAnOldImportIsShownInTheList: a chat imported from an export of 2024
// is listed by its date, below the chats of this year, and the list
// scrolls to its row as it opens (dated by the import, it was listed
// first).
func TestAnOldImportIsShownInTheList(t *testing.T) {
	h := newHarness(t, true)
	for i := range 30 {
		c := &chat.Conversation{ID: fmt.Sprintf("recent%02d", i), Messages: []*chat.Message{{Role: chat.User, Content: fmt.Sprintf("recent chat %d", i), Status: chat.Complete, Time: time.Now()}}}
		if err := h.u.history.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	old := &chat.Conversation{ID: "archive", Title: "Old archive", Messages: []*chat.Message{
		{Role: chat.User, Content: "a question of 2024", Status: chat.Complete, Time: time.Date(2024, 6, 1, 9, 0, 0, 0, time.Local)},
		{Role: chat.Assistant, Content: "an answer of 2024", Status: chat.Complete, Time: time.Date(2024, 6, 1, 9, 1, 0, 0, time.Local)},
	}}
	data, err := export.Render(old, export.JSON)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "archive.json")
	if err := export.WriteFile(path, data); err != nil {
		t.Fatal(err)
	}
	h.importConfirmed(path)
	shown := func() (dates []string) {
		h.ui(func() {
			for _, r := range drawnSideRows(h) {
				if r.title.Text == "Old archive" {
					dates = append(dates, r.date.Text)
				}
			}
		})
		return dates
	}
	if !testwait.Poll(10*time.Second, func() bool { return len(shown()) == 1 }) {
		t.Fatal("the imported chat's row is not on screen")
	}
	h.ui(func() {
		if n := len(h.u.side.items); n != 31 || h.u.side.items[n-1].title != "Old archive" {
			t.Errorf("the imported chat is not listed last of %d", n)
		}
	})
	if got := shown(); got[0] != "Jun 2024" {
		t.Errorf("the imported chat is dated %q", got[0])
	}
}

// TestDatesFollowTheDay: with the window left open into the next day, the
// list's dates and the messages' headers say "Yesterday" (they said the
// time of a day gone until something drew them again).
func TestDatesFollowTheDay(t *testing.T) {
	dayCheck.Store(int64(20 * time.Millisecond))
	t.Cleanup(func() { dayCheck.Store(int64(time.Minute)); clockSkew.Store(0) })
	h := newHarness(t, true)
	h.send("a question today")
	h.waitSidebar(1)
	clockSkew.Store(int64(24 * time.Hour))
	if !testwait.Poll(10*time.Second, func() bool {
		var date, header string
		h.ui(func() {
			for _, r := range drawnSideRows(h) {
				date = r.date.Text
			}
			header = shownRow(t, h, 0).header.Text
		})
		return date == "Yesterday" && strings.HasPrefix(header, "You · Yesterday ")
	}) {
		t.Fatal("the dates still say today's time the next day")
	}
}

// TestACutSnippetShowsItsFileInATooltip: a hit in an attached file names
// the file after the words found, which a narrow row cuts: the pointer on
// the snippet shows it whole (the file's name was nowhere to be seen).
func TestACutSnippetShowsItsFileInATooltip(t *testing.T) {
	h := newHarness(t, true)
	notes := chat.Attachment{Kind: chat.TextAttachment, Name: "field-notes.txt", Text: "day one: the pink flamingo stood on one leg for most of the long afternoon by the lake"}
	conv := &chat.Conversation{ID: "birds", Title: "Birds", Messages: []*chat.Message{{Role: chat.User, Content: "what is in this file?", Attachments: []chat.Attachment{notes}, Status: chat.Complete, Time: time.Now()}}}
	if err := h.u.history.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	h.ui(func() { test.Type(h.u.side.search, "flamingo") })
	var row sideRow
	if !testwait.Poll(10*time.Second, func() bool {
		found := false
		h.ui(func() {
			for _, r := range drawnSideRows(h) {
				if r.title.Text == "Birds" && r.snippet.Visible() {
					row, found = r, true
				}
			}
		})
		return found
	}) {
		t.Fatal("the hit is not listed")
	}
	h.ui(func() {
		if !strings.HasSuffix(row.snippet.Text, "(in field-notes.txt)") || !row.snippet.cut() {
			t.Fatalf("snippet %q (cut: %v)", row.snippet.Text, row.snippet.cut())
		}
		row.snippet.MouseIn(nil)
		if got := h.u.tips.shown(); got != row.snippet.Text {
			t.Errorf("tooltip %q", got)
		}
		row.snippet.MouseOut()
	})
}

// drawnSideRows are the sidebar's rows Fyne draws; call it inside
// harness.ui.
func drawnSideRows(h *harness) (rows []sideRow) {
	for _, o := range drawnObjects(h.u.side.list) {
		if c, ok := o.(*fyne.Container); ok && len(c.Objects) == 2 {
			if _, ok := c.Objects[0].(*themedRect); ok {
				rows = append(rows, sideRowOf(c))
			}
		}
	}
	return rows
}
