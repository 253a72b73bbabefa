package assistant

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Parse is the rule-based parser: it reads a shopper's message with fixed rules, no language
// model, and returns the filters it finds.
//
//   - Prices: "under 150 dollars", "below $30", "less than 20", "up to 50", "50 or less",
//     "over €100", "at least 10", "$50+", "between 20 and 50", "from 10 to 40 euros",
//     "$20-$50"; a bare amount with a currency ("a $40 kettle") is a budget, i.e. a maximum.
//     Bounds are inclusive, and any currency sign or word means the catalogue's currency. A
//     number followed by a unit ("under 2 kg", "over 8 years") is not a price. "Cheap" and
//     the like set no bound: there is no price that would mean it for every category.
//   - Stock: "in stock", "available (now)", "on hand", "ready to ship".
//   - Category: a category of the live list by name, in any case, singular or plural, "&" or
//     "and" ("toys and games" is Toys & Games), or by one of the synonyms below for categories
//     of the demo catalogue that exist; the first category named wins.
//   - The remaining content words, minus filler ("show me", "I need", "something"), are the
//     search text q, with "sneakers" and "trainers" read as "running shoes" (the catalogue's
//     word) and "earphones" as "earbuds".
func Parse(message string, categories []string) Filters {
	p := parser{toks: tokenize(message)}
	p.prices()
	p.stock()
	return Filters{
		Category:      p.category(categories),
		MinPriceCents: p.min,
		MaxPriceCents: p.max,
		InStock:       p.inStock,
		Q:             p.query(),
	}
}

// token is one word, number or sign of the message, lower-cased.
type token struct {
	text  string  // as typed (lower case); currency signs are "$", "€", "£"
	num   float64 // the value of a number
	isNum bool
	used  bool // part of a price, stock or category phrase: not search text
}

type parser struct {
	toks     []token
	min, max *int64
	inStock  bool
}

func tokenize(s string) []token {
	s = strings.NewReplacer("’", "'", "‘", "'", "–", "-", "—", "-").Replace(strings.ToLower(s))
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsDigit(rs[j]) || thousands(rs, j) || (rs[j] == '.' && j+1 < len(rs) && unicode.IsDigit(rs[j+1]))) {
				j++
			}
			text := string(rs[i:j])
			v, _ := strconv.ParseFloat(strings.ReplaceAll(text, ",", ""), 64)
			out = append(out, token{text: text, num: v, isNum: true})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) ||
				((rs[j] == '-' || rs[j] == '\'') && j+1 < len(rs) && (unicode.IsLetter(rs[j+1]) || unicode.IsDigit(rs[j+1])))) {
				j++
			}
			out = append(out, token{text: string(rs[i:j])})
			i = j
		case r == '$' || r == '€' || r == '£' || r == '<' || r == '>' || r == '+':
			out = append(out, token{text: string(r)})
			i++
		case r == '&':
			out = append(out, token{text: "and"})
			i++
		case r == '-' && len(out) > 0 && out[len(out)-1].isNum && i+1 < len(rs) && (unicode.IsDigit(rs[i+1]) || strings.ContainsRune("$€£", rs[i+1])):
			out = append(out, token{text: "-"}) // a range: 20-50
			i++
		default:
			i++
		}
	}
	return out
}

// thousands reports whether rs[j] is a thousands separator: a comma followed by exactly three
// digits (1,299).
func thousands(rs []rune, j int) bool {
	if rs[j] != ',' || j+3 >= len(rs) {
		return false
	}
	for k := j + 1; k <= j+3; k++ {
		if !unicode.IsDigit(rs[k]) {
			return false
		}
	}
	return j+4 == len(rs) || !unicode.IsDigit(rs[j+4])
}

// at reports how many tokens from i match one of ps (the longest), 0 if none.
func (p *parser) at(i int, ps [][]string) int {
	best := 0
	for _, ph := range ps {
		if len(ph) > best && i+len(ph) <= len(p.toks) && p.matches(i, ph) {
			best = len(ph)
		}
	}
	return best
}

func (p *parser) matches(i int, words []string) bool {
	for k, w := range words {
		if t := p.toks[i+k]; t.used || t.text != w {
			return false
		}
	}
	return true
}

func (p *parser) use(from, to int) {
	for k := from; k < to; k++ {
		p.toks[k].used = true
	}
}

// amount reads [currency] number [currency] at i: the value in cents, the index after it, and
// whether a currency was named. A number followed by a unit, or too large to be a price, is
// not an amount.
func (p *parser) amount(i int) (cents int64, end int, money, ok bool) {
	if i < len(p.toks) && !p.toks[i].used && currencyWords[p.toks[i].text] && !p.toks[i].isNum {
		money = true
		i++
	}
	if i >= len(p.toks) || !p.toks[i].isNum || p.toks[i].used {
		return 0, 0, false, false
	}
	v := p.toks[i].num
	i++
	if i < len(p.toks) && currencyWords[p.toks[i].text] {
		money = true
		i++
	} else if i < len(p.toks) && units[p.toks[i].text] {
		return 0, 0, false, false
	}
	if v*100 > 1e10 {
		return 0, 0, false, false
	}
	return int64(math.Round(v * 100)), i, money, true
}

// prices finds the price phrases, latest bound winning, and orders the range.
func (p *parser) prices() {
	bound := func(dst **int64, v int64) { *dst = &v }
	for i := 0; i < len(p.toks); i++ {
		if p.toks[i].used {
			continue
		}
		if w := p.at(i, rangeStart); w > 0 {
			if a, j, _, ok := p.amount(i + w); ok {
				if m := p.at(j, rangeMid); m > 0 {
					if b, k, _, ok := p.amount(j + m); ok {
						bound(&p.min, a)
						bound(&p.max, b)
						p.use(i, k)
						continue
					}
				}
			}
		}
		if w := p.at(i, maxBefore); w > 0 {
			if a, j, _, ok := p.amount(i + w); ok {
				bound(&p.max, a)
				p.use(i, j)
				continue
			}
		}
		if w := p.at(i, minBefore); w > 0 {
			if a, j, _, ok := p.amount(i + w); ok {
				bound(&p.min, a)
				p.use(i, j)
				continue
			}
		}
		a, j, money, ok := p.amount(i)
		if !ok {
			continue
		}
		if m := p.at(j, rangeMid); m > 0 {
			if b, k, money2, ok := p.amount(j + m); ok && (money || money2) {
				bound(&p.min, a)
				bound(&p.max, b)
				p.use(i, k)
				continue
			}
		}
		switch w, v := p.at(j, maxAfter), p.at(j, minAfter); {
		case w > 0:
			bound(&p.max, a)
			p.use(i, j+w)
		case v > 0:
			bound(&p.min, a)
			p.use(i, j+v)
		case money:
			bound(&p.max, a) // a budget
			p.use(i, j)
		}
	}
	if p.min != nil && p.max != nil && *p.min > *p.max {
		p.min, p.max = p.max, p.min
	}
}

func (p *parser) stock() {
	for i := range p.toks {
		if w := p.at(i, inStock); w > 0 {
			p.inStock = true
			p.use(i, i+w)
		} else if w := p.at(i, outOfStock); w > 0 {
			p.use(i, i+w)
		}
	}
}

// category finds the first category the message names and uses up its words (names only).
func (p *parser) category(categories []string) *string {
	type form struct {
		words    []string // singular
		category string
		hint     bool
	}
	var forms []form
	for _, c := range categories {
		forms = append(forms, form{words: singulars(c), category: c})
		if alt, ok := categoryWords[c]; ok {
			for _, n := range alt.names {
				forms = append(forms, form{words: singulars(n), category: c})
			}
			for _, h := range alt.hints {
				forms = append(forms, form{words: singulars(h), category: c, hint: true})
			}
		}
	}
	forms = slices.DeleteFunc(forms, func(f form) bool { return len(f.words) == 0 })         // a name of no words ("&") names nothing
	slices.SortStableFunc(forms, func(a, b form) int { return len(b.words) - len(a.words) }) // longest first
	var found *string
	for i := 0; i < len(p.toks); i++ {
		for _, f := range forms {
			if i+len(f.words) > len(p.toks) || !p.matchesSingular(i, f.words) || (found != nil && *found != f.category) {
				continue
			}
			if found == nil {
				c := f.category
				found = &c
			}
			if !f.hint {
				p.use(i, i+len(f.words))
			}
			i += len(f.words) - 1
			break
		}
	}
	return found
}

func (p *parser) matchesSingular(i int, words []string) bool {
	for k, w := range words {
		if t := p.toks[i+k]; t.used || singular(t.text) != w {
			return false
		}
	}
	return true
}

// singulars splits a name into lower-case singular words, "&" read as "and".
func singulars(name string) []string {
	var out []string
	for _, t := range tokenize(name) {
		out = append(out, singular(t.text))
	}
	return out
}

// singular is an English singular good enough for category names: toys → toy, supplies →
// supply, boxes → box, glasses → glass; words in -ss, -us and -is stay.
func singular(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "sses")):
		return w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// query joins the words no phrase used, without filler or repeats, in at most MaxQuery
// characters.
func (p *parser) query() *string {
	var words []string
	seen, n := map[string]bool{}, 0
	for _, t := range p.toks {
		if t.used || filler[t.text] {
			continue
		}
		for _, w := range strings.Fields(cmp.Or(rewrites[t.text], t.text)) {
			if size := n + min(n, 1) + utf8.RuneCountInString(w); !seen[w] && size <= MaxQuery {
				seen[w], n = true, size
				words = append(words, w)
			}
		}
	}
	if len(words) == 0 {
		return nil
	}
	q := strings.Join(words, " ")
	return &q
}
