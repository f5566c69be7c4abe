package attach

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"strings"
	"testing"
)

func TestThumbnailScalesDown(t *testing.T) {
	m, err := Thumbnail(pngBytes(t, 2000, 1000), 256)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.(*image.RGBA); !ok || m.Bounds() != image.Rect(0, 0, 256, 128) {
		t.Fatalf("got %T %v", m, m.Bounds())
	}
	tall, err := Thumbnail(jpegBytes(t, 100, 1000), 64)
	if err != nil || tall.Bounds() != image.Rect(0, 0, 6, 64) {
		t.Fatalf("got %v, %v", tall.Bounds(), err)
	}
}

func TestThumbnailNeverScalesUp(t *testing.T) {
	for _, data := range [][]byte{pngBytes(t, 30, 20), gifBytes(t, 30, 20), webpBytes(t)} {
		src, err := Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Thumbnail(data, 256)
		if err != nil {
			t.Fatal(err)
		}
		if m.Bounds() != image.Rect(0, 0, src.Bounds().Dx(), src.Bounds().Dy()) {
			t.Fatalf("got %v, want the size of %v", m.Bounds(), src.Bounds())
		}
	}
	if _, err := Thumbnail(pngBytes(t, 2, 2), 0); err == nil {
		t.Fatal("maxSide 0 accepted")
	}
}

func TestThumbSize(t *testing.T) {
	for _, c := range []struct{ w, h, max, ww, wh int }{
		{2000, 1000, 256, 256, 128},
		{1000, 2000, 256, 128, 256},
		{10000, 1, 100, 100, 1},
		{256, 256, 256, 256, 256},
		{257, 3, 256, 256, 3},
	} {
		if w, h := thumbSize(c.w, c.h, c.max); w != c.ww || h != c.wh {
			t.Errorf("thumbSize(%d, %d, %d) = %d×%d, want %d×%d", c.w, c.h, c.max, w, h, c.ww, c.wh)
		}
	}
}

func TestDecodeWEBP(t *testing.T) {
	m, err := Decode(webpBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	light, dark := color.NRGBA{255, 64, 32, 255}, color.NRGBA{255, 192, 32, 255}
	for y := 0; y < 2; y++ {
		for x := 0; x < 3; x++ {
			want := light
			if (x+y)%2 == 1 {
				want = dark
			}
			if got := color.NRGBAModel.Convert(m.At(x, y)); got != want {
				t.Fatalf("pixel %d,%d = %v, want %v", x, y, got, want)
			}
		}
	}
}

// A VP8X header may claim a 1×1 canvas around a frame of 16,000×16,000
// pixels; the decoder would allocate for the frame.
func TestDecodeWEBPFrameBomb(t *testing.T) {
	vp8x := make([]byte, 10)
	vp8x[0] = 0 // no flags; canvas 1×1 (stored minus one)
	vp8l := make([]byte, 5)
	vp8l[0] = 0x2f
	binary.LittleEndian.PutUint32(vp8l[1:], uint32(15999)|uint32(15999)<<14)
	var b bytes.Buffer
	body := chunk("VP8X", vp8x)
	body = append(body, chunk("VP8L", vp8l)...)
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+len(body)))
	b.WriteString("WEBP")
	b.Write(body)

	_, w, h, err := ImageInfo(b.Bytes())
	if err != nil || w != 1 || h != 1 {
		t.Fatalf("ImageInfo = %d×%d, %v", w, h, err)
	}
	_, err = Decode(b.Bytes())
	asError(t, err, ReasonDimensions)
	_, err = FromBytes("bomb.webp", b.Bytes(), "")
	asError(t, err, ReasonDimensions)
}

func chunk(id string, data []byte) []byte {
	out := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	out = append(out, data...)
	if len(data)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

func TestImageInfoUnsupported(t *testing.T) {
	_, _, _, err := ImageInfo([]byte("hello"))
	asError(t, err, ReasonUnsupported)
	_, err = Decode([]byte("BM...."))
	asError(t, err, ReasonUnsupported)
}

// TestAnAnimatedWEBPIsNamedAsSuch: the WEBP reader reads no animation and
// its error called the file damaged, with advice to save it again; it is
// refused as an animated image, which the API does not take.
func TestAnAnimatedWEBPIsNamedAsSuch(t *testing.T) {
	vp8x := make([]byte, 10)
	vp8x[0] = 0x02 // animation
	body := chunk("VP8X", vp8x)
	body = append(body, chunk("ANIM", make([]byte, 6))...)
	var b bytes.Buffer
	b.WriteString("RIFF")
	_ = binary.Write(&b, binary.LittleEndian, uint32(4+len(body)))
	b.WriteString("WEBP")
	b.Write(body)
	_, err := FromBytes("moving.webp", b.Bytes(), "")
	if e := asError(t, err, ReasonUnsupported); !strings.Contains(e.Error(), "animated WEBP") || !strings.Contains(e.Error(), "moving.webp") {
		t.Fatalf("error %q", e.Error())
	}
}
