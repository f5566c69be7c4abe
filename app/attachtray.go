package app

import (
	"bytes"
	"fmt"
	"image"
	"maps"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/attach"
	"github.com/azchat/azchat/settings"
)

// thumbSide is the longer side of a thumbnail, in pixels.
const thumbSide = 96

// draft holds the attachments of the message being written: one chip per
// file above the input, with what it will cost before it is sent.
type draft struct {
	u     *UI
	items []*draftItem
	box   *fyne.Container
	root  *fyne.Container
	// imageB attaches images, fileB text files; imageB is disabled, with
	// the reason in its tooltip, for a model that sees no images.
	imageB, fileB *tipButton
	// reading counts batches of files still being read (tests wait for
	// it); sendWhenRead is set when Send was pressed meanwhile.
	reading      int
	sendWhenRead bool
	// readChat is the chat on screen when Send was pressed: another one
	// opened meanwhile leaves the message in the input.
	readChat string
	// model is the model the chips' costs were given for.
	model string
	// pending are the paths of files still being read, by batch: kept
	// with the draft (at quit, as typed) before they are in the tray.
	pending  map[int][]string
	batchSeq int
}

// draftItem is one attached file and its chip.
type draftItem struct {
	att   chat.Attachment
	thumb image.Image
	// path is where the file was read from ("" for one given back from a
	// message not sent): kept with the draft at quit, read again at start.
	path string
	// textTokens is the counted cost of a text file's block, -1 while it
	// is being counted.
	textTokens int
	label      *widget.Label
}

func newDraft(u *UI) *draft {
	d := &draft{u: u}
	d.box = container.NewHBox()
	d.root = container.NewStack(container.NewHScroll(d.box))
	d.root.Hide()
	d.imageB = newTipButton(u.tips, theme.MediaPhotoIcon(), "Attach images (PNG, JPEG, GIF, WEBP) — or drop them on the window", func() { d.choose(true) })
	d.fileB = newTipButton(u.tips, theme.FileTextIcon(), "Attach text files (code, Markdown, CSV, JSON …) for the model to read", func() { d.choose(false) })
	return d
}

// choose opens the file dialog for images or text files.
func (d *draft) choose(images bool) {
	dlg := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		// What is typed next goes in the message box, the file chosen or
		// not (the attach button let the keys go as it was pressed).
		d.u.focusSoon(d.u.input)
		if err != nil || r == nil {
			return
		}
		uri := r.URI()
		_ = r.Close()
		if uri.Scheme() == "file" {
			d.u.rememberFolder(settings.FolderAttach, filepath.Dir(uri.Path()))
		}
		d.add([]fyne.URI{uri})
	}, d.u.win)
	filter := regularFiles{}
	if images {
		filter.names = storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".PNG", ".JPG", ".JPEG", ".GIF", ".WEBP"})
	}
	dlg.SetFilter(filter)
	showFileDialog(d.u.win, dlg, d.u.attachDir)
}

// showFileDialog shows a file dialog over win at dir (if set and still
// there), at a size where names and icons can be read; Esc closes it, as
// its Cancel does.
func showFileDialog(win fyne.Window, dlg *dialog.FileDialog, dir string) {
	if dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			dlg.SetLocation(l)
		}
	}
	// Shown first: Fyne 2.8's file dialog makes its window in Show, and
	// Resize before it dereferences that window (a crash).
	showEscapable(win, dlg)
	dlg.Resize(fyne.NewSize(760, 520))
}

// dropped attaches files dropped on the window (drag and drop from a
// file manager); each is read and checked off the UI thread.
func (u *UI) dropped(_ fyne.Position, uris []fyne.URI) {
	u.draft.add(uris)
}

// add reads files (dropped or chosen) off the UI thread and adds a chip
// for each one that can be sent; the others are named in one message.
func (d *draft) add(uris []fyne.URI) {
	var paths []string
	var refused []string
	for _, u := range uris {
		if u.Scheme() != "file" {
			refused = append(refused, u.String()+": only files on this computer can be attached")
			continue
		}
		paths = append(paths, u.Path())
	}
	d.reading++
	d.batchSeq++
	batch := d.batchSeq
	if d.pending == nil {
		d.pending = map[int][]string{}
	}
	d.pending[batch] = paths
	vision, model := d.vision()
	room := chat.MaxImagesPerRequest - d.images()
	textRoom := chat.MaxTextPerMessage - d.textBytes()
	go func() {
		var read []draftItem
		for _, p := range paths {
			a, err := attach.Read(p, "")
			if err != nil {
				refused = append(refused, err.Error())
				continue
			}
			if a.Kind == chat.TextAttachment {
				// Refused here, before it is counted: hundreds of files
				// dropped at once were all counted before push refused them.
				if len(a.Text) > textRoom {
					refused = append(refused, textCapMessage(a.Name))
					continue
				}
				textRoom -= len(a.Text)
			}
			if a.Kind == chat.ImageAttachment {
				if !vision {
					refused = append(refused, fmt.Sprintf("%s: %s does not take images", a.Name, model))
					continue
				}
				if room == 0 {
					refused = append(refused, fmt.Sprintf("%s: a message takes at most %d images", a.Name, chat.MaxImagesPerRequest))
					continue
				}
			}
			it, err := prepare(a, model)
			if err != nil {
				refused = append(refused, named(err, a.Name))
				continue
			}
			if a.Kind == chat.ImageAttachment {
				room--
			}
			it.path = p
			read = append(read, it)
		}
		d.u.bridge.push(func() {
			delete(d.pending, batch)
			d.land(read, refused, "Not attached")
		})
	}()
}

// readDone sends the message whose Send was pressed while its files were
// still being read, once they all are: into the chat it was written in
// (another chat opened meanwhile, or quitting, leaves it in the input, as
// a message waiting for the connection does).
func (d *draft) readDone() {
	if d.reading == 0 && d.sendWhenRead {
		d.sendWhenRead = false
		if d.u.conv.ID == d.readChat && !d.u.quitting {
			d.u.send()
		}
	}
}

// push adds one read file, unless the message has it already (its content
// under any name) or already has as many images or as much text as a
// request may carry; it returns why not.
func (d *draft) push(it draftItem) string {
	if it.att.Kind == chat.ImageAttachment && d.images() >= chat.MaxImagesPerRequest {
		return fmt.Sprintf("%s: a message takes at most %d images", it.att.Name, chat.MaxImagesPerRequest)
	}
	// The same file twice (from both buttons, or dropped again) would be
	// sent, and paid for, twice.
	if x := d.holding(it.att); x != nil {
		if x.att.Name == it.att.Name {
			return it.att.Name + " is attached already"
		}
		return it.att.Name + " is attached already, as " + x.att.Name
	}
	if it.att.Kind == chat.TextAttachment && d.textBytes()+len(it.att.Text) > chat.MaxTextPerMessage {
		return textCapMessage(it.att.Name)
	}
	item := &it
	item.label = widget.NewLabel("")
	d.items = append(d.items, item)
	var icon fyne.CanvasObject
	if it.thumb != nil {
		img := canvas.NewImageFromImage(it.thumb)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(40, 40))
		icon = img
	} else {
		icon = widget.NewIcon(theme.FileTextIcon())
	}
	var chip *fyne.Container
	remove := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { d.remove(item, chip) })
	remove.Importance = widget.LowImportance
	chip = container.NewHBox(icon, item.label, remove)
	d.box.Add(chip)
	d.label(item)
	return ""
}

// holding is the draft's file with a's content (under any name), or nil.
// Empty files are all alike, and none is taken for another.
func (d *draft) holding(a chat.Attachment) *draftItem {
	if len(a.Text)+len(a.Data) == 0 {
		return nil
	}
	for _, x := range d.items {
		if x.att.Kind == a.Kind && x.att.Text == a.Text && bytes.Equal(x.att.Data, a.Data) {
			return x
		}
	}
	return nil
}

func (d *draft) remove(it *draftItem, chip *fyne.Container) {
	for i, x := range d.items {
		if x == it {
			d.items = append(d.items[:i], d.items[i+1:]...)
			break
		}
	}
	d.box.Remove(chip)
	d.changed()
}

// textCapMessage says why the text file name was not attached.
func textCapMessage(name string) string {
	return fmt.Sprintf("%s: a message takes at most %d MB of text files in all (more than any model reads at once)", name, chat.MaxTextPerMessage>>20)
}

// files are the paths of the files attached to the draft that were read
// from a file, and of those still being read (kept with the draft).
func (d *draft) files() []string {
	var out []string
	for _, it := range d.items {
		if it.path != "" {
			out = append(out, it.path)
		}
	}
	for _, b := range slices.Sorted(maps.Keys(d.pending)) {
		out = append(out, d.pending[b]...)
	}
	return out
}

// addFiles attaches the files at paths again, as when they are dropped.
func (d *draft) addFiles(paths []string) {
	uris := make([]fyne.URI, 0, len(paths))
	for _, p := range paths {
		uris = append(uris, storage.NewFileURI(p))
	}
	d.add(uris)
}

// textBytes is the size of the text files attached to the draft.
func (d *draft) textBytes() int {
	n := 0
	for _, it := range d.items {
		if it.att.Kind == chat.TextAttachment {
			n += len(it.att.Text)
		}
	}
	return n
}

func (d *draft) images() int {
	n := 0
	for _, it := range d.items {
		if it.att.Kind == chat.ImageAttachment {
			n++
		}
	}
	return n
}

// changed updates the chips' costs, shows the tray when it holds
// anything, and recounts the meter with the attachments.
func (d *draft) changed() {
	for _, it := range d.items {
		d.label(it)
	}
	d.root.Hidden = len(d.items) == 0
	d.root.Refresh()
	d.u.scheduleCheck()
}

// attachments returns what the message will carry, its images at the
// chat's detail.
func (d *draft) attachments() []chat.Attachment {
	out := make([]chat.Attachment, 0, len(d.items))
	for _, it := range d.items {
		a := it.att
		if a.Kind == chat.ImageAttachment {
			a.Detail = d.detail()
		}
		out = append(out, a)
	}
	return out
}

// detail is the chat's image detail (auto unless set).
func (d *draft) detail() chat.Detail {
	if v := d.u.conv.Overrides.Detail; v != "" {
		return v
	}
	return chat.DetailAuto
}

// clear empties the tray after a send.
func (d *draft) clear() {
	d.items = nil
	d.box.RemoveAll()
	d.changed()
}

// restore puts back the attachments of a message that was not sent,
// after any attached since.
func (d *draft) restore(atts []chat.Attachment) {
	// Those already in the tray are not added again (Edit message
	// pressed twice).
	atts = slices.DeleteFunc(slices.Clone(atts), func(a chat.Attachment) bool {
		return slices.ContainsFunc(d.items, func(it *draftItem) bool { return sameAttachment(it.att, a) })
	})
	if len(atts) == 0 {
		return
	}
	model := d.u.ctl.Model()
	d.reading++
	go func() {
		items := make([]draftItem, len(atts))
		for i, a := range atts {
			// Accepted once already: a thumbnail that fails now shows
			// the image's icon instead.
			items[i], _ = prepare(a, model)
			items[i].att = a
		}
		d.u.bridge.push(func() { d.land(items, nil, "Not attached again") })
	}()
}

// sameAttachment reports whether a and b are the same file's content
// under the same name.
func sameAttachment(a, b chat.Attachment) bool {
	return a.Kind == b.Kind && a.Name == b.Name && a.Text == b.Text && bytes.Equal(a.Data, b.Data)
}

// prepare is what a chip needs of a file, made off the UI thread: an
// image's thumbnail (decoded now: an image whose header is fine but whose
// data is damaged would be refused by the API only after the upload), a
// text file's exact cost for model.
func prepare(a chat.Attachment, model string) (draftItem, error) {
	it := draftItem{att: a, textTokens: -1}
	if a.Kind != chat.ImageAttachment {
		it.textTokens = countBlock(model, &a)
		return it, nil
	}
	var err error
	it.thumb, err = attach.Thumbnail(a.Data, thumbSide)
	return it, err
}

// land adds files read off the UI thread to the tray, on it, and says
// which could not be attached (title names the message).
func (d *draft) land(items []draftItem, refused []string, title string) {
	d.reading--
	for i := range items {
		if msg := d.push(items[i]); msg != "" {
			refused = append(refused, msg)
		}
	}
	d.changed()
	if len(refused) > 0 {
		showNotice(d.u.win, dialog.NewInformation(title, refusalText(refused), d.u.win))
	}
	d.readDone()
}
