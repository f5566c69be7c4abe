package attach

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"testing"

	"github.com/azchat/azchat/chat"
)

func animatedGIF(t *testing.T, frames int) []byte {
	t.Helper()
	pal := color.Palette{color.Black, color.White}
	a := &gif.GIF{}
	for i := range frames {
		f := image.NewPaletted(image.Rect(0, 0, 20, 10), pal)
		f.SetColorIndex(i%20, 0, 1)
		a.Image = append(a.Image, f)
		a.Delay = append(a.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, a); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// An animated GIF is sent as its first frame: the API takes still GIFs.
func TestAnimatedGIFBecomesItsFirstFrame(t *testing.T) {
	data := animatedGIF(t, 5)
	if n, ok := gifFrames(data); !ok || n != 5 {
		t.Fatalf("frames = %d, %v", n, ok)
	}
	a, err := FromBytes("spin.gif", data, "")
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := gifFrames(a.Data); !ok || n != 1 || a.MIME != "image/gif" || a.Width != 20 || a.Height != 10 {
		t.Fatalf("sent %d frames (%v), %s %d×%d", n, ok, a.MIME, a.Width, a.Height)
	}
	still := animatedGIF(t, 1)
	b, err := FromBytes("still.gif", still, chat.DetailLow)
	if err != nil || !bytes.Equal(b.Data, still) {
		t.Fatalf("a still GIF was changed: %v", err)
	}
	// A broken stream is never a panic; and one without its trailer
	// (which viewers still play) is sent as its first frame too.
	if n, ok := gifFrames(data[:len(data)/2]); ok {
		t.Fatalf("a cut stream counted as %d frames", n)
	}
	noTrailer := data[:len(data)-1]
	c, err := FromBytes("no-trailer.gif", noTrailer, "")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := gifFrames(c.Data); n != 1 {
		t.Fatalf("a GIF without its trailer was sent with %d frames", n)
	}
}
