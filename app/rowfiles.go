package app

import (
	"errors"
	"fmt"
	"image"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/attach"
)

// maxShownLines and maxShownBytes are how much of an attached text file
// its opened chip shows in the transcript (the label is wrapped on the UI
// thread, and a 2 MB file in one label would hold it for seconds); the
// whole file was sent either way.
const (
	maxShownLines = 400
	maxShownBytes = 32 << 10
)

// thumbs holds the thumbnails made so far, by image SHA-256; they are
// decoded and scaled off the UI thread.
type thumbs struct {
	done    map[string]image.Image
	pending map[string]bool
	// one lets one image be decoded at a time: a chat of large photos
	// would otherwise decode them all at once (4 bytes a pixel each).
	one chan struct{}
}

// thumbKey names an image in the thumbnail cache.
func thumbKey(a *chat.Attachment) string {
	if a.SHA256 != "" {
		return a.SHA256
	}
	return fmt.Sprintf("%p", a.Data)
}

// thumb returns the thumbnail of a, or nil while it is being made; when
// it is ready the message's row is drawn again.
func (t *transcript) thumb(id int, a *chat.Attachment) image.Image {
	if t.thumbs.done == nil {
		t.thumbs.done, t.thumbs.pending = map[string]image.Image{}, map[string]bool{}
		t.thumbs.one = make(chan struct{}, 1)
	}
	key := thumbKey(a)
	if img, ok := t.thumbs.done[key]; ok {
		return img
	}
	if !t.thumbs.pending[key] {
		t.thumbs.pending[key] = true
		data, one := a.Data, t.thumbs.one
		go func() {
			one <- struct{}{}
			img, err := attach.Thumbnail(data, thumbSide)
			<-one
			if err != nil {
				img = nil
			}
			t.ui.bridge.push(func() {
				delete(t.thumbs.pending, key)
				t.thumbs.done[key] = img
				if id < len(t.ui.msgs) {
					if i := t.firstItem(id); i >= 0 {
						t.list.RefreshItem(i)
					}
				}
			})
		}()
	}
	return nil
}

// filesKey is what a row's attachment view depends on: which files, which
// thumbnails are ready and which text files are open.
func (t *transcript) filesKey(id int) string {
	m := &t.ui.msgs[id]
	if len(m.Attachments) == 0 {
		return ""
	}
	var b strings.Builder
	for i := range m.Attachments {
		a := &m.Attachments[i]
		ready := false
		if a.Kind == chat.ImageAttachment {
			_, ready = t.thumbs.done[thumbKey(a)]
		}
		fmt.Fprintf(&b, "%s:%s:%v:%v;", a.Name, a.SHA256, ready, t.ui.openFiles[[2]int{id, i}])
	}
	return b.String()
}

// fillFiles shows the message's attachments under its header: images as
// thumbnails (tap for full size), text files as chips that open to show
// their content.
func (t *transcript) fillFiles(r *row, id int, first bool) {
	// Most rows have no files: no key to build on every fill (a streaming
	// answer's row is filled on every redraw).
	key := ""
	if first && len(t.ui.msgs[id].Attachments) > 0 {
		key = fmt.Sprint(id, "|", t.generation, "|", t.filesKey(id))
	}
	if key == r.filesKey {
		return
	}
	r.filesKey = key
	r.files.Objects = nil
	if key == "" || len(t.ui.msgs[id].Attachments) == 0 {
		r.files.Hide()
		return
	}
	m := &t.ui.msgs[id]
	var images []fyne.CanvasObject
	var texts []fyne.CanvasObject
	for i := range m.Attachments {
		a := &m.Attachments[i]
		switch a.Kind {
		case chat.ImageAttachment:
			images = append(images, t.thumbTile(id, a))
		case chat.TextAttachment:
			texts = append(texts, t.textChip(id, i, a)...)
		}
	}
	if len(images) > 0 {
		grid := container.New(layout.NewGridWrapLayout(fyne.NewSize(thumbSide+8, thumbSide+8)), images...)
		// In line with the message's text, which starts a label's inner
		// padding in (the thumbnails started at the row's edge).
		r.files.Add(container.New(layout.NewCustomPaddedLayout(0, 0, theme.InnerPadding(), 0), grid))
	}
	r.files.Objects = append(r.files.Objects, texts...)
	r.files.Show()
	r.files.Refresh()
}

// thumbTile is one image of a message: its thumbnail, which opens the
// image at full size in a window of its own.
func (t *transcript) thumbTile(id int, a *chat.Attachment) fyne.CanvasObject {
	att := *a
	var content fyne.CanvasObject
	if img := t.thumb(id, a); img != nil {
		c := canvas.NewImageFromImage(img)
		c.FillMode = canvas.ImageFillContain
		content = c
	} else {
		content = widget.NewIcon(theme.MediaPhotoIcon())
	}
	return newTapArea(content, shownName(att.Name)+fmt.Sprintf(" (%d×%d)", att.Width, att.Height), func() { t.ui.viewImage(att) })
}

// textChip is a text file of a message: a button with its name that
// opens or closes its content below it.
func (t *transcript) textChip(id, i int, a *chat.Attachment) []fyne.CanvasObject {
	k := [2]int{id, i}
	open := t.ui.openFiles[k]
	lines := textLines(a.Text)
	icon := theme.MenuExpandIcon()
	if open {
		icon = theme.MenuDropDownIcon()
	}
	unit := "lines"
	if lines == 1 {
		unit = "line" // "hello.py · 1 lines"
	}
	b := widget.NewButtonWithIcon(fmt.Sprintf("%s · %s %s", shownName(a.Name), num(lines), unit), icon, func() {
		t.ui.openFiles[k] = !t.ui.openFiles[k]
		if item := t.firstItem(id); item >= 0 {
			t.list.RefreshItem(item)
		}
	})
	b.Importance = widget.LowImportance
	b.Alignment = widget.ButtonAlignLeading
	if !open {
		return []fyne.CanvasObject{b}
	}
	shown, more := shownPart(a.Text)
	// (The file's last line break ends its last line: no empty line after.)
	body := widget.NewLabel(drawableTabs(printableText(strings.TrimSuffix(shown, "\n"))))
	body.TextStyle.Monospace = true
	body.Wrapping = fyne.TextWrapBreak
	out := []fyne.CanvasObject{b, body}
	if more > 0 {
		note := newDimLabel(fmt.Sprintf("… %s more bytes (the whole file was sent)", num(more)))
		out = append(out, note)
	}
	return out
}

// textLines is how many lines a text file has: its last line need not
// end with a line break, and one that does starts no line of its own.
func textLines(s string) int {
	n := strings.Count(s, "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

// shownPart is the start of a file that its chip shows: at most
// maxShownLines lines and maxShownBytes bytes, cut at a line end (or a
// character boundary), and how many bytes are left out.
func shownPart(s string) (string, int) {
	cut, n := 0, 0
	for cut < len(s) && n < maxShownLines {
		i := strings.IndexByte(s[cut:], '\n')
		if i < 0 {
			cut = len(s)
			break
		}
		cut += i + 1
		n++
	}
	if cut > maxShownBytes {
		cut = maxShownBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut], len(s) - cut
}

// printableText keeps control characters (other than newline and tab) of
// an attached file from reaching the text renderer.
func printableText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return '\uFFFD'
		}
		return r
	}, s)
}

// maxViewSide is the longest side the image viewer shows an image at. It
// is scaled down to it off the UI thread: handed over whole, a photo of
// tens of megapixels was converted on the UI thread and uploaded as one
// texture (hundreds of megabytes, the window frozen meanwhile), and one
// wider than the graphics driver's largest texture (often 8,192 or 16,384
// pixels) showed as a blank window.
const maxViewSide = 4096

// viewImage opens an attached image in its own window, at full size up to
// maxViewSide; it is decoded and scaled off the UI thread.
func (u *UI) viewImage(a chat.Attachment) {
	name := shownName(a.Name)
	w := u.fyneApp.NewWindow(name)
	w.SetContent(widget.NewLabel("Opening " + name + "…"))
	w.Resize(fyne.NewSize(float32(min(max(a.Width, 320), 1200)), float32(min(max(a.Height, 240), 900))))
	w.Show()
	// Esc closes it, as a viewer's Esc does.
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			w.Close()
		}
	})
	w.SetOnClosed(func() {
		// Its decoded pixels (up to hundreds of megabytes) go with it.
		for i, x := range u.imageWindows {
			if x == w {
				u.imageWindows = append(u.imageWindows[:i], u.imageWindows[i+1:]...)
				break
			}
		}
	})
	go func() {
		var img image.Image
		var err error
		full := 0
		if len(a.Data) == 0 {
			err = errors.New("its bytes are not in this history (it was imported without them)")
		} else if img, err = attach.Thumbnail(a.Data, maxViewSide); err != nil {
			err = errors.New(named(err, name))
		} else {
			// The width read from the image itself (an imported one's
			// stored size may be missing or wrong).
			_, full, _, _ = attach.ImageInfo(a.Data)
		}
		u.bridge.push(func() {
			if err != nil {
				w.SetContent(widget.NewLabel(name + " cannot be shown: " + err.Error()))
				return
			}
			scaled := ""
			if b := img.Bounds(); full > b.Dx() {
				scaled = fmt.Sprintf(" (reduced to %d%% to be shown)", max(1, b.Dx()*100/full))
			}
			showZoomable(w, name, scaled, img)
		})
	}()
	u.imageWindows = append(u.imageWindows, w)
}

// tapArea makes any object tappable, with a description for tests.
type tapArea struct {
	widget.BaseWidget
	content fyne.CanvasObject
	label   string
	onTap   func()
	// onTapAt, if set, is told where the tap was instead.
	onTapAt func(fyne.Position)
}

func newTapArea(content fyne.CanvasObject, label string, onTap func()) *tapArea {
	a := &tapArea{content: content, label: label, onTap: onTap}
	a.ExtendBaseWidget(a)
	return a
}

// CreateRenderer draws the content.
func (a *tapArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.content) }

// Tapped runs the action.
func (a *tapArea) Tapped(e *fyne.PointEvent) {
	if a.onTapAt != nil {
		a.onTapAt(e.Position)
		return
	}
	a.onTap()
}

// shownName is an attachment's name as the window shows it: on one line
// and bounded (a history saved before imports bounded names may hold one
// of megabytes, which Fyne measures whole on the UI thread).
func shownName(name string) string { return chat.OneLine(name, 100) }
