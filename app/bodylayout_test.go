package app

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestAParagraphInPiecesReadsAsOne: the pieces of a long paragraph follow
// one another as its lines do (no gap, no paddings between them), while
// the blocks around it keep the gap between blocks; the body is as tall as
// what it lays out.
func TestAParagraphInPiecesReadsAsOne(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "Intro.\n\n" + fakeazure.ParagraphOfSize(12<<10) + "\n\nAfter."})
	h.send("dump")
	r := h.row(1)
	h.ui(func() {
		objs := r.body.Objects
		if len(objs) < 5 {
			t.Fatalf("%d blocks, want the intro, the paragraph's pieces and the end", len(objs))
		}
		pieces := 0
		for i := 1; i < len(objs); i++ {
			prev, o := objs[i-1], objs[i]
			gap := o.Position().Y - (prev.Position().Y + prev.Size().Height)
			want := theme.Padding()
			if continues(o) {
				pieces++
				want = -2 * theme.InnerPadding()
				if w := o.(*wrappedText); !w.plain || !r.blocks[i].cont {
					t.Fatalf("block %d continues the one before but is not a plain piece (%+v)", i, r.blocks[i].kind)
				}
			}
			if gap != want {
				t.Fatalf("block %d starts %v below block %d, want %v", i, gap, i-1, want)
			}
		}
		if pieces < 4 {
			t.Fatalf("%d blocks continue a paragraph, want the 12 KB paragraph's pieces after its first", pieces)
		}
		last := objs[len(objs)-1]
		if got, want := r.body.MinSize().Height, last.Position().Y+last.Size().Height; got != want {
			t.Fatalf("body minimum height %v, laid out %v", got, want)
		}
	})
}

// TestALongCodeBlockHasOneCopyForAllOfIt: a code block too long for one
// widget is shown in pieces, but as one box (each piece continues the one
// before as its next line would) with one language label and one Copy,
// which copies the whole block, not its first piece.
func TestALongCodeBlockHasOneCopyForAllOfIt(t *testing.T) {
	h := newHarness(t, true)
	var code strings.Builder
	for i := 0; code.Len() < 12<<10; i++ {
		fmt.Fprintf(&code, "line %d: total := total + %d // keep the running sum\n", i, i)
	}
	want := strings.TrimSuffix(code.String(), "\n")
	h.srv.Script(fakeazure.Behaviour{Reply: "Here it is:\n\n```go\n" + want + "\n```\n\nThat is all."})
	h.send("code")
	r := h.row(1)
	var copies []*widget.Button
	pieces := 0
	h.ui(func() {
		for i, b := range r.blocks {
			if b.kind == blockCode {
				pieces++
				if b.cont != (pieces > 1) {
					t.Fatalf("code piece %d (block %d): continues %v", pieces, i, b.cont)
				}
			}
		}
		var walk func(o fyne.CanvasObject)
		walk = func(o fyne.CanvasObject) {
			switch w := o.(type) {
			case *widget.Button:
				if w.Text == "Copy" {
					copies = append(copies, w)
				}
			case *fyne.Container:
				for _, c := range w.Objects {
					walk(c)
				}
			}
		}
		walk(r.body)
		objs := r.body.Objects
		for i := 1; i < len(objs); i++ {
			if !r.blocks[i].cont {
				continue
			}
			prev, o := objs[i-1], objs[i]
			if !continues(o) {
				t.Fatalf("code piece at block %d is laid out as a block of its own", i)
			}
			if gap, want := o.Position().Y-(prev.Position().Y+prev.Size().Height), -2*theme.InnerPadding(); gap != want {
				t.Fatalf("code piece at block %d starts %v below the one before, want %v", i, gap, want)
			}
			// Its background, drawn over the piece before, starts where
			// that piece's text ends: it hides none of its last line.
			bg := o.(*fyne.Container).Objects[0].(*fyne.Container).Objects[0]
			if top, textEnd := o.Position().Y+bg.Position().Y, prev.Position().Y+prev.Size().Height-theme.InnerPadding(); top != textEnd {
				t.Fatalf("code piece at block %d: background from %v, the text before it ends at %v", i, top, textEnd)
			}
		}
	})
	if pieces < 5 || len(copies) != 1 {
		t.Fatalf("%d code pieces with %d Copy buttons, want the 12 KB block in pieces with one", pieces, len(copies))
	}
	h.ui(func() { test.Tap(copies[0]) })
	if got := h.u.fyneApp.Clipboard().Content(); got != want {
		t.Fatalf("Copy put %d bytes on the clipboard (%.40q…), want the whole block's %d", len(got), got, len(want))
	}
}

// TestCopyOfACodeBlockIsThatBlock: each code block's Copy copies that
// block: a long block all of itself, even when an earlier block starts the
// same way (a file, then its revision), and a short block exactly its own
// text, even when an earlier block contains it.
func TestCopyOfACodeBlockIsThatBlock(t *testing.T) {
	h := newHarness(t, true)
	lines := func(from, n int, say string) string {
		var b strings.Builder
		for i := from; i < from+n; i++ {
			fmt.Fprintf(&b, "line %d: total := total + %d // %s\n", i, i, say)
		}
		return b.String()
	}
	first := lines(0, 80, "shared by both versions") + "return nil\n"
	file := strings.TrimSuffix(first+lines(80, 120, "first version"), "\n")
	revised := strings.TrimSuffix(first+lines(80, 130, "revised version"), "\n")
	h.srv.Script(fakeazure.Behaviour{Reply: "File:\n\n```go\n" + file + "\n```\n\nRevised:\n\n```go\n" + revised +
		"\n```\n\nThe end:\n\n```go\nreturn nil\n```\n"})
	h.send("code")
	var got, want []string
	h.ui(func() {
		blocks := h.u.transcript.parsedFor(1).blocks
		act := h.u.transcript.linksFor(1, 0)
		for g, b := range blocks {
			if b.kind == blockCode && !b.cont {
				got = append(got, act.code(g, b.text))
			}
		}
	})
	want = []string{file, revised, "return nil"}
	if len(got) != len(want) {
		t.Fatalf("%d code blocks, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("code block %d: Copy copies %d bytes (%.30q…), want %d (%.30q…)", i, len(got[i]), got[i], len(want[i]), want[i])
		}
	}
}
