package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// emailDomain is reserved for documentation (RFC 2606), so demo mail can
// never reach a real person.
const emailDomain = "@example.com"

// Customers returns n customers generated deterministically from seed; n <= 0
// yields an empty slice. Emails are unique: a taken address gets a random
// number appended, and as a last resort the customer's index, which no other
// customer can share.
func Customers(seed uint64, n int) []Customer {
	if n <= 0 {
		return []Customer{}
	}
	r := rand.New(rand.NewPCG(seed, customerStream))
	out := make([]Customer, n)
	seen := make(map[string]struct{}, n)
	for i := range out {
		first, last := pick(r, firstNames), pick(r, lastNames)
		local := emailLocal(r, slug(first), slug(last))
		if _, dup := seen[local]; dup {
			base := local
			for attempt := 0; ; attempt++ {
				if attempt == 8 {
					// Generated locals never end in "." plus digits, so this
					// index-based form is unique.
					local = base + "." + strconv.Itoa(i)
					break
				}
				local = base + strconv.Itoa(10+r.IntN(9990))
				if _, dup := seen[local]; !dup {
					break
				}
			}
		}
		seen[local] = struct{}{}
		out[i] = Customer{Email: local + emailDomain, Name: first + " " + last}
	}
	return out
}

// emailLocal invents the part before "@" in one of several common styles,
// such as "maria.gonzalez", "mgonzalez87" or "maria_gonzalez".
func emailLocal(r *rand.Rand, first, last string) string {
	var local string
	switch r.IntN(5) {
	case 0, 1:
		local = first + "." + last
	case 2:
		local = first + last
	case 3:
		local = first[:1] + last
	default:
		local = first + "_" + last
	}
	switch x := r.IntN(10); {
	case x < 4:
		// no number
	case x < 8:
		local += strconv.Itoa(1 + r.IntN(99))
	default:
		local += strconv.Itoa(1960 + r.IntN(46)) // looks like a birth year
	}
	return local
}

// slug lowercases s and keeps only ASCII letters and digits, turning
// "O'Brien" into "obrien" and "Van der Berg" into "vanderberg".
func slug(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			sb.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			sb.WriteByte(c + ('a' - 'A'))
		}
	}
	return sb.String()
}
