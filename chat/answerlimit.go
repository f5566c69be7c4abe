package chat

import "unicode/utf8"

// MaxAnswerText bounds an answer's text and reasoning (16 MB, what an
// import takes for one message): no model writes a thousandth of it, and
// a stream that does not end (a broken proxy, a hostile endpoint) would
// otherwise fill memory and the history. azchat stops reading there.
const MaxAnswerText = 16 << 20

// maxAnswerText is MaxAnswerText; tests lower it.
var maxAnswerText = MaxAnswerText

// cutUTF8 is s cut to at most n bytes, at a character's start.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
