package attach

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// utf8BOM is stripped from text files: editors on Windows write it, and it
// would reach the model as an invisible character before the content.
var utf8BOM = []byte("\xef\xbb\xbf")

// textVerdict is what checkText found wrong with supposed text.
type textVerdict int

const (
	textOK textVerdict = iota
	textBinary
	textUTF16
	textNotUTF8
)

// checkText says whether data is UTF-8 text, and if not, why: binary (a
// NUL byte, or more than one byte in ten a control character other than
// tab, newline, carriage return and form feed), UTF-16, or another
// encoding, with the offset of the first byte that is not UTF-8. partial
// is for the first bytes of a longer file: an incomplete character at the
// end is then not an error.
func checkText(data []byte, partial bool) (textVerdict, int64) {
	// UTF-16 (and UTF-32) text is full of NUL bytes, and would otherwise
	// be called binary; its BOM lets the message say what it really is.
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return textUTF16, 0
	}
	controls := 0
	for _, c := range data {
		switch {
		case c == 0:
			return textBinary, 0
		case c == '\t', c == '\n', c == '\r', c == '\f':
		case c < 0x20, c == 0x7f:
			controls++
		}
	}
	// A few control characters occur in real text (ESC in logs with
	// colours, a stray BEL); binary data has them everywhere.
	if controls*10 > len(data) {
		return textBinary, 0
	}
	start := 0
	if bytes.HasPrefix(data, utf8BOM) {
		start = len(utf8BOM)
	}
	for i := start; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			if partial && !utf8.FullRune(data[i:]) {
				break
			}
			return textNotUTF8, int64(i)
		}
		i += n
	}
	return textOK, 0
}

// stripBOM returns the text without a leading UTF-8 byte order mark.
func stripBOM(data []byte) string {
	return string(bytes.TrimPrefix(data, utf8BOM))
}

// langByExt maps a file extension (lower case) to the language its fenced
// block is marked with, so the model — and azchat's own markdown view —
// know what the content is. The names are the ones Markdown renderers
// (highlight.js, GitHub) recognise.
var langByExt = map[string]string{
	".go":    "go",
	".py":    "python",
	".pyw":   "python",
	".js":    "javascript",
	".mjs":   "javascript",
	".cjs":   "javascript",
	".jsx":   "jsx",
	".ts":    "typescript",
	".mts":   "typescript",
	".tsx":   "tsx",
	".json":  "json",
	".jsonl": "json",
	".yaml":  "yaml",
	".yml":   "yaml",
	".md":    "markdown",
	".csv":   "csv",
	".sh":    "bash",
	".bash":  "bash",
	".zsh":   "bash",
	".rs":    "rust",
	".java":  "java",
	".c":     "c",
	".h":     "c",
	".cpp":   "cpp",
	".cc":    "cpp",
	".cxx":   "cpp",
	".hpp":   "cpp",
	".hh":    "cpp",
	".cs":    "csharp",
	".rb":    "ruby",
	".php":   "php",
	".html":  "html",
	".htm":   "html",
	".css":   "css",
	".scss":  "scss",
	".sql":   "sql",
	".xml":   "xml",
	".svg":   "xml",
	".toml":  "toml",
	".ini":   "ini",
	".kt":    "kotlin",
	".kts":   "kotlin",
	".swift": "swift",
	".m":     "objectivec",
	".scala": "scala",
	".lua":   "lua",
	".pl":    "perl",
	".r":     "r",
	".dart":  "dart",
	".ps1":   "powershell",
	".bat":   "batch",
	".tex":   "latex",
	".diff":  "diff",
	".patch": "diff",
	".proto": "protobuf",
	".tf":    "hcl",
	".vue":   "vue",
	".txt":   "",
	".log":   "",
}

// langByName covers files known by their whole name rather than an
// extension.
var langByName = map[string]string{
	"dockerfile":     "dockerfile",
	"containerfile":  "dockerfile",
	"makefile":       "makefile",
	"gnumakefile":    "makefile",
	"cmakelists.txt": "cmake",
	"go.mod":         "",
}

// Lang is the language a text file's fenced block is marked with, from its
// name: "go" for main.go, "dockerfile" for Dockerfile, "" for plain text
// and for names it does not know.
func Lang(name string) string {
	base := strings.ToLower(filepath.Base(name))
	if l, ok := langByName[base]; ok {
		return l
	}
	// Dockerfile.dev, Makefile.linux: the name is the language and the
	// extension only a variant.
	if stem, _, found := strings.Cut(base, "."); found && (stem == "dockerfile" || stem == "makefile") {
		return langByName[stem]
	}
	return langByExt[filepath.Ext(base)]
}
