package app

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/internal/testwait"
)

// drawnStyles is the set of text styles, other than the plain one, of the
// text objects a message's body is drawn with: what Fyne measures, so the
// faces it loads.
func drawnStyles(t *testing.T, text string) map[fyne.TextStyle]bool {
	t.Helper()
	w := test.NewWindow(container.NewVBox(renderBlocks(parseBlocks(text), linkActions{})...))
	defer w.Close()
	w.Resize(fyne.NewSize(600, 800))
	got := map[fyne.TextStyle]bool{}
	for _, o := range test.LaidOutObjects(w.Content()) {
		if txt, ok := o.(*canvas.Text); ok && txt.TextStyle != (fyne.TextStyle{}) {
			got[txt.TextStyle] = true
		}
	}
	return got
}

// TestFaceStylesAreThoseRowsDraw: the styles loaded ahead of a chat's
// rows are exactly those its messages' text is drawn with, so opening it
// neither waits for a face to load nor loads one it does not draw (each
// holds about 10 MB).
func TestFaceStylesAreThoseRowsDraw(t *testing.T) {
	// The window's theme: Fyne's test theme has no face for some styles
	// (bold monospace, as a table header's code is drawn).
	test.NewTempApp(t).Settings().SetTheme(themeFor(""))
	for _, text := range []string{
		"plain words, nothing else",
		"some **bold** and *italic* and `code`",
		"# A heading\n\nthen text",
		"```go\nfmt.Println(\"hi\")\n```",
		"```\nno language\n```",
		"> quoted *words*",
		"| a | b |\n|---|---|\n| 1 | `x` |",
		"- an item with `code`\n- ***both***",
		"1. first\n\n        indented code in a list",
		"[a link](https://example.invalid/) and ~~struck~~",
		"![a cat](https://example.invalid/cat.png) drawn as a chip",
		"| `code` head | *italic* head |\n|---|---|\n| 1 | 2 |",
	} {
		want := drawnStyles(t, text)
		got := faceStyles([]string{text})
		for _, s := range got {
			if !want[s] {
				t.Errorf("%q: faceStyles loads %+v, which is not drawn", text, s)
			}
		}
		for s := range want {
			if !slices.Contains(got, s) {
				t.Errorf("%q: drawn with %+v, which faceStyles does not load", text, s)
			}
		}
	}
	// Each style once, over several messages.
	got := faceStyles([]string{"`a`", "`b`", "**c**"})
	if len(got) != 2 {
		t.Fatalf("faceStyles over three messages: %+v, want monospace and bold once each", got)
	}
}

// TestOpeningAChatLoadsItsFaces: opening a chat from the sidebar loads
// the faces its last messages are drawn with, on the UI thread.
func TestOpeningAChatLoadsItsFaces(t *testing.T) {
	h := newHarness(t, true)
	conv := &chat.Conversation{ID: "code-chat", Messages: []*chat.Message{
		{Role: chat.User, Content: "show me", Status: chat.Complete},
		{Role: chat.Assistant, Content: "Here, *in* Go:\n\n```go\nn := 1\n```", Status: chat.Complete},
	}}
	if err := h.u.history.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	warmed := make(chan []fyne.TextStyle, 1)
	h.ui(func() {
		h.u.warm = func(styles []fyne.TextStyle) {
			warmFaces(styles)
			select { // never block the UI thread: the first report is enough
			case warmed <- styles:
			default:
			}
		}
		h.u.side.open(sideItem{id: conv.ID})
	})
	var got []fyne.TextStyle
	testwait.Until(t, 10*time.Second, "the faces of the chat's code loaded", func() bool {
		select {
		case got = <-warmed:
			return true
		default:
			return false
		}
	})
	for _, s := range []fyne.TextStyle{{Monospace: true}, {Italic: true}} {
		if !slices.Contains(got, s) {
			t.Errorf("faces loaded %+v, want %+v among them", got, s)
		}
	}
	h.settle()
}

// TestLoadingLastsUntilTheRowsAreListed: Config.Loading hears of opening a
// chat when its read starts and again once its messages are in the list;
// a chat that cannot be read ends its load too.
func TestLoadingLastsUntilTheRowsAreListed(t *testing.T) {
	conv := &chat.Conversation{ID: "loaded", Messages: []*chat.Message{
		{Role: chat.User, Content: "question", Status: chat.Complete},
		{Role: chat.Assistant, Content: "answer", Status: chat.Complete},
	}}
	dbPath := t.TempDir() + "/history.db"
	s, err := history.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The hook is set in Config before the window starts (the start-up's
	// reopening reads Config.Loading from its goroutine) and calls what the
	// test installs once that reopening has shown the chat and ended.
	var hookMu sync.Mutex
	var hook func(bool)
	var loads atomic.Int32
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) {
		c.OpenHistory = func() (*history.Store, error) { return history.Open(dbPath) }
		c.Loading = func(on bool) {
			if on {
				loads.Add(1)
			} else {
				loads.Add(-1)
			}
			hookMu.Lock()
			f := hook
			hookMu.Unlock()
			if f != nil {
				f(on)
			}
		}
	})
	testwait.Until(t, 10*time.Second, "the start-up's reopening to show the chat", func() bool {
		shown := false
		h.ui(func() { shown = h.u.conv.ID == conv.ID && len(h.u.transcript.items) == 2 })
		return shown && loads.Load() == 0
	})
	var mu sync.Mutex
	var starts int
	var ends []int // how many list items there were as each load ended
	h.ui(func() {
		hookMu.Lock()
		hook = func(on bool) {
			listed := -1
			if !on {
				listed = len(h.u.transcript.items) // false comes on the UI thread
			}
			mu.Lock()
			defer mu.Unlock()
			if on {
				starts++
				return
			}
			if len(ends) == starts {
				t.Errorf("a load ended that had not started (%d started, %d ended)", starts, len(ends)+1)
				return
			}
			ends = append(ends, listed)
		}
		hookMu.Unlock()
		// Opened from another chat.
		h.u.newChat()
		h.u.side.open(sideItem{id: conv.ID})
	})
	// ended waits for every load started to end and returns how many did
	// and the list's length as each ended.
	ended := func(what string, atLeast int) []int {
		var got []int
		testwait.Until(t, 10*time.Second, what, func() bool {
			mu.Lock()
			defer mu.Unlock()
			got = append([]int(nil), ends...)
			return len(ends) >= atLeast && len(ends) == starts
		})
		return got
	}
	for _, listed := range ended("the load to end", 1) {
		if listed != 2 {
			t.Fatalf("a load ended with %d items listed, want the chat's 2", listed)
		}
	}
	h.settle()
	mu.Lock()
	before := len(ends)
	mu.Unlock()
	h.ui(func() { h.u.side.open(sideItem{id: "no-such-chat"}) })
	ended("the failed load to end", before+1)
	h.ui(func() {
		for _, w := range h.u.win.Canvas().Overlays().List() {
			w.Hide() // the error shown
		}
	})
	h.settle()
}

// TestOpeningAChatLaysOutOnlyItsEnd: a long chat opens at its end, and
// the list fills only rows there, never its first rows on the way.
func TestOpeningAChatLaysOutOnlyItsEnd(t *testing.T) {
	h := newHarness(t, true)
	conv := &chat.Conversation{ID: "long"}
	for i := 0; i < 400; i++ {
		role := chat.User
		if i%2 == 1 {
			role = chat.Assistant
		}
		conv.Messages = append(conv.Messages, &chat.Message{Role: role, Content: fmt.Sprintf("message %d", i), Status: chat.Complete})
	}
	var filled []int
	h.ui(func() {
		update := h.u.transcript.list.UpdateItem
		h.u.transcript.list.UpdateItem = func(i int, o fyne.CanvasObject) {
			if !h.u.transcript.passing { // passing, relist leaves the row unfilled
				filled = append(filled, i)
			}
			update(i, o)
		}
		h.u.showConversation(conv, -1)
	})
	h.settle()
	h.ui(func() {
		if len(filled) == 0 {
			t.Fatal("no row filled")
		}
		last := len(h.u.transcript.items) - 1
		if !slices.Contains(filled, last) {
			t.Errorf("the last item (%d) was never filled; filled %v", last, filled)
		}
		if off := h.u.transcript.list.GetScrollOffset(); off == 0 {
			t.Errorf("the chat opened at its top (offset %v), not its end", off)
		}
		for i := range h.u.transcript.heights {
			if i < last-50 && !h.u.transcript.heights[i].estimated {
				t.Fatalf("item %d of %d measured on opening the chat at its end", i, last+1)
			}
		}
		for _, i := range filled {
			if i < last-50 {
				t.Fatalf("item %d of %d filled on opening the chat at its end (filled %v)", i, last+1, filled)
			}
		}
	})
}

// TestNewestTextKeepsTheEnd: the faces are chosen from the newest text
// only, whole messages while they fit, then the last lines of the next.
func TestNewestTextKeepsTheEnd(t *testing.T) {
	long := strings.Repeat("old line\n", 100) + "```go\nx := 1\n```\n"
	cases := []struct {
		texts  []string
		budget int
		want   []string
	}{
		{[]string{"newest", "older"}, 100, []string{"newest", "older"}},
		{[]string{"newest", long}, 30, []string{"newest", "```go\nx := 1\n```\n"}},
		{[]string{long, "older"}, len(long), []string{long}},
		{[]string{strings.Repeat("x", 50), "older"}, 10, nil},
		// An empty message (a picture alone) does not end the look back.
		{[]string{"newest", "", "`older`"}, 100, []string{"newest", "`older`"}},
		// Nothing older than a message that was cut.
		{[]string{"newest", long, "*older*"}, 30, []string{"newest", "```go\nx := 1\n```\n"}},
		{nil, 10, nil},
	}
	for i, c := range cases {
		if got := newestText(c.texts, c.budget); !slices.Equal(got, c.want) {
			t.Errorf("case %d: %q, want %q", i, got, c.want)
		}
	}
}
