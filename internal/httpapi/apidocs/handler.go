package apidocs

import (
	"embed"
	"net/http"
)

//go:embed static
var static embed.FS

var files = map[string]struct{ name, contentType string }{
	"":          {"static/index.html", "text/html; charset=utf-8"},
	"/":         {"static/index.html", "text/html; charset=utf-8"},
	"/docs.js":  {"static/docs.js", "text/javascript; charset=utf-8"},
	"/docs.css": {"static/docs.css", "text/css; charset=utf-8"},
}

// Handler serves the reference page and its two assets. Mount it with the prefix stripped:
// "" and "/" serve the page, "/docs.js" and "/docs.css" the assets; anything else is 404.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, err := static.ReadFile(f.name)
		if err != nil {
			http.Error(w, "missing asset", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", f.contentType)
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(body)
	})
}
