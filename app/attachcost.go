package app

import (
	"fmt"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/models"
)

// What a draft's chips say each file costs the model in use, counted again
// when the model changes.

// costText is what a chip says an attachment costs the current model.
func (d *draft) costText(it *draftItem) string {
	if it.att.Kind == chat.TextAttachment {
		if it.textTokens < 0 {
			return "counting…"
		}
		return fmt.Sprintf("%s tokens", num(it.textTokens))
	}
	model := d.u.ctl.Model()
	rule, _ := models.ImageRuleFor(model)
	c := rule.Cost(it.att.Width, it.att.Height, string(d.detail()))
	// Words, not ≤ and ≈: the theme's font has neither, and Fyne draws the
	// space after a character from a fallback font with that font (which
	// may have none: a box).
	s := num(c.Tokens) + " tokens"
	var notes []string
	if c.Estimate {
		s = "about " + s
	}
	if c.UpperBound {
		s = "up to " + s
		notes = append(notes, "detail auto: counted as high")
	}
	if c.Estimate {
		if _, known := models.Lookup(model, ""); known {
			notes = append(notes, "estimate")
		} else {
			notes = append(notes, "estimate by gpt-4o's rule")
		}
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s
}

// label writes a chip's text on two lines, its name and its cost: on one,
// an image's cost notes made the chip so wide that the next chip was
// out of sight in the tray.
func (d *draft) label(it *draftItem) {
	name := chat.OneLine(it.att.Name, maxChipNameRunes)
	if it.att.Kind == chat.ImageAttachment {
		name += fmt.Sprintf(" · %d×%d", it.att.Width, it.att.Height)
	}
	setText(it.label, name+"\n"+d.costText(it))
}

// maxChipNameRunes bounds the file name a chip shows (the tray scrolls).
const maxChipNameRunes = 40

// vision reports whether the current model takes images: a model the
// facts table does not know is given the benefit of the doubt.
func (d *draft) vision() (bool, string) {
	model := d.u.ctl.Model()
	f, known := models.Lookup(model, "")
	return !known || f.Vision, model
}

// modelChanged updates the image button and the chips' costs for the
// model now in use.
func (d *draft) modelChanged() {
	ok, model := d.vision()
	if ok {
		d.imageB.setTip("Attach images (PNG, JPEG, GIF, WEBP) — or drop them on the window")
		d.imageB.Enable()
	} else {
		d.imageB.setTip(fmt.Sprintf("%s does not take images — choose a deployment of a vision model in Settings", model))
		d.imageB.Disable()
	}
	if model != d.model {
		// Another encoding may count a text file differently.
		d.model = model
		d.recount(model)
	}
	for _, it := range d.items {
		d.label(it)
	}
}

// recount counts the text files' blocks again for model, off the UI thread.
func (d *draft) recount(model string) {
	for _, it := range d.items {
		if it.att.Kind != chat.TextAttachment {
			continue
		}
		it.textTokens = -1
		a := it.att
		go func() {
			n := countBlock(model, &a)
			d.u.bridge.push(func() {
				if d.model == model {
					it.textTokens = n
					d.label(it)
				}
			})
		}()
	}
}
