package ai

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/acme/orders/internal/ai/glove"
)

// OpenAIProvider speaks the OpenAI chat-completions and embeddings API through the official
// SDK, to OpenAI itself or any compatible server (Ollama, vLLM, llama.cpp).
type OpenAIProvider struct {
	client     openai.Client
	chatModel  string
	embedModel string
}

// NewOpenAI returns an adapter for the server at baseURL (e.g. http://host:11434/v1). The SDK's
// own retries are off: Client retries. embedModel may be empty (no embeddings).
func NewOpenAI(baseURL, apiKey, chatModel, embedModel string, hc *http.Client) *OpenAIProvider {
	opts := []option.RequestOption{option.WithMaxRetries(0), option.WithAPIKey(apiKey)}
	if baseURL != "" {
		opts = append(opts, option.WithBaseURL(baseURL))
	}
	if hc != nil {
		opts = append(opts, option.WithHTTPClient(hc))
	}
	return &OpenAIProvider{client: openai.NewClient(opts...), chatModel: chatModel, embedModel: embedModel}
}

// Name implements Provider.
func (*OpenAIProvider) Name() string { return OpenAI }

// Capabilities implements Provider: generation with a chat model, embeddings with an
// embedding model.
func (p *OpenAIProvider) Capabilities() Capabilities {
	return Capabilities{Generate: p.chatModel != "", Embed: p.embedModel != ""}
}

// Generate implements Provider with one chat completion; with a Schema it asks for a JSON
// object (response_format json_object, understood by every compatible server) and leaves
// validation to the caller.
func (p *OpenAIProvider) Generate(ctx context.Context, req GenerateRequest) (Generation, error) {
	if p.chatModel == "" {
		return Generation{}, ErrUnsupported
	}
	params := openai.ChatCompletionNewParams{
		Model:               shared.ChatModel(p.chatModel),
		Messages:            []openai.ChatCompletionMessageParamUnion{openai.SystemMessage(req.System), openai.UserMessage(req.Prompt)},
		MaxCompletionTokens: openai.Int(int64(maxTokens(req))),
	}
	if req.Schema != nil {
		params.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}}
	}
	res, err := p.client.Chat.Completions.New(ctx, params)
	if err != nil {
		return Generation{}, sdkError(ctx, OpenAI, err)
	}
	if len(res.Choices) == 0 {
		return Generation{}, ErrMalformed
	}
	return Generation{Text: res.Choices[0].Message.Content, Provider: OpenAI, Model: res.Model,
		Usage: Usage{InputTokens: res.Usage.PromptTokens, OutputTokens: res.Usage.CompletionTokens}}, nil
}

// Embed implements Provider with one embeddings call for all texts.
func (p *OpenAIProvider) Embed(ctx context.Context, texts []string) (Embeddings, error) {
	if p.embedModel == "" {
		return Embeddings{}, ErrUnsupported
	}
	res, err := p.client.Embeddings.New(ctx, openai.EmbeddingNewParams{
		Model:          openai.EmbeddingModel(p.embedModel),
		Input:          openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: texts},
		EncodingFormat: openai.EmbeddingNewParamsEncodingFormatFloat,
	})
	if err != nil {
		return Embeddings{}, sdkError(ctx, OpenAI, err)
	}
	if len(res.Data) != len(texts) {
		return Embeddings{}, ErrMalformed
	}
	out := Embeddings{Provider: OpenAI, Model: res.Model, Vectors: make([][]float32, len(texts)),
		Usage: Usage{InputTokens: res.Usage.PromptTokens}}
	for _, d := range res.Data {
		if d.Index < 0 || int(d.Index) >= len(texts) || len(d.Embedding) == 0 || out.Vectors[d.Index] != nil {
			return Embeddings{}, ErrMalformed
		}
		v := make([]float32, len(d.Embedding))
		for i, x := range d.Embedding {
			v[i] = float32(x)
		}
		glove.Normalize(v)
		out.Vectors[d.Index] = v
	}
	return out, nil
}

func maxTokens(req GenerateRequest) int {
	if req.MaxTokens > 0 {
		return req.MaxTokens
	}
	return 1024
}

// sdkError turns an SDK error into ours: a status with its Retry-After, a timeout, or a
// malformed reply. Nothing of the SDK's message (which quotes the reply body) is kept.
func sdkError(ctx context.Context, provider string, err error) error {
	var status int
	var header http.Header
	var oe *openai.Error
	var ae *anthropicError
	switch {
	case errors.As(err, &oe):
		status = oe.StatusCode
		if oe.Response != nil {
			header = oe.Response.Header
		}
	case asAnthropic(err, &ae):
		status, header = ae.status, ae.header
	}
	if status != 0 {
		return &StatusError{Provider: provider, Status: status, RetryAfter: retryAfter(header)}
	}
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var netErr *url.Error
	switch {
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		return ErrTimeout
	case errors.As(err, &syntax), errors.As(err, &typeErr), errors.Is(err, io.ErrUnexpectedEOF):
		return ErrMalformed
	case errors.As(err, &netErr):
		return errors.New("ai: " + provider + " could not be reached")
	}
	// The request went through and got a 2xx, but its body could not be decoded.
	return ErrMalformed
}

// retryAfter reads Retry-After as seconds or an HTTP date; 0 if absent or unreadable.
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}
