package app

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
)

// azurePricingURL is Azure's own price list for its OpenAI models: azchat
// ships no prices (they depend on region and deployment type), so it points
// the user to where theirs are.
const azurePricingURL = "https://azure.microsoft.com/pricing/details/cognitive-services/openai-service/"

// What a price field accepts, said the way the field's validator and the
// Save message show it.
var (
	errPriceComma    = errors.New("use a dot for decimals: 0.5, not 0,5 (and no thousands separators)")
	errPriceNegative = errors.New("a price cannot be negative")
	errPriceFormat   = errors.New("a price per million tokens, like 2.5, or empty")
)

// priceNumber is a plain decimal: digits with an optional dot. It keeps
// out what strconv.ParseFloat would also take ("NaN", "Inf", "1e3",
// "0x1p-2"), none of which a person means as a price.
var priceNumber = regexp.MustCompile(`^([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// parsePrice reads a price field: empty is nil (not set), otherwise a
// non-negative decimal number with '.' for decimals. A comma is refused
// rather than guessed at: "1,000" is a thousand to some and one to others.
func parsePrice(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, nil
	case strings.HasPrefix(s, "-"):
		return nil, errPriceNegative
	case strings.Contains(s, ","):
		return nil, errPriceComma
	case !priceNumber.MatchString(s):
		return nil, errPriceFormat
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, errPriceFormat
	}
	return &f, nil
}

func validPrice(s string) error {
	_, err := parsePrice(s)
	return err
}

// buildPrices makes the price fields and returns the form rows that show
// them: a note on what they are for, a link to Azure's prices, and one row
// per price.
func (d *settingsDialog) buildPrices() []*widget.FormItem {
	entry := func() *escEntry {
		e := newEscEntry(d.win, false)
		e.SetPlaceHolder("not set")
		e.Validator = validPrice
		return e
	}
	d.PriceInput, d.PriceCached, d.PriceOutput = entry(), entry(), entry()
	d.PriceNote = newDimLabel("Optional, in your currency per million tokens, to show what answers cost. " +
		"Azure's prices depend on region and deployment type (global, data zone, regional). Use a dot for decimals.")
	d.PriceNote.Wrapping = fyne.TextWrapWord
	u, _ := url.Parse(azurePricingURL)
	// The link text names the host, so the user sees where it goes before
	// the browser opens (only when clicked).
	d.PriceLink = widget.NewHyperlink("Azure OpenAI prices (azure.microsoft.com)", u)
	row := func(label string, e *escEntry) *widget.FormItem {
		it := widget.NewFormItem(label, e)
		it.HintText = "per million tokens"
		return it
	}
	return []*widget.FormItem{
		widget.NewFormItem("Prices", container.NewVBox(d.PriceNote, d.PriceLink)),
		row("Input", d.PriceInput),
		row("Cached input", d.PriceCached),
		row("Output", d.PriceOutput),
	}
}

// showPrices fills the price fields from a profile.
func (d *settingsDialog) showPrices(p chat.Prices) {
	d.PriceInput.SetText(floatText(p.Input))
	d.PriceCached.SetText(floatText(p.CachedInput))
	d.PriceOutput.SetText(floatText(p.Output))
}

// formPrices reads the price fields; the error names the field, since the
// Save message shows it away from the form.
func (d *settingsDialog) formPrices() (chat.Prices, error) {
	var p chat.Prices
	for _, f := range []struct {
		label string
		e     *escEntry
		dst   **float64
	}{
		{"Input price", d.PriceInput, &p.Input},
		{"Cached input price", d.PriceCached, &p.CachedInput},
		{"Output price", d.PriceOutput, &p.Output},
	} {
		v, err := parsePrice(f.e.Text)
		if err != nil {
			return chat.Prices{}, fmt.Errorf("%s: %w", f.label, err)
		}
		*f.dst = v
	}
	return p, nil
}
