package ai

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
)

// AnthropicProvider speaks the Anthropic Messages API through the official SDK. Anthropic
// offers no embeddings, so it only generates.
type AnthropicProvider struct {
	client    anthropic.Client
	chatModel string
}

// NewAnthropic returns an adapter for the Messages API at baseURL (empty: Anthropic's own).
// The SDK's own retries are off: Client retries.
func NewAnthropic(baseURL, apiKey, chatModel string, hc *http.Client) *AnthropicProvider {
	opts := []option.RequestOption{option.WithMaxRetries(0), option.WithAPIKey(apiKey)}
	if baseURL != "" {
		opts = append(opts, option.WithBaseURL(baseURL))
	}
	if hc != nil {
		opts = append(opts, option.WithHTTPClient(hc))
	}
	return &AnthropicProvider{client: anthropic.NewClient(opts...), chatModel: chatModel}
}

// Name implements Provider.
func (*AnthropicProvider) Name() string { return Anthropic }

// Capabilities implements Provider: generation only.
func (p *AnthropicProvider) Capabilities() Capabilities {
	return Capabilities{Generate: p.chatModel != ""}
}

// Generate implements Provider with one Messages call. With a Schema, the system prompt
// already asks for JSON; the text blocks of the reply are joined.
func (p *AnthropicProvider) Generate(ctx context.Context, req GenerateRequest) (Generation, error) {
	if p.chatModel == "" {
		return Generation{}, ErrUnsupported
	}
	params := anthropic.MessageNewParams{
		Model:     anthropic.Model(p.chatModel),
		MaxTokens: int64(maxTokens(req)),
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(req.Prompt))},
	}
	if req.System != "" {
		params.System = []anthropic.TextBlockParam{{Text: req.System}}
	}
	res, err := p.client.Messages.New(ctx, params)
	if err != nil {
		return Generation{}, sdkError(ctx, Anthropic, err)
	}
	var b strings.Builder
	for _, c := range res.Content {
		if c.Type == "text" {
			b.WriteString(c.Text)
		}
	}
	if b.Len() == 0 {
		return Generation{}, ErrMalformed
	}
	return Generation{Text: b.String(), Provider: Anthropic, Model: string(res.Model),
		Usage: Usage{InputTokens: res.Usage.InputTokens, OutputTokens: res.Usage.OutputTokens}}, nil
}

// Embed implements Provider: ErrUnsupported.
func (*AnthropicProvider) Embed(context.Context, []string) (Embeddings, error) {
	return Embeddings{}, ErrUnsupported
}

// anthropicError is the status and headers of an Anthropic SDK error.
type anthropicError struct {
	status int
	header http.Header
}

func asAnthropic(err error, out **anthropicError) bool {
	var e *anthropic.Error
	if !errors.As(err, &e) {
		return false
	}
	*out = &anthropicError{status: e.StatusCode}
	if e.Response != nil {
		(*out).header = e.Response.Header
	}
	return true
}
