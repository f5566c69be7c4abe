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

// TestAParagraphReadsOnAcrossListItems: a paragraph longer than a list
// item (transcript.go's parts) reads on where one item ends and the next
// begins, as it does between its pieces inside an item: the first line of
// the next item sits where the next line would.
//
// The two items are laid out as the list lays them out (filled and
// measured by the transcript's own code, at the list's width, one below
// the other with the list's padding between), not scrolled into view: on
// a loaded machine the rows scrolled past are measured late and move what
// follows, and a scroll to both kept missing (CI failed on it twice).
func TestAParagraphReadsOnAcrossListItems(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "Intro.\n\n" + fakeazure.ParagraphOfSize(40<<10) + "\n\nAfter."})
	h.send("dump")
	tr := h.u.transcript
	var first, last int
	h.ui(func() { first, last = tr.firstItem(1), tr.lastItem(1) })
	if last-first < 2 {
		t.Fatalf("the 40 KB answer is %d list items, want several", last-first+1)
	}
	for k := first + 1; k <= last; k++ {
		h.ui(func() {
			w := tr.rowWidth()
			// laid is list item i as the list shows it: a row filled for
			// it, at the height measured for it.
			laid := func(i int) (*row, float32) {
				r := tr.newRowWidget().row()
				tr.fill(r, i)
				height := measureHeight(r.root, w)
				r.root.Resize(fyne.NewSize(w, height))
				return r, height
			}
			above, aboveH := laid(k - 1)
			below, _ := laid(k)
			end := above.body.Objects[len(above.body.Objects)-1]
			start := below.body.Objects[0]
			if !continues(start) {
				t.Fatalf("list item %d does not open with a piece of the paragraph", k)
			}
			endY, ok1 := offsetIn(above.root, end)
			startY, ok2 := offsetIn(below.root, start)
			if !ok1 || !ok2 {
				t.Fatal("a piece is not in its row")
			}
			// Item k starts the list's padding below item k-1's end.
			got := aboveH + theme.Padding() + startY
			want := endY + end.Size().Height - 2*theme.InnerPadding()
			if got < want-0.01 || got > want+0.01 {
				t.Fatalf("list item %d's first line is %v below item %d's top, want %v: where the next line after item %d's last would be", k, got, k-1, want, k-1)
			}
		})
	}
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

// codeAnswer is an answer long enough to be several list items: prose,
// then a file, its revision (their first 4 KB the same) and a short block
// that the file contains.
func codeAnswer() (reply, file, revised string) {
	lines := func(from, n int, say string) string {
		var b strings.Builder
		for i := from; i < from+n; i++ {
			fmt.Fprintf(&b, "line %d: total := total + %d // %s\n", i, i, say)
		}
		return b.String()
	}
	var prose strings.Builder
	for i := 0; i < 18; i++ {
		fmt.Fprintf(&prose, "Paragraph %d says what the code below does, at some length, so that the answer is long enough to be shown as several list items. %s\n\n", i, strings.Repeat("More words. ", 25))
	}
	first := lines(0, 80, "shared by both versions") + "return nil\n"
	file = strings.TrimSuffix(first+lines(80, 120, "first version"), "\n")
	revised = strings.TrimSuffix(first+lines(80, 130, "revised version"), "\n")
	reply = prose.String() + "File:\n\n```go\n" + file + "\n```\n\nRevised:\n\n```go\n" + revised + "\n```\n\nThe end:\n\n```go\nreturn nil\n```\n"
	return reply, file, revised
}

// copied is what a code block's Copy put on the clipboard, with the code
// its box shows.
type copied struct{ piece, got string }

// tapCopies taps the Copy buttons of list item i, on screen, in order.
func tapCopies(h *harness, i int) []copied {
	var all []copied
	h.ui(func() {
		var r *row
		for _, w := range shownRows(h.u.transcript.list) {
			if w.r != nil && w.r.item == i {
				r = w.r
			}
		}
		if r == nil {
			h.t.Fatalf("list item %d is not on screen", i)
		}
		for _, o := range r.body.Objects {
			var copyB *widget.Button
			var code *wrappedText
			var walk func(o fyne.CanvasObject)
			walk = func(o fyne.CanvasObject) {
				switch w := o.(type) {
				case *widget.Button:
					if w.Text == "Copy" {
						copyB = w
					}
				case *wrappedText:
					code = w
				case *fyne.Container:
					for _, c := range w.Objects {
						walk(c)
					}
				}
			}
			walk(o)
			if copyB != nil && code != nil {
				test.Tap(copyB)
				all = append(all, copied{code.String(), h.u.fyneApp.Clipboard().Content()})
			}
		}
	})
	return all
}

// answerItems lists the list items of message 1.
func answerItems(h *harness) []int {
	var items []int
	h.ui(func() {
		for i, it := range h.u.transcript.items {
			if it.msg == 1 {
				items = append(items, i)
			}
		}
	})
	if len(items) < 3 {
		h.t.Fatalf("the answer is %d list items, want several", len(items))
	}
	return items
}

// TestCopyOfACodeBlockIsThatBlock: each code block's Copy copies that
// block: a long block all of itself from any of its pieces that has a Copy
// (one at the top of a list item too), even when an earlier block starts
// the same way (a file, then its revision); a short block exactly its own
// text, even when an earlier block contains it.
func TestCopyOfACodeBlockIsThatBlock(t *testing.T) {
	h := newHarness(t, true)
	reply, file, revised := codeAnswer()
	h.srv.Script(fakeazure.Behaviour{Reply: reply})
	h.send("code")
	var all []copied
	for _, i := range answerItems(h) {
		h.ui(func() { h.u.transcript.list.ScrollTo(i) })
		all = append(all, tapCopies(h, i)...)
	}
	// In reading order: the file's Copy, the revision's, the short block's.
	var got []string
	for _, c := range all {
		if !strings.Contains(c.got, c.piece) {
			t.Fatalf("a Copy copied %d bytes that do not hold its own code (%.30q…)", len(c.got), c.piece)
		}
		if len(got) == 0 || got[len(got)-1] != c.got {
			got = append(got, c.got)
		}
	}
	want := []string{file, revised, "return nil"}
	if len(got) != len(want) {
		t.Fatalf("the Copy buttons copied %d different texts in turn, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("code block %d: Copy copies %d bytes (%.30q…), want %d (%.30q…)", i, len(got[i]), got[i], len(want[i]), want[i])
		}
	}
}

// TestCopyAfterTheAnswerEnds: the rows on screen as a long answer ends,
// before any scrolling (the full parse has grouped its blocks anew, so its
// list items start at other blocks than while it streamed), copy their
// whole blocks. (Whether those rows kept widgets made while it streamed is
// Fyne's and fill's business; linksFor asks for the offset at the click
// either way.)
func TestCopyAfterTheAnswerEnds(t *testing.T) {
	h := newHarness(t, true)
	reply, _, revised := codeAnswer()
	h.srv.Script(fakeazure.Behaviour{Reply: reply})
	h.send("code")
	items := answerItems(h)
	all := tapCopies(h, items[len(items)-1])
	if len(all) == 0 {
		t.Fatal("no Copy at the end of the answer")
	}
	for _, c := range all {
		if c.got != revised && c.got != "return nil" {
			t.Fatalf("a Copy at the end of the answer copied %d bytes (%.30q…)", len(c.got), c.got)
		}
	}
}

// TestARecycledRowIsLaidOutForWhatItShows: the list hands a row it sized
// for one item to another without sizing it again when the heights match.
// The row then lays its parts out for what it now shows: the body of a
// later part at the top (not where the header of the first part pushed
// it), and the buttons it shows side by side (not in the places of the
// buttons it showed before).
func TestARecycledRowIsLaidOutForWhatItShows(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: fakeazure.ParagraphOfSize(20 << 10)})
	h.send("dump")
	tr := h.u.transcript
	h.ui(func() {
		first := tr.firstItem(1)
		if tr.lastItem(1) == first {
			t.Fatal("the 20 KB answer is one list item, want several")
		}
		r := tr.newRow()
		r.root.Resize(fyne.NewSize(tr.rowWidth(), 600))
		// The question (Edit shown, Regenerate not), then the answer's
		// first part, then its next (no header), the row never resized.
		tr.fill(r, tr.firstItem(0))
		tr.fill(r, first)
		if y := r.body.Position().Y; y <= 0 {
			t.Fatalf("the first part's body is at %v, want below its header", y)
		}
		if y := r.overlay.Position().Y; y != 0 {
			t.Fatalf("the first part's overlay (dimmed or highlighted) starts at %v, want the row's top", y)
		}
		tr.fill(r, first+1)
		if y := r.body.Position().Y; y != 0 {
			t.Fatalf("a later part's body is at %v, want at the top of the row (it has no header)", y)
		}
		// Its first line starts above the row (bodyLayout's lead): the
		// overlay covers the list's gap above it too.
		if y, tall := r.overlay.Position().Y, r.overlay.Size().Height; y != -theme.Padding() || tall != r.root.Size().Height+theme.Padding() {
			t.Fatalf("a later part's overlay at %v, %v tall; want from the gap above the row (%v), %v tall", y, tall, -theme.Padding(), r.root.Size().Height+theme.Padding())
		}
		// The question's row, then the answer's first part: Edit gives
		// its place to Regenerate in a box as wide as before.
		tr.fill(r, tr.firstItem(0))
		tr.fill(r, first)
		if r.regenB.Hidden || !r.editB.Hidden {
			t.Fatal("the answer's first part does not show Regenerate")
		}
		// The buttons shown side by side, as an HBox packs them: no
		// place kept for a hidden one, none beyond the box.
		var at float32
		for _, o := range []*tipButton{r.copyB, r.editB, r.regenB, r.forkB, r.deleteB} {
			if o.Hidden {
				continue
			}
			if o.Size().Width <= 0 || o.Position().X != at {
				t.Fatalf("button %q at %v, %v wide: want it at %v, next to the one before", o.Text, o.Position().X, o.Size().Width, at)
			}
			at = o.Position().X + o.Size().Width + theme.Padding()
		}
	})
}
