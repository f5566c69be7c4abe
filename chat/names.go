package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// PlainName is s with only ASCII letters, digits, "_", "-" and ".", at
// most 40 of them: a name a server or a file chose (a content filter's
// category, an error's parameter) as azchat shows it.
func PlainName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 40 {
			break
		}
		if r == '_' || r == '-' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ModelName returns s if it can be a model's name (gpt-4o-2024-11-20, a
// gateway's provider/model:tag, LM Studio's name@quant, llama.cpp's file
// path): at most 200 bytes of UTF-8 text with no control or format
// characters (escape sequences, line breaks, bidirectional overrides);
// "" otherwise. The server names the model of each answer, and azchat
// keeps it (in the settings, in messages) and shows it: in dialogs Fyne
// lays out whole, and in the terminal, where an escape sequence would run.
func ModelName(s string) string {
	if len(s) > 200 || !utf8.ValidString(s) {
		return ""
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return ""
		}
	}
	return s
}
