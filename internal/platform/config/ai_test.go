package config

import (
	"strings"
	"testing"
)

func TestAIConfiguration(t *testing.T) {
	t.Parallel()
	c, err := FromLookup(lookup(nil))
	if err != nil || c.AI.Provider != "local" {
		t.Fatalf("default AI provider = %q, %v; want local", c.AI.Provider, err)
	}
	c, err = FromLookup(lookup(map[string]string{"AI_PROVIDER": "openai", "AI_BASE_URL": "http://127.0.0.1:11434/v1",
		"AI_API_KEY": "k", "AI_CHAT_MODEL": "m"}))
	if err != nil || c.AI != (AI{Provider: "openai", BaseURL: "http://127.0.0.1:11434/v1", APIKey: "k", ChatModel: "m", CallsPerMinute: 60}) {
		t.Fatalf("openai switch = %+v, %v", c.AI, err)
	}
	const key = "sk-do-not-print-me"
	for msg, env := range map[string]map[string]string{
		"AI_PROVIDER: must be one of local, openai, anthropic": {"AI_PROVIDER": "llama", "AI_API_KEY": key},
		"AI_CHAT_MODEL: is required when AI_PROVIDER=openai":   {"AI_PROVIDER": "openai", "AI_API_KEY": key},
		"AI_API_KEY: is required when AI_PROVIDER=anthropic":   {"AI_PROVIDER": "anthropic", "AI_CHAT_MODEL": "m"},
		"AI_BASE_URL: scheme must be one of http, https":       {"AI_PROVIDER": "openai", "AI_CHAT_MODEL": "m", "AI_BASE_URL": "ftp://x/v1", "AI_API_KEY": key},
	} {
		_, err := FromLookup(lookup(env))
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%v: err = %v, want %q", env, err, msg)
		}
		if err != nil && strings.Contains(err.Error(), key) {
			t.Errorf("the API key appears in the error: %v", err)
		}
	}
}
