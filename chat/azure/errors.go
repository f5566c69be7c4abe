package azure

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/openai/openai-go/v3/responses"

	"github.com/azchat/azchat/chat"
)

// apiError is Azure's error object (the value of the body's "error" key).
type apiError struct {
	Code       json.RawMessage `json:"code"`
	Message    string          `json:"message"`
	Param      string          `json:"param"`
	InnerError struct {
		Code                string          `json:"code"`
		ContentFilterResult json.RawMessage `json:"content_filter_result"`
	} `json:"innererror"`
}

func (a apiError) code() string {
	var s string
	if json.Unmarshal(a.Code, &s) == nil {
		return s
	}
	return strings.Trim(string(a.Code), `"`)
}

// mapError is the one place where a failure becomes a reason and an action.
// Reasons are composed from fixed text and fields azchat controls; the raw
// error (which may quote URLs or server text) stays in Cause for logs only.
func (c *Client) mapError(err error, resp *http.Response) *chat.Error {
	var ce *chat.Error
	if errors.As(err, &ce) {
		return ce
	}
	var cred *credentialError
	if errors.As(err, &cred) {
		reason := c.signInFailure()
		if c.cfg.SignInHint != "" {
			reason += "; " + c.cfg.SignInHint
		}
		return &chat.Error{Kind: chat.KindAuth, Action: chat.ActionOpenSettings, Cause: err, Reason: reason}
	}
	var redirect *redirectError
	if errors.As(err, &redirect) {
		e := &chat.Error{Kind: chat.KindRedirect, Action: chat.ActionOpenSettings, Status: redirect.Status, Cause: err}
		if to := safeHost(redirect.To); to != "" {
			e.Reason = "the endpoint redirected to " + to + " — put that address in settings (azchat does not follow redirects, so your key only goes where you set it)"
		} else {
			e.Reason = "the endpoint answered with a redirect — check the endpoint in settings (azchat does not follow redirects, so your key only goes where you set it)"
		}
		return e
	}
	var se *ssestream.StreamError
	if errors.As(err, &se) {
		return fromStreamError(se)
	}
	var st *statusError
	if errors.As(err, &st) {
		return c.fromStatus(st.Status, st.Body, &http.Response{StatusCode: st.Status, Header: st.Header}, err)
	}
	// The Responses API's error statuses come from openai-go.
	var oe *responses.Error
	if errors.As(err, &oe) {
		var body apiError
		_ = json.Unmarshal([]byte(oe.RawJSON()), &body)
		return c.fromStatus(oe.StatusCode, body, oe.Response, err)
	}
	if resp != nil && resp.StatusCode >= 400 {
		return c.fromStatus(resp.StatusCode, apiError{}, resp, err)
	}
	return fromTransport(err)
}

// FromHTTP maps a status and error body as Azure sends them; exported for
// callers that talk to the endpoint without the client (the connection test).
func (c *Client) FromHTTP(status int, body []byte, header http.Header) *chat.Error {
	var wrapped struct {
		Error apiError `json:"error"`
	}
	_ = json.Unmarshal(body, &wrapped)
	return c.fromStatus(status, wrapped.Error, &http.Response{StatusCode: status, Header: header}, fmt.Errorf("HTTP %d", status))
}

func (c *Client) fromStatus(status int, body apiError, resp *http.Response, cause error) *chat.Error {
	code := body.code()
	e := &chat.Error{Status: status, Code: code, Cause: cause, Param: body.Param}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Kind, e.Action = chat.KindAuth, chat.ActionOpenSettings
		switch {
		case code == "AuthenticationTypeDisabled":
			// Keys (local authentication) are turned off on the resource.
			e.Reason = "this resource accepts only Microsoft Entra ID: in Settings, set Sign in with to Microsoft Entra ID"
		case c.auth == authEntra:
			e.Reason = "Azure refused your Microsoft Entra ID sign-in: your account needs the \"Cognitive Services OpenAI User\" role on this resource (a new role assignment can take a few minutes), and the endpoint must be that resource's"
		case status == http.StatusForbidden:
			// A wrong key is a 401; a 403 with a key usually means the
			// resource does not accept calls from this network.
			e.Reason = "Azure refused access from this network: the resource's network rules or a private endpoint probably block this machine (Azure portal > your resource > Networking); also check that the key belongs to this resource"
		case c.cfg.KeyFrom != "":
			e.Reason = "Azure refused the API key in " + c.cfg.KeyFrom + " (azchat uses it instead of the key in Settings): set it to this resource's key (Azure portal > your resource > Keys and Endpoint), or unset it"
		default:
			e.Reason = "Azure refused the API key: check the key in settings (Azure portal > your resource > Keys and Endpoint) and that the endpoint belongs to the same resource"
		}
	case status == http.StatusNotFound && code == "DeploymentNotFound":
		e.Kind, e.Action = chat.KindDeploymentNotFound, chat.ActionOpenSettings
		e.Reason = "this resource has no deployment of that name: check the deployment name in settings (Azure AI Foundry > Deployments); a deployment created in the last 5 minutes may not be ready yet"
		switch {
		case c.cfg.DeploymentFrom == "AZURE_OPENAI_ENDPOINT":
			// The deployment came from the address (a target URI).
			e.Reason = "this resource has no deployment of the name in the address in AZURE_OPENAI_ENDPOINT (…/deployments/NAME/…), which azchat uses instead of Settings: correct the name there, or set AZURE_OPENAI_DEPLOYMENT (Azure AI Foundry > Deployments); a deployment created in the last 5 minutes may not be ready yet"
		case c.cfg.DeploymentFrom != "":
			e.Reason = "this resource has no deployment named in " + c.cfg.DeploymentFrom + " (azchat uses it instead of Settings): set it to a deployment's name (Azure AI Foundry > Deployments), or unset it; a deployment created in the last 5 minutes may not be ready yet"
		}
	case status == http.StatusNotFound:
		e.Kind, e.Action = chat.KindBadPath, chat.ActionOpenSettings
		e.Reason = "the endpoint answered \"not found\": the base URL must be https://RESOURCE.openai.azure.com/openai/v1/ — check the endpoint in settings"
		if c.cfg.EndpointFrom != "" {
			e.Reason = "the endpoint in " + c.cfg.EndpointFrom + " answered \"not found\" (azchat uses it instead of Settings): set it to https://RESOURCE.openai.azure.com, or unset it"
		}
	case code == "content_filter":
		e.Kind, e.Action = chat.KindPromptFiltered, chat.ActionEdit
		e.Filter = ParseFilter(body.InnerError.ContentFilterResult)
		e.Reason = "Azure's content filter blocked your message"
		if t := e.Filter.Triggered(); len(t) > 0 {
			e.Reason += " for " + strings.Join(t, ", ") // "for violence (high)": not nested brackets
		}
		e.Reason += ": rephrase it and send again"
	case code == "OperationNotSupported":
		e.Kind, e.Action = chat.KindOperationNotSupported, chat.ActionOpenSettings
		e.Reason = "this deployment's model does not work through this API (OperationNotSupported): in Settings, set API to Auto, or to the other API"
	case code == "context_length_exceeded":
		e.Kind, e.Action = chat.KindContextLength, chat.ActionNewChat
		// azchat trims to the window it plans with: a conversation over
		// the model's means that window is set (or was guessed) too large.
		e.Fact = "the conversation is longer than the model's context window" + contextNumbers(body.Message)
		e.Reason = e.Fact + ": start a new chat, or lower the context window (Edit > This chat's settings, or Settings > Generation) so that azchat leaves out more of the earlier messages"
	case code == "unsupported_parameter" || code == "unsupported_value":
		e.Kind, e.Action = chat.KindUnsupportedParam, chat.ActionOpenSettings
		e.Reason = "the model does not accept the parameter \"" + chat.PlainName(body.Param) + "\": change it in settings"
	case status == http.StatusTooManyRequests:
		e.Kind, e.Action = chat.KindRateLimited, chat.ActionWait
		e.RetryAfter = RetryAfter(resp)
		e.Fact = "Azure's rate limit for this deployment was reached"
		wait := "a moment"
		if e.RetryAfter > 0 {
			wait = roundWait(e.RetryAfter)
		}
		e.Reason = e.Fact + ": wait " + wait + " and try again, or raise the deployment's tokens-per-minute quota"
	case status == http.StatusInternalServerError && strings.Contains(strings.ToLower(body.Message), "invalid unicode"):
		e.Kind, e.Action = chat.KindInvalidUnicode, chat.ActionRetry
		e.Fact = "the model produced invalid Unicode output (a rare Azure fault)"
		e.Reason = e.Fact + ": try again; if it repeats, lower the temperature"
	case status >= 500:
		e.Kind, e.Action = chat.KindServer, chat.ActionRetry
		e.Fact = "Azure OpenAI had a server error"
		e.Reason = e.Fact + ": try again in a moment"
	case status == http.StatusBadRequest && code == "DeploymentNotFound":
		e.Kind, e.Action = chat.KindDeploymentNotFound, chat.ActionOpenSettings
		e.Reason = "this resource has no deployment of that name: check the deployment name in settings"
	case (status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge) && aboutImages(body):
		// Not the settings: an image the service would not take. The
		// question that carried it is left out of later requests (see
		// chat.Plan), or every later message of the chat would fail too.
		e.Kind, e.Action = chat.KindAttachment, chat.ActionEdit
		e.Reason = "Azure OpenAI could not use an image in this message (it was refused as invalid or too large): send the message again without it, or with the image saved as an ordinary PNG or JPEG"
	default:
		e.Kind, e.Action = chat.KindBadRequest, chat.ActionOpenSettings
		e.Reason = "Azure OpenAI rejected the request"
		if code != "" {
			e.Reason += " (code " + chat.PlainName(code) + ")"
		}
		e.Reason += ": check the settings for this chat"
	}
	return e
}

// contextNumbers is " (Azure counted N tokens; the model takes M)" when
// Azure's message for context_length_exceeded gives both numbers (its
// words: "maximum context length is 128000 tokens. However, your messages
// resulted in 131072 tokens"), else "". Only the numbers are shown.
func contextNumbers(msg string) string {
	m := contextLengthRE.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	max, err1 := strconv.Atoi(m[1])
	sent, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil {
		return ""
	}
	return fmt.Sprintf(" (Azure counted %s tokens; the model takes %s)", chat.FormatInt(int64(sent)), chat.FormatInt(int64(max)))
}

var contextLengthRE = regexp.MustCompile(`maximum context length is (\d{1,9}) tokens.*?resulted in (\d{1,9}) tokens`)

// aboutImages reports whether an error names an image: its code
// (invalid_image, invalid_image_format, image_parse_error,
// invalid_image_url…), the parameter (messages[3].content[1].image_url) or,
// where the service gives neither (OpenAI's "Invalid image."), its
// message. Read only to classify; the message is never shown.
func aboutImages(body apiError) bool {
	for _, s := range []string{body.code(), body.Param, body.InnerError.Code, body.Message} {
		if strings.Contains(strings.ToLower(s), "image") {
			return true
		}
	}
	return false
}

// fromStreamError maps an error event inside the stream ("data:
// {"error": {...}}") by its type and code: the server is speaking, so this is
// not a network failure. Text already received is kept by the controller.
func fromStreamError(se *ssestream.StreamError) *chat.Error {
	var body struct {
		Error struct {
			apiError
			Type string `json:"type"`
		} `json:"error"`
	}
	_ = json.Unmarshal(se.Event.Data, &body)
	code, typ := body.Error.code(), body.Error.Type
	e := &chat.Error{Kind: chat.KindStreamError, Action: chat.ActionRetry, Code: code, Cause: se}
	switch {
	case typ == "server_error" || code == "server_error" || code == "internal_error":
		e.Fact = "Azure had an internal error in the middle of the answer"
		e.Reason = e.Fact + " — Retry"
	case code == "content_filter" || typ == "content_filter":
		e.Reason = "Azure's content filter stopped the answer — rephrase your message and send again"
		e.Action = chat.ActionEdit
	case code == "rate_limit_exceeded" || typ == "rate_limit_error":
		e.Fact = "Azure's rate limit stopped the answer"
		e.Reason = e.Fact + " — wait a moment and Retry"
	default:
		e.Fact = "Azure reported an error in the middle of the answer"
		if k := chat.PlainName(cmp.Or(code, typ)); k != "" {
			e.Fact += " (" + k + ")"
		}
		e.Reason = e.Fact + " — Retry"
	}
	return e
}

// safeHost keeps a host name (or scheme://host[:port]) to characters a host
// may hold, so a server cannot put arbitrary text in a message.
func safeHost(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 253 {
			break
		}
		if r == '.' || r == '-' || r == ':' || r == '/' || r == '[' || r == ']' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RetryAfter reads retry-after-ms (Azure) or retry-after (seconds or an HTTP date).
func RetryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	if ms, err := strconv.ParseFloat(resp.Header.Get("retry-after-ms"), 64); err == nil && ms > 0 {
		return time.Duration(ms * float64(time.Millisecond))
	}
	v := resp.Header.Get("retry-after")
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

func roundWait(d time.Duration) string {
	if d < time.Second {
		return "1s"
	}
	return d.Round(time.Second).String()
}

// fromTransport classifies failures that never got an HTTP status.
func fromTransport(err error) *chat.Error {
	e := &chat.Error{Cause: err, Action: chat.ActionRetry}
	if op := (*net.OpError)(nil); errors.As(err, &op) && op.Op == "dial" {
		e.Unsent = true // refused, unreachable, no route: nothing was sent
	}
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var tlsRecord tls.RecordHeaderError
	var certVerify *tls.CertificateVerificationError
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var netErr net.Error
	switch {
	case errors.Is(err, errIdle):
		e.Kind = chat.KindTimeout
		e.Reason = "Azure OpenAI stopped sending in the middle of the answer: try again"
	case errors.Is(err, errFirstByte):
		e.Kind = chat.KindTimeout
		e.Fact = "Azure OpenAI did not start answering in time"
		e.Reason = e.Fact + ": try again (a reasoning model may think for minutes; a busy deployment may need a moment)"
	case errors.As(err, &dns):
		e.Kind, e.Action = chat.KindDNS, chat.ActionOpenSettings
		if host := safeHost(dns.Name); host != "" {
			e.Reason = "the host name " + host + " could not be found: check the endpoint in settings and your network connection"
		} else {
			e.Reason = "the endpoint's host name could not be found: check the endpoint in settings and your network connection"
		}
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &certVerify), errors.As(err, &tlsRecord):
		e.Kind, e.Action = chat.KindTLS, chat.ActionOpenSettings
		e.Reason = "the secure connection to the endpoint failed (its certificate was not trusted): check the endpoint; behind a corporate proxy, point SSL_CERT_FILE at your company's CA certificates"
	case errors.As(err, &syntax), errors.As(err, &typeErr):
		e.Kind = chat.KindMalformed
		e.Reason = "Azure OpenAI sent a response azchat could not read: try again"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		e.Kind = chat.KindTimeout
		e.Fact = "Azure OpenAI did not answer in time"
		e.Reason = e.Fact + ": try again, or check your network connection"
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Kind, e.Action = chat.KindConnection, chat.ActionOpenSettings
		e.Reason = "nothing answered at the endpoint (connection refused): check the endpoint in settings"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, syscall.EPIPE):
		e.Kind = chat.KindConnection
		e.Fact = "the connection to Azure OpenAI was cut"
		e.Reason = e.Fact + ": try again"
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		e.Kind, e.Action = chat.KindTLS, chat.ActionOpenSettings
		e.Reason = "the secure connection to the endpoint failed: check the endpoint; behind a corporate proxy, point SSL_CERT_FILE at your company's CA certificates"
	default:
		e.Kind = chat.KindConnection
		e.Fact = "azchat could not reach Azure OpenAI"
		e.Reason = e.Fact + ": check your network connection and try again"
	}
	return e
}

// lookPath finds a program on PATH; tests replace it.
var lookPath = exec.LookPath

// signInFailure says what to do when no Entra ID token could be had. The
// role a resource asks for is not the trouble here (that is a 401 or 403
// from the service, with a token): the sign-in itself is.
func (c *Client) signInFailure() string {
	switch c.cfg.Auth {
	case AuthEntra:
		switch strings.ToLower(os.Getenv("AZURE_TOKEN_CREDENTIALS")) {
		case "", "dev", "azureclicredential":
		default:
			return genericSignIn // the user chose other credentials
		}
		if _, err := lookPath("az"); err != nil {
			// (Started from a desktop, azchat may have a shorter PATH than
			// a terminal: macOS's Dock gives no Homebrew folder.)
			return "Microsoft Entra ID sign-in through the Azure CLI needs the Azure CLI, and azchat found no az program on its PATH: install it and run az login in a terminal (if it is installed, start azchat from that terminal), or choose browser sign-in or an API key in Settings"
		}
		return "Microsoft Entra ID sign-in through the Azure CLI failed: run az login in a terminal (as an account that may use this resource), then try again"
	case AuthEntraBrowser:
		return "Microsoft Entra ID browser sign-in did not finish: try again and complete the sign-in in the browser window, or choose an API key in Settings"
	}
	return genericSignIn
}

const genericSignIn = "Microsoft Entra ID sign-in failed: sign in again (for the Azure CLI, run az login in a terminal), or choose an API key in Settings"
