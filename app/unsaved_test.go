package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/internal/smalldisk"
	"github.com/azchat/azchat/internal/testwait"
)

// TestSearchHitInTheOpenChatKeepsWhatIsUnsaved: with the disk full, a
// question and its answer are only in memory. Opening a search hit in
// that same chat read it from the history and replaced the copy in
// memory, and Retry then saved the older chat: the turn was gone, and the
// banner said the history was saved again.
func TestSearchHitInTheOpenChatKeepsWhatIsUnsaved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "small")
	smalldisk.Mount(t, dir, "2m")
	dbPath := filepath.Join(dir, "history.db")
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) {
		c.OpenHistory = func() (*history.Store, error) { return history.Open(dbPath) }
	})
	h.send("first question about quotas")
	filler := smalldisk.Fill(t, dir)
	h.send("second question")
	testwait.Until(t, 10*time.Second, "the second turn's write to fail", func() bool { return h.u.ctl.Unsaved() })
	var id string
	h.ui(func() {
		id = h.u.conv.ID
		test.Type(h.u.side.search, "quotas")
	})
	var hit *sideItem
	testwait.Until(t, 10*time.Second, "a search hit", func() bool {
		h.ui(func() {
			for i, it := range h.u.side.items {
				if it.id == id && it.node > 0 {
					hit = &h.u.side.items[i]
				}
			}
		})
		return hit != nil
	})
	h.ui(func() { h.u.side.open(*hit) })
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 4 || h.u.msgs[2].Content != "second question" || h.u.highlight != int(hit.node)-1 {
			t.Fatalf("after opening the hit: %d messages on screen, highlight %d", len(h.u.msgs), h.u.highlight)
		}
	})
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := h.u.ctl.SaveNow(); err != nil {
		t.Fatal(err)
	}
	saved, err := h.u.history.Load(id)
	if err != nil || len(saved.Messages) != 4 || !strings.Contains(saved.Messages[2].Content, "second question") {
		t.Fatalf("saved after Retry: %v, %+v", err, saved)
	}
}
