package chat_test

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
)

// wholeRig is a rig whose deployment "o1" is a model Azure does not
// stream: its answers are asked for whole.
func wholeRig(t *testing.T, cfg func(*fakeazure.Server, *azure.Config)) *rig {
	return newRig(t, chat.Options{Deployment: "o1", Model: "o1"}, func(s *fakeazure.Server, c *azure.Config) {
		s.Deployments["o1"] = fakeazure.Deployment{Model: "o1-2024-12-17"}
		if cfg != nil {
			cfg(s, c)
		}
	})
}

// TestAWholeAnswerLostOnItsWayBackIsNotAskedAgain: a connection cut while
// the model wrote a whole answer (o1, o3-pro, gpt-5-pro: minutes, and
// billed in full) was resent up to three times, each billed again. It
// fails with Retry offered and the reason why it was not resent; the
// question and the chat are kept, and Retry asks once.
func TestAWholeAnswerLostOnItsWayBackIsNotAskedAgain(t *testing.T) {
	r := wholeRig(t, nil)
	r.srv.Script(fakeazure.Behaviour{DropAfter: 1}, fakeazure.Behaviour{Reply: "resent"})
	m := r.send(t, "think hard")
	if n := len(r.srv.Requests()); n != 1 {
		t.Fatalf("%d requests after the cut, want 1 (not resent)", n)
	}
	if m.Status != chat.Failed || m.ErrorKind != chat.KindConnection || m.Action != chat.ActionRetry {
		t.Fatalf("answer %s, kind %q, action %q", m.Status, m.ErrorKind, m.Action)
	}
	if !strings.Contains(m.Error, "not sent again by itself") || len(r.rec.waits()) != 0 {
		t.Fatalf("reason %q, %d waits", m.Error, len(r.rec.waits()))
	}
	if err := r.ctl.Retry(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	last := conv.Messages[len(conv.Messages)-1]
	if last.Status != chat.Complete || last.Content != "resent" || len(r.srv.Requests()) != 2 {
		t.Fatalf("Retry: %s %q after %d requests", last.Status, last.Content, len(r.srv.Requests()))
	}
}

// TestAWholeAnswerAGatewayGaveUpOnIsNotAskedAgain: a 504 says a gateway
// stopped waiting, not that the model did; a 500 says Azure failed it and
// is resent as before.
func TestAWholeAnswerAGatewayGaveUpOnIsNotAskedAgain(t *testing.T) {
	r := wholeRig(t, nil)
	r.srv.Script(fakeazure.Behaviour{Status: 504, Body: []byte(`{"error":{"code":"Timeout","message":"The gateway timed out."}}`)},
		fakeazure.Behaviour{Reply: "resent"})
	if m := r.send(t, "think hard"); m.Status != chat.Failed || len(r.srv.Requests()) != 1 {
		t.Fatalf("504: %s after %d requests, want failed after 1", m.Status, len(r.srv.Requests()))
	}
	r2 := wholeRig(t, nil)
	r2.srv.Script(fixtureError(500, "error-500-invalid-unicode.json", nil), fakeazure.Behaviour{Reply: "resent"})
	if m := r2.send(t, "think hard"); m.Status != chat.Complete || m.Content != "resent" || len(r2.srv.Requests()) != 2 {
		t.Fatalf("500: %s %q after %d requests, want the answer after 2", m.Status, m.Content, len(r2.srv.Requests()))
	}
}

// TestAWholeAnswerOverTheLimitKeepsWhatFits: a whole answer is one event;
// over MaxAnswerText, what fits of it is kept (cut at a character), with
// the reason, and it is not asked again.
func TestAWholeAnswerOverTheLimitKeepsWhatFits(t *testing.T) {
	defer chat.SetMaxAnswerText(1000)()
	r := wholeRig(t, nil)
	reply := strings.Repeat("é", 800) // 1,600 bytes
	r.srv.Script(fakeazure.Behaviour{Reply: reply})
	m := r.send(t, "think hard")
	if m.Status != chat.Interrupted || len(m.Content) != 1000 || !strings.HasPrefix(reply, m.Content) || len(r.srv.Requests()) != 1 {
		t.Fatalf("answer %s, %d bytes, %d requests", m.Status, len(m.Content), len(r.srv.Requests()))
	}
}
