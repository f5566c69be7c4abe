package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/export"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
)

func TestExportAndImport(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "| a | b |\n|---|---|\n| 1 | 2 |"})
	h.send("table please")
	dir := t.TempDir()
	var conv *chat.Conversation
	h.ui(func() { conv = h.u.conversationNow() })
	h.u.ctl.Wait()
	h.u.ctl.Flush()
	data, err := export.Render(conv, export.JSON)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "chat.json")
	if err := export.WriteFile(path, data); err != nil {
		t.Fatal(err)
	}
	// The export of the chat on screen is that chat: found, not added.
	imported, already, err := importFile(path, h.u.history)
	if err != nil || !already || len(imported.Messages) != 2 || imported.ID != conv.ID {
		t.Fatalf("import of the chat's own export: %+v already %v, %v", imported, already, err)
	}
	// From the window: with the chat on screen, it is not read again over
	// it; from another chat, that chat opens.
	status := func() (text, id string) {
		h.ui(func() { text, id = h.u.connLabel.Text, h.u.conv.ID })
		return
	}
	h.importConfirmed(path)
	waitUntil(t, func() bool { s, _ := status(); return strings.Contains(s, "is the chat on screen (nothing imported)") })
	h.ui(h.u.newChat)
	h.importConfirmed(path)
	waitUntil(t, func() bool {
		s, id := status()
		return strings.Contains(s, "is this chat (nothing imported)") && id == conv.ID
	})
	// Changed, it is a chat of its own.
	if err := export.WriteFile(path, []byte(strings.ReplaceAll(string(data), "table please", "a table, please"))); err != nil {
		t.Fatal(err)
	}
	imported, already, err = importFile(path, h.u.history)
	if err != nil || already || len(imported.Messages) != 2 || imported.ID == conv.ID {
		t.Fatalf("import of a changed export: %+v already %v, %v", imported, already, err)
	}
	if err := os.WriteFile(path, []byte(`[{"role":"user"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := importFile(path, h.u.history); err == nil || !strings.Contains(err.Error(), "message 1") {
		t.Fatalf("bad file: %v", err)
	}
	if list, _ := h.u.history.List(0, 0); len(list) != 2 {
		t.Fatalf("%d conversations after importing the chat's own export, a changed one and a bad file", len(list))
	}
}

// TestImportWhileAnswering: a file imported while an answer is written is
// added and listed, the answer goes on in the window, and the note says
// where the chat is.
func TestImportWhileAnswering(t *testing.T) {
	h := newHarness(t, true)
	path := filepath.Join(t.TempDir(), "other.json")
	if err := os.WriteFile(path, []byte(`[{"role":"user","content":"imported question"},{"role":"assistant","content":"imported answer"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	gate := make(chan struct{})
	defer close(gate)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("words ", 600), TokensPerSecond: 300, Gate: gate, GateAfter: 20})
	h.ui(func() {
		test.Type(h.u.input, "stream please")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool { return h.u.ctl.Busy() && h.u.ctl.ConversationID() != "" })
	answering := h.u.ctl.ConversationID()
	h.importConfirmed(path)
	waitUntil(t, func() bool {
		var s string
		h.ui(func() { s = h.u.connLabel.Text })
		return strings.Contains(s, "Imported other.json: open it from the list once the answer ends")
	})
	if id := h.u.ctl.ConversationID(); id != answering || !h.u.ctl.Busy() {
		t.Fatalf("the window left the answer: chat %q (was %q), busy %v", id, answering, h.u.ctl.Busy())
	}
	waitUntil(t, func() bool {
		var n int
		h.ui(func() { n = len(h.u.side.items) })
		return n == 2
	})
}

// importConfirmed imports the file at path as File → Import… does once a
// file is chosen, answering its question with Import.
func (h *harness) importConfirmed(path string) {
	h.t.Helper()
	var q *dialog.ConfirmDialog
	h.ui(func() { h.u.importQuestion = nil; h.u.importPath(path) })
	waitUntil(h.t, func() bool {
		h.ui(func() { q = h.u.importQuestion })
		return q != nil
	})
	h.ui(q.Confirm)
}

// TestImportAsksFirst: a file chosen to import is named, with its chat's
// title and messages, before anything is added; Cancel adds nothing.
func TestImportAsksFirst(t *testing.T) {
	h := newHarness(t, true)
	path := filepath.Join(t.TempDir(), "b-good.json")
	if err := os.WriteFile(path, []byte(`{"format":"azchat.conversation","version":1,"title":"Trip plans","messages":[{"role":"user","content":"where to?"},{"role":"assistant","content":"Lisbon."}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	h.ui(func() { h.u.importPath(path) })
	var text string
	waitUntil(t, func() bool {
		h.ui(func() {
			if h.u.importQuestion != nil {
				text = strings.Join(visibleTexts(h.u.win.Canvas().Overlays().Top()), " ")
			}
		})
		return text != ""
	})
	if !strings.Contains(text, "Import this chat?") || !strings.Contains(text, "“Trip plans”, 2 messages, from b-good.json.") {
		t.Fatalf("the question: %q", text)
	}
	h.ui(func() { h.u.importQuestion.Dismiss() })
	h.u.bridge.waitIdle()
	if list, _ := h.u.history.List(0, 0); len(list) != 0 {
		t.Fatalf("Cancel imported %d chats", len(list))
	}
	h.importConfirmed(path)
	waitUntil(t, func() bool { list, _ := h.u.history.List(0, 0); return len(list) == 1 })
}

// visibleTexts is the text of every label and rich text shown in o.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, c := range test.LaidOutObjects(o) {
		switch w := c.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		case *canvas.Text:
			out = append(out, w.Text)
		}
	}
	return out
}

// TestSidebarFindsWordsInAttachedFiles: a search hit in a file attached to
// a message (a long paste) is listed with the file's name.
func TestSidebarFindsWordsInAttachedFiles(t *testing.T) {
	h := newHarness(t, true)
	conv := &chat.Conversation{ID: chat.NewConversationID(), Messages: []*chat.Message{
		{Role: chat.User, Content: "what does the log say?", Status: chat.Complete, Time: time.Now(),
			Attachments: []chat.Attachment{{Kind: chat.TextAttachment, Name: "pasted-20261202.txt", Text: "INFO start\nERROR quux_init failed\nINFO end"}}},
		{Role: chat.Assistant, Content: "It failed.", Status: chat.Complete, Time: time.Now()},
	}}
	if err := h.u.history.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	h.ui(func() { test.Type(h.u.side.search, "quux_init") })
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() {
			ok = len(h.u.side.items) == 1 && strings.HasSuffix(h.u.side.items[0].snippet, " (in pasted-20261202.txt)") &&
				strings.Contains(h.u.side.items[0].snippet, "«quux_init»") && h.u.side.items[0].id == conv.ID
		})
		return ok
	})
}

// importFile parses a file and stores it as a new conversation, all or
// nothing (history's Import). already says the history held the file's
// chat before: conv is then that chat, as the history has it.
func importFile(path string, h *history.Store) (conv *chat.Conversation, already bool, err error) {
	conv, err = parseImport(path)
	if err != nil {
		return nil, false, err
	}
	return storeImported(conv, h)
}
