package azure

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestImageRefusalsAreAttachmentErrors: the ways the service says it
// would not take an image (a code, the parameter, only a message, a body
// too large) are attachment failures, not the settings' fault; other bad
// requests stay what they were.
func TestImageRefusalsAreAttachmentErrors(t *testing.T) {
	c := &Client{}
	for _, tc := range []struct {
		status int
		body   string
		want   chat.Kind
	}{
		{400, `{"error":{"message":"Invalid image.","type":"invalid_request_error","param":null,"code":null}}`, chat.KindAttachment},
		{400, `{"error":{"code":"invalid_image_format","message":"unsupported"}}`, chat.KindAttachment},
		{400, `{"error":{"code":"BadRequest","message":"bad","param":"messages[2].content[1].image_url"}}`, chat.KindAttachment},
		{413, `{"error":{"code":"image_too_large","message":"too large"}}`, chat.KindAttachment},
		{400, `{"error":{"code":"BadRequest","message":"Something else was wrong."}}`, chat.KindBadRequest},
		{400, `{"error":{"code":"context_length_exceeded","message":"too many tokens, images included"}}`, chat.KindContextLength},
	} {
		e := c.FromHTTP(tc.status, []byte(tc.body), nil)
		if e.Kind != tc.want {
			t.Errorf("%d %s: %q (%s)", tc.status, tc.body, e.Kind, e.Reason)
		}
		if e.Kind == chat.KindAttachment && (e.Action != chat.ActionEdit || e.Reason == "") {
			t.Errorf("%s: action %q, reason %q", tc.body, e.Action, e.Reason)
		}
	}
}

// TestContextLengthSaysAzuresNumbers: context_length_exceeded says the
// numbers Azure gave and where the context window is lowered (it said "in
// settings": the chat's own is in Edit > This chat's settings).
func TestContextLengthSaysAzuresNumbers(t *testing.T) {
	c := &Client{}
	e := c.FromHTTP(400, fakeazure.Fixture("error-400-context-length.json"), nil)
	if e.Kind != chat.KindContextLength || !strings.Contains(e.Reason, "(Azure counted 131,072 tokens; the model takes 128,000)") || !strings.Contains(e.Reason, "This chat's settings") {
		t.Fatalf("%+v", e)
	}
	e = c.FromHTTP(400, []byte(`{"error":{"code":"context_length_exceeded","message":"too many tokens"}}`), nil)
	if strings.Contains(e.Reason, "counted") || !strings.HasPrefix(e.Reason, "the conversation is longer than the model's context window: ") {
		t.Fatalf("without numbers: %q", e.Reason)
	}
}
