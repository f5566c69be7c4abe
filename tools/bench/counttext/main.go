// Command counttext times azchat's token counting on a file, for make bench
// to set beside gpt-tokenizer (tools/bench/gpt-tokenizer.mjs) on the same
// text. It loads the encoding, counts once to warm up, times -n counts of
// the whole text and prints "encoding count MB/s" (MB = 10^6 bytes).
//
//	go run ./tools/bench/counttext -write mixed.txt       # the 2 MB benchmark text
//	go run ./tools/bench/counttext -encoding cl100k_base mixed.txt
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/azchat/azchat/chat/tokens"
)

func main() {
	enc := flag.String("encoding", string(tokens.O200K), "o200k_base or cl100k_base")
	runs := flag.Int("n", 10, "timed counts of the whole text")
	write := flag.String("write", "", "write the benchmark's mixed text to this file and exit")
	ref := flag.String("ref", "chat/tokens/testdata/reference.json", "reference texts the mixed text is made of")
	mem := flag.Bool("mem", false, "also report the heap after loading the encoding, on stderr")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: counttext [-encoding E] [-n N] [-mem] FILE | counttext -write FILE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(*enc, *runs, *write, *ref, *mem, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "counttext:", err)
		os.Exit(1)
	}
}

func run(enc string, runs int, write, ref string, mem bool, args []string) error {
	if write != "" {
		text, err := mixedText(ref)
		if err != nil {
			return err
		}
		return os.WriteFile(write, text, 0o644)
	}
	if len(args) != 1 || runs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	b, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	text := string(b)
	e, err := tokens.Load(tokens.Encoding(enc))
	if err != nil {
		return err
	}
	if mem {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		fmt.Fprintf(os.Stderr, "%s: heap after loading %.1f MB\n", enc, float64(m.HeapAlloc)/(1<<20))
	}
	count := e.Count(text) // warm up
	start := time.Now()
	for range runs {
		if n := e.Count(text); n != count {
			return fmt.Errorf("counts differ between runs: %d, %d", count, n)
		}
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("%s %d %.1f\n", enc, count, float64(len(text))*float64(runs)/1e6/secs)
	return nil
}

// mixedText builds the text BenchmarkCountMixed2MB counts (chat/tokens):
// the reference texts, each followed by a space, over and over until it
// reaches 2 MiB.
func mixedText(ref string) ([]byte, error) {
	b, err := os.ReadFile(ref)
	if err != nil {
		return nil, err
	}
	var r struct {
		Texts []struct {
			Text string `json:"text"`
		} `json:"texts"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	if len(r.Texts) == 0 {
		return nil, fmt.Errorf("%s: no texts", ref)
	}
	var sb []byte
	for len(sb) < 2<<20 {
		for _, t := range r.Texts {
			sb = append(sb, t.Text...)
			sb = append(sb, ' ')
		}
	}
	return sb, nil
}
