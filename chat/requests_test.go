package chat_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

func TestReasoningDeploymentAdapts(t *testing.T) {
	temp := 0.7
	// The deployment name hides the model: the first request uses max_tokens
	// and a temperature, the service refuses, the controller adapts.
	r := newRig(t, chat.Options{Deployment: "reason", MaxTokens: 500, Temperature: &temp}, nil)
	m := r.send(t, "think")
	if m.Status != chat.Complete {
		t.Fatalf("answer %+v errors %+v", m, r.rec.errors())
	}
	reqs := r.srv.Requests()
	last := reqs[len(reqs)-1].Body
	if _, ok := last["max_tokens"]; ok {
		t.Fatal("max_tokens still sent")
	}
	if last["max_completion_tokens"] != float64(500) || last["temperature"] != nil {
		t.Fatalf("last request = %v", last)
	}
	// Now the model is learnt (o4-mini): the next request is right first time.
	n := len(reqs)
	r.send(t, "again")
	if got := len(r.srv.Requests()) - n; got != 1 {
		t.Fatalf("second send took %d requests", got)
	}
}

func TestContextLengthTrimsHarder(t *testing.T) {
	// The user claims a window larger than the deployment really has.
	r := newRig(t, chat.Options{Deployment: "small", Window: 100_000}, nil)
	long := strings.Repeat("lorem ipsum dolor sit amet ", 250)
	for i := 0; i < 5; i++ {
		r.srv.Script(fakeazure.Behaviour{Reply: long})
		r.send(t, "q")
	}
	m := r.send(t, "final question")
	if m.Status != chat.Complete {
		t.Fatalf("answer %+v errors %+v", m, r.rec.errors())
	}
	t.Logf("budget %+v requests %d errors %+v", r.ctl.LastBudget().Used, len(r.srv.Requests()), r.rec.errors())
	if len(r.ctl.LastBudget().Omitted) == 0 {
		t.Fatal("nothing was trimmed")
	}
}

func TestTooLongMessageIsHandedBack(t *testing.T) {
	r := newRig(t, chat.Options{Window: 500, MaxTokens: 100}, nil)
	text := strings.Repeat("word ", 1000)
	if err := r.ctl.Send(text); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	errs := r.rec.errors()
	if len(errs) != 1 || errs[0].Index != -1 || errs[0].Text != text || errs[0].Err.Kind != chat.KindBudget {
		t.Fatalf("errors %+v", errs)
	}
	if len(r.ctl.Conversation().Messages) != 0 || len(r.srv.Requests()) != 0 {
		t.Fatal("an over-long message was added or sent")
	}
}

func TestEditRegenerateDelete(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.send(t, "one")
	r.send(t, "two")
	if err := r.ctl.Edit(0, "uno"); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	c := r.ctl.Conversation()
	if len(c.Messages) != 2 || c.Messages[0].Content != "uno" || !strings.Contains(c.Messages[1].Content, "uno") {
		t.Fatalf("after edit: %d messages", len(c.Messages))
	}
	r.srv.Script(fakeazure.Behaviour{Reply: "regenerated"})
	if err := r.ctl.Regenerate(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	c = r.ctl.Conversation()
	if len(c.Messages) != 2 || c.Messages[1].Content != "regenerated" {
		t.Fatalf("after regenerate: %+v", c.Messages[len(c.Messages)-1])
	}
	if err := r.ctl.Delete(1); err != nil {
		t.Fatal(err)
	}
	if err := r.ctl.Edit(0, "x"); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	if err := r.ctl.Edit(1, "not mine"); err == nil {
		t.Fatal("editing an answer should be refused")
	}
}

func TestNonStreamingRequestShape(t *testing.T) {
	// The fake also answers without streaming, as Azure does.
	srv := &fakeazure.Server{APIKey: testKey}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.BaseURL()+"chat/completions", strings.NewReader(`{"model":"x","messages":[{"role":"user","content":"hi"}]}`))
	req.Header.Set("api-key", testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestPerChatOverrides(t *testing.T) {
	temp := 0.2
	r := newRig(t, chat.Options{MaxTokens: 300}, nil)
	hot := 1.5
	r.ctl.SetOverrides(chat.Overrides{Temperature: &hot, MaxTokens: 50, Window: 2000})
	r.send(t, "hello")
	body := r.srv.Requests()[0].Body
	if body["temperature"] != 1.5 || body["max_tokens"] != float64(50) {
		t.Fatalf("overrides not sent: %v", body)
	}
	if b := r.ctl.LastBudget(); b.Window != 2000 || b.Reserve != 50 {
		t.Fatalf("budget %+v", b)
	}
	// A new conversation goes back to the profile's settings.
	_ = r.ctl.SetConversation(&chat.Conversation{})
	r.ctl.SetOptions(chat.Options{Deployment: "chat", Temperature: &temp, Sleep: func(context.Context, time.Duration) error { return nil }})
	r.send(t, "again")
	if body := r.srv.Requests()[1].Body; body["temperature"] != 0.2 {
		t.Fatalf("profile temperature not used: %v", body["temperature"])
	}
}
