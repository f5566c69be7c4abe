package attach

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
)

func TestReadImages(t *testing.T) {
	cases := []struct {
		name, mime string
		data       []byte
		w, h       int
	}{
		{"a.png", "image/png", pngBytes(t, 7, 5), 7, 5},
		{"a.jpg", "image/jpeg", jpegBytes(t, 9, 4), 9, 4},
		{"a.gif", "image/gif", gifBytes(t, 3, 8), 3, 8},
		{"a.webp", "image/webp", webpBytes(t), 3, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Read(writeFile(t, c.name, c.data), chat.DetailHigh)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(c.data)
			if a.Kind != chat.ImageAttachment || a.Name != c.name || a.MIME != c.mime ||
				a.Width != c.w || a.Height != c.h || a.Detail != chat.DetailHigh ||
				a.SHA256 != hex.EncodeToString(sum[:]) || string(a.Data) != string(c.data) {
				t.Fatalf("got %+v", a)
			}
			mime, w, h, err := ImageInfo(c.data)
			if err != nil || mime != c.mime || w != c.w || h != c.h {
				t.Fatalf("ImageInfo = %s %d×%d %v", mime, w, h, err)
			}
		})
	}
}

func TestDetailDefaultsToAuto(t *testing.T) {
	for _, d := range []chat.Detail{"", "bogus", "AUTO"} {
		a, err := FromBytes("x.png", pngBytes(t, 2, 2), d)
		if err != nil || a.Detail != chat.DetailAuto {
			t.Fatalf("detail %q: got %q, %v", d, a.Detail, err)
		}
	}
}

func TestMIMEByContentNotExtension(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		mime string
	}{
		{"photo.png", jpegBytes(t, 4, 4), "image/jpeg"},
		{"photo.jpg", pngBytes(t, 4, 4), "image/png"},
		{"anim.webp", gifBytes(t, 4, 4), "image/gif"},
		{"noext", webpBytes(t), "image/webp"},
		{"notes.txt", pngBytes(t, 4, 4), "image/png"},
	} {
		a, err := Read(writeFile(t, c.name, c.data), "")
		if err != nil || a.MIME != c.mime || a.Kind != chat.ImageAttachment {
			t.Fatalf("%s: got %q %q, %v", c.name, a.Kind, a.MIME, err)
		}
	}
}

// sparseFile makes a file of the given size that starts with head, without
// writing the rest: the file system fills it with zeros for free.
func sparseFile(t *testing.T, name string, head []byte, size int64) string {
	t.Helper()
	p := writeFile(t, name, head)
	if err := os.Truncate(p, size); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImageSizeLimit(t *testing.T) {
	head := pngBytes(t, 2, 2)
	size := int64(25<<20 + 300<<10)
	_, err := Read(sparseFile(t, "big.png", head, size), "")
	asError(t, err, ReasonTooLarge)
	if want := "big.png is 25.3 MB; the API takes images up to 20 MB — shrink or crop it"; err.Error() != want {
		t.Fatalf("got %q\nwant %q", err, want)
	}

	// One byte over never reads as exactly the limit.
	_, err = Read(sparseFile(t, "edge.png", head, chat.MaxImageBytes+1), "")
	asError(t, err, ReasonTooLarge)
	if !strings.Contains(err.Error(), "is 20.1 MB") {
		t.Fatalf("got %q", err)
	}

	// Exactly the limit is fine (PNG decoders ignore what follows IEND).
	a, err := Read(sparseFile(t, "full.png", head, chat.MaxImageBytes), "")
	if err != nil || len(a.Data) != chat.MaxImageBytes || a.Width != 2 {
		t.Fatalf("at the limit: %v", err)
	}
}

func TestTextSizeLimit(t *testing.T) {
	head := []byte(strings.Repeat("hello world\n", 1000))
	_, err := Read(sparseFile(t, "log.txt", head, 3<<20), "")
	asError(t, err, ReasonTooLarge)
	if want := "log.txt is 3 MB; azchat attaches text files up to 2 MB — attach a smaller part of it"; err.Error() != want {
		t.Fatalf("got %q", err)
	}

	text := []byte(strings.Repeat("a", chat.MaxTextFileBytes))
	if _, err := FromBytes("max.txt", text, ""); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	_, err = FromBytes("over.txt", append(text, 'b'), "")
	asError(t, err, ReasonTooLarge)

	// A large file that is not text at all is refused as what it is.
	_, err = Read(sparseFile(t, "disk.img", []byte("x"), 30<<20), "")
	asError(t, err, ReasonBinary)
	_, err = Read(sparseFile(t, "bundle.zip", []byte("PK\x03\x04"), 30<<20), "")
	asError(t, err, ReasonUnsupported)
}

func TestUnsupported(t *testing.T) {
	bmp := append([]byte("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00"), make([]byte, 40)...)
	_, err := Read(writeFile(t, "photo.bmp", bmp), "")
	asError(t, err, ReasonUnsupported)
	if want := "photo.bmp: azchat cannot send BMP images — attach PNG, JPEG, GIF or WEBP images, or UTF-8 text files"; err.Error() != want {
		t.Fatalf("got %q", err)
	}
	for name, data := range map[string][]byte{
		"doc.pdf":    []byte("%PDF-1.7\n1 0 obj\n<< >>\nendobj\n"),
		"scan.tiff":  []byte("II*\x00\x08\x00\x00\x00"),
		"img.heic":   []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
		"odd.heic":   []byte("\x00\x01\x02garbage"),
		"x.zip":      []byte("PK\x03\x04\x14\x00\x00\x00"),
		"named.webp": []byte("RIFF\x10\x00\x00\x00WAVEfmt "),
	} {
		_, err := FromBytes(name, data, "")
		asError(t, err, ReasonUnsupported)
	}
	// A text file that starts like a BMP is still text.
	a, err := FromBytes("cars.txt", []byte("BMW and Audi\n"), "")
	if err != nil || a.Kind != chat.TextAttachment {
		t.Fatalf("got %+v, %v", a, err)
	}
	// A folder.
	_, err = Read(t.TempDir(), "")
	asError(t, err, ReasonUnsupported)
}

func TestBrokenImages(t *testing.T) {
	p := pngBytes(t, 20, 20)
	_, err := FromBytes("shot.png", p[:len(p)/2], "")
	// The header is intact: it is attachable (the API decodes it) but
	// truncated images fail where they are decoded.
	if err != nil {
		t.Fatalf("truncated PNG with intact header: %v", err)
	}
	_, err = FromBytes("shot.png", p[:20], "")
	e := asError(t, err, ReasonBroken)
	if !strings.HasPrefix(e.Error(), "shot.png looks like a PNG image but cannot be read (") ||
		!strings.HasSuffix(e.Error(), ") — open it in an image viewer and save it again") {
		t.Fatalf("got %q", e)
	}
	_, err = FromBytes("x.png", []byte("\x89PN"), "")
	asError(t, err, ReasonBroken)
	_, err = FromBytes("x.jpg", []byte("just text\n"), "")
	asError(t, err, ReasonBroken)
	if _, err := Decode(p[:len(p)/2]); err == nil {
		t.Fatal("Decode of a truncated PNG succeeded")
	} else {
		asError(t, err, ReasonBroken)
	}
}

func TestDimensions(t *testing.T) {
	_, err := FromBytes("wide.png", pngHeader(200_000, 10), "")
	asError(t, err, ReasonDimensions)
	if want := "wide.png is 200,000 × 10 pixels; azchat takes images up to 100,000 pixels a side and 100 megapixels in all — shrink it"; err.Error() != want {
		t.Fatalf("got %q", err)
	}
	_, err = FromBytes("bomb.png", pngHeader(20_000, 20_000), "")
	asError(t, err, ReasonDimensions)
	_, err = Decode(pngHeader(20_000, 20_000))
	asError(t, err, ReasonDimensions)
	// A GIF whose logical screen is 0×0.
	_, err = FromBytes("zero.gif", []byte("GIF89a\x00\x00\x00\x00\x00\x00\x00;"), "")
	asError(t, err, ReasonDimensions)
	// PNG refuses a zero side itself.
	_, err = FromBytes("zero.png", pngHeader(0, 5), "")
	asError(t, err, ReasonBroken)
}

func TestReadUnreadable(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "gone.txt"), "")
	e := asError(t, err, ReasonUnreadable)
	if !errors.Is(err, fs.ErrNotExist) || e.Name != "gone.txt" || strings.Contains(e.Error(), t.TempDir()) {
		t.Fatalf("got %q", err)
	}
}

func TestEmpty(t *testing.T) {
	_, err := Read(writeFile(t, "empty.txt", nil), "")
	asError(t, err, ReasonEmpty)
	_, err = FromBytes("bom.txt", []byte("\xef\xbb\xbf"), "")
	asError(t, err, ReasonEmpty)
}
