package chat

// SetMaxAnswerText lowers the bound on an answer's text for a test and
// returns what puts it back.
func SetMaxAnswerText(n int) (restore func()) {
	old := maxAnswerText
	maxAnswerText = n
	return func() { maxAnswerText = old }
}
