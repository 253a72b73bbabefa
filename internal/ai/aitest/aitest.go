// Package aitest serves fake AI providers for tests: httptest servers that answer in the
// OpenAI chat-completions and Anthropic Messages wire formats from a script, and record what
// they were sent. Only outside paid services are faked this way; everything else in a test is
// real.
package aitest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Reply is what the server answers to one request.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
	Hang   bool // answer nothing until the client gives up
}

// Request is one request the server received.
type Request struct {
	Path string
	Auth string // the Authorization header, or X-Api-Key when that is what was sent
	Body map[string]any
}

// Server is a fake provider. Script picks the reply to the n-th request (from 1).
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
}

// NewServer starts a fake provider answering by script; it is closed when the test ends.
func NewServer(t testing.TB, script func(n int) Reply) *Server {
	t.Helper()
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		auth := r.Header.Get("Authorization")
		if k := r.Header.Get("X-Api-Key"); k != "" {
			auth = k
		}
		s.mu.Lock()
		s.requests = append(s.requests, Request{Path: r.URL.Path, Auth: auth, Body: body})
		n := len(s.requests)
		s.mu.Unlock()
		rep := script(n)
		if rep.Hang {
			<-r.Context().Done()
			return
		}
		for k, v := range rep.Header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.Status)
		_, _ = io.WriteString(w, rep.Body)
	}))
	t.Cleanup(s.Close)
	return s
}

// Requests are the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count is how many requests the server received.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// OpenAIChat is a chat-completions reply (200) whose message is text.
func OpenAIChat(text string) Reply {
	b, _ := json.Marshal(text)
	return Reply{Status: 200, Body: `{"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"test-chat",` +
		`"choices":[{"index":0,"message":{"role":"assistant","content":` + string(b) + `},"finish_reason":"stop"}],` +
		`"usage":{"prompt_tokens":21,"completion_tokens":7,"total_tokens":28}}`}
}

// AnthropicMessage is a Messages API reply (200) whose one text block is text.
func AnthropicMessage(text string) Reply {
	b, _ := json.Marshal(text)
	return Reply{Status: 200, Body: `{"id":"msg_01","type":"message","role":"assistant","model":"test-claude","content":[{"type":"text","text":` +
		string(b) + `}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":21,"output_tokens":7}}`}
}

// Turns returns the system prompt and the user turn of a chat request in either wire format:
// OpenAI sends both as messages, Anthropic the system prompt as its own field.
func (r Request) Turns() (system, user string) {
	if sys, ok := r.Body["system"].([]any); ok { // Anthropic: [{"type":"text","text":...}]
		for _, b := range sys {
			system += text(b)
		}
	}
	msgs, _ := r.Body["messages"].([]any)
	for _, m := range msgs {
		msg, _ := m.(map[string]any)
		var content string
		switch c := msg["content"].(type) {
		case string:
			content = c
		case []any: // content blocks
			for _, b := range c {
				content += text(b)
			}
		}
		switch msg["role"] {
		case "system", "developer":
			system += content
		case "user":
			user += content
		}
	}
	return system, user
}

func text(block any) string {
	b, _ := block.(map[string]any)
	s, _ := b["text"].(string)
	return s
}
