package demo

import (
	"slices"
	"strings"
)

// category groups the vocabulary used to invent products of one catalogue
// category: invented brand names, naming adjectives, item kinds and closing
// sentences for descriptions.
type category struct {
	name     string   // public category name, one of Categories()
	prefix   string   // three uppercase letters that start every SKU
	packWord string   // "Set of" for durable goods, "Pack of" for consumables
	brands   []string // invented, brand-like names (never real trademarks)
	adjs     []string // optional adjectives placed before the material
	closers  []string // optional last sentences of a description
	kinds    []kind   // at least 12 item kinds
}

// kind is one type of item (a Dutch oven, a yoga mat) with the vocabulary and
// price range that make its products believable.
type kind struct {
	noun    string   // singular or plural item noun, e.g. "Dutch Oven", "Headphones"
	lo, hi  int64    // price range in whole dollars: lo*100 <= price < hi*100
	colour  bool     // colour variants make sense for this kind
	mats    []string // materials, types or flavours placed before the noun
	sizes   []string // optional sizes, smallest and cheapest first
	scale   bool     // price grows with the size index
	packed  bool     // sizes are already pack counts, so no extra "Pack of" suffix
	plural  bool     // noun is plural ("Headphones"), for grammar in descriptions
	feature string   // noun phrase: what makes it good
	use     string   // noun phrase: what people use it for
}

// k declares a kind compactly. mats and sizes are "|"-separated lists; a
// sizes list starting with "~" does not affect the price (e.g. shoe sizes).
func k(noun string, lo, hi int64, colour bool, mats, sizes, feature, use string) kind {
	kd := kind{noun: noun, lo: lo, hi: hi, colour: colour, feature: feature, use: use, scale: true}
	kd.mats = strings.Split(mats, "|")
	if strings.HasPrefix(sizes, "~") {
		kd.scale = false
		sizes = sizes[1:]
	}
	if sizes != "" {
		kd.sizes = strings.Split(sizes, "|")
	}
	for _, s := range kd.sizes {
		if strings.Contains(s, "Pack") || strings.Contains(s, "Piece") || strings.Contains(s, "Case") || strings.Contains(s, "Box") {
			kd.packed = true
		}
	}
	kd.plural = strings.HasSuffix(noun, "s") && !strings.HasSuffix(noun, "ss")
	return kd
}

// list splits a "|"-separated word list; it keeps the data files compact.
func list(s string) []string { return strings.Split(s, "|") }

// catalog holds every category sorted by name. It is built once and never
// modified, so concurrent generators can share it safely.
var catalog = buildCatalog()

// buildCatalog gathers the categories declared in the catalog_*.go files and
// sorts them by name so that Categories() is stable and sorted.
func buildCatalog() []category {
	var all []category
	all = append(all, homeCategories()...)
	all = append(all, techCategories()...)
	all = append(all, lifeCategories()...)
	slices.SortFunc(all, func(a, b category) int { return strings.Compare(a.name, b.name) })
	return all
}
