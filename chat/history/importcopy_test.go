package history

import (
	"testing"

	"github.com/azchat/azchat/chat"
)

// TestChangedCopiesAreNumbered: each changed copy of one chat gets a title
// of its own ("(imported copy)", "(imported copy 2)", …; two were listed
// under one title), and a changed copy of a copy is numbered among them,
// not marked twice. A chat titled by the user keeps its title as the base.
func TestChangedCopiesAreNumbered(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	if err := s.ReplaceAll(answered(id)); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, answer := range []string{"one", "two"} {
		file := reimport(t, load(t, s, id), false)
		file.Messages[3].Content = answer
		got, err := s.Import(file)
		if err != nil || got.Already {
			t.Fatalf("a changed copy: %+v %v", got, err)
		}
		ids = append(ids, got.ID)
	}
	file := reimport(t, load(t, s, ids[0]), false)
	file.Messages[3].Content = "the copy changed"
	got, err := s.Import(file)
	if err != nil || got.Already {
		t.Fatalf("a changed copy of the copy: %+v %v", got, err)
	}
	ids = append(ids, got.ID)
	want := []string{"the question (imported copy)", "the question (imported copy 2)", "the question (imported copy 3)"}
	for i, id := range ids {
		if title := load(t, s, id).Title; title != want[i] {
			t.Fatalf("copy %d is titled %q, want %q", i+1, title, want[i])
		}
	}

	// A title of the user's own, and one that only looks like a mark.
	titled := chat.NewConversationID()
	conv := answered(titled)
	conv.Title = "Trip (imported copy) plans"
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	file = reimport(t, load(t, s, titled), false)
	file.Messages[3].Content = "changed"
	if got, err = s.Import(file); err != nil || got.Already {
		t.Fatalf("a changed copy of a titled chat: %+v %v", got, err)
	}
	if title := load(t, s, got.ID).Title; title != "Trip (imported copy) plans (imported copy)" {
		t.Fatalf("the titled chat's copy is titled %q", title)
	}
}
