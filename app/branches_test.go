package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/internal/fakeazure"
)

// A regenerated answer shows ‹ 2/2 ›; ‹ shows the first version in place.
func TestBranchSwitcher(t *testing.T) {
	var n int
	h := newHarnessWith(t, true, func(s *fakeazure.Server) {
		s.Reply = func([]map[string]any) string { n++; return fmt.Sprintf("version %d", n) }
	})
	h.send("question")
	h.ui(func() { h.u.regenerate() })
	h.settle()
	r := h.row(1)
	h.ui(func() {
		if r.branch.Hidden || r.branch.Text != "2/2" || !r.nextB.Disabled() || r.prevB.Disabled() {
			t.Fatalf("switcher: hidden %v %q, next disabled %v, prev disabled %v", r.branch.Hidden, r.branch.Text, r.nextB.Disabled(), r.prevB.Disabled())
		}
		if h.u.msgs[1].Content != "version 2" {
			t.Fatalf("shown %q", h.u.msgs[1].Content)
		}
		if r0 := h.u.transcript.onScreen[0]; r0 != nil && !r0.branch.Hidden {
			t.Fatal("the question, which has one version, shows a switcher")
		}
	})
	h.ui(func() { test.Tap(r.prevB) })
	h.settle()
	r = h.row(1)
	h.ui(func() {
		if h.u.msgs[1].Content != "version 1" || r.branch.Text != "1/2" {
			t.Fatalf("after ‹: %q, %q", h.u.msgs[1].Content, r.branch.Text)
		}
	})
}

// Fork chat here opens a new chat holding the path up to that message.
func TestForkChatHere(t *testing.T) {
	h := newHarness(t, true)
	h.send("one")
	h.send("two")
	var before, answer string
	h.ui(func() { before, answer = h.u.conv.ID, h.u.msgs[1].Content })
	r := h.row(1)
	h.ui(func() { test.Tap(r.forkB) })
	h.settle()
	h.ui(func() {
		if h.u.conv.ID == before || h.u.conv.ID == "" || len(h.u.msgs) != 2 || h.u.msgs[0].Content != "one" || h.u.msgs[1].Content != answer {
			t.Fatalf("after fork: id %q (was %q), %d messages", h.u.conv.ID, before, len(h.u.msgs))
		}
	})
	items := h.waitSidebar(2)
	if len(items) != 2 {
		t.Fatalf("sidebar: %d chats", len(items))
	}
}

// The sidebar's search finds text in a version not on screen and opens
// the branch that holds it.
func TestSearchOpensTheBranchThatHoldsTheText(t *testing.T) {
	var n int
	h := newHarnessWith(t, true, func(s *fakeazure.Server) {
		s.Reply = func([]map[string]any) string {
			n++
			if n == 1 {
				return "an answer about zebras"
			}
			return "an answer about lions"
		}
	})
	h.send("tell me about animals")
	h.ui(func() { h.u.regenerate() })
	h.settle()
	h.ui(func() {
		if h.u.msgs[1].Content != "an answer about lions" {
			t.Fatalf("shown %q", h.u.msgs[1].Content)
		}
		h.u.side.search.SetText("zebras")
	})
	var hit *sideItem
	waitUntil(t, func() bool {
		h.ui(func() {
			for _, it := range h.u.side.items {
				if it.node > 0 {
					cp := it
					hit = &cp
				}
			}
		})
		return hit != nil
	})
	h.ui(func() { h.u.side.open(*hit) })
	waitUntil(t, func() bool {
		ok := false
		h.ui(func() {
			ok = len(h.u.msgs) == 2 && h.u.msgs[1].Content == "an answer about zebras" && h.u.highlight == 1
		})
		return ok
	})
}
