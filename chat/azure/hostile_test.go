package azure

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// endless repeats line forever.
type endless struct {
	line string
	off  int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], e.line[e.off:])
		n += c
		e.off = (e.off + c) % len(e.line)
	}
	return n, nil
}

// TestEndlessEventEnds: a server sending "data:" lines without the blank
// line that ends an event grew one event without bound until the idle
// watchdog (minutes); past 32 MB the stream now fails.
func TestEndlessEventEnds(t *testing.T) {
	d := newSSEDecoder(&endless{line: "data: " + strings.Repeat("x", 1000) + "\n"})
	if d.Next() {
		t.Fatal("an endless event was dispatched")
	}
	if !errors.Is(d.Err(), errEventTooLarge) {
		t.Fatalf("err %v", d.Err())
	}
}

// fixedAnswer answers every request with resp.
type fixedAnswer struct{ resp *http.Response }

func (f fixedAnswer) RoundTrip(*http.Request) (*http.Response, error) { return f.resp, nil }

// TestErrorBodiesAreBounded: an error's body is read whole (openai-go does
// so for the Responses API), and a server may send any amount: no more
// than a megabyte of it is read.
func TestErrorBodiesAreBounded(t *testing.T) {
	body := io.NopCloser(&endless{line: `{"error":"x"}`})
	rt := noRedirects{fixedAnswer{&http.Response{StatusCode: 500, Body: body, Header: http.Header{}}}}
	req, _ := http.NewRequest("POST", "http://127.0.0.1:1/openai/v1/responses", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil || n != maxErrorBody {
		t.Fatalf("read %d bytes of the error body (%v), want %d", n, err, maxErrorBody)
	}
}
