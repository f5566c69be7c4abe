package settings

import (
	"strings"
	"testing"
)

func TestNormalizeEndpoint(t *testing.T) {
	const v1 = "https://my-res.openai.azure.com/openai/v1/"
	cases := []struct {
		in, want, dep, err string
	}{
		{in: "my-res", want: v1},
		{in: "  My-Res  ", want: v1},
		{in: "https://my-res.openai.azure.com", want: v1},
		{in: "https://my-res.openai.azure.com/", want: v1},
		{in: "https://my-res.openai.azure.com/openai", want: v1},
		{in: "https://my-res.openai.azure.com/openai/", want: v1},
		{in: "https://my-res.openai.azure.com/openai/v1", want: v1},
		{in: "https://my-res.openai.azure.com/openai/v1/", want: v1},
		{in: "my-res.openai.azure.com", want: v1},
		{in: `"https://my-res.openai.azure.com/"`, want: v1},
		{in: "'https://my-res.openai.azure.com'", want: v1},
		{in: "HTTPS://MY-RES.OPENAI.AZURE.COM/OpenAI/V1", want: v1},
		{in: "https://my-res.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2025-01-01-preview", want: v1, dep: "gpt-4o-prod"},
		{in: "https://my-res.cognitiveservices.azure.com/", want: "https://my-res.cognitiveservices.azure.com/openai/v1/"},
		{in: "https://my-res.cognitiveservices.azure.com/openai/deployments/d1/chat/completions?api-version=x", want: "https://my-res.cognitiveservices.azure.com/openai/v1/", dep: "d1"},
		{in: "https://proj-res.services.ai.azure.com/api/projects/my-project", want: "https://proj-res.services.ai.azure.com/openai/v1/"},
		{in: "https://proj-res.services.ai.azure.com/models", want: "https://proj-res.services.ai.azure.com/openai/v1/"},
		{in: "https://api.openai.com/v1", want: "https://api.openai.com/v1/"},
		{in: "http://localhost:11434/v1", want: "http://localhost:11434/v1/"},
		{in: "http://127.0.0.1:8089", want: "http://127.0.0.1:8089/openai/v1/"},
		{in: "127.0.0.1:8089", want: "http://127.0.0.1:8089/openai/v1/"},
		{in: "http://[::1]:8089/openai/v1/", want: "http://[::1]:8089/openai/v1/"},
		{in: "https://gateway.example.com/team/openai/deployments/dep/chat/completions", want: "https://gateway.example.com/team/openai/v1/", dep: "dep"},
		{in: "https://gateway.example.com/team/openai", want: "https://gateway.example.com/team/openai/v1/"},
		{in: "", err: "enter your resource"},
		{in: "http://my-res.openai.azure.com", err: "in clear"},
		{in: "http://10.0.0.5:8080/v1", err: "in clear"},
		{in: "ftp://x.openai.azure.com", err: "https://"},
		{in: "https://user:pw@my-res.openai.azure.com", err: "user name"},
		{in: "not a url at all", err: "not an endpoint"},
		// API keys pasted as the endpoint (the fields sit side by side).
		{in: "0123456789abcdef0123456789ABCDEF", err: "looks like an API key"},
		{in: " '" + strings.Repeat("A1b2", 21) + "' ", err: "looks like an API key"},
		{in: "deadbeef", want: "https://deadbeef.openai.azure.com/openai/v1/"},
		{in: "https://0123456789abcdef0123456789abcdef.openai.azure.com", want: "https://0123456789abcdef0123456789abcdef.openai.azure.com/openai/v1/"},
	}
	for _, c := range cases {
		got, err := NormalizeEndpoint(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.in, err, c.err)
			}
			if c.err == "looks like an API key" && strings.Contains(err.Error(), strings.Trim(c.in, " '")) {
				t.Errorf("the error repeats the key: %v", err)
			}
			continue
		}
		if err != nil || got.BaseURL != c.want || got.Deployment != c.dep {
			t.Errorf("%q: got %+v %v, want %s dep %q", c.in, got, err, c.want, c.dep)
		}
	}
}

func FuzzNormalizeEndpoint(f *testing.F) {
	for _, s := range []string{"my-res", "https://a.openai.azure.com/openai/deployments/x/chat/completions?api-version=1", "http://localhost:1/v1", "'x'", "https://[::1]/", "%zz", "https://a.b/openai/v1/openai/v1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ep, err := NormalizeEndpoint(in)
		if err != nil {
			return
		}
		again, err := NormalizeEndpoint(ep.BaseURL)
		if err != nil {
			t.Fatalf("%q normalised to %q, which is refused: %v", in, ep.BaseURL, err)
		}
		if again.BaseURL != ep.BaseURL {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, ep.BaseURL, again.BaseURL)
		}
		if !strings.HasSuffix(ep.BaseURL, "/") {
			t.Fatalf("%q: base URL %q lacks the trailing slash", in, ep.BaseURL)
		}
	})
}
