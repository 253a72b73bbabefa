package cache

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// View is a rendered response as Views keeps it: the body as sent, its gzip form when the body
// is large enough to be worth compressing (see Compressed), its media type and its strong
// entity tag. A View is
// immutable once made: many requests write the same bytes.
type View struct {
	ContentType string
	ETag        string // strong, quoted; the gzip form's tag is GzipETag
	Body        []byte
	Gzip        []byte // nil: served uncompressed
}

// GzipETag is the entity tag of the gzip form: a different representation has a different
// strong tag.
func (v View) GzipETag() string {
	if len(v.ETag) < 2 {
		return v.ETag
	}
	return v.ETag[:len(v.ETag)-1] + `-gzip"`
}

// GzipMinBytes is the smallest body worth compressing: below about a kilobyte the headers and
// the CPU cost more than the bytes saved.
const GzipMinBytes = 1024

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

// NewView makes the view of body: its entity tag, from a SHA-256 of the bytes.
func NewView(contentType string, body []byte) View {
	sum := sha256.Sum256(body)
	return View{ContentType: contentType, ETag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`, Body: body}
}

// Compressed adds the gzip form of a body of GzipMinBytes or more, once, for every later
// request that accepts it (writers are pooled).
func (v View) Compressed() View {
	if len(v.Body) < GzipMinBytes || v.Gzip != nil {
		return v
	}
	var buf bytes.Buffer
	buf.Grow(len(v.Body) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(v.Body)
	if zw.Close() == nil && buf.Len() < len(v.Body) {
		v.Gzip = buf.Bytes()
	}
	gzipWriters.Put(zw)
	return v
}

func (v View) size() int { return len(v.ContentType) + len(v.ETag) + len(v.Body) + len(v.Gzip) }

// marshal lays the view out for Redis: four length-prefixed fields.
func (v View) marshal() []byte {
	out := make([]byte, 0, v.size()+4*binary.MaxVarintLen32+1)
	out = append(out, viewFormat)
	for _, f := range [][]byte{[]byte(v.ContentType), []byte(v.ETag), v.Body, v.Gzip} {
		out = binary.AppendUvarint(out, uint64(len(f)))
		out = append(out, f...)
	}
	return out
}

const viewFormat = 1

var errBadView = errors.New("cache: malformed view")

func unmarshalView(b []byte) (View, error) {
	if len(b) == 0 || b[0] != viewFormat {
		return View{}, errBadView
	}
	b = b[1:]
	var fields [4][]byte
	for i := range fields {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return View{}, errBadView
		}
		fields[i], b = b[k:k+int(n)], b[k+int(n):]
	}
	v := View{ContentType: string(fields[0]), ETag: string(fields[1]), Body: fields[2]}
	if len(fields[3]) > 0 {
		v.Gzip = fields[3]
	}
	return v, nil
}

// ViewsConfig tunes a Views.
type ViewsConfig struct {
	// Namespace names the data the views are rendered from, e.g. "catalog": its version in
	// Redis moves when that data changes (Bump), and every API process drops its in-process
	// tier when it hears so.
	Namespace string
	// LocalBytes bounds the in-process tier (default 32 MiB).
	LocalBytes uint64
	// LocalTTL is how long the in-process tier keeps a view, less up to a quarter of jitter
	// (default 1s). It bounds staleness when no version change can be heard (Redis gone).
	LocalTTL time.Duration
	// RemoteTTL is how long Redis keeps a view, less up to a quarter of jitter (default 60s).
	RemoteTTL time.Duration
	// MaxViewBytes is the largest body kept (default 1 MiB); larger ones are served uncached.
	MaxViewBytes int
	// FillTimeout bounds one fill, which runs apart from the request that started it so that a
	// caller going away does not fail the others waiting on it (default 10s).
	FillTimeout time.Duration
}

func (c ViewsConfig) withDefaults() ViewsConfig {
	if c.LocalBytes == 0 {
		c.LocalBytes = 32 << 20
	}
	if c.LocalTTL <= 0 {
		c.LocalTTL = time.Second
	}
	if c.RemoteTTL <= 0 {
		c.RemoteTTL = time.Minute
	}
	if c.MaxViewBytes <= 0 {
		c.MaxViewBytes = 1 << 20
	}
	if c.FillTimeout <= 0 {
		c.FillTimeout = 10 * time.Second
	}
	return c
}

// Source says where a view came from.
type Source string

// Where a view came from.
const (
	FromLocal  Source = "local"  // the in-process tier
	FromRedis  Source = "redis"  // the shared tier
	FromFill   Source = "fill"   // rendered by this request (or one it waited for)
	Uncachable Source = "bypass" // rendered, but not kept (not a 200, or too large)
)

// Fill renders a view. cacheable false means the answer must not be kept (an error page, say);
// it is still served to every request that waited for it.
type Fill func(ctx context.Context) (v View, cacheable bool, err error)

// Views is a two-tier cache of rendered responses. The in-process tier (otter, bounded in
// bytes) answers a hot key without a network round trip; Redis shares fills across API
// processes. Keys live under the namespace's version: Bump moves the version and publishes
// it, each process drops its in-process tier when it hears, and older keys are never read
// again. Concurrent misses of one key share one fill. Redis is best effort, as everywhere
// here: a failure skips it for a second and the in-process tier carries on, on its own TTL.
type Views struct {
	cfg      ViewsConfig
	rdb      *redis.Client // nil: in-process tier only
	breaker  Breaker
	local    *otter.Cache[string, localView]
	version  atomic.Int64 // the namespace's version as last heard; keys of the local tier carry it
	fills    singleflight.Group
	metrics  *ViewMetrics
	verKey   string
	dataKey  string        // prefix of the Redis keys of views
	listened chan struct{} // closed once the first subscription is confirmed (tests wait on it)
	once     sync.Once
}

type localView struct {
	View
	ttl time.Duration
}

// NewViews returns a cache on rdb (nil: in-process only) reporting to metrics (nil: none).
// Call Listen to hear version changes.
func NewViews(rdb *redis.Client, cfg ViewsConfig, metrics *ViewMetrics) *Views {
	cfg = cfg.withDefaults()
	v := &Views{cfg: cfg, rdb: rdb, metrics: metrics, verKey: versionKey(cfg.Namespace),
		dataKey: "view:" + cfg.Namespace + ":", listened: make(chan struct{})}
	v.local = otter.Must(&otter.Options[string, localView]{
		MaximumWeight: cfg.LocalBytes,
		Weigher:       func(k string, lv localView) uint32 { return uint32(min(len(k)+lv.size()+64, 1<<31)) },
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, localView]) time.Duration {
			return e.Value.ttl
		}),
	})
	metrics.localBytes(cfg.Namespace, func() float64 { return float64(v.local.WeightedSize()) })
	return v
}

func jitter(d time.Duration) time.Duration {
	return d - time.Duration(rand.Int64N(int64(d)/4+1))
}

// Get returns the view under key, from the in-process tier, Redis, or fill, in that order.
func (v *Views) Get(ctx context.Context, key string, fill Fill) (View, Source, error) {
	ver := v.version.Load()
	lk := strconv.FormatInt(ver, 10) + "|" + key
	start := time.Now()
	if lv, ok := v.local.GetIfPresent(lk); ok {
		v.metrics.lookup(v.cfg.Namespace, FromLocal, "hit", start)
		return lv.View, FromLocal, nil
	}
	v.metrics.lookup(v.cfg.Namespace, FromLocal, "miss", start)
	type result struct {
		view      View
		src       Source
		cacheable bool
	}
	out, err, _ := v.fills.Do(lk, func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), v.cfg.FillTimeout)
		defer cancel()
		remoteVer, view, found := v.fromRedis(fctx, key)
		if found {
			v.keepLocal(max(ver, remoteVer), key, view)
			return result{view, FromRedis, true}, nil
		}
		fillStart := time.Now()
		view, cacheable, err := fill(fctx)
		cacheable = cacheable && len(view.Body) <= v.cfg.MaxViewBytes
		v.metrics.fill(v.cfg.Namespace, err, cacheable, fillStart)
		if err != nil {
			return nil, err
		}
		if !cacheable {
			return result{view, Uncachable, false}, nil
		}
		// The fill read data at least as new as the version heard before it started (ver) and
		// the one Redis gave (remoteVer): keep the view under the newer of those, never a
		// version heard after the read.
		v.keepLocal(max(ver, remoteVer), key, view)
		if remoteVer >= 0 {
			v.toRedis(fctx, remoteVer, key, view)
		}
		return result{view, FromFill, true}, nil
	})
	if err != nil {
		return View{}, FromFill, err
	}
	r := out.(result)
	return r.view, r.src, nil
}

func (v *Views) keepLocal(ver int64, key string, view View) {
	v.local.Set(strconv.FormatInt(ver, 10)+"|"+key, localView{View: view, ttl: jitter(v.cfg.LocalTTL)})
}

// readAt returns the namespace's version and the view stored under it for ARGV[2], in one
// round trip, so a view read from Redis is never one of an older version.
var readAt = redis.NewScript(`
local ver = redis.call('GET', KEYS[1]) or '0'
return {ver, redis.call('GET', ARGV[1] .. ver .. ':' .. ARGV[2])}`)

// fromRedis reads the current version and the view under it. ver is -1 when Redis could not
// be asked (no client, breaker open, error): then nothing may be written to Redis either.
func (v *Views) fromRedis(ctx context.Context, key string) (ver int64, view View, found bool) {
	if v.rdb == nil || !v.breaker.Allow() {
		return -1, View{}, false
	}
	start := time.Now()
	res, err := readAt.Run(ctx, v.rdb, []string{v.verKey}, v.dataKey, key).Slice()
	v.breaker.Record(err)
	if err != nil || len(res) != 2 {
		v.metrics.lookup(v.cfg.Namespace, FromRedis, "error", start)
		return -1, View{}, false
	}
	s, _ := res[0].(string)
	ver, err = strconv.ParseInt(s, 10, 64)
	if err != nil {
		v.metrics.lookup(v.cfg.Namespace, FromRedis, "error", start)
		return -1, View{}, false
	}
	v.heard(ver, "read")
	raw, ok := res[1].(string)
	if !ok {
		v.metrics.lookup(v.cfg.Namespace, FromRedis, "miss", start)
		return ver, View{}, false
	}
	view, err = unmarshalView([]byte(raw))
	if err != nil {
		v.metrics.lookup(v.cfg.Namespace, FromRedis, "error", start)
		return ver, View{}, false
	}
	v.metrics.lookup(v.cfg.Namespace, FromRedis, "hit", start)
	return ver, view, true
}

func (v *Views) toRedis(ctx context.Context, ver int64, key string, view View) {
	if v.rdb == nil || !v.breaker.Allow() {
		return
	}
	k := v.dataKey + strconv.FormatInt(ver, 10) + ":" + key
	v.breaker.Record(v.rdb.Set(ctx, k, view.marshal(), jitter(v.cfg.RemoteTTL)).Err())
}

// heard moves the local version to ver if it is newer, dropping the in-process tier: none of
// its views can be read again.
func (v *Views) heard(ver int64, how string) {
	for {
		cur := v.version.Load()
		if ver <= cur {
			return
		}
		if v.version.CompareAndSwap(cur, ver) {
			v.local.InvalidateAll()
			v.metrics.versionMoved(v.cfg.Namespace, how)
			return
		}
	}
}

// Listen hears the namespace's version changes until ctx ends: each Bump is published, and
// every (re)subscription reads the version afresh, so changes missed while Redis was away are
// caught up as soon as it is back.
func (v *Views) Listen(ctx context.Context) {
	if v.rdb == nil {
		return
	}
	ps := v.rdb.Subscribe(ctx, v.verKey) // Bump publishes each version on its key's name
	defer ps.Close()
	for msg := range ps.ChannelWithSubscriptions(redis.WithChannelHealthCheckInterval(5 * time.Second)) {
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind != "subscribe" {
				continue
			}
			ver, err := v.rdb.Get(ctx, v.verKey).Int64()
			if err != nil && !errors.Is(err, redis.Nil) {
				slog.Warn("cache: could not read the version", "namespace", v.cfg.Namespace, "error", err.Error())
				continue
			}
			v.heard(ver, "subscribe")
			v.once.Do(func() { close(v.listened) })
		case *redis.Message:
			ver, err := strconv.ParseInt(m.Payload, 10, 64)
			if err != nil {
				continue
			}
			v.heard(ver, "publish")
		}
	}
}

// Listening is closed once Listen has subscribed for the first time.
func (v *Views) Listening() <-chan struct{} { return v.listened }

// Version is the namespace's version as this process last heard it.
func (v *Views) Version() int64 { return v.version.Load() }

// bumpVersion moves each namespace's version to the greater of its next number and Redis's
// clock in milliseconds, and publishes it. Versions only grow, even across a restart of a
// Redis that kept nothing: a process that heard a version never mistakes a later one for old.
var bumpVersion = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i, key in ipairs(KEYS) do
  local v = math.max((tonumber(redis.call('GET', key)) or 0) + 1, now)
  redis.call('SET', key, v, 'EX', 604800)
  redis.call('PUBLISH', key, v)
  out[i] = v
end
return out`)

// Bump moves the given namespaces to new versions and publishes them, so that views and
// responses cached under older ones are no longer served.
func Bump(ctx context.Context, rdb *redis.Client, namespaces ...string) error {
	if rdb == nil || len(namespaces) == 0 {
		return nil
	}
	keys := make([]string, len(namespaces))
	for i, ns := range namespaces {
		keys[i] = versionKey(ns)
	}
	if err := bumpVersion.Run(ctx, rdb, keys).Err(); err != nil {
		return fmt.Errorf("bump cache version: %w", err)
	}
	return nil
}

// Changed tells the cache that its data changed here and now: the in-process tier is dropped
// at once and, Redis permitting, the version is bumped so every other process drops its own.
func (v *Views) Changed(ctx context.Context) {
	v.local.InvalidateAll()
	if v.rdb == nil || !v.breaker.Allow() {
		return
	}
	err := Bump(ctx, v.rdb, v.cfg.Namespace)
	v.breaker.Record(err)
	if err != nil {
		slog.WarnContext(ctx, "cache: could not bump the version; other processes see the change within their TTL", "namespace", v.cfg.Namespace, "error", err.Error())
	}
}
