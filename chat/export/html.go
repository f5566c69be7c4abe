package export

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/markdown"
)

// The model's Markdown becomes HTML with goldmark, whose defaults drop
// dangerous link schemes; raw HTML in the text is shown escaped rather than
// dropped (nothing a message says is lost, nothing it says runs).
var md = goldmark.New(goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100))))

type escapeRawHTML struct{}

// RegisterFuncs renders HTML blocks and inline HTML as visible text.
func (escapeRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			b := n.(*ast.HTMLBlock)
			_, _ = w.WriteString("<p>")
			for i := 0; i < b.Lines().Len(); i++ {
				seg := b.Lines().At(i)
				_, _ = w.WriteString(template.HTMLEscapeString(string(seg.Value(src))))
			}
			if b.HasClosure() {
				_, _ = w.WriteString(template.HTMLEscapeString(string(b.ClosureLine.Value(src))))
			}
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			r := n.(*ast.RawHTML)
			for i := 0; i < r.Segments.Len(); i++ {
				seg := r.Segments.At(i)
				_, _ = w.WriteString(template.HTMLEscapeString(string(seg.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	// An image becomes a link with its alt text: opening an export must not
	// fetch anything (a remote image would tell its server the page was
	// read), and a local path means nothing on another machine.
	reg.Register(ast.KindImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		img := n.(*ast.Image)
		alt := markdown.PlainText(img, src)
		if alt == "" {
			alt = "image"
		}
		dest := string(img.Destination)
		u, err := url.Parse(dest)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			_, _ = w.WriteString(`<a class="image" href="` + template.HTMLEscapeString(dest) + `" rel="noreferrer">[image: ` + template.HTMLEscapeString(alt) + `]</a>`)
		} else {
			_, _ = w.WriteString(`<span class="image">[image: ` + template.HTMLEscapeString(alt) + ` — ` + template.HTMLEscapeString(dest) + `]</span>`)
		}
		return ast.WalkSkipChildren, nil
	})
}

// page is the HTML export in pieces: head, then for each message open,
// its attachments (written directly, see writeAttachmentHTML), close; then
// foot.
var page = template.Must(template.New("page").Parse(`{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'{{if .Images}}; img-src data:{{end}}">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1f;background:#fff}
h1{font-size:1.6rem}
.msg{border-top:1px solid #ddd;padding:.75rem 0}
.who{font-weight:600;color:#444}
.meta{color:#777;font-weight:400;font-size:.85rem}
.user .who{color:#1565c0}
.note{color:#a15c00;font-style:italic;font-size:.9rem}
.system{background:#f5f5f7;padding:.5rem .75rem;border-radius:6px}
pre{background:#f5f5f7;padding:.75rem;border-radius:6px;overflow-x:auto}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.25rem .5rem}
.attachment{margin:.5rem 0}
.typed{white-space:pre-wrap}
.attachment img{max-width:100%;height:auto;border-radius:6px}
.attachment figcaption,.file-name{color:#777;font-size:.85rem}
@media (prefers-color-scheme:dark){body{background:#1d1d1f;color:#eee}.system,pre{background:#2a2a2e}.who{color:#ccc}}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .System}}<p class="system"><strong>System:</strong> {{.System}}</p>{{end}}
{{end}}{{define "open"}}<div class="msg {{.Class}}">
<div class="who">{{.Who}} <span class="meta">{{.Meta}}</span></div>
{{.Body}}
{{end}}{{define "close"}}{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
</div>
{{end}}{{define "foot"}}</body>
</html>
{{end}}`))

type htmlMessage struct {
	Class, Who, Meta, Note string
	Body                   template.HTML
}

func renderHTML(conv *chat.Conversation) ([]byte, error) {
	head := struct {
		Title, System string
		Images        bool
	}{Title: Title(conv), System: conv.System}
	// Room for the images up front, so the buffer is not copied as they go in.
	size := 16 << 10
	for _, m := range conv.Messages {
		size += 2*len(m.Content) + 256
		for i := range m.Attachments {
			if a := &m.Attachments[i]; embeddable(a) {
				head.Images = true
				size += dataURLLen(a) + 2*len(a.Name) + 128
			} else {
				size += 2*len(a.Text) + 256
			}
		}
	}
	var b bytes.Buffer
	b.Grow(size)
	if err := page.ExecuteTemplate(&b, "head", head); err != nil {
		return nil, err
	}
	for _, m := range conv.Messages {
		var body bytes.Buffer
		if m.Role == chat.User {
			// As typed, as the window shows it: plain text, each line
			// where it was written ("a*b*c", "# x" and "__init__" are not
			// read as Markdown).
			body.WriteString(`<p class="typed">` + template.HTMLEscapeString(m.Content) + "</p>")
		} else if err := md.Convert([]byte(m.Content), &body); err != nil {
			body.Reset()
			body.WriteString("<pre>" + template.HTMLEscapeString(m.Content) + "</pre>")
		}
		meta := stamp(m.Time)
		if m.Role == chat.Assistant && m.Model != "" {
			meta += " · " + m.Model
		}
		hm := htmlMessage{Class: string(m.Role), Who: who(m.Role), Meta: meta, Note: Note(m), Body: template.HTML(body.String())}
		if err := page.ExecuteTemplate(&b, "open", hm); err != nil {
			return nil, err
		}
		for i := range m.Attachments {
			writeAttachmentHTML(&b, &m.Attachments[i])
		}
		if err := page.ExecuteTemplate(&b, "close", hm); err != nil {
			return nil, err
		}
	}
	if err := page.ExecuteTemplate(&b, "foot", nil); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// embeddable reports whether an attachment is an image the page shows:
// one of the types azchat takes, with its bytes.
func embeddable(a *chat.Attachment) bool {
	return a.Kind == chat.ImageAttachment && mimeOK(a.MIME) && len(a.Data) > 0
}

// writeAttachmentHTML writes an attachment of the user's: an image as an
// <img> with a data: URL (the only images the page loads: the page's
// policy allows data: images and nothing else, and the model's images stay
// links), a text file as its name over its escaped content.
func writeAttachmentHTML(b *bytes.Buffer, a *chat.Attachment) {
	name := template.HTMLEscapeString(imageName(a))
	switch {
	case a.Kind == chat.TextAttachment:
		b.WriteString(`<div class="attachment file"><div class="file-name">` + template.HTMLEscapeString(a.Name) + `</div><pre><code`)
		if a.Lang != "" {
			b.WriteString(` class="language-` + template.HTMLEscapeString(a.Lang) + `"`)
		}
		b.WriteString(">" + template.HTMLEscapeString(a.Text) + "</code></pre></div>\n")
	case embeddable(a):
		b.WriteString(`<figure class="attachment"><img src="`)
		writeDataURL(b, a)
		b.WriteString(`" alt="` + name + `"`)
		if a.Width > 0 && a.Height > 0 {
			fmt.Fprintf(b, ` width="%d" height="%d"`, a.Width, a.Height)
		}
		b.WriteString("><figcaption>" + name + "</figcaption></figure>\n")
	default:
		b.WriteString(`<p class="attachment">[image: ` + template.HTMLEscapeString(imageLabel(a)) + "]</p>\n")
	}
}
