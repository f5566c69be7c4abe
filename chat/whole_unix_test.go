//go:build unix

package chat_test

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
)

// refusingURL is a base URL on 127.0.0.1 whose port refuses connections:
// a socket bound to it that does not listen, kept until the test ends. (A
// port merely closed again could be taken by another test process.)
func refusingURL(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("http://127.0.0.1:%d/openai/v1/", sa.(*syscall.SockaddrInet4).Port)
}

// TestAWholeAnswerNeverSentIsAskedAgain: a connection that could not be
// made sent nothing, so it is tried again as any request is; and a 504
// for a streamed request (its text had not begun) is resent as before.
func TestAWholeAnswerNeverSentIsAskedAgain(t *testing.T) {
	refused := refusingURL(t)
	r := wholeRig(t, func(_ *fakeazure.Server, c *azure.Config) { c.BaseURL = refused })
	if m := r.send(t, "think hard"); m.Status != chat.Failed || m.ErrorKind != chat.KindConnection {
		t.Fatalf("refused: %s %q", m.Status, m.ErrorKind)
	}
	if w := r.rec.waits(); len(w) != 3 {
		t.Fatalf("%d retries of a request that was never sent, want 3", len(w))
	}
	r2 := newRig(t, chat.Options{}, nil)
	r2.srv.Script(fakeazure.Behaviour{Status: 504, Body: []byte(`{"error":{"code":"Timeout","message":"The gateway timed out."}}`)},
		fakeazure.Behaviour{Reply: "streamed"})
	if m := r2.send(t, "hi"); m.Status != chat.Complete || m.Content != "streamed" || len(r2.srv.Requests()) != 2 {
		t.Fatalf("streamed after a 504: %s %q after %d requests", m.Status, m.Content, len(r2.srv.Requests()))
	}
}
