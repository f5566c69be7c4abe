package attach

import (
	"bytes"
	"strings"
)

// A signature recognises a kind of file azchat does not send, so the
// refusal can say what the file is ("BMP images") instead of calling it
// binary data.
type signature struct {
	magic  string
	offset int
	what   string
	// always: the magic is plain ASCII a text file could start with, but
	// the format is certain enough to refuse even when the rest happens
	// to be valid text. Other signatures are checked only once the
	// content has failed as text, so a note starting "BM" stays text.
	always bool
}

var signatures = []signature{
	{magic: "%PDF-", what: "PDF documents", always: true},
	{magic: "BM", what: "BMP images"},
	{magic: "II*\x00", what: "TIFF images"},
	{magic: "MM\x00*", what: "TIFF images"},
	{magic: "\x00\x00\x01\x00", what: "icon files"},
	{magic: "8BPS", what: "Photoshop files"},
	{magic: "qoif", what: "QOI images"},
	{magic: "\xff\x0a", what: "JPEG XL images"},
	{magic: "\x00\x00\x00\x0cJXL \r\n\x87\n", what: "JPEG XL images"},
	{magic: "\x00\x00\x00\x0cjP  \r\n\x87\n", what: "JPEG 2000 images"},
	{magic: "\xff\x4f\xff\x51", what: "JPEG 2000 images"},
	{magic: "PK\x03\x04", what: "ZIP archives or Office documents"},
	{magic: "PK\x05\x06", what: "ZIP archives"},
	{magic: "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", what: "Office documents"},
	{magic: "\x1f\x8b", what: "compressed files"},
	{magic: "7z\xbc\xaf\x27\x1c", what: "7-Zip archives"},
	{magic: "Rar!\x1a\x07", what: "RAR archives"},
	{magic: "\xfd7zXZ\x00", what: "compressed files"},
	{magic: "BZh", what: "compressed files"},
	{magic: "(\xb5/\xfd", what: "compressed files"},
	{magic: "\x7fELF", what: "programs"},
	{magic: "MZ", what: "programs"},
	{magic: "\xcf\xfa\xed\xfe", what: "programs"},
	{magic: "SQLite format 3\x00", what: "databases"},
	{magic: "OggS", what: "audio or video files"},
	{magic: "ID3", what: "audio files"},
	{magic: "fLaC", what: "audio files"},
	{magic: "\x1aE\xdf\xa3", what: "video files"},
	{magic: "wOFF", what: "fonts"},
	{magic: "wOF2", what: "fonts"},
}

// ftypBrands names the ISO media files (HEIC, AVIF, MP4, MOV) by the
// brand in their leading ftyp box: phones save photos as HEIC, and users
// should be told that is the problem.
var ftypBrands = map[string]string{
	"heic": "HEIC images", "heix": "HEIC images", "hevc": "HEIC images",
	"heim": "HEIC images", "heis": "HEIC images", "mif1": "HEIC images",
	"msf1": "HEIC images", "avif": "AVIF images", "avis": "AVIF images",
}

// unsupportedKind names the kind of file data is, if a signature knows it.
// withText includes the signatures that text could also start with.
func unsupportedKind(data []byte, withText bool) string {
	for _, s := range signatures {
		if (withText || s.always) && len(data) >= s.offset+len(s.magic) &&
			string(data[s.offset:s.offset+len(s.magic)]) == s.magic {
			return s.what
		}
	}
	if !withText {
		return ""
	}
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		if what, ok := ftypBrands[string(data[8:12])]; ok {
			return what
		}
		return "video files"
	}
	if len(data) >= 12 && bytes.HasPrefix(data, []byte("RIFF")) {
		switch string(data[8:12]) {
		case "WAVE":
			return "audio files"
		case "AVI ":
			return "video files"
		}
	}
	return ""
}

// kindByExt names unsupported kinds by extension, for binary files no
// signature recognised (a truncated HEIC, an odd TIFF variant).
var kindByExt = map[string]string{
	".bmp": "BMP images", ".dib": "BMP images",
	".tif": "TIFF images", ".tiff": "TIFF images",
	".heic": "HEIC images", ".heif": "HEIC images", ".avif": "AVIF images",
	".ico": "icon files", ".psd": "Photoshop files", ".jxl": "JPEG XL images",
	".raw": "camera RAW images", ".cr2": "camera RAW images",
	".nef": "camera RAW images", ".dng": "camera RAW images", ".arw": "camera RAW images",
	".pdf": "PDF documents",
	".doc": "Office documents", ".docx": "Office documents",
	".xls": "Office documents", ".xlsx": "Office documents",
	".ppt": "Office documents", ".pptx": "Office documents",
	".odt": "office documents", ".ods": "office documents", ".odp": "office documents",
	".zip": "ZIP archives", ".gz": "compressed files", ".tgz": "compressed files",
	".7z": "7-Zip archives", ".rar": "RAR archives",
	".exe": "programs", ".dll": "programs",
	".mp3": "audio files", ".wav": "audio files", ".m4a": "audio files",
	".mp4": "video files", ".mov": "video files", ".mkv": "video files", ".webm": "video files",
}

func unsupportedKindByExt(ext string) (string, bool) {
	what, ok := kindByExt[strings.ToLower(ext)]
	return what, ok
}
