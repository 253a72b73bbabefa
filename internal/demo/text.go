package demo

import (
	"math/rand/v2"
	"strings"
)

// buffer is a reusable scratch byte slice. Building text in it and copying
// out only the final string keeps Products fast: one allocation per string.
type buffer []byte

func (b *buffer) reset()               { *b = (*b)[:0] }
func (b *buffer) writeString(s string) { *b = append(*b, s...) }
func (b *buffer) writeByte(c byte)     { *b = append(*b, c) }

// maxName is the longest product name we emit; longer candidates are skipped.
const maxName = 120

// nameParts are the pieces of a product name. Keeping them apart lets the
// generator add a colour, pack count or model number only when a name would
// otherwise repeat.
type nameParts struct {
	brand, adj, mat, noun, size, colour, pack, model string
}

// render writes "Brand Adj Material Noun, Size, Colour, Pack, Model" into sb,
// skipping empty parts. The caller copies the bytes out if it keeps them.
func (p *nameParts) render(sb *buffer) {
	sb.reset()
	sb.writeString(p.brand)
	for _, w := range [...]string{p.adj, p.mat, p.noun} {
		if w != "" {
			sb.writeByte(' ')
			sb.writeString(w)
		}
	}
	for _, w := range [...]string{p.size, p.colour, p.pack, p.model} {
		if w != "" {
			sb.writeString(", ")
			sb.writeString(w)
		}
	}
}

// descVars are the values substituted into description templates.
type descVars struct {
	brand, mat, noun, feature, use, colour string
	plural                                 bool
}

// expand appends tpl to sb with its {placeholders} replaced. Unknown
// placeholders are copied verbatim so that a typo shows up in tests.
func expand(sb *buffer, tpl string, v *descVars) {
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			sb.writeString(tpl)
			return
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			sb.writeString(tpl)
			return
		}
		sb.writeString(tpl[:i])
		key := tpl[i+1 : i+j]
		tpl = tpl[i+j+1:]
		switch key {
		case "brand":
			sb.writeString(v.brand)
		case "mat":
			sb.writeString(v.mat)
		case "noun":
			sb.writeString(v.noun)
		case "feature":
			sb.writeString(v.feature)
		case "use":
			sb.writeString(v.use)
		case "colour":
			sb.writeString(v.colour)
		case "s":
			sb.writeString(pick2(v.plural, "", "s"))
		case "is":
			sb.writeString(pick2(v.plural, "are", "is"))
		case "it":
			sb.writeString(pick2(v.plural, "them", "it"))
		case "It":
			sb.writeString(pick2(v.plural, "They", "It"))
		case "this":
			sb.writeString(pick2(v.plural, "these", "this"))
		case "This":
			sb.writeString(pick2(v.plural, "These", "This"))
		default:
			sb.writeString("{" + key + "}")
		}
	}
}

// pick2 returns a when cond holds and b otherwise.
func pick2(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

// pick returns a uniformly chosen element of words.
func pick(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

// describe composes a two- or three-sentence description: a feature sentence,
// a use sentence and, most of the time, a closing sentence about colour,
// care, warranty or shipping. Mixing template families keeps neighbouring
// products from reading alike.
func describe(r *rand.Rand, sb *buffer, c *category, kd *kind, brand, mat, colour string) string {
	v := descVars{brand: brand, mat: mat, noun: kd.noun, feature: kd.feature, use: kd.use, colour: colour, plural: kd.plural}
	sb.reset()
	expand(sb, pick(r, featureTemplates), &v)
	sb.writeByte(' ')
	expand(sb, pick(r, useTemplates), &v)
	switch x := r.IntN(10); {
	case colour != "" && x < 4:
		sb.writeByte(' ')
		expand(sb, pick(r, colourTemplates), &v)
	case x < 6:
		sb.writeByte(' ')
		sb.writeString(pick(r, c.closers))
	case x < 8:
		sb.writeByte(' ')
		sb.writeString(pick(r, genericClosers))
	}
	return string(*sb)
}
