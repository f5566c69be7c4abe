package cli

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAskAttachSendsImagesAndTextFiles(t *testing.T) {
	srv := start(t)
	dir := t.TempDir()
	img := filepath.Join(dir, "chart.png")
	if err := os.WriteFile(img, pngBytes(t, 64, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(dir, "notes.md")
	if err := os.WriteFile(notes, []byte("# Q3\nup 4%"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, srv, "", "ask", "--attach", img, "--attach", notes, "--detail", "high", "Summarise")
	if code != ExitOK || errs != "" || out == "" {
		t.Fatalf("code %d out %q err %q", code, out, errs)
	}
	msgs := srv.Requests()[0].Body["messages"].([]any)
	parts, ok := msgs[len(msgs)-1].(map[string]any)["content"].([]any)
	if !ok || len(parts) != 2 {
		t.Fatalf("content = %.300v", msgs[len(msgs)-1])
	}
	if text := parts[0].(map[string]any)["text"]; text != "Summarise\n\n"+chat.FileBlock("notes.md", "markdown", "# Q3\nup 4%") {
		t.Fatalf("text part = %q", text)
	}
	url := parts[1].(map[string]any)["image_url"].(map[string]any)
	if url["detail"] != "high" || !strings.HasPrefix(url["url"].(string), "data:image/png;base64,") {
		t.Fatalf("image part = %.120v", url)
	}
}

func TestAskAttachRefusesBeforeSending(t *testing.T) {
	srv := start(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "data.bin")
	if err := os.WriteFile(bin, []byte{0, 1, 2, 3, 0, 0, 7}, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, srv, "", "ask", "--attach", bin, "what is this")
	if code != ExitFailed || !strings.Contains(errs, "data.bin") || len(srv.Requests()) != 0 {
		t.Fatalf("binary file: code %d err %q, %d requests", code, errs, len(srv.Requests()))
	}
	// A name that would set the terminal's title is shown inert.
	odd := filepath.Join(dir, "x\x1b]0;owned\x07.bin")
	if err := os.WriteFile(odd, []byte{0, 1, 2, 3, 0, 0, 7}, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run(t, srv, "", "ask", "--attach", odd, "what is this")
	if code != ExitFailed || strings.ContainsAny(errs, "\x1b\x07") || !strings.Contains(errs, "x?]0;owned?.bin") {
		t.Fatalf("a name with escapes: code %d err %q", code, errs)
	}
	code, _, errs = run(t, srv, "", "ask", "--detail", "ultra", "hi")
	if code != ExitUsage || !strings.Contains(errs, "low, high or auto") {
		t.Fatalf("bad detail: code %d err %q", code, errs)
	}
	img := filepath.Join(dir, "a.png")
	if err := os.WriteFile(img, pngBytes(t, 4, 4), 0o600); err != nil {
		t.Fatal(err)
	}
	var args []string
	for range 11 {
		args = append(args, "--attach", img)
	}
	code, _, errs = run(t, srv, "", append(append([]string{"ask"}, args...), "hi")...)
	if code != ExitUsage || !strings.Contains(errs, "at most 10") || len(srv.Requests()) != 0 {
		t.Fatalf("11 images: code %d err %q", code, errs)
	}
}

func TestAskAttachNeedsAVisionModel(t *testing.T) {
	srv := &fakeazure.Server{APIKey: key, Deployments: map[string]fakeazure.Deployment{"chat": {Model: "gpt-35-turbo"}}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	img := filepath.Join(t.TempDir(), "a.png")
	if err := os.WriteFile(img, pngBytes(t, 4, 4), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run(t, srv, "", "ask", "--model", "gpt-35-turbo", "--attach", img, "hi")
	if code != ExitFailed || !strings.Contains(errs, "gpt-35-turbo does not take images") || len(srv.Requests()) != 0 {
		t.Fatalf("code %d err %q, %d requests", code, errs, len(srv.Requests()))
	}
}

func tokensFile(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "msgs.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Images are priced by the vision guide's rules; the text the same way as
// plain string content.
func TestTokensCountsImageParts(t *testing.T) {
	url := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pngBytes(t, 1024, 1024))
	text := `[{"role":"user","content":"What is in this image?"}]`
	_, base, _ := run(t, nil, "", "tokens", tokensFile(t, text))
	var plain int
	fmt.Sscan(base, &plain)
	for _, c := range []struct {
		detail string
		image  int
		note   string
	}{
		{"high", 765, "765 of them for 1 image(s)"},
		{"low", 85, "85 of them"},
		{"auto", 765, "upper bound"},
	} {
		parts := fmt.Sprintf(`[{"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image_url","image_url":{"url":%q,"detail":%q}}]}]`, url, c.detail)
		code, out, errs := run(t, nil, "", "tokens", tokensFile(t, parts))
		var n int
		fmt.Sscan(out, &n)
		if code != ExitOK || n != plain+c.image || !strings.Contains(errs, c.note) {
			t.Errorf("%s: code %d count %d (text alone %d, image %d) note %q", c.detail, code, n, plain, c.image, errs)
		}
	}
	// A patch model: 1,024 patches × 1.62, rounded up.
	parts := fmt.Sprintf(`[{"role":"user","content":[{"type":"image_url","image_url":{"url":%q}}]}]`, url)
	_, out, _ := run(t, nil, "", "tokens", "--model", "gpt-4.1-mini", tokensFile(t, parts))
	var n int
	fmt.Sscan(out, &n)
	if n != 3+1+1659+3 {
		t.Errorf("gpt-4.1-mini: %d tokens, want %d", n, 3+1+1659+3)
	}
	// Remote images are never fetched.
	remote := `[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.invalid/a.png"}}]}]`
	code, _, errs := run(t, nil, "", "tokens", tokensFile(t, remote))
	if code != ExitFailed || !strings.Contains(errs, "never fetches remote images") {
		t.Errorf("remote image: code %d err %q", code, errs)
	}
	broken := `[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]`
	if code, _, errs := run(t, nil, "", "tokens", tokensFile(t, broken)); code != ExitFailed || errs == "" {
		t.Errorf("broken image: code %d err %q", code, errs)
	}
}
