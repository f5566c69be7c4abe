package attach

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits on an image's size in pixels. The API would take larger images
// (it scales them down itself), but decoding one for a thumbnail costs 4
// bytes a pixel, so a tiny file that claims to be huge (a decompression
// bomb) could exhaust memory. Every image is checked against these before
// it is decoded, and Read refuses images beyond them so that what can be
// attached can also be shown.
const (
	// MaxSide is the most pixels an image may have on either side.
	MaxSide = 100_000
	// MaxPixels is the most pixels an image may have in all (100
	// megapixels: 400 MB decoded as RGBA).
	MaxPixels = 100_000_000
)

// imageFormat is one of the image formats the API takes.
type imageFormat struct {
	name         string // as the user knows it: "PNG"
	mime         string
	decodeConfig func(io.Reader) (image.Config, error)
	decode       func(io.Reader) (image.Image, error)
}

var (
	formatPNG  = &imageFormat{"PNG", "image/png", png.DecodeConfig, png.Decode}
	formatJPEG = &imageFormat{"JPEG", "image/jpeg", jpeg.DecodeConfig, jpeg.Decode}
	// gif.Decode returns the first frame; DecodeConfig the logical screen
	// size, which is the size the API sees.
	formatGIF  = &imageFormat{"GIF", "image/gif", gif.DecodeConfig, gif.Decode}
	formatWEBP = &imageFormat{"WEBP", "image/webp", webp.DecodeConfig, webp.Decode}
)

// sniffImage finds a supported image format by its magic bytes. The
// decoders are called directly rather than through image.Decode, so the
// formats other packages register (Fyne registers more) do not widen what
// azchat sends.
func sniffImage(data []byte) *imageFormat {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return formatJPEG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return formatGIF
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return formatWEBP
	}
	return nil
}

// imageFormatByExt is which format a file's name promises, used only to
// word the error for a file that is named as an image but is not one.
func imageFormatByExt(ext string) *imageFormat {
	switch ext {
	case ".png":
		return formatPNG
	case ".jpg", ".jpeg", ".jpe", ".jfif":
		return formatJPEG
	case ".gif":
		return formatGIF
	case ".webp":
		return formatWEBP
	}
	return nil
}

// safely runs a decoder and turns a panic into an error: the decoders
// read untrusted bytes, and a bug in one must not bring down the app.
func safely[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			v, err = zero, fmt.Errorf("decoder failed: %v", r)
		}
	}()
	return f()
}

// ImageInfo sniffs data's format and reads its size in pixels from the
// header, without decoding the pixels. mime is image/png, image/jpeg,
// image/gif or image/webp. Errors are *Error: ReasonUnsupported for
// anything that is not one of these formats, ReasonBroken for a header
// that cannot be read. A zero or huge size is returned as it is; FromBytes
// and Decode judge it.
func ImageInfo(data []byte) (mime string, w, h int, err error) {
	f, cfg, e := imageConfig("", data)
	if e != nil {
		return "", 0, 0, e
	}
	return f.mime, cfg.Width, cfg.Height, nil
}

func imageConfig(name string, data []byte) (*imageFormat, image.Config, *Error) {
	f := sniffImage(data)
	if f == nil {
		return nil, image.Config{}, unsupported(name, "")
	}
	if f == formatWEBP && webpAnimated(data) {
		// x/image/webp reads no animation, and would call it damaged.
		return f, image.Config{}, unsupported(name, "animated WEBP images (the API takes still ones: save a frame as PNG or JPEG)")
	}
	cfg, err := safely(func() (image.Config, error) { return f.decodeConfig(bytes.NewReader(data)) })
	if err != nil {
		return f, image.Config{}, broken(name, f.name, cleanDecodeError(err))
	}
	return f, cfg, nil
}

// checkDimensions refuses an image with no pixels or more than the limits.
func checkDimensions(name string, w, h int) *Error {
	if w <= 0 || h <= 0 {
		return noPixels(name, w, h)
	}
	if w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels {
		return tooManyPixels(name, w, h)
	}
	return nil
}

// Decode decodes a PNG, JPEG, GIF (its first frame) or WEBP image at full
// size, for a viewer. It refuses, before decoding, an image larger than
// MaxSide or MaxPixels. Errors are *Error with an empty Name.
func Decode(data []byte) (image.Image, error) {
	decodeSlot <- struct{}{}
	defer func() { <-decodeSlot }()
	m, err := decode(data)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// inspect reads an image's format and size and checks the size against
// the limits, without decoding the pixels.
func inspect(name string, data []byte) (*imageFormat, image.Config, *Error) {
	f, cfg, e := imageConfig(name, data)
	if e != nil {
		return f, cfg, e
	}
	if e := checkDimensions(name, cfg.Width, cfg.Height); e != nil {
		return f, cfg, e
	}
	if f == formatWEBP {
		// A WEBP's header (VP8X) gives the canvas size, but the decoder
		// allocates for the frame inside, whose size it does not check
		// against the canvas: check the frame's own size too.
		if w, h, ok := webpFrameSize(data); ok {
			if e := checkDimensions(name, w, h); e != nil {
				return f, cfg, e
			}
		}
	}
	costed := cfg
	if w, h, ok := webpFrameSize(data); ok && f == formatWEBP {
		costed.Width, costed.Height = max(cfg.Width, w), max(cfg.Height, h)
	}
	if decodeCost(f, costed, data) > MaxDecodeBytes {
		return f, cfg, tooCostly(name, f.name, cfg.Width, cfg.Height)
	}
	return f, cfg, nil
}

func decode(data []byte) (image.Image, *Error) {
	f, _, e := inspect("", data)
	if e != nil {
		return nil, e
	}
	m, err := safely(func() (image.Image, error) { return f.decode(bytes.NewReader(data)) })
	if err != nil {
		return nil, broken("", f.name, cleanDecodeError(err))
	}
	if m == nil || m.Bounds().Empty() {
		return nil, noPixels("", 0, 0)
	}
	return m, nil
}

// Thumbnail decodes an image as Decode does and scales it down so that its
// longer side is at most maxSide pixels, keeping its aspect ratio; it never
// scales up. The result is always a new *image.RGBA with its origin at
// (0, 0), so callers may keep it and draw it anywhere. Errors about the
// image are *Error with an empty Name, as from Decode; a maxSide below 1
// is a plain error.
func Thumbnail(data []byte, maxSide int) (image.Image, error) {
	if maxSide < 1 {
		return nil, fmt.Errorf("attach: thumbnail size %d: it must be at least 1 pixel", maxSide)
	}
	// The slot is held while the full-size image is: through the scaling.
	decodeSlot <- struct{}{}
	defer func() { <-decodeSlot }()
	src, e := decode(data)
	if e != nil {
		return nil, e
	}
	sb := src.Bounds()
	w, h := thumbSize(sb.Dx(), sb.Dy(), maxSide)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if w == sb.Dx() && h == sb.Dy() {
		draw.Draw(dst, dst.Bounds(), src, sb.Min, draw.Src)
		return dst, nil
	}
	// CatmullRom rather than ApproxBiLinear: shrinking a photo 20 times
	// with bilinear sampling skips most source pixels and shimmers;
	// CatmullRom averages them all, and a thumbnail is made only once.
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, sb, draw.Src, nil)
	return dst, nil
}

// thumbSize is w×h scaled so the longer side is maxSide, rounded, and at
// least 1 pixel a side (a 10,000×1 strip stays visible).
func thumbSize(w, h, maxSide int) (int, int) {
	if w <= maxSide && h <= maxSide {
		return w, h
	}
	if w >= h {
		return maxSide, max(1, int((int64(h)*int64(maxSide)+int64(w)/2)/int64(w)))
	}
	return max(1, int((int64(w)*int64(maxSide)+int64(h)/2)/int64(h))), maxSide
}

// webpAnimated reports whether a WEBP file says it is animated: its
// extended header (VP8X), the first chunk, sets the animation flag.
func webpAnimated(data []byte) bool {
	return len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&0x02 != 0
}

// webpFrameSize reads the size of the first VP8 or VP8L frame in a WEBP
// file, walking its RIFF chunks. ok is false when there is none to read;
// the decoder will then fail on its own.
func webpFrameSize(data []byte) (w, h int, ok bool) {
	if len(data) < 12 {
		return 0, 0, false
	}
	rest := data[12:]
	for len(rest) >= 8 {
		id := string(rest[:4])
		n := binary.LittleEndian.Uint32(rest[4:8])
		body := rest[8:]
		if uint64(n) < uint64(len(body)) {
			body = body[:n]
		}
		switch id {
		case "VP8 ":
			// 3-byte frame tag, start code 9d 01 2a, then 14-bit width
			// and height (the top 2 bits are a scale we ignore).
			if len(body) >= 10 && body[3] == 0x9d && body[4] == 0x01 && body[5] == 0x2a {
				return int(binary.LittleEndian.Uint16(body[6:]) & 0x3fff),
					int(binary.LittleEndian.Uint16(body[8:]) & 0x3fff), true
			}
			return 0, 0, false
		case "VP8L":
			// Signature 0x2f, then 14 bits width-1 and 14 bits height-1.
			if len(body) >= 5 && body[0] == 0x2f {
				bits := binary.LittleEndian.Uint32(body[1:5])
				return int(bits&0x3fff) + 1, int(bits>>14&0x3fff) + 1, true
			}
			return 0, 0, false
		}
		// Chunks are padded to an even length.
		skip := 8 + uint64(n) + uint64(n&1)
		if skip > uint64(len(rest)) {
			break
		}
		rest = rest[skip:]
	}
	return 0, 0, false
}

// cleanDecodeError words a decoder's error for the user: a file cut short
// reads as such rather than as "unexpected EOF".
func cleanDecodeError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errTruncated
	}
	return err
}

var errTruncated = errors.New("the file ends too soon, as if cut short")
