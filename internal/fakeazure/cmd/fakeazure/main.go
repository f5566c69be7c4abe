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
	"strings"

	"github.com/azchat/azchat/internal/fakeazure"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8089", "listen address (loopback only)")
	key := flag.String("key", "local-test-key", "API key the server accepts in the api-key header")
	rate := flag.Float64("rate", 40, "tokens per second to stream (0 = as fast as possible)")
	replyKB := flag.Int("reply-kb", 0, "answer every question with a text of this many KB (benchmarks)")
	shape := flag.String("reply-shape", "markdown", "the -reply-kb text: markdown (headings, lists, code, tables) or paragraph (one long line)")
	deployments := flag.String("deployments", "gpt-4o=gpt-4o-2024-11-20,gpt-4o-mini=gpt-4o-mini-2024-07-18",
		"the deployments it lists (Find deployments) and answers, NAME=MODEL-VERSION separated by commas; empty answers any name as gpt-4o")
	flag.Parse()
	srv := &fakeazure.Server{APIKey: *key}
	deps, err := parseDeployments(*deployments)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeazure:", err)
		os.Exit(2)
	}
	srv.Deployments = deps
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

// parseDeployments reads -deployments: NAME=MODEL pairs separated by
// commas, the model with its version date (gpt-4o-2024-11-20), which the
// listings give apart. Empty is nil: any name is answered as gpt-4o.
func parseDeployments(s string) (map[string]fakeazure.Deployment, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]fakeazure.Deployment{}
	for _, d := range strings.Split(s, ",") {
		name, model, ok := strings.Cut(strings.TrimSpace(d), "=")
		if !ok || name == "" || model == "" {
			return nil, fmt.Errorf("-deployments takes NAME=MODEL-VERSION pairs, such as gpt-4o=gpt-4o-2024-11-20 (got %q)", d)
		}
		version := ""
		if len(model) > 11 && model[len(model)-11] == '-' {
			version = model[len(model)-10:]
		}
		out[name] = fakeazure.Deployment{Model: model, Version: version}
	}
	return out, nil
}
