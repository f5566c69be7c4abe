package markdown

import (
	"net/url"
	"strings"
	"testing"
)

func TestLiveLink(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://learn.microsoft.com/":   true,
		"http://example.invalid/a?b":     true,
		"mailto:someone@example.invalid": true,
		"HTTPS://EXAMPLE.INVALID":        true,
		"file:///etc/passwd":             false,
		"smb://server/share":             false,
		"javascript:alert(1)":            false,
		"ms-settings:privacy":            false,
		"vscode://file/x":                false,
		"/relative/path":                 false,
		"https:///nohost":                false,
		"mailto:":                        false,
		// A mail program may honour attach= (a local file, mailed away).
		"mailto:a@example.invalid?subject=Hi&body=there&cc=b@example.invalid": true,
		"mailto:a@example.invalid?attach=/home/me/.ssh/id_ed25519":            false,
		"mailto:a@example.invalid?Attachment=file:///etc/passwd":              false,
		"mailto:a@example.invalid?subject=%zz":                                false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := LiveLink(u); got != want {
			t.Errorf("LiveLink(%q) = %v", raw, got)
		}
	}
	if LiveLink(nil) {
		t.Error("a nil link is live")
	}
}

func TestWhere(t *testing.T) {
	for dest, want := range map[string]string{
		"https://evil.example.invalid/leak?q=1": "evil.example.invalid",
		"http://127.0.0.1:8080/x.png":           "127.0.0.1:8080",
		"file:///home/me/.ssh/id_rsa":           "local file /home/me/.ssh/id_rsa",
		"/dev/zero":                             "local file /dev/zero",
		"~/.ssh/id_rsa":                         "local file ~/.ssh/id_rsa",
		`C:\Users\me\secret.png`:                `local file C:\Users\me\secret.png`,
		"data:image/png;base64,AAAA":            "image/png data embedded in the text",
		"data:,hello":                           "data embedded in the text",
		"ftp://files.example.invalid/a":         "files.example.invalid",
		"tel:123":                               "tel address",
		"":                                      "no address",
	} {
		if got := Where(dest); got != want {
			t.Errorf("Where(%q) = %q, want %q", dest, got, want)
		}
	}
}

func TestQuoteHTML(t *testing.T) {
	for src, want := range map[string]string{
		"plain *text*":                       "plain *text*",
		"a <b>bold</b> word":                 "a `<b>`bold`</b>` word",
		"<script>alert(1)</script>":          "`<script>alert(1)</script>`",
		"<div>\nx\n</div>\n\nafter":          "`<div>`\n`x`\n`</div>`\n\nafter",
		"> <img src=x>":                      "> `<img src=x>`",
		"`<b>` already code":                 "`<b>` already code",
		"<https://autolink.example.invalid>": "<https://autolink.example.invalid>",
		"a <span title=\"`q`\">":             "a ``<span title=\"`q`\">``",
	} {
		if got := QuoteHTML(src); got != want {
			t.Errorf("QuoteHTML(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestImages(t *testing.T) {
	got := Images("![one](http://a.invalid/1.png) text [![two *b*](/p.png)](https://x.invalid)\n\n| ![three](c.png) |\n|---|\n")
	if len(got) != 3 || got[0] != (Image{"one", "http://a.invalid/1.png"}) || got[1] != (Image{"two b", "/p.png"}) || got[2].Alt != "three" {
		t.Fatalf("%+v", got)
	}
}

func FuzzQuoteHTML(f *testing.F) {
	for _, s := range []string{"", "<b>x</b>", "<div>\n</div>", "> <p>\n> x", "- <i>\n  </i>", "``<a>``"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := QuoteHTML(s)
		// Quoting only adds backticks and spaces; every byte written stays.
		stripped := strings.NewReplacer("`", "", " ", "").Replace(out)
		if stripped != strings.NewReplacer("`", "", " ", "").Replace(s) {
			t.Fatalf("QuoteHTML(%q) = %q changed the text", s, out)
		}
	})
}
