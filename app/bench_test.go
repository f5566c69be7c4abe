package app

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/internal/testwait"
)

// benchAnswer is about 2,000 tokens shaped like a real answer: paragraphs,
// a list and a code block, repeated.
func benchAnswer() string {
	var b strings.Builder
	for i := 0; b.Len() < 9000; i++ {
		b.WriteString(strings.Repeat("The budget keeps the system message and the newest turns that fit in the window. ", 4))
		b.WriteString("\n\n- first point\n- second point\n\n```go\nn := tokens.ReplyPrimer\n```\n\n")
	}
	return b.String()
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkStreaming1000TokensPerSecond streams 2,000 tokens at 1,000 a
// second from the stand-in server into the window and reports redraws per
// second, CPU per second of streaming, and the lag from the final event to
// its application on screen.
func BenchmarkStreaming1000TokensPerSecond(b *testing.B) {
	for i := 0; i < b.N; i++ {
		h := newHarnessB(b)
		var finishedAt time.Time
		var lag time.Duration
		apply := h.u.bridge.apply
		h.u.bridge.apply = func(items []any) {
			apply(items)
			for _, it := range items {
				if f, ok := it.(chat.Finished); ok && f.Message.Status == chat.Complete {
					lag = time.Since(finishedAt)
				}
			}
		}
		client, _ := azure.New(azure.Config{BaseURL: h.srv.BaseURL(), APIKey: key})
		h.u.ctl = chat.NewController(client, chat.Options{Deployment: "gpt-4o"}, func(e chat.Event) {
			if f, ok := e.(chat.Finished); ok && f.Message.Status == chat.Complete {
				finishedAt = time.Now()
			}
			h.u.bridge.push(e)
		})
		h.srv.Script(fakeazure.Behaviour{Reply: benchAnswer(), TokensPerSecond: 1000})
		before := h.u.bridge.flushes.Load()
		cpu0, t0 := cpuTime(), time.Now()
		h.ui(func() { _ = h.u.ctl.Send("stream") })
		h.u.ctl.Wait()
		h.u.bridge.waitIdle()
		elapsed := time.Since(t0)
		cpu := cpuTime() - cpu0
		flushes := h.u.bridge.flushes.Load() - before
		b.ReportMetric(float64(flushes)/elapsed.Seconds(), "refreshes/s")
		b.ReportMetric(cpu.Seconds()/elapsed.Seconds()*100, "%cpu")
		b.ReportMetric(float64(lag.Microseconds())/1000, "ms-final-lag")
	}
}

// BenchmarkStopLongParagraph streams a 2 MB answer that is one paragraph,
// flat out, and presses Esc once half of it is on screen. It reports the
// longest time the UI thread spent on one batch of events while the answer
// streamed (how long a key press could wait), the time from Esc to the
// stopped answer on screen. (Memory is measured on the real window by
// make bench: here the stand-in server shares the process.)
func BenchmarkStopLongParagraph(b *testing.B) {
	const size = 2 << 20
	text := fakeazure.ParagraphOfSize(size)
	for i := 0; i < b.N; i++ {
		h := newHarnessB(b)
		var longest time.Duration
		var stoppedAt time.Time
		apply := h.u.bridge.apply
		h.u.bridge.apply = func(items []any) {
			t0 := time.Now()
			apply(items)
			if d := time.Since(t0); d > longest {
				longest = d
			}
			for _, it := range items {
				if f, ok := it.(chat.Finished); ok && f.Message.Status == chat.Stopped {
					stoppedAt = time.Now()
				}
			}
		}
		h.srv.Script(fakeazure.Behaviour{Reply: text})
		asked := time.Now()
		h.ui(func() {
			test.Type(h.u.input, "dump")
			h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		})
		testwait.Until(b, 10*time.Minute, "half the answer on screen", func() bool {
			var n int
			h.ui(func() {
				if len(h.u.msgs) == 2 {
					n = len(h.u.msgs[1].Content)
				}
			})
			return n >= size/2
		})
		b.Logf("half the answer on screen after %s", time.Since(asked))
		pressed := time.Now()
		h.ui(func() { h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
		h.settle()
		if stoppedAt.IsZero() {
			b.Fatal("the answer never showed as stopped")
		}
		b.ReportMetric(float64(longest.Milliseconds()), "ms-longest-batch")
		b.ReportMetric(float64(stoppedAt.Sub(pressed).Milliseconds()), "ms-esc-to-stopped")
	}
}

// BenchmarkRenderMarkdownAnswer builds and lays out the widgets of a 20 KB
// markdown answer (headings, lists, tables and 36 code blocks), as a row
// does when it first shows the answer or shows it again after scrolling.
func BenchmarkRenderMarkdownAnswer(b *testing.B) {
	test.NewTempApp(b)
	blocks := parseBlocks(fakeazure.MarkdownOfSize(20 << 10))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		body := container.NewVBox(renderBlocks(blocks, linkActions{})...)
		body.Resize(fyne.NewSize(700, body.MinSize().Height))
	}
}
