package ingest

import "io"

// readAhead reads its source on a goroutine of its own, a few blocks
// ahead of the reader: a gzip file is inflated while the records before
// are parsed, on another core. Read returns the source's bytes and then
// its error, in order. Close stops the goroutine (at once, or as soon as
// a source read it is blocked in returns); Read must not be called after
// it.
type readAhead struct {
	blocks chan aheadBlock
	free   chan []byte
	done   chan struct{}
	blk    []byte // the block being read, whole
	cur    []byte // what is left of it
	err    error
}

type aheadBlock struct {
	b   []byte
	err error
}

// aheadBlockSize is one block read ahead; aheadBlocks are in flight.
const (
	aheadBlockSize = 256 << 10
	aheadBlocks    = 4
)

func newReadAhead(src io.Reader) *readAhead {
	a := &readAhead{blocks: make(chan aheadBlock, aheadBlocks), free: make(chan []byte, aheadBlocks+1), done: make(chan struct{})}
	go a.fill(src)
	return a
}

// fill reads src into blocks, made as they are needed (a small file
// takes one) and then reused, up to aheadBlocks+1 of them.
func (a *readAhead) fill(src io.Reader) {
	defer close(a.blocks)
	made := 0
	for {
		var b []byte
		select {
		case b = <-a.free:
		case <-a.done:
			return
		default:
			if made <= aheadBlocks {
				b = make([]byte, aheadBlockSize)
				made++
				break
			}
			select {
			case b = <-a.free:
			case <-a.done:
				return
			}
		}
		n, err := io.ReadFull(src, b)
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		select {
		case a.blocks <- aheadBlock{b[:n], err}:
		case <-a.done:
			return
		}
		if err != nil {
			return
		}
	}
}

func (a *readAhead) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.err != nil {
			return 0, a.err
		}
		if a.blk != nil {
			a.free <- a.blk[:cap(a.blk)]
			a.blk = nil
		}
		blk, ok := <-a.blocks
		if !ok {
			return 0, io.EOF
		}
		a.blk, a.cur, a.err = blk.b, blk.b, blk.err
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops reading ahead.
func (a *readAhead) Close() { close(a.done) }
