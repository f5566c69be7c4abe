// Command fakeazure runs azchat's local stand-in for Azure OpenAI, so the
// app can be tried end to end without a subscription:
//
//	go run ./internal/fakeazure/cmd/fakeazure -addr 127.0.0.1:8089 -key local-test-key
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/azchat/azchat/internal/fakeazure"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8089", "listen address (loopback only)")
	key := flag.String("key", "local-test-key", "API key the server accepts in the api-key header")
	rate := flag.Float64("rate", 40, "tokens per second to stream (0 = as fast as possible)")
	replyKB := flag.Int("reply-kb", 0, "answer every question with a text of this many KB (benchmarks)")
	shape := flag.String("reply-shape", "markdown", "the -reply-kb text: markdown (headings, lists, code, tables) or paragraph (one long line)")
	flag.Parse()
	srv := &fakeazure.Server{APIKey: *key}
	if *replyKB > 0 {
		var text string
		switch *shape {
		case "markdown":
			text = fakeazure.MarkdownOfSize(*replyKB << 10)
		case "paragraph":
			text = fakeazure.ParagraphOfSize(*replyKB << 10)
		default:
			fmt.Fprintln(os.Stderr, "fakeazure: -reply-shape is markdown or paragraph")
			os.Exit(2)
		}
		srv.Reply = func([]map[string]any) string { return text }
	}
	if *rate > 0 {
		srv.Pace = *rate
	}
	if err := srv.Start(*addr); err != nil {
		fmt.Fprintln(os.Stderr, "fakeazure:", err)
		os.Exit(1)
	}
	fmt.Printf("fake Azure OpenAI listening on %s\n", srv.URL())
	fmt.Printf("  AZURE_OPENAI_ENDPOINT=%s AZURE_OPENAI_DEPLOYMENT=gpt-4o AZURE_OPENAI_API_KEY=%s\n", srv.URL(), *key)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
	_ = srv.Close()
}
