package azure

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"github.com/openai/openai-go/v3/packages/ssestream"
)

// sseDecoder reads a text/event-stream as openai-go's ssestream decoder
// does (the same fields, comments, blank-line dispatch and 32 MB line
// limit), except that an event's data is read into a buffer the decoder
// keeps: Azure sends an event per token, each with its filter verdicts,
// and a fast stream is thousands of events a second, which otherwise cost
// an allocation each. An event's Data is valid until the next call to
// Next; whoever keeps it copies it.
type sseDecoder struct {
	scn      *bufio.Scanner
	data     []byte
	lastType string
	evt      ssestream.Event
	err      error
}

// maxEventBytes bounds one event's data: a line is bounded by the scanner,
// but an event may be any number of "data:" lines, which a broken or
// hostile server could send without end. Azure's are under a kilobyte.
const maxEventBytes = 32 << 20

// errEventTooLarge ends a stream whose event passed maxEventBytes.
var errEventTooLarge = errors.New("the service sent a stream event larger than 32 MB")

func newSSEDecoder(r io.Reader) *sseDecoder {
	scn := bufio.NewScanner(r)
	scn.Buffer(nil, bufio.MaxScanTokenSize<<9)
	return &sseDecoder{scn: scn}
}

// Next reads the next event; false at the end of the stream or on a read
// error (Err).
func (s *sseDecoder) Next() bool {
	event := ""
	s.data = s.data[:0]
	for s.scn.Scan() {
		txt := s.scn.Bytes()
		if len(txt) == 0 {
			// A blank line dispatches the event, if it has data.
			if len(s.data) == 0 {
				event = ""
				continue
			}
			s.evt = ssestream.Event{Type: event, Data: s.data}
			return true
		}
		name, value, _ := bytes.Cut(txt, []byte(":"))
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
		switch string(name) {
		case "event":
			// Streams repeat a few event types: keep the last one's
			// string rather than a new one per event.
			if string(value) != s.lastType {
				s.lastType = string(value)
			}
			event = s.lastType
		case "data":
			if len(s.data)+len(value) >= maxEventBytes {
				s.err = errEventTooLarge
				return false
			}
			s.data = append(s.data, value...)
			s.data = append(s.data, '\n')
		}
		// Anything else (a ": comment", "id:", "retry:") is ignored.
	}
	return false
}

// Event is the event Next read.
func (s *sseDecoder) Event() ssestream.Event { return s.evt }

// Err is the error that ended the stream, if any.
func (s *sseDecoder) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.scn.Err()
}
