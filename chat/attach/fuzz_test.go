package attach

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/azchat/azchat/chat"
)

func FuzzFromBytes(f *testing.F) {
	valid := map[string][]byte{
		"a.png":  pngBytes(f, 6, 4),
		"a.jpg":  jpegBytes(f, 6, 4),
		"a.gif":  gifBytes(f, 6, 4),
		"a.webp": webpBytes(f),
	}
	for name, data := range valid {
		f.Add(name, data)
		f.Add("noext", data)
		for _, n := range []int{1, 4, 8, 12, 16, 24, 33, len(data) / 2, len(data) - 1} {
			if n < len(data) {
				f.Add(name, data[:n])
			}
		}
		for _, i := range []int{9, 13, 17, 20, 30, len(data) / 2} {
			if i < len(data) {
				c := append([]byte(nil), data...)
				c[i] ^= 0xff
				f.Add(name, c)
			}
		}
	}
	f.Add("notes.txt", []byte("hello\n"))
	f.Add("bom.md", []byte("\xef\xbb\xbf# x\n"))
	f.Add("latin1.txt", []byte("caf\xe9"))
	f.Add("utf16.txt", []byte("\xff\xfeh\x00"))
	f.Add("data.bin", []byte("\x00\x01\x02"))
	f.Add("photo.bmp", []byte("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00"))
	f.Add("doc.pdf", []byte("%PDF-1.4\n"))
	f.Add("", []byte{})

	f.Fuzz(func(t *testing.T, name string, data []byte) {
		a, err := FromBytes(name, data, chat.DetailLow)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Reason == "" || e.Error() == "" {
				t.Fatalf("error %v (%T) is not an *Error with a reason", err, err)
			}
			return
		}
		switch a.Kind {
		case chat.ImageAttachment:
			if a.Width <= 0 || a.Height <= 0 || a.MIME == "" || a.SHA256 == "" {
				t.Fatalf("image %+v", a)
			}
			// Decoding is checked only for small images: a tiny file may
			// legitimately claim 100 megapixels, which a fuzzer should
			// not allocate thousands of times.
			if int64(a.Width)*int64(a.Height) <= 1<<16 {
				if _, err := Thumbnail(a.Data, 16); err != nil {
					var e *Error
					if !errors.As(err, &e) || e.Reason == "" {
						t.Fatalf("Thumbnail error %v (%T)", err, err)
					}
				}
			}
		case chat.TextAttachment:
			if !utf8.ValidString(a.Text) || a.Text == "" {
				t.Fatalf("text %q", a.Text)
			}
		default:
			t.Fatalf("kind %q", a.Kind)
		}
	})
}
