package app

import (
	"testing"

	"fyne.io/fyne/v2/theme"

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
