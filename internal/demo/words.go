package demo

// firstNames are given names from many cultures, ASCII-only so that they can
// be turned into e-mail addresses without transliteration.
var firstNames = list("Maria|James|Aisha|Wei|Priya|Mateo|Sofia|Kenji|Amara|Liam|Fatima|Olga|Chidi|Ingrid|Rahul|" +
	"Yuki|Carlos|Zainab|Mei|Noah|Leila|Tomasz|Ana|Kwame|Elena|Hiroshi|Nadia|Diego|Sven|Ayesha|Jamal|Chloe|" +
	"Arjun|Lucia|Dmitri|Hana|Oluwaseun|Isabella|Minh|Freya|Tariq|Camila|Jin|Siobhan|Pedro|Anika|Emeka|Giulia|" +
	"Ravi|Astrid|Omar|Valentina|Sanjay|Keiko|Mohammed|Lena|Kofi|Beatriz|Hyun|Nora|Luca|Esperanza|Ibrahim|" +
	"Mariam|Aleksander|Thandiwe|Rosa|Arash|Yara|Connor|Malia|Tane|Ximena|Bongani|Elif|Mehmet|Saoirse|Juan")

// lastNames are family names from many cultures, ASCII-only; spaces and
// apostrophes are stripped when building e-mail addresses.
var lastNames = list("Gonzalez|Smith|Chen|Patel|Okafor|Nguyen|Kowalski|Silva|Tanaka|Kim|Mueller|Rossi|Haddad|" +
	"Johansson|Mensah|Garcia|Sato|Ali|O'Brien|Dubois|Novak|Singh|Yilmaz|Park|Hernandez|Andersen|Adeyemi|Khan|" +
	"Lopez|Murphy|Schmidt|Costa|Nakamura|Hassan|Petrov|Wang|Ramirez|Fischer|Bianchi|Kaur|Obi|Larsen|Martins|" +
	"Takahashi|Cohen|Rahman|Moreau|Jensen|Mahlangu|Fernandes|Li|Gupta|Abdi|Bergstrom|Castillo|Eze|Hoang|" +
	"Nowak|Santos|Walsh|Yamamoto|Kariuki|Papadopoulos|Van der Berg|Torres|Sharma|Lindqvist|Osei|Reyes|" +
	"Tupou|Ngata|Quispe|Demir|Ivanov|Horvat|Da Costa")

// colours name finishes for kinds whose products come in several colours.
var colours = list("Slate Grey|Sage Green|Navy|Terracotta|Charcoal|Ivory|Mustard|Dusty Rose|Forest Green|" +
	"Sky Blue|Matte Black|Cream|Burnt Orange|Teal|Oatmeal|Plum|Arctic White|Graphite|Sand|Cobalt")

// packCounts are the multiples offered when a name needs a pack variant.
var packCounts = list("2|3|4|6")

// featureTemplates open a description by naming the product and its main
// feature. Placeholders are expanded by expand in text.go; {s}, {is}, {it}
// and {this} keep the grammar right for plural nouns such as "Headphones".
var featureTemplates = []string{
	"The {brand} {mat} {noun} come{s} with {feature}.",
	"We gave our {mat} {noun} {feature}.",
	"{This} {mat} {noun} from {brand} pair{s} everyday practicality with {feature}.",
	"Expect {feature} from the {mat} {noun} by {brand}.",
	"{brand} designed {this} {mat} {noun} around {feature}.",
	"Thoughtfully made, the {mat} {noun} offer{s} {feature}.",
	"Our {mat} {noun} feature{s} {feature}.",
}

// useTemplates say what the product is for.
var useTemplates = []string{
	"Ideal for {use}.",
	"{It} {is} a dependable choice for {use}.",
	"Made for {use}.",
	"A customer favourite for {use}.",
	"Great for {use}.",
	"Use {it} for {use}.",
	"Reach for {it} when it comes to {use}.",
}

// colourTemplates mention the colour when a product name carries one.
var colourTemplates = []string{
	"This listing is for the {colour} finish.",
	"Shown here in {colour}.",
	"The {colour} colourway is one of our most popular.",
}

// genericClosers can end a description in any category.
var genericClosers = []string{
	"Free returns within 30 days.",
	"Ships within two business days.",
	"Backed by our satisfaction guarantee.",
}
