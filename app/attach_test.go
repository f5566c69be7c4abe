package app

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/attach"
	"github.com/azchat/azchat/internal/fakeazure"
)

// writePNG writes a w×h PNG into dir and returns its path.
func writePNG(t *testing.T, dir, name string, w, h int) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// drop hands files to the window's drop handler, as the driver does when
// files are dropped from a file manager (Fyne's test window cannot
// synthesise an OS drop), and waits until they are read.
func (h *harness) drop(paths ...string) {
	var uris []fyne.URI
	for _, p := range paths {
		uris = append(uris, storage.NewFileURI(p))
	}
	h.ui(func() { h.u.dropped(fyne.NewPos(10, 10), uris) })
	waitUntil(h.t, func() bool {
		done := false
		h.ui(func() { done = h.u.draft.reading == 0 })
		return done
	})
	h.settle()
}

func (h *harness) chips() []string {
	var out []string
	h.ui(func() {
		for _, it := range h.u.draft.items {
			out = append(out, it.label.Text)
		}
	})
	return out
}

func TestDroppedImageShowsItsCostAndIsSent(t *testing.T) {
	h := newHarness(t, true)
	h.send("hello") // the model (gpt-4o) is learnt from the answer
	var before int
	h.ui(func() { before = h.u.budget.Used })
	dir := t.TempDir()
	h.drop(writePNG(t, dir, "screen.png", 1024, 1024))
	chips := h.chips()
	if len(chips) != 1 || !strings.Contains(chips[0], "screen.png · 1024×1024") || !strings.Contains(chips[0], "up to 765 tokens") {
		t.Fatalf("chips = %q (gpt-4o, detail auto: at most 765 tokens)", chips)
	}
	// The meter counts the image before it is sent: a message with no
	// text (3 tokens, and 1 for the role "user") plus the image's 765.
	h.ui(func() {
		if got := h.u.budget.Used - before; got != 3+1+765 {
			t.Fatalf("the meter grew by %d tokens with the image, want %d", got, 3+1+765)
		}
		if h.u.draft.root.Hidden {
			t.Fatal("the attachment tray is hidden")
		}
	})
	// Low detail, chosen in the chat's settings: the base alone.
	h.ui(func() {
		cs := h.u.showChatSettings()
		if cs.detail == nil || cs.detail.Selected != detailAuto {
			t.Fatalf("the chat settings offer no image detail, or not auto by default")
		}
		cs.detail.SetSelected("low")
		cs.apply(h.u)
		cs.d.Hide()
	})
	h.settle()
	if chips := h.chips(); !strings.Contains(chips[0], "85 tokens") || strings.Contains(chips[0], "up to") {
		t.Fatalf("low detail chip = %q", chips)
	}
	h.send("What is on my screen?")
	reqs := h.srv.Requests()
	msgs, _ := reqs[len(reqs)-1].Body["messages"].([]any)
	last, _ := msgs[len(msgs)-1].(map[string]any)
	parts, _ := last["content"].([]any)
	if len(parts) != 2 {
		t.Fatalf("content = %.200v", last["content"])
	}
	img, _ := parts[1].(map[string]any)
	url, _ := img["image_url"].(map[string]any)
	if u, _ := url["url"].(string); !strings.HasPrefix(u, "data:image/png;base64,") || url["detail"] != "low" {
		t.Fatalf("image part = %.120v", img)
	}
	h.ui(func() {
		if len(h.u.draft.items) != 0 || !h.u.draft.root.Hidden {
			t.Fatal("the tray was not emptied by the send")
		}
	})
	// The question shows its image as a thumbnail; tapping opens it.
	id := 2
	waitUntil(t, func() bool {
		r := h.row(id)
		ready := false
		h.ui(func() { ready = strings.Contains(r.filesKey, ":true:") })
		return ready
	})
	r := h.row(id)
	var tile *tapArea
	h.ui(func() {
		for _, o := range test.LaidOutObjects(r.files) {
			if a, ok := o.(*tapArea); ok {
				tile = a
			}
		}
	})
	if tile == nil || !strings.Contains(tile.label, "screen.png (1024×1024)") {
		t.Fatalf("no thumbnail in the row: %+v", tile)
	}
	h.ui(func() { test.Tap(tile) })
	waitUntil(t, func() bool {
		n := 0
		h.ui(func() { n = len(h.u.imageWindows) })
		return n == 1
	})
}

func TestAttachedTextFileIsSentAndOpensInTheTranscript(t *testing.T) {
	h := newHarness(t, true)
	dir := t.TempDir()
	p := filepath.Join(dir, "main.go")
	src := "package main\n\nfunc main() {}\n"
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	h.drop(p)
	if chips := h.chips(); len(chips) != 1 || !strings.HasPrefix(chips[0], "main.go\n") || !strings.HasSuffix(chips[0], " tokens") {
		t.Fatalf("chips = %q", chips)
	}
	h.send("Review this")
	reqs := h.srv.Requests()
	msgs, _ := reqs[len(reqs)-1].Body["messages"].([]any)
	last, _ := msgs[len(msgs)-1].(map[string]any)
	if want := "Review this\n\n" + chat.FileBlock("main.go", "go", src); last["content"] != want {
		t.Fatalf("content = %q, want %q", last["content"], want)
	}
	r := h.row(0)
	var chip *widget.Button
	h.ui(func() {
		for _, o := range r.files.Objects {
			if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, "main.go") {
				chip = b
			}
		}
	})
	if chip == nil {
		t.Fatal("no chip for main.go in the row")
	}
	h.ui(func() { test.Tap(chip) })
	h.settle()
	r = h.row(0)
	shown := false
	h.ui(func() {
		for _, o := range r.files.Objects {
			if l, ok := o.(*widget.Label); ok && l.Text == strings.TrimSuffix(src, "\n") {
				shown = true
			}
		}
	})
	if !shown {
		t.Fatal("the chip did not open to the file's content")
	}
}

// TestTheSameFileIsAttachedOnce: a file dropped again, or its copy under
// another name, is not attached a second time (it would be sent and paid
// for twice), and the user is told.
func TestTheSameFileIsAttachedOnce(t *testing.T) {
	h := newHarness(t, true)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "notes.txt"), filepath.Join(dir, "copy.txt")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("the same notes\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h.drop(a)
	h.drop(a, b)
	if chips := h.chips(); len(chips) != 1 {
		t.Fatalf("chips = %q", chips)
	}
	var told string
	h.ui(func() {
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "attached already") {
				told = l.Text
			}
		}
	})
	if !strings.Contains(told, "notes.txt is attached already") || !strings.Contains(told, "copy.txt is attached already, as notes.txt") {
		t.Fatalf("told %q", told)
	}
}

func TestImagesNeedAVisionModel(t *testing.T) {
	h := newHarnessWith(t, true, func(s *fakeazure.Server) {
		s.Deployments = map[string]fakeazure.Deployment{"gpt-4o": {Model: "gpt-35-turbo"}}
	})
	h.send("hello") // learns gpt-35-turbo
	h.ui(func() {
		if !h.u.draft.imageB.Disabled() || !strings.Contains(h.u.draft.imageB.Tip(), "gpt-35-turbo does not take images") {
			t.Fatalf("image button: disabled %v, tip %q", h.u.draft.imageB.Disabled(), h.u.draft.imageB.Tip())
		}
		if h.u.draft.fileB.Disabled() {
			t.Fatal("text files are refused too")
		}
		// The reason shows when the pointer rests on the disabled button,
		// and goes when it leaves.
		h.u.draft.imageB.MouseIn(&desktop.MouseEvent{})
		if tip := h.u.tips.shown(); !strings.Contains(tip, "gpt-35-turbo does not take images") {
			t.Fatalf("tooltip on hover = %q", tip)
		}
		h.u.draft.imageB.MouseOut()
		if tip := h.u.tips.shown(); tip != "" {
			t.Fatalf("tooltip after the pointer left = %q", tip)
		}
	})
	h.drop(writePNG(t, t.TempDir(), "a.png", 8, 8))
	if chips := h.chips(); len(chips) != 0 {
		t.Fatalf("an image was attached for gpt-35-turbo: %q", chips)
	}
}

func TestShownPartOfAFile(t *testing.T) {
	long := strings.Repeat("line\n", 1000)
	shown, more := shownPart(long)
	if shown != strings.Repeat("line\n", maxShownLines) || more != len(long)-len(shown) {
		t.Fatalf("1,000 lines: shown %d bytes, %d more", len(shown), more)
	}
	wide := strings.Repeat("é", maxShownBytes) // one line, twice the byte cap
	shown, more = shownPart(wide)
	if len(shown) > maxShownBytes || !utf8.ValidString(shown) || more != len(wide)-len(shown) {
		t.Fatalf("one long line: shown %d bytes (valid %v), %d more", len(shown), utf8.ValidString(shown), more)
	}
	if shown, more := shownPart("short"); shown != "short" || more != 0 {
		t.Fatalf("short: %q %d", shown, more)
	}
}

// A model azchat does not know may see images: they are attached and
// their cost is labelled an estimate by gpt-4o's rule.
func TestUnknownModelImageCostIsAnEstimate(t *testing.T) {
	h := newHarnessWith(t, true, func(s *fakeazure.Server) {
		s.Deployments = map[string]fakeazure.Deployment{"gpt-4o": {Model: "contoso-vision-1"}}
	})
	h.send("hello") // learns contoso-vision-1
	h.drop(writePNG(t, t.TempDir(), "a.png", 1024, 1024))
	chips := h.chips()
	if len(chips) != 1 || !strings.Contains(chips[0], "up to about 765 tokens") || !strings.Contains(chips[0], "estimate by gpt-4o's rule") {
		t.Fatalf("chips = %q", chips)
	}
}

// An image whose header reads but whose data is damaged is refused when
// it is attached, not by the API after the upload.
func TestDamagedImageIsRefused(t *testing.T) {
	h := newHarness(t, true)
	p := writePNG(t, t.TempDir(), "cut.png", 300, 200)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	h.drop(p)
	if chips := h.chips(); len(chips) != 0 {
		t.Fatalf("a damaged image was attached: %q", chips)
	}
}

// TestTheViewerShowsALargeImageScaledDown: an image wider than the largest
// texture a graphics driver takes showed as a blank window, and a large
// one froze the window while Fyne converted it on the UI thread. It is
// scaled to maxViewSide off the UI thread, and the title says so. It is
// fitted to the window first (a photo showed a corner of itself at 100%),
// a click shows it at its size, scrolled, and a second fits it again.
func TestTheViewerShowsALargeImageScaledDown(t *testing.T) {
	h := newHarness(t, true)
	fitted := h.viewFitted(writePNG(t, t.TempDir(), "wide.png", 10_000, 20))
	h.ui(func() {
		w := h.u.imageWindows[0]
		shown := fitted.content.(*canvas.Image)
		b := shown.Image.Bounds()
		if b.Dx() != maxViewSide || b.Dy() != 8 || shown.FillMode != canvas.ImageFillContain {
			t.Fatalf("shown at %v (fill %v), want %d×8 fitted", b.Size(), shown.FillMode, maxViewSide)
		}
		if title := w.Title(); title != "wide.png — fitted to the window; click for full size (reduced to 40% to be shown)" {
			t.Fatalf("title %q", title)
		}
		test.Tap(fitted)
		s, ok := w.Content().(*container.Scroll)
		if !ok {
			t.Fatalf("after a click: %T", w.Content())
		}
		if img := s.Content.(*tapArea).content.(*canvas.Image); img.FillMode != canvas.ImageFillOriginal || !strings.Contains(w.Title(), "— full size; click to fit the window (reduced to 40%") {
			t.Fatalf("after a click: fill %v, title %q", img.FillMode, w.Title())
		}
		w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace})
		if _, ok := w.Content().(*tapArea); !ok {
			t.Fatalf("after Space: %T", w.Content())
		}
		w.Close()
	})
	// An image the window holds whole is shown at its size, not enlarged.
	small, err := attach.Read(writePNG(t, t.TempDir(), "icon.png", 64, 48), chat.DetailAuto)
	if err != nil {
		t.Fatal(err)
	}
	h.ui(func() { h.u.viewImage(small) })
	var shown *canvas.Image
	waitUntil(t, func() bool {
		h.ui(func() {
			if c, ok := h.u.imageWindows[0].Content().(*fyne.Container); ok && len(c.Objects) == 1 {
				shown, _ = c.Objects[0].(*canvas.Image)
			}
		})
		return shown != nil
	})
	h.ui(func() {
		if shown.FillMode != canvas.ImageFillOriginal || h.u.imageWindows[0].Title() != "icon.png" {
			t.Fatalf("a small image: fill %v, title %q", shown.FillMode, h.u.imageWindows[0].Title())
		}
		h.u.imageWindows[0].Close()
	})
}

// TestTextFilesAreBoundedPerMessage: dropping many text files put them all
// in the draft (hundreds of megabytes, counted again at each pause in
// typing); a message takes 8 MB of them in all, and the files past that
// are named in a message that stays the size of a few lines however many
// there are.
func TestTextFilesAreBoundedPerMessage(t *testing.T) {
	h := newHarness(t, true)
	dir := t.TempDir()
	line := strings.Repeat("the same line of text, again\n", 1<<10) // 29 KB
	body := strings.Repeat(line, (1900<<10)/len(line))              // about 1.9 MB
	var paths []string
	for i := range 6 {
		p := filepath.Join(dir, fmt.Sprintf("part%d.txt", i))
		// Each its own (the same content twice is attached once).
		if err := os.WriteFile(p, []byte(body[:len(body)-1]+strconv.Itoa(i)), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	h.drop(paths...)
	if chips := h.chips(); len(chips) != 8<<20/len(body) {
		t.Fatalf("%d files attached, want %d (8 MB of %d-byte files)", len(chips), 8<<20/len(body), len(body))
	}
	var told string
	h.ui(func() {
		top := h.u.win.Canvas().Overlays().Top()
		for _, o := range test.LaidOutObjects(top) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "at most 8 MB of text files") {
				told = l.Text
			}
		}
	})
	if !strings.Contains(told, "part4.txt") || !strings.Contains(told, "part5.txt") {
		t.Fatalf("the files left out are not named: %q", told)
	}
}

// TestRefusalTextIsBounded: one line a file, at most eight, then a count.
func TestRefusalTextIsBounded(t *testing.T) {
	var refused []string
	for i := range 40 {
		refused = append(refused, fmt.Sprintf("photo%d.heic: HEIC images cannot be sent\nforged line", i))
	}
	lines := strings.Split(refusalText(refused), "\n")
	if len(lines) != maxRefusalsShown+1 || lines[maxRefusalsShown] != "… and 32 more" || !strings.HasPrefix(lines[0], "photo0.heic") || strings.Contains(lines[0], "\n") {
		t.Fatalf("refusal text:\n%s", strings.Join(lines, "\n"))
	}
	if got := refusalText(refused[:2]); strings.Count(got, "\n") != 1 {
		t.Fatalf("two refusals: %q", got)
	}
}

// TestAttachButtonsOpenTheFilePicker: each attach button opens a file
// dialog over the window. (Sized before it was shown, Fyne 2.8's file
// dialog dereferenced its window before making it: a crash at each click,
// and the draft typed was lost with it.)
func TestAttachButtonsOpenTheFilePicker(t *testing.T) {
	h := newHarness(t, true)
	for _, b := range []*tipButton{h.u.draft.imageB, h.u.draft.fileB} {
		var opened bool
		h.ui(func() {
			c := h.u.win.Canvas()
			before := c.Overlays().Top()
			test.Tap(b)
			top := c.Overlays().Top()
			opened = top != nil && top != before
			// Esc closes it, as its Cancel does.
			c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if c.Overlays().Top() == top && top != nil {
				t.Errorf("%q: Esc left the file dialog open", b.Tip())
				c.Overlays().Remove(top)
			}
		})
		if !opened {
			t.Fatalf("%q: no file dialog", b.Tip())
		}
	}
}

// TestTheMeterCountsTheDraftInTheChatOpened: text and an image left in
// the message box count in the chat opened next (the meter counted the
// box empty until a key was typed).
func TestTheMeterCountsTheDraftInTheChatOpened(t *testing.T) {
	h := newHarness(t, true)
	h.send("a first chat")
	h.drop(writePNG(t, t.TempDir(), "big.png", 2000, 1000))
	h.ui(func() { test.Type(h.u.input, "about this picture") })
	h.settle()
	used := func() (n int) {
		h.ui(func() {
			f := strings.Fields(strings.ReplaceAll(h.u.meter.Text, ",", ""))
			if len(f) > 0 {
				n, _ = strconv.Atoi(f[0])
			}
		})
		return n
	}
	before := used()
	h.ui(func() { h.u.newChat() })
	h.settle()
	if got := used(); got < 500 || before < 500 {
		t.Fatalf("the meter counts %d tokens in the new chat, %d before (an image of 2000×1000 is over 700)", got, before)
	}
}

// TestTabLeavesTheMessageBox: the message box does not take Tab (the
// driver then moves the focus on), so a keyboard can reach the rest.
func TestTabLeavesTheMessageBox(t *testing.T) {
	h := newHarness(t, true)
	var box fyne.Tabbable = h.u.input
	if box.AcceptsTab() {
		t.Fatal("the message box takes Tab")
	}
}

// TestTextLinesCountsLinesNotBreaks: a file's last line break ends its
// last line (a 2-line file said "3 lines").
func TestTextLinesCountsLinesNotBreaks(t *testing.T) {
	for text, want := range map[string]int{"": 0, "one": 1, "one\n": 1, "one\ntwo\n": 2, "one\ntwo": 2, "\n": 1, "a\n\nb\n": 3} {
		if got := textLines(text); got != want {
			t.Errorf("%q: %d lines, want %d", text, got, want)
		}
	}
}
