package app

import (
	"errors"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/settings"
)

func TestSettingsParsePrice(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		err  error
	}{
		{"2.5", 2.5, nil}, {" 0.5 ", 0.5, nil}, {".5", 0.5, nil}, {"3.", 3, nil}, {"0", 0, nil}, {"1000", 1000, nil},
		{"-1", 0, errPriceNegative}, {"-0.5", 0, errPriceNegative},
		{"0,5", 0, errPriceComma}, {"1,000", 0, errPriceComma},
		{"NaN", 0, errPriceFormat}, {"Inf", 0, errPriceFormat}, {"1e3", 0, errPriceFormat}, {"0x1p-2", 0, errPriceFormat},
		{"abc", 0, errPriceFormat}, {"1.2.3", 0, errPriceFormat}, {"$2", 0, errPriceFormat}, {"1" + strings.Repeat("0", 400), 0, errPriceFormat},
	} {
		got, err := parsePrice(c.in)
		if !errors.Is(err, c.err) || (c.err == nil && (got == nil || *got != c.want)) || (c.err != nil && got != nil) {
			t.Errorf("parsePrice(%q) = %v, %v; want %v, %v", c.in, got, err, c.want, c.err)
		}
	}
	if p, err := parsePrice("  "); p != nil || err != nil {
		t.Errorf("an empty price: %v, %v; want not set", p, err)
	}
}

// fillConnection fills what a profile needs to save, signing in with
// Entra ID so that no key (and no keychain) is needed.
func fillConnection(d *settingsDialog, name string) {
	d.Name.SetText(name)
	d.Endpoint.SetText("my-res")
	d.Deployment.SetText("gpt-4o")
	d.Auth.SetSelected(authLabels[azure.AuthEntra])
}

// TestSettingsPricesRoundTrip: prices typed in the dialog are saved into
// the profile and shown again when the dialog opens on a fresh load.
func TestSettingsPricesRoundTrip(t *testing.T) {
	prefs := &settings.MemPrefs{}
	d, _ := openDialog(t, settings.Load(prefs), nil)
	for _, e := range []*escEntry{d.PriceInput, d.PriceCached, d.PriceOutput} {
		if e.Text != "" {
			t.Fatalf("a new profile has a price: %q", e.Text)
		}
	}
	fillConnection(d, "Priced")
	d.PriceInput.SetText("2.5")
	d.PriceOutput.SetText(" 10 ")
	act(d, func() { test.Tap(d.SaveButton) })
	p, ok := settings.Load(prefs).Current()
	if !ok || p.Prices.Input == nil || *p.Prices.Input != 2.5 || p.Prices.CachedInput != nil || p.Prices.Output == nil || *p.Prices.Output != 10 {
		t.Fatalf("saved prices %+v (profile saved: %v)", p.Prices, ok)
	}
	d2, _ := openDialog(t, settings.Load(prefs), nil)
	if d2.PriceInput.Text != "2.5" || d2.PriceCached.Text != "" || d2.PriceOutput.Text != "10" {
		t.Fatalf("reopened: %q %q %q", d2.PriceInput.Text, d2.PriceCached.Text, d2.PriceOutput.Text)
	}
	// Cleared, a price is not set any more.
	d2.PriceInput.SetText("")
	d2.PriceCached.SetText("0.25")
	act(d2, func() { test.Tap(d2.SaveButton) })
	p, _ = settings.Load(prefs).Current()
	if p.Prices.Input != nil || p.Prices.CachedInput == nil || *p.Prices.CachedInput != 0.25 {
		t.Fatalf("after clearing the input price: %+v", p.Prices)
	}
	// A new profile starts with none.
	act(d2, func() { test.Tap(d2.AddButton) })
	if d2.PriceInput.Text != "" || d2.PriceCached.Text != "" || d2.PriceOutput.Text != "" {
		t.Fatal("a new profile took the last one's prices")
	}
}

// TestSettingsRefusesInvalidPrices: a bad price is refused with a message
// that names the field and says what it takes, and nothing is saved.
func TestSettingsRefusesInvalidPrices(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	d, w := openDialog(t, store, nil)
	fillConnection(d, "Priced")
	box := dialogBox(t, w)
	for _, c := range []struct {
		field *escEntry
		in    string
		says  string
	}{
		{d.PriceInput, "-1", "Input price: a price cannot be negative"},
		{d.PriceCached, "0,5", "Cached input price: use a dot for decimals"},
		{d.PriceOutput, "NaN", "Output price: a price per million tokens"},
		{d.PriceOutput, "1e3", "Output price: a price per million tokens"},
	} {
		c.field.SetText(c.in)
		if c.field.Validate() == nil {
			t.Errorf("%q passed the field's validator", c.in)
		}
		act(d, func() { test.Tap(d.SaveButton) })
		if len(store.Profiles()) != 0 {
			t.Fatalf("saved with the price %q", c.in)
		}
		var msg string
		for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "price") {
				msg = l.Text
			}
		}
		if !strings.HasPrefix(msg, c.says) {
			t.Fatalf("price %q: message %q, want %q…", c.in, msg, c.says)
		}
		tapButton(t, w, "OK")
		if dialogBox(t, w) != box {
			t.Fatal("the message did not return to the settings dialog")
		}
		c.field.SetText("")
	}
}

// TestSettingsValidateRefusesBadPrices: a price that did not come through
// the dialog (a hand-edited file) is checked when the profile is.
func TestSettingsValidateRefusesBadPrices(t *testing.T) {
	for _, v := range []float64{-1, math.NaN(), math.Inf(1)} {
		p := settings.Profile{Name: "p", Endpoint: "r", Deployment: "d", Prices: chat.Prices{Output: &v}}
		if _, err := settings.Validate(p); err == nil {
			t.Errorf("price %v accepted", v)
		}
	}
	zero := 0.0
	if _, err := settings.Validate(settings.Profile{Name: "p", Endpoint: "r", Deployment: "d", Prices: chat.Prices{Input: &zero}}); err != nil {
		t.Errorf("a zero price refused: %v", err)
	}
}
