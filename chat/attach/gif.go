package attach

import (
	"bytes"
	"image"
	"image/gif"
)

// gifFrames counts the frames of a GIF by walking its blocks, without
// decoding any pixels (an animation of a thousand frames would otherwise
// be decoded whole just to be counted). ok is false for a stream it cannot
// follow.
func gifFrames(data []byte) (n int, ok bool) {
	if len(data) < 13 {
		return 0, false
	}
	p := 13
	if flags := data[10]; flags&0x80 != 0 {
		p += 3 << (flags&7 + 1) // the global colour table
	}
	subBlocks := func() bool {
		for p < len(data) {
			size := int(data[p])
			p++
			if size == 0 {
				return true
			}
			p += size
		}
		return false
	}
	for p < len(data) {
		switch data[p] {
		case 0x3B: // trailer
			return n, true
		case 0x21: // extension: label, then sub-blocks
			p += 2
			if !subBlocks() {
				return n, false
			}
		case 0x2C: // image descriptor
			if p+10 > len(data) {
				return n, false
			}
			flags := data[p+9]
			p += 10
			if flags&0x80 != 0 {
				p += 3 << (flags&7 + 1) // a local colour table
			}
			p++ // LZW minimum code size
			if !subBlocks() {
				return n, false
			}
			n++
		default:
			return n, false
		}
	}
	return n, false
}

// firstFrame re-encodes an animated GIF as its first frame alone, with
// that frame's configuration; ok is false for a still GIF (nothing to do)
// or one that cannot be re-encoded (it is then sent as it is). Frames
// counted before a block the walk cannot follow (a GIF cut short, or
// without its trailer, which viewers play anyway) count: such a GIF was
// sent animated.
func firstFrame(data []byte) ([]byte, image.Config, bool) {
	if n, _ := gifFrames(data); n <= 1 {
		return nil, image.Config{}, false
	}
	img, err := safely(func() (image.Image, error) { return gif.Decode(bytes.NewReader(data)) })
	if err != nil {
		return nil, image.Config{}, false
	}
	var b bytes.Buffer
	if err := gif.Encode(&b, img, nil); err != nil {
		return nil, image.Config{}, false
	}
	cfg, err := gif.DecodeConfig(bytes.NewReader(b.Bytes()))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return nil, image.Config{}, false
	}
	return b.Bytes(), cfg, true
}
