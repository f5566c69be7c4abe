package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/attach"
	"github.com/azchat/azchat/chat/tokens"
)

// named is err's text with the file named in it (attach's errors about
// bytes alone say "the file").
func named(err error, name string) string {
	var ae *attach.Error
	if errors.As(err, &ae) && ae.Name == "" {
		cp := *ae
		cp.Name = name
		return cp.Error()
	}
	return err.Error()
}

// countBlock is the exact cost of a text file's block for model, -1 if
// the tokenizer cannot be loaded.
func countBlock(model string, a *chat.Attachment) int {
	c, err := tokens.NewCounter(model)
	if err != nil {
		return -1
	}
	return c.Text(chat.FileBlock(a.Name, a.Lang, a.Text))
}

// maxRefusalsShown is how many refused files the message names; the rest
// are counted. (Forty photos in a format the API does not take made a
// dialog taller than the window, its OK button out of reach.)
const maxRefusalsShown = 8

// refusalText is the message naming the files not attached: one line
// each (a file name may hold line breaks), at most maxRefusalsShown.
func refusalText(refused []string) string {
	lines := make([]string, 0, maxRefusalsShown+1)
	for i, r := range refused {
		if i == maxRefusalsShown {
			lines = append(lines, fmt.Sprintf("… and %d more", len(refused)-i))
			break
		}
		lines = append(lines, chat.OneLine(r, 300))
	}
	return strings.Join(lines, "\n")
}
