// Package attach reads files the user attaches to a message: images (PNG,
// JPEG, GIF, WEBP) and UTF-8 text files, checks them against the API's
// limits, and makes thumbnails.
//
// What a file is is decided by its content, not its name: a JPEG saved as
// .png is sent as image/jpeg, because the API checks the bytes against the
// declared type. The name only chooses a text file's language and words
// the refusals. Every refusal is an *Error whose text the UI can show as
// it is.
package attach

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/azchat/azchat/chat"
)

// The limits as int64, to compare with file sizes.
const (
	maxImageBytes int64 = chat.MaxImageBytes
	maxTextBytes  int64 = chat.MaxTextFileBytes
)

// checkKind refuses what a stat found (or its error) unless it is a
// regular file: a folder, or a device or pipe, whose reading might never
// end.
func checkKind(name string, fi os.FileInfo, err error) *Error {
	switch {
	case err != nil:
		return unreadable(name, err)
	case fi.IsDir():
		return newError(name, ReasonUnsupported, nil, " is a folder — attach the files in it one by one")
	case !fi.Mode().IsRegular():
		return unsupported(name, "devices, pipes or sockets")
	}
	return nil
}

// headLen is how much of a file is read to decide what it is before the
// rest is read: enough for every signature, and for a fair guess whether
// a file too large to attach is text at all.
const headLen = 8 << 10

// Read reads the file at path and makes it an attachment: an image
// (chat.ImageAttachment) if its content is PNG, JPEG, GIF or WEBP, or a
// text file (chat.TextAttachment) if it is UTF-8 text. detail is the
// image's detail ("" is chat.DetailAuto); it is ignored for text.
//
// Only an image's header is decoded here, for its format and size: that
// is all the API needs checked, and decoding a 20 MB photo takes a second.
// Damage further into the file shows when Thumbnail or Decode reads it.
//
// A file over the limit for its kind is refused from its size on disk,
// without reading it all. Errors are always *Error.
func Read(path string, detail chat.Detail) (chat.Attachment, error) {
	name := filepath.Base(path)
	// Looked at before it is opened (opening a device may do something),
	// then opened without waiting (a path swapped for a pipe in between
	// would never open otherwise), and what was opened looked at again.
	fi, err := os.Stat(path)
	if e := checkKind(name, fi, err); e != nil {
		return chat.Attachment{}, e
	}
	f, err := openNoWait(path)
	if err != nil {
		return chat.Attachment{}, unreadable(name, err)
	}
	defer f.Close()
	opened, err := f.Stat()
	if e := checkKind(name, opened, err); e != nil {
		return chat.Attachment{}, e
	}
	if !os.SameFile(fi, opened) {
		return chat.Attachment{}, unreadable(name, errors.New("the file was replaced while it was being read"))
	}
	fi = opened

	head := make([]byte, headLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return chat.Attachment{}, unreadable(name, err)
	}
	head = head[:n]
	// Some files (in /proc, on odd file systems) report size 0 but
	// hold bytes: trust what was read when it is more.
	size := max(fi.Size(), int64(n))
	format, e := precheck(name, head, size)
	if e != nil {
		return chat.Attachment{}, e
	}
	limit := maxTextBytes
	if format != nil {
		limit = maxImageBytes
	}
	// Read into a buffer of the file's size (a bytes.Buffer would grow
	// to twice a 20 MB image and keep it), plus one byte to see a file
	// that grew since the Stat; at most one byte over the limit, so such
	// a file is refused by FromBytes instead of read without bound.
	data := make([]byte, min(size, limit)+1)
	copy(data, head)
	m, err := io.ReadFull(f, data[n:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return chat.Attachment{}, unreadable(name, err)
	}
	data = data[:n+m]
	if int64(len(data)) == min(size, limit)+1 && int64(len(data)) <= limit {
		more, err := io.ReadAll(io.LimitReader(f, limit+1-int64(len(data))))
		if err != nil {
			return chat.Attachment{}, unreadable(name, err)
		}
		data = append(data, more...)
	}
	return FromBytes(name, data, detail)
}

// FromBytes makes an attachment of data, a file named name, with the same
// decision and checks as Read. name is reduced to its base name. The
// attachment's Data is data itself, not a copy: the caller must not change
// it afterwards. Errors are always *Error.
func FromBytes(name string, data []byte, detail chat.Detail) (chat.Attachment, error) {
	if name != "" {
		name = filepath.Base(name)
	}
	format, e := precheck(name, data[:min(len(data), headLen)], int64(len(data)))
	if e != nil {
		return chat.Attachment{}, e
	}
	if format != nil {
		return fromImage(name, data, detail)
	}
	return fromText(name, data)
}

// precheck decides from a file's first bytes and its size whether it is
// an image, text or neither, and refuses it if it is too large for its
// kind. format is the image format, or nil for a text candidate.
func precheck(name string, head []byte, size int64) (*imageFormat, *Error) {
	if size == 0 {
		return nil, empty(name)
	}
	if f := sniffImage(head); f != nil {
		if size > maxImageBytes {
			return f, tooLargeImage(name, size)
		}
		return f, nil
	}
	if what := unsupportedKind(head, false); what != "" {
		return nil, unsupported(name, what)
	}
	if size > maxTextBytes {
		// Calling a 50 MB ZIP "too large" would suggest a smaller one
		// would do: if the start already shows it is not text, say that.
		if v, off := checkText(head, true); v != textOK {
			return nil, notText(name, head, v, off)
		}
		return nil, tooLargeText(name, size)
	}
	return nil, nil
}

func fromImage(name string, data []byte, detail chat.Detail) (chat.Attachment, error) {
	f, cfg, e := inspect(name, data)
	if e != nil {
		return chat.Attachment{}, e
	}
	if f == formatGIF {
		// The API takes still GIFs: an animation is sent as its first frame.
		if still, c, ok := firstFrame(data); ok {
			data, cfg = still, c
		}
	}
	sum := sha256.Sum256(data)
	return chat.Attachment{
		Kind:   chat.ImageAttachment,
		Name:   name,
		MIME:   f.mime,
		Data:   data,
		SHA256: hex.EncodeToString(sum[:]),
		Width:  cfg.Width,
		Height: cfg.Height,
		Detail: normDetail(detail),
	}, nil
}

// normDetail makes "" (and anything the API would not take) auto, which is
// also what the API does when no detail is given.
func normDetail(d chat.Detail) chat.Detail {
	nd, err := chat.ParseDetail(string(d))
	if err != nil {
		return chat.DetailAuto
	}
	return nd
}

func fromText(name string, data []byte) (chat.Attachment, error) {
	if v, off := checkText(data, false); v != textOK {
		return chat.Attachment{}, notText(name, data, v, off)
	}
	ext := filepath.Ext(name)
	if f := imageFormatByExt(strings.ToLower(ext)); f != nil {
		// Sending it as text would surprise a user who attached a
		// picture; the file is most likely damaged or misnamed.
		return chat.Attachment{}, broken(name, f.name, errors.New("it holds text, not image data"))
	}
	text := stripBOM(data)
	if text == "" {
		return chat.Attachment{}, empty(name)
	}
	return chat.Attachment{
		Kind: chat.TextAttachment,
		Name: name,
		Text: text,
		Lang: Lang(name),
	}, nil
}

// notText refuses data that failed as text, naming what it is when that
// can be told: a known format, a misnamed image, or the text problem.
func notText(name string, data []byte, v textVerdict, off int64) *Error {
	if what := unsupportedKind(data, true); what != "" {
		return unsupported(name, what)
	}
	ext := strings.ToLower(filepath.Ext(name))
	if f := imageFormatByExt(ext); f != nil {
		return broken(name, f.name, errors.New("it does not start like a "+f.name+" file"))
	}
	if what, ok := unsupportedKindByExt(ext); ok {
		return unsupported(name, what)
	}
	switch v {
	case textUTF16:
		return utf16Text(name)
	case textNotUTF8:
		return notUTF8(name, off)
	}
	return binaryData(name)
}
