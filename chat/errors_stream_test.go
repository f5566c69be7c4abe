package chat_test

import (
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestErrorEventMidStreamIsNamed: an error object inside the stream is the
// server speaking, not the network: the message says so, the text that
// arrived is kept, and the request is not resent as a network failure.
func TestErrorEventMidStreamIsNamed(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("partial ", 50), ErrorAfter: 10,
		ErrorEvent: []byte(`{"error":{"type":"server_error","code":null,"message":"The server had an error processing your request."}}`)})
	m := r.send(t, "go")
	errs := r.rec.errors()
	if len(errs) != 1 {
		t.Fatalf("errors %+v", errs)
	}
	e := errs[0].Err
	if e.Kind != chat.KindStreamError || e.Action != chat.ActionRetry || !strings.Contains(e.Reason, "Azure had an internal error") || strings.Contains(e.Reason, "network") {
		t.Fatalf("got %s/%s %q", e.Kind, e.Action, e.Reason)
	}
	if m.Status != chat.Interrupted || !strings.HasPrefix(strings.Repeat("partial ", 50), m.Content) || m.Content == "" {
		t.Fatalf("answer %s %q", m.Status, m.Content)
	}
	if n := len(r.srv.Requests()); n != 1 {
		t.Fatalf("%d requests: a server error mid-answer was retried", n)
	}
}

// TestRedirectIsNotFollowed: an endpoint that answers 302 to another port
// gets nothing sent there; the message names the redirect and its target.
func TestRedirectIsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	other := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) })}
	go func() { _ = other.Serve(ln) }()
	defer other.Close()
	target := "http://" + ln.Addr().String() + "/openai/v1/chat/completions"
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Status: http.StatusFound, Header: map[string]string{"Location": target}})
	m := r.send(t, "hello")
	errs := r.rec.errors()
	if m.Status != chat.Failed || len(errs) != 1 {
		t.Fatalf("answer %s, errors %+v", m.Status, errs)
	}
	e := errs[0].Err
	if e.Kind != chat.KindRedirect || !strings.Contains(e.Reason, "redirect") || !strings.Contains(e.Reason, ln.Addr().String()) {
		t.Fatalf("got %s %q", e.Kind, e.Reason)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Fatalf("%d requests reached the redirect target", n)
	}
	if n := len(r.srv.Requests()); n != 1 {
		t.Fatalf("the redirect was retried: %d requests", n)
	}
}

// TestDNSFailureNamesTheHost uses the reserved .invalid domain.
func TestDNSFailureNamesTheHost(t *testing.T) {
	r := newRig(t, chat.Options{MaxRetries: -1}, nil)
	client, err := azure.New(azure.Config{BaseURL: "https://no-such-resource.invalid/openai/v1/", APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.ctl.SetClient(client); err != nil {
		t.Fatal(err)
	}
	r.send(t, "hello")
	errs := r.rec.errors()
	if len(errs) != 1 || errs[0].Err.Kind != chat.KindDNS || !strings.Contains(errs[0].Err.Reason, "no-such-resource.invalid") {
		t.Fatalf("errors %+v", errs)
	}
}

// TestForbiddenWithKeyPointsAtNetworkRules: with an API key, a 403 (not a
// 401) usually means the resource's firewall or private endpoint.
func TestForbiddenWithKeyPointsAtNetworkRules(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Status: http.StatusForbidden, Body: []byte(`{"error":{"code":"403","message":"Public access is disabled. Please configure private endpoint."}}`)})
	r.send(t, "hello")
	errs := r.rec.errors()
	if len(errs) != 1 || errs[0].Err.Kind != chat.KindAuth || !strings.Contains(errs[0].Err.Reason, "network rules") || !strings.Contains(errs[0].Err.Reason, "private endpoint") {
		t.Fatalf("errors %+v", errs)
	}
}

// TestFirstByteTimeoutRetriedOnce: a request that times out before any
// text is resent once, not three times.
func TestFirstByteTimeoutRetriedOnce(t *testing.T) {
	r := newRig(t, chat.Options{}, func(_ *fakeazure.Server, c *azure.Config) {
		c.FirstByteTimeout = 200 * time.Millisecond
	})
	slow := fakeazure.Behaviour{FirstByteDelay: 2 * time.Second}
	r.srv.Script(slow, slow, slow, slow)
	m := r.send(t, "go")
	if m.Status != chat.Failed {
		t.Fatalf("answer %s", m.Status)
	}
	if n := len(r.srv.Requests()); n != 2 {
		t.Fatalf("%d requests after first-byte timeouts, want 2", n)
	}
	if e := r.rec.errors(); len(e) != 1 || e[0].Err.Kind != chat.KindTimeout || !strings.Contains(e[0].Err.Reason, "did not start answering") {
		t.Fatalf("errors %+v", e)
	}
}
