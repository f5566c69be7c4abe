package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

// export --all-branches writes the tree; a plain export the path on
// screen; the tree imports back as a tree.
func TestExportAllBranches(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	h, err := history.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	q := &chat.Message{Node: 1, Role: chat.User, Content: "the question", Status: chat.Complete}
	a1 := &chat.Message{Node: 2, Parent: 1, Role: chat.Assistant, Content: "the first answer", Status: chat.Complete}
	a2 := &chat.Message{Node: 3, Parent: 1, Role: chat.Assistant, Content: "the second answer", Status: chat.Complete}
	if err := h.ReplaceAll(&chat.Conversation{ID: "tree", Messages: []*chat.Message{q, a2}, Others: []*chat.Message{a1}}); err != nil {
		t.Fatal(err)
	}
	h.Close()
	code, out, errs := runWithHistory(t, db, "", "export", "--format", "json", "--last", "--all-branches")
	if code != ExitOK || !strings.Contains(out, "the first answer") || !strings.Contains(out, "the second answer") ||
		!strings.Contains(out, `"parent": 1`) || !strings.Contains(out, `"active_leaf": 3`) {
		t.Fatalf("tree export: %d %q\n%s", code, errs, out)
	}
	_, plain, _ := runWithHistory(t, db, "", "export", "--format", "json", "--last")
	if strings.Contains(plain, "the first answer") || !strings.Contains(plain, "the second answer") {
		t.Fatalf("the plain export is not the path on screen:\n%s", plain)
	}
	if code, _, errs := runWithHistory(t, db, "", "export", "--format", "md", "--last", "--all-branches"); code != ExitUsage || !strings.Contains(errs, "--format json") {
		t.Fatalf("--all-branches with md: %d %q", code, errs)
	}
	// Into another history (this one has the chat): every version counted.
	other := filepath.Join(t.TempDir(), "history.db")
	if code, got, errs := runWithHistory(t, other, out, "import", "-"); code != ExitOK || !strings.Contains(got, "imported 3 messages") {
		t.Fatalf("import of the tree: %d %q %q", code, got, errs)
	}
	h, err = history.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	list, _ := h.List(0, 0)
	if len(list) != 1 {
		t.Fatalf("%d chats imported", len(list))
	}
	imported, _ := h.Load(list[0].ID)
	if imported == nil || len(imported.Messages) != 2 || imported.Messages[1].Content != "the second answer" || len(imported.Others) != 1 {
		t.Fatalf("imported tree: %+v", imported)
	}
}
