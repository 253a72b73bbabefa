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

// ModelName names the embedded model in results and metrics.
const ModelName = "glove-6b-100d-int8 (GloVe 100-d word vectors, IDF-weighted mean)"

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
