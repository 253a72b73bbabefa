package glove

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// The model file, little-endian throughout:
//
//	magic   "GLOVE8\n\x00" (8 bytes)
//	dims    uint32          vector length (100)
//	count   uint32          number of words
//	count × word record:    uint8 length, the word's bytes, uint32 frequency rank in the source
//	count × float32         per-vector scale
//	count × dims × int8     quantised components: component = int8 × scale
//
// Words are stored in rank order (most frequent first), so the file is deterministic for a
// given source and word selection.
const magic = "GLOVE8\n\x00"

// Entry is one word of the vocabulary with its full-precision vector, as the generator holds it
// before quantising.
type Entry struct {
	Word   string
	Rank   uint32 // 0 for the most frequent word of the source corpus
	Vector []float32
}

// Write quantises entries to int8 with one scale per vector (the largest magnitude maps to
// 127) and writes the model file. Every vector must have dims components.
func Write(w io.Writer, dims int, entries []Entry) error {
	bw := bufio.NewWriter(w)
	le := binary.LittleEndian
	if _, err := bw.WriteString(magic); err != nil {
		return err
	}
	var u32 [4]byte
	put := func(v uint32) {
		le.PutUint32(u32[:], v)
		_, _ = bw.Write(u32[:])
	}
	put(uint32(dims))
	put(uint32(len(entries)))
	for _, e := range entries {
		if !ValidWord(e.Word) {
			return fmt.Errorf("word %q is not lowercase letters", e.Word)
		}
		if len(e.Vector) != dims {
			return fmt.Errorf("word %q has %d components, want %d", e.Word, len(e.Vector), dims)
		}
		_ = bw.WriteByte(byte(len(e.Word)))
		_, _ = bw.WriteString(e.Word)
		put(e.Rank)
	}
	scales := make([]float32, len(entries))
	for i, e := range entries {
		var m float32
		for _, x := range e.Vector {
			m = max(m, float32(math.Abs(float64(x))))
		}
		scales[i] = m / 127
		put(math.Float32bits(scales[i]))
	}
	for i, e := range entries {
		for _, x := range e.Vector {
			var q int8
			if scales[i] > 0 {
				q = int8(max(-127, min(127, math.Round(float64(x/scales[i])))))
			}
			_ = bw.WriteByte(byte(q))
		}
	}
	return bw.Flush()
}

// ErrFormat reports a model file that is not in the format Write produces.
var ErrFormat = errors.New("glove: not a model file")

// parse reads a model file into a Model, dequantising every vector and normalising it to unit
// length (the embedder only ever compares directions).
func parse(data []byte) (*Model, error) {
	le := binary.LittleEndian
	if len(data) < len(magic)+8 || string(data[:len(magic)]) != magic {
		return nil, ErrFormat
	}
	off := len(magic)
	dims := int(le.Uint32(data[off:]))
	count := int(le.Uint32(data[off+4:]))
	off += 8
	if dims <= 0 || dims > 4096 || count <= 0 {
		return nil, ErrFormat
	}
	m := &Model{dims: dims, index: make(map[string]int32, count), ranks: make([]uint32, count), words: make([]string, count)}
	for i := 0; i < count; i++ {
		if off >= len(data) {
			return nil, ErrFormat
		}
		n := int(data[off])
		if off+1+n+4 > len(data) {
			return nil, ErrFormat
		}
		w := string(data[off+1 : off+1+n])
		m.words[i] = w
		m.index[w] = int32(i)
		m.ranks[i] = le.Uint32(data[off+1+n:])
		off += 1 + n + 4
	}
	if len(data)-off != count*4+count*dims {
		return nil, ErrFormat
	}
	scales := data[off : off+count*4]
	q := data[off+count*4:]
	m.vectors = make([]float32, count*dims)
	for i := 0; i < count; i++ {
		s := math.Float32frombits(le.Uint32(scales[i*4:]))
		v := m.vectors[i*dims : (i+1)*dims]
		var norm float64
		for j := range v {
			v[j] = float32(int8(q[i*dims+j])) * s
			norm += float64(v[j]) * float64(v[j])
		}
		if norm > 0 {
			inv := float32(1 / math.Sqrt(norm))
			for j := range v {
				v[j] *= inv
			}
		}
	}
	return m, nil
}
