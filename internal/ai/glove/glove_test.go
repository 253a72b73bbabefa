package glove

import (
	"bytes"
	"slices"
	"testing"
)

func model(t *testing.T) *Model {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func words(ns []Neighbour) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Word
	}
	return out
}

// Nearest neighbours a shopper would recognise as related.
func TestNearestNeighboursMakeSense(t *testing.T) {
	t.Parallel()
	m := model(t)
	cases := []struct {
		word   string
		k      int
		anyOf  []string // at least one of these is among the k nearest
		noneOf []string // none of these is
	}{
		{"kettle", 30, []string{"teapot", "boil", "pot", "kettles"}, []string{"football", "senate"}},
		// In these vectors (mostly American news and Wikipedia) "trainers" are people who
		// train; the British sense is left to the search layer's synonym list.
		{"trainers", 30, []string{"instructors", "coaches"}, nil},
		{"sneakers", 20, []string{"shoes", "sneaker"}, []string{"senate"}},
		{"shoes", 20, []string{"boots", "sneakers"}, nil},
		{"laptop", 20, []string{"computer", "notebook", "laptops"}, []string{"kettle"}},
		{"tent", 30, []string{"tents", "camping", "sleeping"}, nil},
	}
	for _, c := range cases {
		got := words(m.Nearest(c.word, c.k))
		if !slices.ContainsFunc(c.anyOf, func(w string) bool { return slices.Contains(got, w) }) {
			t.Errorf("nearest to %q: %v; want one of %v", c.word, got, c.anyOf)
		}
		for _, w := range c.noneOf {
			if slices.Contains(got, w) {
				t.Errorf("nearest to %q include %q: %v", c.word, w, got)
			}
		}
	}
}

// Texts about the same need are closer than texts about different ones.
func TestEmbedRanksRelatedTextsHigher(t *testing.T) {
	t.Parallel()
	m := model(t)
	sim := func(a, b string) float32 {
		va, _ := m.Embed(a)
		vb, _ := m.Embed(b)
		return Dot(va, vb)
	}
	cases := []struct{ query, near, far string }{
		{"something to keep coffee hot", "Insulated stainless steel travel mug for coffee and tea", "Cotton yoga mat with carrying strap"},
		{"trainers", "Lightweight running shoes with cushioned soles", "Cast-iron skillet for searing steaks"},
		{"phone charger", "USB-C wall charger for smartphones and tablets", "Wool hiking socks"},
		{"waterproof hiking boots", "Leather boots with a waterproof membrane for trails", "Borosilicate glass French press"},
	}
	for _, c := range cases {
		if n, f := sim(c.query, c.near), sim(c.query, c.far); n <= f {
			t.Errorf("%q: related text scores %.3f, unrelated %.3f", c.query, n, f)
		}
	}
}

func TestEmbedIsUnitLengthAndIgnoresUnknownWords(t *testing.T) {
	t.Parallel()
	m := model(t)
	v, known := m.Embed("KETTLE, qwzxv!")
	if known != 1 {
		t.Fatalf("known words = %d, want 1 (kettle)", known)
	}
	if n := Dot(v, v); n < 0.999 || n > 1.001 {
		t.Fatalf("|v|² = %f, want 1", n)
	}
	k, _ := m.Vector("kettle")
	if Dot(v, k) < 0.99 {
		t.Fatalf("a one-word text should embed as that word")
	}
	if z, known := m.Embed("12 34 !!"); known != 0 || Dot(z, z) != 0 {
		t.Fatalf("no known words should give a zero vector")
	}
}

func TestTokenize(t *testing.T) {
	t.Parallel()
	got := Tokenize("Chef's 8-Inch Knife, Stainless-Steel (USB-C) a")
	want := []string{"chef", "inch", "knife", "stainless", "steel", "usb"}
	if !slices.Equal(got, want) {
		t.Fatalf("Tokenize = %v, want %v", got, want)
	}
}

func TestWriteParseRoundTrip(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	in := []Entry{{"alpha", 0, []float32{3, 4}}, {"beta", 7, []float32{-1, 0}}}
	if err := Write(&buf, 2, in); err != nil {
		t.Fatal(err)
	}
	m, err := parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	a, ok := m.Vector("alpha")
	if !ok || a[0] < 0.59 || a[0] > 0.61 || a[1] < 0.79 || a[1] > 0.81 {
		t.Fatalf("alpha = %v, want about [0.6 0.8]", a)
	}
	if _, err := parse(buf.Bytes()[:buf.Len()-1]); err == nil {
		t.Fatal("a truncated file should not parse")
	}
	if err := Write(&buf, 2, []Entry{{"Bad Word", 0, []float32{1, 1}}}); err == nil {
		t.Fatal("a word that is not lowercase letters should be refused")
	}
}
