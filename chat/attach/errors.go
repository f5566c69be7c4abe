package attach

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/azchat/azchat/chat"
)

// Reason says in one word why a file cannot be attached, so callers can
// react to the kind of problem without parsing the message.
type Reason string

// The reasons a file is refused.
const (
	// ReasonUnreadable: the file cannot be opened or read (missing,
	// permissions, I/O error).
	ReasonUnreadable Reason = "unreadable"
	// ReasonEmpty: the file holds no bytes, so there is nothing to send.
	ReasonEmpty Reason = "empty"
	// ReasonTooLarge: the file is over chat.MaxImageBytes (images) or
	// chat.MaxTextFileBytes (text).
	ReasonTooLarge Reason = "too-large"
	// ReasonUnsupported: a kind of file azchat does not send (PDF, ZIP,
	// BMP, TIFF, HEIC, folders, …).
	ReasonUnsupported Reason = "unsupported"
	// ReasonBinary: not a known format, and not text either.
	ReasonBinary Reason = "binary"
	// ReasonNotUTF8: text, but in another encoding than UTF-8.
	ReasonNotUTF8 Reason = "not-utf8"
	// ReasonBroken: an image in a supported format that cannot be decoded.
	ReasonBroken Reason = "broken"
	// ReasonDimensions: an image whose size in pixels is zero or beyond
	// what azchat will decode (see MaxSide and MaxPixels).
	ReasonDimensions Reason = "dimensions"
)

// Error is why a file cannot be attached. Every error this package returns
// for a file's content or size is an *Error, so the UI can show
// Error() to the user as is: it names the file, says why and what to do.
type Error struct {
	// Name is the file's base name ("" when the bytes have no name, as in
	// Decode and Thumbnail).
	Name string
	// Reason is the kind of problem.
	Reason Reason
	// Err is the underlying error, if any (an *fs.PathError, a decoder's
	// error); Unwrap returns it.
	Err error

	// msg follows the name in Error(): it starts with " is …" or ": …" so
	// each message reads as one sentence with the name where it belongs.
	msg string
}

// Error names the file, says why it is refused and what the user can do.
func (e *Error) Error() string {
	name := e.Name
	if name == "" {
		name = "the file"
	}
	return name + e.msg
}

// Unwrap returns the underlying error, so errors.Is(err, fs.ErrNotExist)
// works on a refused Read.
func (e *Error) Unwrap() error { return e.Err }

func newError(name string, reason Reason, err error, format string, args ...any) *Error {
	return &Error{Name: name, Reason: reason, Err: err, msg: fmt.Sprintf(format, args...)}
}

// acceptWhat ends every "wrong kind of file" message: it tells the user
// what would work instead.
const acceptWhat = "attach PNG, JPEG, GIF or WEBP images, or UTF-8 text files"

func unreadable(name string, err error) *Error {
	// A PathError's text repeats the full path; the name is already in
	// the message, so show only the cause.
	cause := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		cause = pe.Err
	}
	return newError(name, ReasonUnreadable, err,
		" cannot be read (%v) — check that the file still exists and that you may read it", cause)
}

func unsupported(name, what string) *Error {
	if what == "" {
		return newError(name, ReasonUnsupported, nil, ": azchat cannot send this kind of file — %s", acceptWhat)
	}
	return newError(name, ReasonUnsupported, nil, ": azchat cannot send %s — %s", what, acceptWhat)
}

func tooLargeImage(name string, size int64) *Error {
	return newError(name, ReasonTooLarge, nil,
		" is %s; the API takes images up to %s — shrink or crop it", chat.FormatSize(size), chat.FormatSize(maxImageBytes))
}

func tooLargeText(name string, size int64) *Error {
	return newError(name, ReasonTooLarge, nil,
		" is %s; azchat attaches text files up to %s — attach a smaller part of it", chat.FormatSize(size), chat.FormatSize(maxTextBytes))
}

func binaryData(name string) *Error {
	return newError(name, ReasonBinary, nil, " is not a text file (it holds binary data) — attach UTF-8 text files or images")
}

// notUTF8 names the byte at offset (from 0) counted from 1, as editors
// count: in "café" written in Latin-1 the é is byte 4 (it said 3).
func notUTF8(name string, offset int64) *Error {
	return newError(name, ReasonNotUTF8, nil,
		" is not UTF-8 text (byte %s) — save it as UTF-8 and attach it again", chat.FormatInt(offset+1))
}

func utf16Text(name string) *Error {
	return newError(name, ReasonNotUTF8, nil, " is UTF-16 text, not UTF-8 — save it as UTF-8 and attach it again")
}

func empty(name string) *Error {
	return newError(name, ReasonEmpty, nil, " is empty — there is nothing to attach")
}

func broken(name, format string, err error) *Error {
	return newError(name, ReasonBroken, err,
		" looks like a %s image but cannot be read (%v) — open it in an image viewer and save it again", format, err)
}

func noPixels(name string, w, h int) *Error {
	return newError(name, ReasonDimensions, nil,
		" has no pixels (%d × %d) — open it in an image viewer and save it again", w, h)
}

func tooManyPixels(name string, w, h int) *Error {
	return newError(name, ReasonDimensions, nil,
		" is %s × %s pixels; azchat takes images up to %s pixels a side and %d megapixels in all — shrink it",
		chat.FormatInt(int64(w)), chat.FormatInt(int64(h)), chat.FormatInt(MaxSide), MaxPixels/1_000_000)
}

// tooCostly refuses an image within the pixel limits whose decoding
// would take more than MaxDecodeBytes (16-bit colour, a progressive JPEG).
func tooCostly(name, format string, w, h int) *Error {
	return newError(name, ReasonDimensions, nil,
		" is a %s of %s × %s pixels that would take more than %s of memory to read — shrink it, or save it as an ordinary 8-bit JPEG or PNG",
		format, chat.FormatInt(int64(w)), chat.FormatInt(int64(h)), chat.FormatSize(MaxDecodeBytes))
}
