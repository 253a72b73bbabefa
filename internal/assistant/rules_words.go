package assistant

import "strings"

// The words the rule-based parser knows (see Parse), compared after lower-casing.

var (
	currencyWords = set("$", "€", "£", "dollar", "dollars", "usd", "buck", "bucks", "euro", "euros", "eur", "pound", "pounds", "gbp", "quid")
	units         = set("kg", "g", "gram", "grams", "lb", "lbs", "oz", "ounce", "ounces", "cm", "mm", "m", "inch", "inches", "ft", "feet",
		"l", "ml", "litre", "litres", "liter", "liters", "qt", "quart", "quarts", "pack", "packs", "piece", "pieces", "pcs", "people", "person",
		"persons", "player", "players", "w", "watt", "watts", "mah", "gb", "tb", "year", "years", "yr", "yrs", "month", "months", "old",
		"page", "pages", "cup", "cups", "percent", "star", "stars", "day", "days", "hour", "hours")
	maxBefore = phrases("under", "below", "less than", "lower than", "cheaper than", "at most", "no more than", "not more than",
		"up to", "max", "maximum", "<", "budget of", "budget is", "budget", "within")
	minBefore = phrases("over", "above", "more than", "greater than", "at least", "min", "minimum", "starting at", "starting from",
		"from", ">", "pricier than", "more expensive than")
	rangeStart = phrases("between", "from")
	rangeMid   = phrases("and", "to", "-", "till", "until", "through")
	maxAfter   = phrases("or less", "or under", "or below", "or cheaper", "and under", "and below", "max", "maximum", "at most", "tops")
	minAfter   = phrases("or more", "and up", "and above", "and over", "or above", "or over", "plus", "+", "at least")
	inStock    = phrases("in stock", "in-stock", "instock", "available now", "available today", "available immediately", "available",
		"on hand", "ready to ship", "ships today", "ships now")
	outOfStock = phrases("out of stock", "sold out") // not a filter the catalogue has: dropped from q
)

// categoryWords name demo-catalogue categories in other words (compared singular, so
// "gadget" also matches "gadgets"). Names set the category and leave q; hints set it and stay
// in q, because they also say what kind of product is meant ("camping stove", "board games").
// A category missing from the live list is never set.
var categoryWords = map[string]struct{ names, hints []string }{
	"Beauty":       {names: []string{"cosmetic", "skincare", "skin care", "toiletry"}, hints: []string{"makeup", "make-up"}},
	"Books":        {hints: []string{"novel"}},
	"Electronics":  {names: []string{"gadget", "tech", "electronic device"}},
	"Garden":       {names: []string{"gardening", "yard"}},
	"Grocery":      {names: []string{"food", "pantry"}, hints: []string{"snack"}},
	"Home Decor":   {names: []string{"decor", "decoration", "home decoration"}},
	"Kitchen":      {names: []string{"kitchenware", "cookware"}},
	"Office":       {names: []string{"stationery", "office supply"}},
	"Outdoors":     {names: []string{"outdoor gear"}, hints: []string{"camping", "hiking"}},
	"Pet Supplies": {names: []string{"pet"}},
	"Sports":       {names: []string{"sporting good"}, hints: []string{"fitness", "gym", "workout"}},
	"Toys & Games": {names: []string{"toy"}, hints: []string{"game"}},
}

// rewrites are the catalogue's words for what shoppers also call things.
var rewrites = map[string]string{"sneakers": "running shoes", "trainers": "running shoes", "earphones": "earbuds"}

// filler is what a message says that is not about the product.
var filler = set(
	"a", "an", "the", "some", "any", "something", "anything", "stuff", "things", "thing", "item", "items", "product",
	"products", "i", "i'm", "im", "i'd", "i'll", "i've", "me", "my", "we", "our", "you", "your", "it", "its", "is",
	"are", "be", "do", "does", "have", "has", "got", "get", "want", "wanted", "need", "needs", "looking", "look",
	"search", "searching", "find", "show", "give", "buy", "shopping", "shop", "please", "can", "could", "would",
	"should", "will", "like", "to", "for", "with", "of", "in", "on", "at", "by", "from", "that", "this", "these",
	"those", "which", "what", "who", "there", "here", "and", "or", "but", "than", "so", "just", "also", "only", "now",
	"today", "hi", "hello", "hey", "thanks", "thank", "all", "everything", "cheap", "cheaper", "cheapest", "affordable",
	"inexpensive", "budget", "price", "priced", "prices", "pricing", "cost", "costs", "costing", "around", "about",
	"roughly", "approximately", "range", "less", "more", "most", "least", "under", "over", "below", "above", "between",
	"up", "max", "min", "good", "nice", "great", "best", "new", "category", "section", "department", "$", "€", "£", "<",
	">", "+", "-", "dollar", "dollars", "usd", "bucks", "euro", "euros", "eur", "pounds", "gbp", "quid")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func phrases(ps ...string) [][]string {
	out := make([][]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Fields(p)
	}
	return out
}
