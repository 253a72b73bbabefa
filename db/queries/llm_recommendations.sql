-- name: LLMRecommendationsGet :one
SELECT user_id, items, provider, model, prompt, basis, fallback, generated_at FROM llm_recommendations WHERE user_id = @user_id;

-- name: LLMRecommendationsSave :exec
-- Keeps the latest result per customer.
INSERT INTO llm_recommendations (user_id, items, provider, model, prompt, basis, fallback, generated_at)
VALUES (@user_id, @items, @provider, @model, @prompt, @basis, @fallback, @generated_at)
ON CONFLICT (user_id) DO UPDATE SET items = excluded.items, provider = excluded.provider, model = excluded.model,
    prompt = excluded.prompt, basis = excluded.basis, fallback = excluded.fallback, generated_at = excluded.generated_at;
