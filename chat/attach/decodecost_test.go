package attach

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"runtime"
	"testing"
)

// jpegClaiming is a real JPEG whose frame header is rewritten to claim
// w×h and, if progressive, to be a progressive frame (SOF2): enough for
// DecodeConfig, with no such pixels to decode.
func jpegClaiming(t *testing.T, w, h uint16, progressive bool) []byte {
	t.Helper()
	b := bytes.Clone(jpegBytes(t, 16, 16))
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no baseline frame header in the encoded JPEG")
	}
	if progressive {
		b[i+1] = 0xc2
	}
	// Marker, length (2), precision (1), then height and width.
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

// TestDecodingCostIsBoundedBeforeDecoding: within the pixel limits, a
// 16-bit PNG (8 bytes a pixel) or a progressive JPEG (4 bytes a pixel a
// channel while it decodes) of a few hundred bytes would have the decoder
// take gigabytes. They are refused from their headers, by what decoding
// them would take, while ordinary photos of the same size are not.
func TestDecodingCostIsBoundedBeforeDecoding(t *testing.T) {
	refused := map[string][]byte{
		"deep.png":        pngHeaderDepth(7500, 7500, 16), // 56 MP × 8 bytes
		"progressive.jpg": jpegClaiming(t, 8000, 6000, true),
	}
	for name, data := range refused {
		if _, err := FromBytes(name, data, ""); asError(t, err, ReasonDimensions) == nil {
			t.Fatalf("%s accepted", name)
		}
		if _, err := Decode(data); asError(t, err, ReasonDimensions) == nil {
			t.Fatalf("%s decoded", name)
		}
	}
	for name, data := range map[string][]byte{
		"photo.png":        pngHeader(7000, 7000), // 49 MP × 4 bytes
		"baseline.jpg":     jpegClaiming(t, 8000, 6000, false),
		"progressive.jpg":  jpegClaiming(t, 6000, 4000, true), // a 24 MP photo
		"deep-smaller.png": pngHeaderDepth(6000, 6000, 16),
	} {
		f, cfg, e := inspect(name, data)
		if e != nil {
			t.Fatalf("%s refused: %v", name, e)
		}
		if c := decodeCost(f, cfg, data); c > MaxDecodeBytes {
			t.Fatalf("%s costs %d bytes", name, c)
		}
	}
}

// TestJPEGProgressive finds the frame's kind past the segments before it
// (APP0, quantisation and Huffman tables); anything the walk cannot follow
// to a frame header (junk bytes Go's decoder skips, stuffed or stand-alone
// markers, a file cut short) is costed as progressive.
func TestJPEGProgressive(t *testing.T) {
	if jpegProgressive(jpegClaiming(t, 16, 16, false)) || !jpegProgressive(jpegClaiming(t, 16, 16, true)) {
		t.Fatal("baseline and progressive frames told apart wrongly")
	}
	baseline := jpegClaiming(t, 16, 16, false)
	junk := append([]byte{0xff, 0xd8, 0x00, 0x42}, baseline[2:]...)
	stuffed := append([]byte{0xff, 0xd8, 0xff, 0x00}, baseline[2:]...)
	restart := append([]byte{0xff, 0xd8, 0xff, 0xd0}, baseline[2:]...)
	for name, b := range map[string][]byte{"junk": junk, "stuffed": stuffed, "restart": restart,
		"cut": {0xff, 0xd8}, "one byte": {0xff, 0xd8, 0xff}, "zeros": {0xff, 0xd8, 0x00, 0x00, 0x00, 0x00}} {
		if !jpegProgressive(b) {
			t.Errorf("%s read as baseline", name)
		}
	}
}

// TestDecodeCostBoundsWhatDecodersTake measures what decoding real images
// allocates against decodeCost: an upper bound for every kind azchat can
// write here (Go encodes no progressive JPEG or interlaced PNG).
func TestDecodeCostBoundsWhatDecodersTake(t *testing.T) {
	deep := image.NewNRGBA64(image.Rect(0, 0, 600, 400))
	gray := image.NewGray(image.Rect(0, 0, 600, 400))
	enc := func(m image.Image, jpg bool) []byte {
		var b bytes.Buffer
		var err error
		if jpg {
			err = jpeg.Encode(&b, m, nil)
		} else {
			err = png.Encode(&b, m)
		}
		if err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for name, data := range map[string][]byte{
		"rgba.png": pngBytes(t, 600, 400), "deep.png": enc(deep, false), "gray.png": enc(gray, false),
		"photo.jpg": jpegBytes(t, 600, 400), "gray.jpg": enc(gray, true), "anim.gif": gifBytes(t, 600, 400),
	} {
		f, cfg, e := inspect(name, data)
		if e != nil {
			t.Fatal(e)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if _, err := f.decode(bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		// The bound is for the pixels; a decoder's own tables and
		// buffers are a fixed few hundred KB on top.
		if took, cost := int64(after.TotalAlloc-before.TotalAlloc), decodeCost(f, cfg, data); took > cost+512<<10 {
			t.Errorf("%s: decoding took %d bytes, costed %d", name, took, cost)
		}
	}
}
