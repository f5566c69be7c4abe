package fakeazure

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// Content parts. A user message may carry a content array instead of a
// string: Chat Completions' {"type":"text"} and {"type":"image_url",
// "image_url":{"url","detail"}} parts, the Responses API's
// {"type":"input_text"} and {"type":"input_image","image_url","detail"}
// ones. The stand-in reads the text parts as the message's text and checks
// the images as Azure does. It never fetches anything: only base64 data:
// URLs are accepted.

// Image is one image a request carried, as the stand-in decoded it.
type Image struct {
	// MIME is the media type the data: URL declares (e.g. "image/png").
	MIME string
	// Detail is the part's detail ("auto", "low", "high"; "" if left out).
	Detail string
	// Bytes and SHA256 (hex) describe the decoded bytes; they are set
	// whenever the base64 decodes, image or not.
	Bytes  int
	SHA256 string
	// URL is the image's URL when it is not a data: URL (Azure refuses
	// the request); data: URLs are not kept.
	URL string
}

// maxImages is the most images Azure takes in one request.
const maxImages = 10

// Azure's answers to requests whose images it refuses.
const (
	errImageURL      = `{"error":{"code":"BadRequest","message":"Invalid image URL: only base64 data URLs are accepted by this stand-in.","param":null,"type":"invalid_request_error"}}`
	errImageData     = `{"error":{"code":"BadRequest","message":"Invalid image data.","param":null,"type":"invalid_request_error"}}`
	errTooManyImages = `{"error":{"code":"BadRequest","message":"Too many images in request. Max is 10.","param":null,"type":"invalid_request_error"}}`
	errNoVision      = `{"error":{"code":"BadRequest","message":"Invalid content type. %s is only supported by certain models.","param":%q,"type":"invalid_request_error"}}`
)

// imagePart is an image of a request with what Azure would say of it.
type imagePart struct {
	Image
	typ     string // "image_url" or "input_image"
	param   string // where it is, as Azure names it: "messages.[1].content.[1].type"
	problem string // the error body refusing it; "" when it is a good image
}

// requestImages finds the image parts of a Chat Completions (messages) or
// Responses (input) request, in message order.
func requestImages(body map[string]any) []imagePart {
	var out []imagePart
	for _, key := range []string{"messages", "input"} {
		list, _ := body[key].([]any)
		for i, m := range list {
			mm, _ := m.(map[string]any)
			parts, _ := mm["content"].([]any)
			for j, p := range parts {
				pm, _ := p.(map[string]any)
				url, detail, ok := imageRef(pm)
				if !ok {
					continue
				}
				ip := decodeImage(url, detail)
				ip.typ, _ = pm["type"].(string)
				ip.param = fmt.Sprintf("%s.[%d].content.[%d].type", key, i, j)
				out = append(out, ip)
			}
		}
	}
	return out
}

func imagesOf(parts []imagePart) []Image {
	if len(parts) == 0 {
		return nil
	}
	out := make([]Image, len(parts))
	for i, p := range parts {
		out[i] = p.Image
	}
	return out
}

// imageRefusal is the error body Azure answers a request with these
// images with on a deployment of model, or "" if it takes them: a model
// without vision refuses any image, then more than maxImages are refused,
// then the first image that is not a base64 data: URL of a PNG, JPEG, GIF
// or WEBP.
func imageRefusal(model string, parts []imagePart) string {
	if len(parts) == 0 {
		return ""
	}
	if !visionModel(model) {
		return fmt.Sprintf(errNoVision, parts[0].typ, parts[0].param)
	}
	if len(parts) > maxImages {
		return errTooManyImages
	}
	for _, p := range parts {
		if p.problem != "" {
			return p.problem
		}
	}
	return ""
}

// imageRef returns the URL and detail of an image part of either API; ok
// is false for parts that are not images.
func imageRef(p map[string]any) (url, detail string, ok bool) {
	switch p["type"] {
	case "image_url":
		switch v := p["image_url"].(type) {
		case map[string]any:
			url, _ = v["url"].(string)
			detail, _ = v["detail"].(string)
		case string:
			url = v
		}
		return url, detail, true
	case "input_image":
		url, _ = p["image_url"].(string)
		detail, _ = p["detail"].(string)
		return url, detail, true
	}
	return "", "", false
}

// decodeImage reads a data: URL ("data:image/png;base64,…").
func decodeImage(url, detail string) imagePart {
	p := imagePart{Image: Image{Detail: detail}}
	mime, data, isData, isBase64 := splitDataURL(url)
	if !isData {
		p.URL, p.problem = url, errImageURL
		return p
	}
	p.MIME = mime
	b, err := base64.StdEncoding.DecodeString(data)
	if !isBase64 || err != nil {
		p.problem = errImageData
		return p
	}
	sum := sha256.Sum256(b)
	p.Bytes, p.SHA256 = len(b), hex.EncodeToString(sum[:])
	if sniffImage(b) == "" {
		p.problem = errImageData
	}
	return p
}

// splitDataURL cuts a data: URL ("data:image/png;base64,…") into its
// media type (lower case) and data, and reports whether url is a data:
// URL and whether its data is base64.
func splitDataURL(url string) (mime, data string, isData, isBase64 bool) {
	if len(url) < 5 || !strings.EqualFold(url[:5], "data:") {
		return "", "", false, false
	}
	meta, data, found := strings.Cut(url[5:], ",")
	params := strings.Split(meta, ";")
	mime = strings.ToLower(strings.TrimSpace(params[0]))
	isBase64 = found && len(params) > 1 && strings.EqualFold(strings.TrimSpace(params[len(params)-1]), "base64")
	return mime, data, true, isBase64
}

// dataURLMIME is the media type a data: URL declares ("" for other URLs).
func dataURLMIME(url string) string {
	mime, _, _, _ := splitDataURL(url)
	return mime
}

// sniffImage names the image format of b by its magic bytes, or "" when
// it is none Azure takes.
func sniffImage(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "image/gif"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}

// visionModel: the models that take images. The stand-in's own table:
// gpt-35-turbo, the first gpt-4 (all but its turbo and vision versions),
// o1-mini, o1-preview, o3-mini and gpt-oss take none.
func visionModel(model string) bool {
	m := strings.ToLower(model)
	for _, p := range []string{"gpt-35", "gpt-3.5", "gpt-oss", "o1-mini", "o1-preview", "o3-mini"} {
		if strings.HasPrefix(m, p) {
			return false
		}
	}
	if rest, ok := strings.CutPrefix(m, "gpt-4"); ok {
		for _, p := range []string{"o", ".", "-turbo", "-vision"} {
			if strings.HasPrefix(rest, p) {
				return true
			}
		}
		return false
	}
	return true
}

// MessageText is a message's text: its content when that is a string,
// else the text of its content parts (text, input_text, output_text)
// joined with "\n". Reply functions use it to read messages with images.
func MessageText(m map[string]any) string {
	switch c := m["content"].(type) {
	case string:
		return c
	case []any:
		var texts []string
		for _, p := range c {
			pm, _ := p.(map[string]any)
			t, ok := pm["text"].(string)
			switch pm["type"] {
			case "text", "input_text", "output_text", nil:
				if ok {
					texts = append(texts, t)
				}
			}
		}
		return strings.Join(texts, "\n")
	}
	return ""
}

// messageImages returns the image parts of a message's content.
func messageImages(m map[string]any) []map[string]any {
	parts, _ := m["content"].([]any)
	var out []map[string]any
	for _, p := range parts {
		pm, _ := p.(map[string]any)
		if _, _, ok := imageRef(pm); ok {
			out = append(out, pm)
		}
	}
	return out
}

// roughImages over-estimates a message's images' tokens for roughPrompt:
// 85 for a low-detail image, else as for the largest (2048×768 fits 8
// tiles of 170 tokens, plus the 85 base).
func roughImages(m map[string]any) int {
	n := 0
	for _, p := range messageImages(m) {
		if _, detail, _ := imageRef(p); detail == "low" {
			n += 85
		} else {
			n += 85 + 8*170
		}
	}
	return n
}

// imagesPhrase describes a message's images for the echo reply: "2 images
// (image/png, image/jpeg)"; "" when it has none.
func imagesPhrase(m map[string]any) string {
	parts := messageImages(m)
	if len(parts) == 0 {
		return ""
	}
	mimes := make([]string, len(parts))
	for i, p := range parts {
		url, _, _ := imageRef(p)
		if mimes[i] = dataURLMIME(url); mimes[i] == "" {
			mimes[i] = "unknown"
		}
	}
	noun := "images"
	if len(parts) == 1 {
		noun = "image"
	}
	return fmt.Sprintf("%d %s (%s)", len(parts), noun, strings.Join(mimes, ", "))
}
