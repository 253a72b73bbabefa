package glove

import (
	"strings"
	"unicode"
)

// Tokenize splits text into lowercase word tokens: runs of two or more ASCII letters. Digits,
// punctuation and other symbols separate words and are dropped, because the vocabulary keeps only words
// made of letters. The generator and the embedder use this one function, so the words kept in
// the model file are exactly the words text is looked up by.
func Tokenize(text string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 1 {
			out = append(out, b.String())
		}
		b.Reset()
	}
	for _, r := range text {
		switch {
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '\u2019':
			// "chef's" becomes "chef": the possessive adds nothing the vectors can use.
			flush()
		default:
			flush()
		}
	}
	flush()
	return out
}

// ValidWord reports whether w is a token Tokenize can produce: lowercase ASCII letters only.
func ValidWord(w string) bool {
	if w == "" || len(w) > 255 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
