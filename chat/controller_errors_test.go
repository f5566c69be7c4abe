package chat_test

// The controller and failures: streams cut or malformed, timeouts, the
// error map, rate limits and retries.

import (
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
)

func TestDroppedStreamIsInterrupted(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("word ", 50), DropAfter: 5})
	m := r.send(t, "go")
	if m.Status != chat.Interrupted || m.Content == "" || m.Error == "" {
		t.Fatalf("answer = %+v", m)
	}
	errs := r.rec.errors()
	if len(errs) != 1 || errs[0].Err.Kind != chat.KindConnection {
		t.Fatalf("errors = %+v", errs)
	}
}

func TestMalformedEvent(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Malformed: true})
	m := r.send(t, "go")
	if m.Status != chat.Interrupted || r.rec.errors()[0].Err.Kind != chat.KindMalformed {
		t.Fatalf("answer = %+v errors %+v", m, r.rec.errors())
	}
}

func TestIdleAndFirstByteTimeouts(t *testing.T) {
	// Each timeout in a rig of its own, the other one long: the first
	// text must arrive within the first-byte timeout, which a loaded
	// machine may not manage in 300 ms.
	r := newRig(t, chat.Options{MaxRetries: -1}, func(_ *fakeazure.Server, c *azure.Config) {
		c.FirstByteTimeout, c.IdleTimeout = 30*time.Second, 300*time.Millisecond
	})
	r.srv.Script(fakeazure.Behaviour{StallAfter: 3})
	m := r.send(t, "go")
	if m.Status != chat.Interrupted || r.rec.errors()[0].Err.Kind != chat.KindTimeout {
		t.Fatalf("stall: %+v %+v", m, r.rec.errors())
	}
	r = newRig(t, chat.Options{MaxRetries: -1}, func(_ *fakeazure.Server, c *azure.Config) {
		c.FirstByteTimeout, c.IdleTimeout = 300*time.Millisecond, 30*time.Second
	})
	r.srv.Script(fakeazure.Behaviour{FirstByteDelay: time.Minute})
	m = r.send(t, "go")
	errs := r.rec.errors()
	if m.Status != chat.Failed || errs[len(errs)-1].Err.Kind != chat.KindTimeout {
		t.Fatalf("slow first byte: %+v %+v", m, errs[len(errs)-1].Err)
	}
}

func fixtureError(status int, name string, header map[string]string) fakeazure.Behaviour {
	return fakeazure.Behaviour{Status: status, Body: fakeazure.Fixture(name), Header: header}
}

func TestErrorMap(t *testing.T) {
	cases := []struct {
		name   string
		b      *fakeazure.Behaviour
		dep    string
		key    string
		base   string
		kind   chat.Kind
		action chat.Action
		words  string
	}{
		{name: "401", key: "wrong-key-zzzzzzzzzzzzzzzz", kind: chat.KindAuth, action: chat.ActionOpenSettings, words: "API key"},
		{name: "404 deployment", dep: "nope", kind: chat.KindDeploymentNotFound, action: chat.ActionOpenSettings, words: `no deployment named "nope": check the deployment name`},
		{name: "404 path", base: "/openai/", kind: chat.KindBadPath, action: chat.ActionOpenSettings, words: "/openai/v1/"},
		{name: "prompt filter", b: ptr(fixtureError(400, "error-400-content-filter.json", nil)), kind: chat.KindPromptFiltered, action: chat.ActionEdit, words: "blocked your message for sexual (high): rephrase it"},
		{name: "bad request", b: ptr(fakeazure.Behaviour{Status: 400, Body: []byte(`{"error":{"code":"invalid_thing","message":"bad"}}`)}), kind: chat.KindBadRequest, words: "invalid_thing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, chat.Options{Deployment: c.dep}, func(s *fakeazure.Server, cfg *azure.Config) {
				if c.key != "" {
					cfg.APIKey = c.key
				}
			})
			if c.base != "" {
				client, _ := azure.New(azure.Config{BaseURL: r.srv.URL() + c.base, APIKey: testKey})
				_ = r.ctl.SetClient(client)
			}
			if c.b != nil {
				r.srv.Script(*c.b)
			}
			m := r.send(t, "hello")
			errs := r.rec.errors()
			if m.Status != chat.Failed || len(errs) != 1 {
				t.Fatalf("answer %+v errors %+v", m, errs)
			}
			e := errs[0].Err
			if e.Kind != c.kind || (c.action != "" && e.Action != c.action) || !strings.Contains(e.Reason, c.words) {
				t.Fatalf("got %s/%s %q", e.Kind, e.Action, e.Reason)
			}
			if strings.Contains(e.Error(), testKey) || strings.Contains(e.Error(), "wrong-key") || strings.Contains(m.Error, "wrong-key") {
				t.Fatal("a key leaked into an error message")
			}
			if len(r.ctl.Conversation().Messages) != 2 || r.ctl.Conversation().Messages[0].Content != "hello" {
				t.Fatal("the user's message was lost")
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fixtureError(429, "error-429.json", map[string]string{"retry-after": "6", "retry-after-ms": "6000"}))
	m := r.send(t, "hello")
	if m.Status != chat.Complete {
		t.Fatalf("answer %+v", m)
	}
	w := r.rec.waits()
	if len(w) != 1 || w[0].Wait != 6*time.Second || w[0].Err.Kind != chat.KindRateLimited || !strings.Contains(w[0].Err.Reason, "6s") {
		t.Fatalf("waits = %+v", w)
	}
	if len(r.slept) != 1 || r.slept[0] != 6*time.Second {
		t.Fatalf("slept %v", r.slept)
	}
}

func TestRateLimitBeyondBoundFails(t *testing.T) {
	r := newRig(t, chat.Options{MaxRateLimitWait: 5 * time.Second}, nil)
	r.srv.Script(fixtureError(429, "error-429.json", map[string]string{"retry-after": "600"}))
	m := r.send(t, "hello")
	e := r.rec.errors()
	if m.Status != chat.Failed || e[0].Err.Kind != chat.KindRateLimited || e[0].Err.Action != chat.ActionWait || e[0].Err.RetryAfter != 600*time.Second {
		t.Fatalf("%+v %+v", m, e)
	}
}

func TestInvalidUnicodeRetriesBounded(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fixtureError(500, "error-500-invalid-unicode.json", nil))
	if m := r.send(t, "hello"); m.Status != chat.Complete {
		t.Fatalf("retry did not recover: %+v", m)
	}
	if w := r.rec.waits(); len(w) != 1 || w[0].Err.Kind != chat.KindInvalidUnicode {
		t.Fatalf("waits %+v", w)
	}
	r2 := newRig(t, chat.Options{MaxRetries: 2}, nil)
	for i := 0; i < 5; i++ {
		r2.srv.Script(fixtureError(500, "error-500-invalid-unicode.json", nil))
	}
	if m := r2.send(t, "hello"); m.Status != chat.Failed {
		t.Fatalf("should give up: %+v", m)
	}
	if n := len(r2.srv.Requests()); n != 3 {
		t.Fatalf("%d requests, want 1 + 2 retries", n)
	}
}
