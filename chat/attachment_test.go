package chat_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/tokens"
)

func TestFileBlockRoundTrip(t *testing.T) {
	for _, text := range []string{"", "plain", "ends with newline\n", "```go\nfenced\n```", "a ```` run\n", "\n\n"} {
		block := chat.FileBlock("main.go", "go", text)
		name, lang, got, ok := chat.ParseFileBlock(block)
		if !ok || name != "main.go" || lang != "go" || got != text {
			t.Errorf("round trip of %q: ok=%v name=%q lang=%q text=%q\n%s", text, ok, name, lang, got, block)
		}
		// The block ends with its own fence: text with backticks never closes it early.
		lines := strings.Split(block, "\n")
		if fence := lines[1]; !strings.HasPrefix(fence, "```") || lines[len(lines)-1] != strings.TrimSuffix(fence, "go") {
			t.Errorf("block of %q is not closed by its fence:\n%s", text, block)
		}
	}
	if _, _, _, ok := chat.ParseFileBlock("File: x\n```\nnot closed"); ok {
		t.Error("an unclosed block parsed")
	}
	if _, _, _, ok := chat.ParseFileBlock("just text"); ok {
		t.Error("plain text parsed as a block")
	}
}

func FuzzFileBlock(f *testing.F) {
	f.Add("a.txt", "", "hello")
	f.Add("b.md", "markdown", "```\ncode\n```\n")
	f.Fuzz(func(t *testing.T, name, lang, text string) {
		if strings.ContainsAny(name, "\r\n") || strings.ContainsAny(lang, "`\n\r") {
			t.Skip()
		}
		n, l, got, ok := chat.ParseFileBlock(chat.FileBlock(name, lang, text))
		if !ok || n != name || l != lang || got != text {
			t.Fatalf("round trip failed: %v %q %q %q", ok, n, l, got)
		}
	})
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func imageAttachment(t *testing.T, w, h int, detail chat.Detail) chat.Attachment {
	return chat.Attachment{Kind: chat.ImageAttachment, Name: "shot.png", MIME: "image/png", Data: pngOf(t, w, h), Width: w, Height: h, Detail: detail}
}

// A message's cost is its text (with its text files) by the message
// formula plus each image by the model's rule.
func TestMessageCostCountsAttachments(t *testing.T) {
	counter, err := tokens.NewCounter("gpt-4o")
	if err != nil {
		t.Fatal(err)
	}
	m := &chat.Message{Role: chat.User, Content: "What is in this picture?"}
	m.SetAttachments([]chat.Attachment{
		imageAttachment(t, 1024, 1024, chat.DetailHigh),
		imageAttachment(t, 2048, 4096, chat.DetailLow),
		{Kind: chat.TextAttachment, Name: "notes.md", Lang: "markdown", Text: "# Notes\nSee the image."},
	})
	text := "What is in this picture?\n\n" + chat.FileBlock("notes.md", "markdown", "# Notes\nSee the image.")
	if m.PromptText() != text {
		t.Fatalf("prompt text = %q", m.PromptText())
	}
	want := counter.Message("user", "", text) + 765 + 85
	if got := m.Cost(counter); got != want {
		t.Fatalf("cost = %d, want %d", got, want)
	}
}

func TestPlanRefusesMoreThanTenImages(t *testing.T) {
	counter, err := tokens.NewCounter("gpt-4o")
	if err != nil {
		t.Fatal(err)
	}
	img := imageAttachment(t, 8, 8, chat.DetailLow)
	old := &chat.Message{Role: chat.User, Content: "old", Status: chat.Complete, Attachments: []chat.Attachment{img, img, img}}
	reply := &chat.Message{Role: chat.Assistant, Content: "seen", Status: chat.Complete}
	newest := &chat.Message{Role: chat.User, Content: "new", Status: chat.Complete, Attachments: make([]chat.Attachment, 8)}
	for i := range newest.Attachments {
		newest.Attachments[i] = img
	}
	conv := &chat.Conversation{Messages: []*chat.Message{old, reply, newest}}
	b, err := chat.PlanWithin(conv, counter, chat.Limits{Window: 100000, Reserve: 100}, chat.DropOldest)
	if err != nil {
		t.Fatal(err)
	}
	// 8 new + 3 old would be 11: the old message is left out, as if it did
	// not fit, and its answer with it.
	if len(b.Sent) != 1 || b.Sent[0] != 2 || len(b.Omitted) != 2 {
		t.Fatalf("sent %v omitted %v", b.Sent, b.Omitted)
	}
	newest.Attachments = append(newest.Attachments, img, img, img)
	_, err = chat.PlanWithin(conv, counter, chat.Limits{Window: 100000, Reserve: 100}, chat.DropOldest)
	var tm *chat.TooManyImagesError
	if !errors.As(err, &tm) || tm.Images != 11 || chat.AsError(err).Kind != chat.KindAttachment {
		t.Fatalf("11 images in one message: %v", err)
	}
}

func TestWireSendsImagesAsDataURLs(t *testing.T) {
	counter, _ := tokens.NewCounter("gpt-4o")
	img := imageAttachment(t, 4, 4, "")
	conv := &chat.Conversation{Messages: []*chat.Message{{Role: chat.User, Content: "look", Status: chat.Complete, Attachments: []chat.Attachment{img}}}}
	b, err := chat.PlanWithin(conv, counter, chat.Limits{Window: 10000, Reserve: 100}, chat.DropOldest)
	if err != nil {
		t.Fatal(err)
	}
	w := b.Wire(conv)
	if len(w) != 1 || len(w[0].Images) != 1 {
		t.Fatalf("wire = %+v", w)
	}
	want := "data:image/png;base64," + base64.StdEncoding.EncodeToString(img.Data)
	if w[0].Images[0].URL != want || w[0].Images[0].Detail != chat.DetailAuto {
		t.Fatalf("image part = %.60s… detail %q", w[0].Images[0].URL, w[0].Images[0].Detail)
	}
}

// The request carries the text (with the text file's block) and the image
// as a data: URL in an image_url part, with the chat's detail.
func TestSendWithAttachmentsOverHTTP(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.ctl.SetOverrides(chat.Overrides{Detail: chat.DetailLow})
	img := imageAttachment(t, 16, 8, "")
	file := chat.Attachment{Kind: chat.TextAttachment, Name: "a.csv", Lang: "csv", Text: "x,y\n1,2"}
	if err := r.ctl.SendWith("Compare these", []chat.Attachment{img, file}); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	reqs := r.srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	msgs, _ := reqs[0].Body["messages"].([]any)
	last, _ := msgs[len(msgs)-1].(map[string]any)
	parts, ok := last["content"].([]any)
	if !ok || len(parts) != 2 {
		t.Fatalf("content = %#v", last["content"])
	}
	text, _ := parts[0].(map[string]any)
	if text["type"] != "text" || text["text"] != "Compare these\n\n"+chat.FileBlock("a.csv", "csv", "x,y\n1,2") {
		t.Fatalf("text part = %#v", text)
	}
	imgPart, _ := parts[1].(map[string]any)
	url, _ := imgPart["image_url"].(map[string]any)
	if imgPart["type"] != "image_url" || url["url"] != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(img.Data) || url["detail"] != "low" {
		t.Fatalf("image part = %.200v", imgPart)
	}
	conv := r.ctl.Conversation()
	if got := conv.Messages[0].Attachments; len(got) != 2 || got[0].Detail != chat.DetailLow {
		t.Fatalf("stored attachments = %+v", got)
	}
}

// A model the table marks without vision is never sent images: the
// message comes back with its attachments and a reason.
func TestImagesRefusedForModelWithoutVision(t *testing.T) {
	r := newRig(t, chat.Options{Deployment: "small", Model: "gpt-35-turbo"}, nil)
	img := imageAttachment(t, 4, 4, "")
	if err := r.ctl.SendWith("what is this", []chat.Attachment{img}); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	if n := len(r.srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	errs := r.rec.errors()
	if len(errs) != 1 || errs[0].Index != -1 || errs[0].Err.Kind != chat.KindAttachment || errs[0].Text != "what is this" ||
		len(errs[0].Attachments) != 1 || !strings.Contains(errs[0].Err.Reason, "does not take images") {
		t.Fatalf("errors = %+v", errs)
	}
	if len(r.ctl.Conversation().Messages) != 0 {
		t.Fatal("the refused message stayed in the conversation")
	}
}

// Through the Responses API the image goes as an input_image item with
// its data: URL, after the text.
func TestSendWithImagesThroughResponses(t *testing.T) {
	r := newRig(t, chat.Options{API: chat.APIResponses}, nil)
	img := imageAttachment(t, 32, 32, chat.DetailHigh)
	if err := r.ctl.SendWith("describe", []chat.Attachment{img}); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	reqs := r.srv.Requests()
	if len(reqs) != 1 || !strings.HasSuffix(reqs[0].Path, "/responses") {
		t.Fatalf("requests = %+v", reqs)
	}
	if got := reqs[0].Images; len(got) != 1 || got[0].MIME != "image/png" || got[0].Detail != "high" || got[0].Bytes != len(img.Data) {
		t.Fatalf("images received = %+v", got)
	}
	input, _ := reqs[0].Body["input"].([]any)
	msg, _ := input[len(input)-1].(map[string]any)
	content, _ := msg["content"].([]any)
	if len(content) != 2 || content[0].(map[string]any)["type"] != "input_text" || content[1].(map[string]any)["type"] != "input_image" {
		t.Fatalf("input = %.300v", msg)
	}
	answer := r.ctl.Conversation().Messages[1]
	if answer.Status != chat.Complete || !strings.Contains(answer.Content, "with 1 image") {
		t.Fatalf("answer = %q (%s)", answer.Content, answer.Status)
	}
}

// A chat whose earlier messages have images goes on with a model that
// sees none: their text is sent, their images are left out.
func TestEarlierImagesLeftOutForAModelWithoutVision(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	if err := r.ctl.SendWith("look", []chat.Attachment{imageAttachment(t, 8, 8, "")}); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	r.ctl.SetOptions(chat.Options{Deployment: "small", Model: "gpt-35-turbo"})
	r.send(t, "and now in words?")
	reqs := r.srv.Requests()
	if len(reqs) != 2 || len(reqs[1].Images) != 0 {
		t.Fatalf("%d requests; the second carried %d images", len(reqs), len(reqs[len(reqs)-1].Images))
	}
	msgs, _ := reqs[1].Body["messages"].([]any)
	if first, _ := msgs[0].(map[string]any); first["content"] != "look" {
		t.Fatalf("the earlier question = %#v, want its text alone", first["content"])
	}
	if errs := r.rec.errors(); len(errs) != 0 {
		t.Fatalf("errors: %+v", errs)
	}
}
