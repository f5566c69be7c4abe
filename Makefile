# azchat — make run (the app), make test (every test). Both install what they need.
GO   ?= go
TAGS ?= migrated_fynedo
RELEASE_FLAGS = -tags $(TAGS) -trimpath -ldflags "-s -w"

.PHONY: run build test test-quick fuzz bench fake-azure package clean

run: build
	./bin/azchat

build:
	@scripts/deps.sh build
	$(GO) build -tags $(TAGS) -o bin/azchat .

test:
	@scripts/deps.sh test
	scripts/test.sh

# Unit tests only (no real window, no fuzzing): the edit–test loop.
test-quick:
	@scripts/deps.sh test
	scripts/test.sh quick

# Open-ended fuzzing, outside make test. A count budget, not a wall-clock
# one: Go 1.26's coordinator can fail a -fuzztime deadline (golang/go#75804).
FUZZTIME ?= 200000x
# Breaking text into lines shapes it with HarfBuzz (a 2 KB text takes up to
# tens of milliseconds), so fewer runs: 50,000 took 20 s here.
FUZZTIME_LAYOUT ?= 50000x
fuzz:
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzNormalizeEndpoint -fuzztime $(FUZZTIME) ./settings/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzParseBlocks -fuzztime $(FUZZTIME) ./app/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzStreamParse -fuzztime $(FUZZTIME) ./app/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzBreakPlain -fuzztime $(FUZZTIME_LAYOUT) ./app/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzCount -fuzztime $(FUZZTIME) ./chat/tokens/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzSplitMatchesTiktoken -fuzztime $(FUZZTIME) ./chat/tokens/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME) ./chat/export/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzQuoteHTML -fuzztime $(FUZZTIME) ./chat/markdown/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzInert -fuzztime $(FUZZTIME) ./chat/markdown/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzFromBytes -fuzztime $(FUZZTIME) ./chat/attach/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzFileBlock -fuzztime $(FUZZTIME) ./chat/
	$(GO) test -tags "ci $(TAGS)" -run '^$$' -fuzz FuzzSSEDecoderMatchesOpenAI -fuzztime $(FUZZTIME) ./chat/azure/

# Performance figures with baselines (start-up, memory, 10,000 messages,
# token counting, budget, search, streaming); see README "Performance".
bench:
	@scripts/deps.sh test
	scripts/bench.sh

# The local stand-in for Azure OpenAI (see README, "Try it without Azure").
fake-azure:
	$(GO) run ./internal/fakeazure/cmd/fakeazure -addr 127.0.0.1:8089 -key local-test-key

# A Linux package (tar.xz with the binary, .desktop file and icon) built by
# Fyne's packager; on macOS use --os darwin (azchat.app), on Windows
# --os windows (azchat.exe with the icon embedded), each on its own OS.
FYNE_TOOL = fyne.io/tools/cmd/fyne@v1.7.4
package:
	@scripts/deps.sh build
	$(GO) run $(FYNE_TOOL) package --os linux --release --tags $(TAGS) --name azchat
	mkdir -p dist && mv -f azchat.tar.xz dist/
	@echo "dist/azchat.tar.xz: unpack and run 'sudo make install' inside, or copy usr/local/bin/azchat"

clean:
	rm -rf bin dist
