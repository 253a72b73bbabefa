package glove

import (
	"crypto/sha256"
	_ "embed" // the model file
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
)

var (
	//go:embed glove100.bin
	modelFile []byte
	//go:embed glove100.bin.sha256
	modelSum string
)

// ModelName identifies the embedded model wherever its vectors are stored
// (search_documents.embed_model) and in results and metrics: GloVe 100-d word vectors, int8,
// IDF-weighted mean, and the start of the file's SHA-256. A new file (`make embeddings` with
// another vocabulary) is a new name, so the re-embedding workflow redoes the stored vectors.
// Change the prefix when the way a text becomes a vector changes.
var ModelName = "glove-100d-idf-" + strings.TrimSpace(modelSum)[:12]

var (
	loadOnce sync.Once
	loaded   *Model
	loadErr  error
)

// Default returns the model embedded in the binary, parsed once (about 25 MB in memory). It
// fails only if the embedded file does not match its committed checksum or format.
func Default() (*Model, error) {
	loadOnce.Do(func() {
		sum := sha256.Sum256(modelFile)
		if got, want := hex.EncodeToString(sum[:]), strings.TrimSpace(modelSum); got != want {
			loadErr = fmt.Errorf("glove: embedded model has sha256 %s, its checksum file says %s", got, want)
			return
		}
		loaded, loadErr = parse(modelFile)
	})
	return loaded, loadErr
}
