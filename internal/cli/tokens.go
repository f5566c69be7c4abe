package cli

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/attach"
	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/chat/tokens"
)

// wireMessage is one message of the array azchat tokens reads: content is
// a string, or an array of parts as the Chat Completions API takes them.
type wireMessage struct {
	Role    *string         `json:"role"`
	Content json.RawMessage `json:"content"`
	Name    *string         `json:"name"`
}

// wirePart is one content part: {"type":"text","text":…} or
// {"type":"image_url","image_url":{"url":"data:…","detail":"high"}}.
type wirePart struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	ImageURL *struct {
		URL    string `json:"url"`
		Detail string `json:"detail"`
	} `json:"image_url"`
}

// Count is what CountMessages found: the prompt's tokens, the encoding,
// and how sure the images' share is.
type Count struct {
	Tokens int
	Choice tokens.Choice
	// Images is how many image parts were priced; ImageTokens their share.
	Images, ImageTokens int
	// ImagesEstimated: the model's image rule is not published (or the
	// model is unknown), so gpt-4o's or a relative's rule priced them.
	// UpperBound: an image with detail auto was counted as high.
	ImagesEstimated, UpperBound bool
}

// maxTokensInput bounds what tokens (and ask, from stdin) read into
// memory: 384 MB, some hundred times what the largest context window
// holds (tests lower it).
var maxTokensInput = 384 << 20

func countTokens(args []string, env Env) int {
	fs := newFlags("tokens", env)
	model := fs.String("model", "gpt-4o", "model whose encoding and image rule to use")
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "azchat tokens: give one FILE (a JSON array of {role, content, name?}), or - for stdin")
		return ExitUsage
	}
	name := fs.Arg(0)
	var in io.Reader = env.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(env.Stderr, "azchat tokens: cannot read %s: %v\n", printable(name), errors.Unwrap(err))
			return ExitFailed
		}
		defer f.Close()
		in = f
	} else {
		name = "stdin"
	}
	// As much as an import takes, and no more: `azchat tokens /dev/zero`
	// read until memory ran out.
	data, err := io.ReadAll(io.LimitReader(in, int64(maxTokensInput)+1))
	if err != nil {
		fmt.Fprintf(env.Stderr, "azchat tokens: cannot read %s: %v\n", printable(name), err)
		return ExitFailed
	}
	if len(data) > maxTokensInput {
		fmt.Fprintf(env.Stderr, "azchat tokens: %s is larger than %d MB: give a JSON array of messages\n", printable(name), maxTokensInput>>20)
		return ExitFailed
	}
	c, err := CountParts(data, *model)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat tokens:", err)
		return ExitFailed
	}
	if _, err := fmt.Fprintln(env.Stdout, c.Tokens); err != nil {
		return writeError(env.Stderr, "the count", err)
	}
	if c.Choice.Estimate {
		fmt.Fprintf(env.Stderr, "azchat tokens: unknown model %q, counted with %s as an estimate\n", printable(*model), c.Choice.Encoding)
	}
	if c.Images > 0 {
		note := fmt.Sprintf("%d of them for %d image(s)", c.ImageTokens, c.Images)
		if c.UpperBound {
			note += "; detail auto counted as high, an upper bound"
		}
		if c.ImagesEstimated && !c.Choice.Estimate {
			note += fmt.Sprintf("; %q's image rule is not published, so this is an estimate", printable(*model))
		}
		fmt.Fprintln(env.Stderr, "azchat tokens:", note)
	}
	return ExitOK
}

// CountMessages prices a JSON array of messages with the guide's
// num_tokens_from_messages: 3 per message, 1 per name, 3 to prime the reply.
func CountMessages(data []byte, model string) (int, tokens.Choice, error) {
	c, err := CountParts(data, model)
	return c.Tokens, c.Choice, err
}

// CountParts is CountMessages with content parts: each text part is
// counted as text, each image_url part (a data: URL; azchat never fetches
// an image) by the model's image rule from its pixel size and detail.
func CountParts(data []byte, model string) (Count, error) {
	var msgs []wireMessage
	if err := json.Unmarshal(data, &msgs); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return Count{}, fmt.Errorf("not valid JSON at byte %d: %v", se.Offset, err)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// Said in the file's terms, not Go's ("cannot unmarshal
			// object into Go value of type []cli.wireMessage").
			where := "the file holds a JSON " + te.Value
			if te.Field != "" {
				where = fmt.Sprintf("%q is a JSON %s", te.Field, te.Value)
			}
			return Count{}, fmt.Errorf("expected a JSON array of {\"role\", \"content\"} objects, but %s (at byte %d)", where, te.Offset)
		}
		return Count{}, fmt.Errorf("expected a JSON array of {\"role\", \"content\"} objects: %v", err)
	}
	counter, err := tokens.NewCounter(model)
	if err != nil {
		return Count{}, err
	}
	out := Count{Tokens: tokens.ReplyPrimer, Choice: counter.Choice()}
	for i, m := range msgs {
		if m.Role == nil || len(m.Content) == 0 || string(m.Content) == "null" {
			return out, fmt.Errorf("message %d needs both \"role\" and \"content\"", i)
		}
		name := ""
		if m.Name != nil {
			name = *m.Name
		}
		var text string
		if err := json.Unmarshal(m.Content, &text); err == nil {
			out.Tokens += counter.Message(*m.Role, name, text)
			continue
		}
		var parts []wirePart
		if err := json.Unmarshal(m.Content, &parts); err != nil {
			return out, fmt.Errorf("message %d: \"content\" must be a string or an array of parts", i)
		}
		// The message's overhead once, then each part's own cost.
		out.Tokens += counter.Message(*m.Role, name, "")
		for j, p := range parts {
			switch p.Type {
			case "text":
				out.Tokens += counter.Text(p.Text)
			case "image_url":
				cost, err := imagePart(counter, p)
				if err != nil {
					return out, fmt.Errorf("message %d, part %d: %v", i, j, err)
				}
				out.Tokens += cost.Tokens
				out.Images++
				out.ImageTokens += cost.Tokens
				out.ImagesEstimated = out.ImagesEstimated || cost.Estimate
				out.UpperBound = out.UpperBound || cost.UpperBound
			default:
				return out, fmt.Errorf("message %d, part %d: unknown part type %q (text and image_url are counted)", i, j, printable(p.Type))
			}
		}
	}
	return out, nil
}

// imagePart prices one image_url part from its pixel size and detail.
func imagePart(counter *tokens.Counter, p wirePart) (models.ImageCost, error) {
	if p.ImageURL == nil {
		return models.ImageCost{}, errors.New(`an image_url part needs "image_url": {"url": "data:…"}`)
	}
	detail, err := chat.ParseDetail(p.ImageURL.Detail)
	if err != nil {
		return models.ImageCost{}, err
	}
	data, err := decodeDataURL(p.ImageURL.URL)
	if err != nil {
		return models.ImageCost{}, err
	}
	_, w, h, err := attach.ImageInfo(data)
	if err != nil {
		return models.ImageCost{}, err
	}
	return counter.Image(w, h, string(detail)), nil
}

// decodeDataURL returns the bytes of a base64 data: URL. Any other URL is
// refused: azchat never fetches an image to learn its size.
func decodeDataURL(u string) ([]byte, error) {
	rest, ok := strings.CutPrefix(u, "data:")
	if !ok {
		return nil, errors.New("the image is not a data: URL — azchat never fetches remote images; embed it as data:image/png;base64,…")
	}
	meta, payload, ok := strings.Cut(rest, ",")
	if !ok || !strings.HasSuffix(meta, ";base64") {
		return nil, errors.New("the data: URL is not base64 (expected data:image/…;base64,…)")
	}
	b, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("the data: URL's base64 is broken: %v", err)
	}
	if len(b) > chat.MaxImageBytes {
		return nil, fmt.Errorf("the image is %.1f MB; the API takes images up to %d MB", float64(len(b))/(1<<20), chat.MaxImageBytes>>20)
	}
	return b, nil
}

// readAttachments reads the files of ask's --attach flags; a file that
// cannot be sent stops the command before anything is sent.
func readAttachments(files []string, detail chat.Detail, env Env) ([]chat.Attachment, int) {
	var out []chat.Attachment
	images := 0
	for _, f := range files {
		a, err := attach.Read(f, detail)
		if err != nil {
			// The message names the file: a name may hold control
			// characters that a terminal would act on.
			fmt.Fprintln(env.Stderr, "azchat ask:", printable(err.Error()))
			return nil, ExitFailed
		}
		if a.Kind == chat.ImageAttachment {
			images++
			// Decoded once here: damaged data behind a good header would
			// be refused by the API only after the upload.
			if _, err := attach.Decode(a.Data); err != nil {
				var ae *attach.Error
				if errors.As(err, &ae) && ae.Name == "" {
					ae.Name = a.Name
				}
				fmt.Fprintln(env.Stderr, "azchat ask:", printable(err.Error()))
				return nil, ExitFailed
			}
		}
		out = append(out, a)
	}
	if images > chat.MaxImagesPerRequest {
		fmt.Fprintf(env.Stderr, "azchat ask: %d images attached; the API takes at most %d per request\n", images, chat.MaxImagesPerRequest)
		return nil, ExitUsage
	}
	return out, ExitOK
}
