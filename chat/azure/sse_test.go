package azure

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3/packages/ssestream"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// openaiEvents decodes a stream with openai-go's own decoder, the
// reference the sseDecoder must match.
func openaiEvents(stream []byte) ([]string, error) {
	resp := &http.Response{Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: io.NopCloser(bytes.NewReader(stream))}
	dec := ssestream.NewDecoder(resp)
	var out []string
	for dec.Next() {
		ev := dec.Event()
		out = append(out, fmt.Sprintf("%q %q", ev.Type, ev.Data))
	}
	return out, dec.Err()
}

func ourEvents(stream []byte) ([]string, error) {
	dec := newSSEDecoder(bytes.NewReader(stream))
	var out []string
	for dec.Next() {
		ev := dec.Event()
		out = append(out, fmt.Sprintf("%q %q", ev.Type, ev.Data))
	}
	return out, dec.Err()
}

func sameEvents(t *testing.T, stream []byte) {
	t.Helper()
	want, werr := openaiEvents(stream)
	got, gerr := ourEvents(stream)
	if (werr == nil) != (gerr == nil) || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("stream %q:\nopenai-go: %v (%v)\nazchat:    %v (%v)", stream, want, werr, got, gerr)
	}
}

var sseSeeds = []string{
	"data: {\"a\":1}\n\ndata: [DONE]\n\n",
	"event: response.output_text.delta\ndata: {\"delta\":\"x\"}\n\nevent: response.completed\ndata: {}\n\n",
	": keep-alive\n\ndata: one\ndata: two\n\n",
	"data:no space\r\n\r\nid: 7\nretry: 10\ndata:  two spaces\n\n",
	"event: a\n\nevent: b\ndata: after an empty event\n\n",
	"data: no blank line at the end",
	"\n\n\ndata\n\ndata:\n\n",
}

// TestSSEDecoderMatchesOpenAI: the decoder reads Azure's recorded streams
// and the corner cases of the format (comments, multi-line data, CRLF, an
// event with no data, a missing final blank line) as openai-go's does.
func TestSSEDecoderMatchesOpenAI(t *testing.T) {
	for _, name := range []string{"stream-basic.sse", "stream-content-filter.sse"} {
		sameEvents(t, fakeazure.Fixture(name))
	}
	for _, s := range sseSeeds {
		sameEvents(t, []byte(s))
	}
	// A line longer than bufio's default token (64 KB) is read whole.
	sameEvents(t, []byte("data: "+strings.Repeat("x", 200<<10)+"\n\n"))
}

// FuzzSSEDecoderMatchesOpenAI compares the two decoders on any input.
func FuzzSSEDecoderMatchesOpenAI(f *testing.F) {
	for _, s := range sseSeeds {
		f.Add([]byte(s))
	}
	f.Add(fakeazure.Fixture("stream-content-filter.sse"))
	f.Fuzz(func(t *testing.T, stream []byte) {
		sameEvents(t, stream)
	})
}

// TestStreamReadsEventsInPlace: reading a recorded stream event by event
// gives the deltas that parsing each event on its own gives, although the
// decoder reuses its buffer and the reader keeps filter verdicts.
func TestStreamReadsEventsInPlace(t *testing.T) {
	for _, name := range []string{"stream-basic.sse", "stream-content-filter.sse"} {
		stream := fakeazure.Fixture(name)
		var want []chat.Delta
		for _, line := range strings.Split(string(stream), "\n") {
			if data, ok := strings.CutPrefix(line, "data: {"); ok {
				d, err := ParseChunk([]byte("{" + data))
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, d)
			}
		}
		var got []chat.Delta
		var r chunkReader
		dec := newSSEDecoder(bytes.NewReader(stream))
		for dec.Next() {
			d, done, err := r.read(dec.Event())
			if err != nil {
				t.Fatal(err)
			}
			if done {
				break
			}
			got = append(got, d)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if len(got) == 0 || string(g) != string(w) {
			t.Fatalf("%s: read in place\n%s\nparsed one by one\n%s", name, g, w)
		}
	}
}

// BenchmarkReadStream decodes a recorded stream as the client does: the
// SSE decoder and one chunk reader for all its events.
func BenchmarkReadStream(b *testing.B) {
	one := fakeazure.Fixture("stream-basic.sse")
	one = one[:bytes.Index(one, []byte("data: [DONE]"))]
	stream := bytes.Repeat(one, 200)
	events := bytes.Count(stream, []byte("\n\n"))
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		var r chunkReader
		dec := newSSEDecoder(bytes.NewReader(stream))
		n := 0
		for dec.Next() {
			if _, _, err := r.read(dec.Event()); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != events {
			b.Fatalf("%d events, want %d", n, events)
		}
	}
	b.ReportMetric(float64(events), "events/op")
}
