// Package webui serves the built single-page app (frontend/dist) from the API's own address:
// content-hashed assets with year-long immutable caching, index.html never cached, and every
// other browser path answered with index.html so the app's router can handle it. The files are
// read into memory, gzip-compressed once, when the handler is built.
package webui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

// ErrNoIndex is returned by New when the directory holds no index.html (the app is not built).
var ErrNoIndex = errors.New("webui: index.html not found; build the app first (make web)")

const (
	immutable = "public, max-age=31536000, immutable"
	noCache   = "no-cache"
	// assetsDir holds the bundler's content-hashed files, the only ones cached for good.
	assetsDir = "assets/"
)

type file struct {
	body        []byte
	gz          []byte // nil when compression does not pay
	contentType string
	etag        string
	cache       string
}

// Handler serves the app. Build it with New.
type Handler struct {
	files   map[string]*file
	index   *file
	modTime time.Time
}

// New reads every file under fsys (typically os.DirFS("frontend/dist")). It returns ErrNoIndex
// when there is no index.html.
func New(fsys fs.FS) (*Handler, error) {
	h := &Handler{files: map[string]*file{}, modTime: time.Now()}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("webui: read %s: %w", p, err)
		}
		h.files[p] = newFile(p, body)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if h.index = h.files["index.html"]; h.index == nil {
		return nil, ErrNoIndex
	}
	return h, nil
}

func newFile(name string, body []byte) *file {
	sum := sha256.Sum256(body)
	f := &file{body: body, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, cache: noCache}
	if strings.HasPrefix(name, assetsDir) {
		f.cache = immutable
	}
	f.contentType = mime.TypeByExtension(path.Ext(name))
	if f.contentType == "" {
		f.contentType = http.DetectContentType(body)
	}
	if compressible(f.contentType) && len(body) > 512 {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if buf.Len() < len(body) {
			f.gz = buf.Bytes()
		}
	}
	return f
}

func compressible(ct string) bool {
	for _, p := range []string{"text/", "application/javascript", "application/json", "image/svg+xml", "application/manifest+json"} {
		if strings.HasPrefix(ct, p) {
			return true
		}
	}
	return false
}

// Owns reports whether the app answers this request: GET or HEAD of a path outside the API and
// the operational endpoints. Everything else stays with the API (and its problem+json 404).
func Owns(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	if p == "/api" || strings.HasPrefix(p, "/api/") {
		return false
	}
	switch p {
	case "/healthz", "/readyz", "/metrics":
		return false
	}
	return true
}

// ServeHTTP serves a file of the build when one matches the path, a 404 for a missing asset
// (a stale page asking for a replaced bundle must not get HTML), and index.html otherwise.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	f := h.files[name]
	if f == nil {
		if strings.HasPrefix(name, assetsDir) || name == "index.html" {
			w.Header().Set("Cache-Control", noCache)
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		f = h.index
	}
	hd := w.Header()
	hd.Set("Cache-Control", f.cache)
	hd.Set("Content-Type", f.contentType)
	hd.Set("ETag", f.etag)
	body := f.body
	if f.gz != nil {
		hd.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			hd.Set("Content-Encoding", "gzip")
			hd.Set("ETag", strings.TrimSuffix(f.etag, `"`)+`-gz"`)
			body = f.gz
		}
	}
	http.ServeContent(w, r, "", h.modTime, bytes.NewReader(body))
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}
